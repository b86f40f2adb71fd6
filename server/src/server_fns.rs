//! Server-function responses, mended in one place: an error answers with the status of its
//! `AppError` (`AppError::status`: 400 for a refused form or a request that could not even
//! be decoded, 401, 403, 404, 409, 429…), not the 500 that the server-function machinery
//! uses for every error. The server functions themselves never set a status.
use app::error::AppError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// Error bodies are a few hundred bytes; anything larger is left alone.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn errors_answer_with_their_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let response = tidy_redirect(response);
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// After a form post without JavaScript, leptos sends the browser back to the page it came
/// from, with a dangling `?` once it has removed its own error parameters: drop it.
fn tidy_redirect(mut response: Response) -> Response {
    if let Some(location) = response.headers().get(header::LOCATION) {
        if let Some(clean) = location.to_str().ok().and_then(|l| l.strip_suffix('?')) {
            if let Ok(value) = HeaderValue::from_str(clean) {
                response.headers_mut().insert(header::LOCATION, value);
            }
        }
    }
    response
}
