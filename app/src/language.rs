//! How the page's language is chosen, in one place:
//! the header switch (the `lang` cookie), then the account's preference (once accounts
//! exist), then `Accept-Language`, then French.
use crate::domain::Lang;
use crate::error::AppError;
use crate::i18n::Locale;
use leptos::prelude::*;

/// The cookie written by the language switch.
pub const LANG_COOKIE: &str = "lang";
/// One year, in seconds.
pub const LANG_COOKIE_MAX_AGE: i64 = 365 * 24 * 60 * 60;

pub fn locale_of(lang: Lang) -> Locale {
    match lang {
        Lang::Fr => Locale::fr,
        Lang::Nl => Locale::nl,
        Lang::En => Locale::en,
    }
}

pub fn lang_of(locale: Locale) -> Lang {
    match locale {
        Locale::fr => Lang::Fr,
        Locale::nl => Lang::Nl,
        Locale::en => Lang::En,
    }
}

/// The `Set-Cookie` value that remembers a language choice.
pub fn lang_cookie(lang: Lang) -> String {
    format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age={LANG_COOKIE_MAX_AGE}; SameSite=Lax",
        lang.code()
    )
}

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
    let lang = Lang::parse(&lang).ok_or_else(|| AppError::InvalidLanguage.respond())?;
    let cookie = http::HeaderValue::from_str(&lang_cookie(lang))
        .map_err(|_| AppError::Internal.respond())?;
    expect_context::<leptos_axum::ResponseOptions>()
        .append_header(http::header::SET_COOKIE, cookie);
    Ok(lang)
}
