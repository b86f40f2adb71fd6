//! `/identification?problem=…&back=…`: why an identification by eID was refused, and the way
//! back to where the person was.
use crate::components::PageTitle;
use crate::domain::safe_return_to;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn IdentificationPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let message = move || {
        let problem = query.read().get("problem").unwrap_or_default();
        match problem.as_str() {
            "unavailable" => t_string!(i18n, eid.unavailable),
            "provider" => t_string!(i18n, eid.provider),
            "denied" => t_string!(i18n, eid.denied),
            "invalid" => t_string!(i18n, eid.invalid),
            "level" => t_string!(i18n, eid.level),
            "number" => t_string!(i18n, eid.number),
            "mismatch" => t_string!(i18n, eid.mismatch),
            "taken" => t_string!(i18n, eid.taken),
            _ => t_string!(i18n, eid.state),
        }
    };
    let back = move || safe_return_to(&query.read().get("back").unwrap_or_default());
    view! {
        <PageTitle text=|i18n| t_string!(i18n, eid.title) />
        <div class="content">
            <h1>{t!(i18n, eid.title)}</h1>
            <div class="notice notice-error" role="alert">
                <p>{message}</p>
            </div>
            <p><a class="button button-primary" href=back>{t!(i18n, eid.back)}</a></p>
        </div>
    }
}
