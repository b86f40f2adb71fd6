//! Finds the signed-in person of each request from the session cookie, and keeps signed-out
//! visitors out of the pages that need an account.
use app::backend::session::{self, CurrentUser};
use app::backend::{now_ms, ClientIp, Db, ServerConfig};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Clone)]
pub struct SessionState {
    pub db: Db,
    pub config: ServerConfig,
    /// The reverse proxies whose `X-Forwarded-For` names the client.
    pub proxies: crate::proxies::TrustedProxies,
}

/// Paths that never need to know who is signed in: no session lookup for them.
fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || matches!(path, "/healthz" | "/readyz" | "/metrics" | "/favicon.svg")
}

pub async fn load_session(
    State(state): State<SessionState>,
    mut request: Request,
    next: Next,
) -> Response {
    if is_static(request.uri().path()) {
        return next.run(request).await;
    }
    if let Some(ip) = state.proxies.client_ip(&request) {
        request.extensions_mut().insert(ClientIp(ip.to_string()));
    }
    let token = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| session::token_from_cookie_header(value, &state.config))
        .map(str::to_string);
    let mut stale_cookie = false;
    if let Some(token) = token {
        match session::load(&state.db, &state.config, &token, now_ms()).await {
            Ok(Some(user)) => {
                request.extensions_mut().insert::<CurrentUser>(user);
            }
            Ok(None) => stale_cookie = true,
            Err(error) => {
                tracing::error!(%error, "cannot read the session");
                return (StatusCode::SERVICE_UNAVAILABLE, "service unavailable\n").into_response();
            }
        }
    }
    let verified = request
        .extensions()
        .get::<CurrentUser>()
        .map(|user| user.email_verified);
    let path = request.uri().path();
    if verified.is_none() && request.method() == Method::GET && app::access::needs_sign_in(path) {
        // Back to the page asked for once signed in; and a session that ended says so.
        let asked = request
            .uri()
            .path_and_query()
            .map_or(path, |asked| asked.as_str());
        let asked: String = url::form_urlencoded::byte_serialize(asked.as_bytes()).collect();
        let ended = if stale_cookie { "&ended=1" } else { "" };
        let location = format!("/login?next={asked}{ended}");
        let mut response = (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, location.as_str())],
        )
            .into_response();
        clear_if_stale(&mut response, stale_cookie, &state.config);
        return response;
    }
    // An address not confirmed yet opens nothing else than its confirmation, its security
    // page and its data (pages, downloads and file posts alike; server functions refuse
    // through `Ctx::signed_in`).
    if verified == Some(false) && !app::access::open_before_verification(path) {
        return (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, app::access::VERIFY_FIRST)],
        )
            .into_response();
    }
    let signed_in = verified.is_some();
    let mut response = next.run(request).await;
    clear_if_stale(&mut response, stale_cookie, &state.config);
    // What a signed-in person sees, and any answer that sets a cookie (signing in or out),
    // is never kept by a browser or a proxy (ASVS 8.2.1).
    let stored_already_refused = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("no-store"));
    if (signed_in || response.headers().contains_key(header::SET_COOKIE)) && !stored_already_refused
    {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// A cookie whose session has ended (signed out, expired) is removed from the browser.
fn clear_if_stale(response: &mut Response, stale: bool, config: &ServerConfig) {
    if stale {
        if let Ok(value) = HeaderValue::from_str(&session::clear_cookie(config)) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
}
