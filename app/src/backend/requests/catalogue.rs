//! The catalogue: what the session's profile may file, searched.
use super::shared::profile_kind;
use crate::backend::session::CurrentUser;
use crate::backend::ServerConfig;
use crate::domain::Lang;
use crate::model::requests::*;
use crate::procedures::{Assurance, Procedure};

pub fn catalogue(
    config: &ServerConfig,
    user: Option<&CurrentUser>,
    lang: Lang,
    q: &str,
) -> CatalogueView {
    let kind = user.map(profile_kind);
    let words: Vec<String> = q
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .filter(|w| !w.is_empty())
        .take(8)
        .collect();
    let allowed: Vec<&Procedure> = config
        .catalogue
        .all()
        .iter()
        .filter(|p| kind.is_none_or(|k| p.may_be_filed_by(k)))
        .collect();
    let total = allowed.len();
    let entries = allowed
        .into_iter()
        .filter(|p| {
            let haystack = format!(
                "{} {} {} {} {}",
                p.code,
                p.title.get(lang),
                p.description.get(lang),
                p.title.fr,
                p.title.nl
            )
            .to_lowercase();
            words.iter().all(|w| haystack.contains(w.as_str()))
        })
        .map(|p| CatalogueEntry {
            code: p.code.clone(),
            theme: p.theme.clone(),
            title: p.title.get(lang).to_string(),
            description: p.description.get(lang).to_string(),
            service: p.service.get(lang).to_string(),
            needs_eid: p.assurance == Assurance::Eid,
        })
        .collect();
    CatalogueView {
        profile: kind,
        entries,
        total,
    }
}
