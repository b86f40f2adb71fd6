//! `/metrics`: Prometheus text for the operators — requests by route and status, their
//! durations, the e-mail outbox, open sessions, eID identifications by outcome.
//!
//! It says nothing about anyone, but it is not for the public either: with `METRICS_TOKEN`
//! set it asks for `Authorization: Bearer <token>`; without, it answers only to this machine
//! (a loopback peer, and not through a proxy: a proxy on this machine forwards anyone), and
//! 404 to anyone else.
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

pub const PATH: &str = "/metrics";

/// The process's recorder: installed once (the HTTP tests build many apps in one process).
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("http_request_duration_seconds".into()),
                    &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0],
                )
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            Some(handle)
        })
        .as_ref()
}

/// Installs the recorder (at start, so the first requests are counted).
pub fn install() {
    if handle().is_none() {
        tracing::warn!("another metrics recorder is installed: /metrics will be empty");
    }
}

/// Counts every request by method, route (the route's pattern, never the raw path: the
/// number of series stays bounded) and status, and records how long it took.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method: &'static str = match request.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "OTHER",
    };
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_string());
    let response = next.run(request).await;
    let status = response.status();
    let route = route.unwrap_or_else(|| {
        if status == StatusCode::NOT_FOUND {
            "unmatched".to_string()
        } else {
            "other".to_string()
        }
    });
    metrics::counter!(
        "http_requests_total",
        "method" => method,
        "route" => route.clone(),
        "status" => status.as_u16().to_string()
    )
    .increment(1);
    metrics::histogram!(
        "http_request_duration_seconds",
        "method" => method,
        "route" => route
    )
    .record(started.elapsed().as_secs_f64());
    response
}

/// Compares in constant time (the token is a secret).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn allowed(state: &AppState, request: &Request) -> bool {
    match &state.settings.metrics_token {
        Some(token) => request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| same(given.trim().as_bytes(), token.as_bytes())),
        None => {
            !crate::proxies::forwarded(request)
                && crate::proxies::TrustedProxies::default()
                    .client_ip(request)
                    .is_some_and(|ip| ip.is_loopback())
        }
    }
}

/// `GET /metrics`.
pub async fn render(State(state): State<AppState>, request: Request) -> Response {
    if !allowed(&state, &request) {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    let Some(handle) = handle() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "metrics unavailable\n").into_response();
    };
    // Read at scrape time: what is waiting in the outbox, what it gave up on, who is in.
    let gauges = [
        (
            "outbox_pending",
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL",
        ),
        (
            "outbox_failed",
            "SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL",
        ),
        ("sessions_open", "SELECT COUNT(*) FROM session"),
    ];
    for (name, sql) in gauges {
        match sqlx::query_scalar::<_, i64>(sql).fetch_one(&state.db).await {
            Ok(value) => metrics::gauge!(name).set(value as f64),
            Err(error) => tracing::warn!(%error, name, "cannot read a metric"),
        }
    }
    handle.run_upkeep();
    (
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        handle.render(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_compare_whole() {
        assert!(super::same(b"abc", b"abc"));
        assert!(!super::same(b"abc", b"abd"));
        assert!(!super::same(b"abc", b"abcd"));
        assert!(!super::same(b"", b"a"));
    }
}
