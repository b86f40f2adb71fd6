//! The language chosen with the header switch, and the server's fallback when there is none.
use crate::domain::Lang;
use crate::error::AppError;
use leptos::prelude::*;

/// What the server falls back to when the cookie says nothing: the signed-in account's
/// preferred language, then the request's `Accept-Language`.
#[cfg(feature = "ssr")]
pub fn fallback_lang_for_request() -> Option<Lang> {
    if let Some(user) = crate::backend::signed_in_user() {
        return Some(user.language);
    }
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(Lang::from_accept_language)
}

/// Remembers the language chosen with the header switch. Without JavaScript the form posts
/// here and the browser is sent back to the page it came from.
#[server(endpoint = "set_language")]
#[tracing::instrument(err(level = "info"))]
pub async fn set_language(lang: String) -> Result<Lang, AppError> {
    let lang = Lang::parse(&lang).ok_or(AppError::InvalidLanguage)?;
    let cookie = http::HeaderValue::from_str(&crate::language::lang_cookie(lang))
        .map_err(|_| AppError::Internal)?;
    expect_context::<leptos_axum::ResponseOptions>()
        .append_header(http::header::SET_COOKIE, cookie);
    Ok(lang)
}
