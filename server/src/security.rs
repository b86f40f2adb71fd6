//! Security headers every response inherits, and the per-request CSP nonce that lets the
//! hydration script run while every other inline script is refused.
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;

/// The nonce of this request's Content-Security-Policy, for the HTML renderer.
#[derive(Clone, Debug)]
pub struct CspNonce(pub Nonce);

#[derive(Clone)]
pub struct SecurityOptions {
    /// Send `Strict-Transport-Security` (the public address is https).
    pub hsts: bool,
    /// The eID provider, whose pages forms may lead to (the filing form goes there when a
    /// procedure needs an identification).
    pub eid: Option<crate::eid::client::Eid>,
}

pub fn content_security_policy(nonce: &str, form_action: Option<&str>) -> String {
    let form_action = match form_action {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_string(),
    };
    format!(
        "default-src 'self'; \
         script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; \
         img-src 'self' data:; \
         font-src 'self'; \
         connect-src 'self'; \
         form-action {form_action}; \
         frame-ancestors 'none'; \
         base-uri 'none'; \
         object-src 'none'"
    )
}

pub async fn security_headers(
    State(options): State<SecurityOptions>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    let form_origins = options
        .eid
        .as_ref()
        .map(crate::eid::client::Eid::form_origins);
    let csp = content_security_policy(&nonce, form_origins.as_deref());
    request.extensions_mut().insert(CspNonce(nonce));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if options.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}
