//! Server-function responses, mended in one place: an error answers with the status of its
//! `AppError` (`AppError::status`: 400 for a refused form or a request that could not even
//! be decoded, 401, 403, 404, 409, 429…), not the 500 that the server-function machinery
//! uses for every error. The server functions themselves never set a status.
use app::error::AppError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Error bodies are a few hundred bytes; anything larger is left alone.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// A form posted without JavaScript is at most this big (the server functions take small
/// forms; files go to routes of their own).
const MAX_FORM_BODY: usize = 256 * 1024;
/// What was typed comes back in the address only up to this size.
const MAX_TYPED: usize = 4000;

pub async fn errors_answer_with_their_status(request: Request, next: Next) -> Response {
    let (request, typed) = match typed_form(request).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let response = next.run(request).await;
    let response = keep_what_was_typed(tidy_redirect(response), typed.as_deref());
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
        if let AppError::Busy { seconds } = error {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
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

/// A server function posted by a plain form (no JavaScript: the browser accepts HTML): its
/// fields, passwords left out, to be sent back with an error so that nothing typed is lost.
async fn typed_form(request: Request) -> Result<(Request, Option<String>), Response> {
    let header_has = |headers: &axum::http::HeaderMap, name: header::HeaderName, part: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.contains(part))
    };
    let plain_form = request.method() == Method::POST
        && request.uri().path().starts_with("/api/")
        && header_has(
            request.headers(),
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        && header_has(request.headers(), header::ACCEPT, "text/html");
    if !plain_form {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BODY).await else {
        return Err(StatusCode::PAYLOAD_TOO_LARGE.into_response());
    };
    let typed: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            url::form_urlencoded::parse(&bytes)
                .filter(|(name, _)| !name.contains("password") && !name.starts_with("__")),
        )
        .finish();
    let typed = (!typed.is_empty() && typed.len() <= MAX_TYPED).then_some(typed);
    Ok((Request::from_parts(parts, Body::from(bytes)), typed))
}

/// Adds what was typed (`__form`) to the way back of a refused plain form; any other way
/// back loses an earlier `__form`.
fn keep_what_was_typed(mut response: Response, typed: Option<&str>) -> Response {
    let Some(location) = response
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(str::to_string)
    else {
        return response;
    };
    if !location.contains("__form=") && !location.contains("__err=") {
        return response;
    }
    let (path, query) = location.split_once('?').unwrap_or((location.as_str(), ""));
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| name != "__form")
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    if location.contains("__err=") {
        if let Some(typed) = typed {
            pairs.push(("__form".to_string(), typed.to_string()));
        }
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let clean = if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    };
    if let Ok(value) = HeaderValue::from_str(&clean) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}
