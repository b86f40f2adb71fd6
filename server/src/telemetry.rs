//! Structured logs: human-readable text by default, JSON with `LOG_FORMAT=json`. Every line
//! written while a request is handled carries its request id (the `request` span).
use crate::config::{LogFormat, Settings};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

pub fn init(settings: &Settings) {
    let filter = EnvFilter::try_new(&settings.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = match settings.log_format {
        LogFormat::Text => registry.with(tracing_subscriber::fmt::layer()).try_init(),
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_span_list(true),
            )
            .try_init(),
    };
    // Already initialised (tests start several servers in one process): keep the first.
    let _ = result;
}

/// A client's `X-Request-Id` is kept (and so reaches the logs and the answer) only when it
/// is a plain identifier: 1 to 64 letters, digits, `-`, `_` or `.`. Anything else (a forged
/// log line, a lookup string, a megabyte) is dropped, and the server gives the request a
/// new id.
pub async fn vet_request_id(
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let headers = request.headers();
    let values = headers.get_all("x-request-id").iter().count();
    let usable = headers
        .get("x-request-id")
        .is_none_or(|value| values == 1 && usable_request_id(value.as_bytes()));
    if !usable {
        request.headers_mut().remove("x-request-id");
    }
    next.run(request).await
}

fn usable_request_id(value: &[u8]) -> bool {
    (1..=64).contains(&value.len())
        && value
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::usable_request_id;

    #[test]
    fn only_plain_identifiers_are_kept() {
        for good in [
            "trace-me-42",
            "0f8e2c1a-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
            "a.b_c",
        ] {
            assert!(usable_request_id(good.as_bytes()), "{good}");
        }
        let long = "x".repeat(65);
        for bad in [
            "",
            "with space",
            "${jndi:ldap://x}",
            "line\nbreak",
            long.as_str(),
        ] {
            assert!(!usable_request_id(bad.as_bytes()), "{bad}");
        }
    }
}
