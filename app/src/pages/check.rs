//! `/procedures/{code}/check`: "Vérifiez votre demande", between the form and the filing.
//! Every answer and document of the draft, each with a link back to its place in the form,
//! then "Envoyer la demande", which files the draft as kept.
use super::procedures::ProcedureNotFound;
use crate::api::requests::filing;
use crate::components::PageTitle;
use crate::i18n::*;
use crate::language::lang_of;
use crate::model::requests::{EidState, FilingView};
use crate::procedures::display_value;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CheckPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(code, filing);
    view! {
        <PageTitle text=|i18n| t_string!(i18n, check.title) />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) if view.draft => view! { <CheckAnswers view /> }.into_any(),
                    Ok(view) => view! {
                        <div class="content">
                            <h1>{t!(i18n, check.title)}</h1>
                            <p>{t!(i18n, check.no_draft)}</p>
                            <p><a href=format!("/procedures/{}", view.procedure.code)>{t!(i18n, check.back)}</a></p>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ProcedureNotFound error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The summary: one line per question and per document, each with "Modifier".
#[component]
fn CheckAnswers(view: FilingView) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || lang_of(i18n.get_locale());
    let procedure = view.procedure.clone();
    let code = procedure.code.clone();
    let form = format!("/procedures/{code}");
    let can_send = view.allowed
        && view.eid != EidState::Unavailable
        && view.email_verified
        && view.verify_at.is_none();
    let change = {
        let form = form.clone();
        move |anchor: &str, label: String| {
            view! {
                <a href=format!("{form}#{anchor}")>
                    {t!(i18n, check.change)}
                    <span class="visually-hidden">{format!(" {label}")}</span>
                </a>
            }
        }
    };
    let answers = procedure
        .fields
        .iter()
        .map(|field| {
            let label = field.label.clone();
            let value = {
                let field = field.clone();
                let data = view.data.clone();
                move || {
                    let shown = display_value(&field, &data, lang());
                    if shown.trim().is_empty() {
                        t_string!(i18n, check.not_given).to_string()
                    } else {
                        shown
                    }
                }
            };
            let link = change(
                &field.name,
                field
                    .label
                    .get(lang_of(i18n.get_locale_untracked()))
                    .to_string(),
            );
            view! {
                <div class="summary-row">
                    <dt>{move || label.get(lang()).to_string()}</dt>
                    <dd class="summary-value">{value}</dd>
                    <dd class="summary-action">{link}</dd>
                </div>
            }
        })
        .collect_view();
    let documents = procedure
        .attachments
        .iter()
        .map(|slot| {
            let label = slot.label.clone();
            let file = view.attachments.iter().find(|a| a.slot == slot.name).cloned();
            let link = change(
                &slot.name,
                slot.label.get(lang_of(i18n.get_locale_untracked())).to_string(),
            );
            view! {
                <div class="summary-row">
                    <dt>{move || label.get(lang()).to_string()}</dt>
                    <dd class="summary-value">{match file {
                        Some(file) => format!(
                            "{} ({})",
                            file.file_name,
                            crate::components::format::size_text(file.size, lang_of(i18n.get_locale_untracked()))
                        ),
                        None => t_string!(i18n, check.no_file).to_string(),
                    }}</dd>
                    <dd class="summary-action">{link}</dd>
                </div>
            }
        })
        .collect_view();
    let title = procedure.title.clone();
    view! {
        <div class="content">
            <p><a href=form.clone()>{t!(i18n, check.back)}</a></p>
            <p class="caption">{move || title.get(lang()).to_string()}</p>
            <h1>{t!(i18n, check.title)}</h1>
            <p class="lead">{t!(i18n, check.lead)}</p>
            <h2>{t!(i18n, check.answers)}</h2>
            <dl class="summary-list">{answers}</dl>
            {(!procedure.attachments.is_empty()).then(|| view! {
                <h2>{t!(i18n, check.documents)}</h2>
                <dl class="summary-list">{documents}</dl>
            })}
            <h2>{t!(i18n, check.send_title)}</h2>
            <p>{t!(i18n, check.declaration)}</p>
            {(!view.allowed).then(|| view! {
                <div class="notice notice-warning" role="status"><p>{t!(i18n, procedures.not_for_profile)}</p></div>
            })}
            {(!view.email_verified).then(|| view! {
                <div class="notice notice-warning" role="status"><p>{t!(i18n, procedures.unverified)}</p></div>
            })}
            {view.verify_at.filter(|_| view.allowed).map(|organisation| view! {
                <div class="notice notice-warning">
                    <p>{t!(i18n, procedures.verified_needed)}</p>
                    <p><a href=format!("/organisations/{organisation}/verification")>{t!(i18n, procedures.verified_link)}</a></p>
                </div>
            })}
            {match view.eid {
                EidState::Unavailable => Some(view! {
                    <div class="notice notice-warning" role="status"><p>{t!(i18n, procedures.eid_unavailable)}</p></div>
                }.into_any()),
                EidState::Needed => Some(view! {
                    <div class="notice notice-info"><p>{t!(i18n, check.eid_needed)}</p></div>
                }.into_any()),
                EidState::Done => Some(view! {
                    <div class="notice notice-success" role="status"><p>{t!(i18n, procedures.eid_done)}</p></div>
                }.into_any()),
                EidState::NotNeeded => None,
            }}
            <form method="post" action=format!("/procedures/{code}/file") enctype="multipart/form-data" class="form">
                <input type="hidden" name="token" value=view.token.clone() />
                <div class="button-group">
                    <button type="submit" name="intent" value="confirm" class="button button-primary" disabled=!can_send>
                        {t!(i18n, procedures.submit)}
                    </button>
                </div>
            </form>
        </div>
    }
}
