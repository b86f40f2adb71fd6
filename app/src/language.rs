//! How the page's language is chosen, in one place:
//! the header switch (the `lang` cookie), then the account's preference (once accounts
//! exist), then `Accept-Language`, then French.
use crate::domain::Lang;
use crate::i18n::Locale;

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
