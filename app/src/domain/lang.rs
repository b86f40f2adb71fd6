//! The languages of the site. Brussels is bilingual (French, Dutch); English is offered too.
use serde::{Deserialize, Serialize};
use std::fmt;

/// One of the site's languages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Fr, Lang::Nl, Lang::En];

    /// The ISO 639-1 code, as used in `<html lang>` and in the language cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// Parses a language code (`fr`, `NL`, `en`); anything else is `None`.
    pub fn parse(code: &str) -> Option<Self> {
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The language to use for an `Accept-Language` header: the first supported one in the
    /// order of the header's quality values, `None` when none is supported.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut candidates: Vec<(f32, usize, Lang)> = header
            .split(',')
            .enumerate()
            .filter_map(|(index, item)| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                let primary = tag.split('-').next()?;
                let quality = parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                let lang = Lang::parse(primary)?;
                (quality > 0.0).then_some((quality, index, lang))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.first().map(|(_, _, lang)| *lang)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_case_insensitively() {
        assert_eq!(Lang::parse("nl"), Some(Lang::Nl));
        assert_eq!(Lang::parse(" EN "), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn accept_language_follows_quality_then_order() {
        assert_eq!(
            Lang::from_accept_language("nl-BE,nl;q=0.9,fr;q=0.8"),
            Some(Lang::Nl)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,en;q=0.5,fr;q=0.7"),
            Some(Lang::Fr)
        );
        assert_eq!(Lang::from_accept_language("en-GB, fr"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de, es;q=0.5"), None);
        assert_eq!(
            Lang::from_accept_language("fr;q=0, nl;q=0.1"),
            Some(Lang::Nl)
        );
        assert_eq!(Lang::from_accept_language("nl;q=abc, en"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language(""), None);
    }
}
