//! What the organisation pages share.
use crate::domain::OrgKind;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

pub(super) fn kind_from(text: &str) -> OrgKind {
    OrgKind::parse(text).unwrap_or(OrgKind::Entreprise)
}

/// The id in `/organisations/{id}/…`; anything else is no organisation at all.
pub(super) fn organisation_id() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    })
}

#[component]
pub(super) fn NotAllowed() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, organisation.forbidden_title)}</h1>
        <p class="lead">{t!(i18n, organisation.forbidden)}</p>
        <p><a href="/dashboard">{t!(i18n, dashboard.title)}</a></p>
    }
}
