//! Server-function responses, mended in one place: a request the server function could not
//! even decode (missing or malformed arguments) is the client's fault and answers 400, not
//! the 500 that the server-function machinery uses for every error.
use app::error::AppError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::error::ServerFnErrorErr;

/// Error bodies are a few hundred bytes; anything larger is left alone.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn client_errors_are_400(request: Request, next: Next) -> Response {
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
    if let Ok(AppError::ServerFn(
        ServerFnErrorErr::Args(_)
        | ServerFnErrorErr::MissingArg(_)
        | ServerFnErrorErr::Deserialization(_),
    )) = serde_json::from_slice::<AppError>(&bytes)
    {
        parts.status = StatusCode::BAD_REQUEST;
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
