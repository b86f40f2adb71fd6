//! `/organisations/new/…`: the creation wizard, one step per page, and the access request.
use super::helpers::kind_from;
use crate::api::organisations::{
    wizard_draft, OrganisationCreate, OrganisationDetails, OrganisationRequestAccess,
    OrganisationStart,
};
use crate::components::draft_mirror::{clear_wizard_mirror, DraftMirror};
use crate::components::form::{field_errors, message_for, ErrorSummary, TermsCheckbox, TextField};
use crate::components::{LoadError, PageTitle};
use crate::domain::OrgKind;
use crate::i18n::*;
use crate::model::organisations::DraftView;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// "Créer un profil entreprise" / "… association" and the step, above every step.
#[component]
pub(super) fn WizardHeading(kind: OrgKind, step: u8) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="step">{t_string!(i18n, wizard.step, n = step).to_string()}</p>
        <h1>
            {match kind {
                OrgKind::Entreprise => t_string!(i18n, wizard.title_entreprise),
                OrgKind::Association => t_string!(i18n, wizard.title_association),
            }}
        </h1>
    }
}

/// Step 1 `/organisations/new?kind=…`: the BCE number and the conditions.
#[component]
pub fn WizardStartPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<OrganisationStart>::new();
    let errors = Signal::derive(move || field_errors(action.value().get()));
    let query = use_query_map();
    let draft = Resource::new(|| (), |_| wizard_draft());
    view! {
        <PageTitle text=|i18n| t_string!(i18n, wizard.bce) />
        <div class="content">
            <Suspense>
                {move || Suspend::new(async move {
                    let draft = match draft.await {
                        Ok(draft) => draft.unwrap_or_default(),
                        Err(error) => return view! { <LoadError error /> }.into_any(),
                    };
                    let asked = query.read().get("kind");
                    let kind = kind_from(asked.as_deref().unwrap_or(&draft.kind));
                    let bce = if draft.kind == kind.code() { draft.bce.clone() } else { String::new() };
                    let other = match kind {
                        OrgKind::Entreprise => OrgKind::Association,
                        OrgKind::Association => OrgKind::Entreprise,
                    };
                    view! {
                        <WizardHeading kind step=1 />
                        <p class="lead">{t!(i18n, wizard.kind_check)}</p>
                        <p>
                            <a href=format!("/organisations/new?kind={}", other.code())>
                                {match kind {
                                    OrgKind::Entreprise => t_string!(i18n, wizard.switch_kind_entreprise),
                                    OrgKind::Association => t_string!(i18n, wizard.switch_kind_association),
                                }}
                            </a>
                        </p>
                        <ErrorSummary errors />
                        <DraftMirror>
                            <ActionForm action attr:novalidate=true attr:class="form">
                                <input type="hidden" name="kind" value=kind.code() />
                                <TextField
                                    id="bce"
                                    name="bce"
                                    autocomplete="off"
                                    label=Signal::derive(move || t_string!(i18n, wizard.bce))
                                    hint=Signal::derive(move || t_string!(i18n, wizard.bce_hint).to_string())
                                    value=bce
                                    errors
                                />
                                <TermsCheckbox name="terms" errors />
                                <button type="submit" class="button button-primary">{t!(i18n, wizard.next)}</button>
                            </ActionForm>
                        </DraftMirror>
                    }
                    .into_any()
                })}
            </Suspense>
        </div>
    }
}

/// What a step shows when the wizard was not started (an address typed by hand, a draft
/// ended at sign-out).
#[component]
fn NoDraft() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, wizard.no_draft)}</h1>
        <p><a class="button button-primary" href="/organisations/new">{t!(i18n, wizard.start_over)}</a></p>
    }
}

/// Step 2 `/organisations/new/details`: name, type confirmed, VAT.
#[component]
pub fn WizardDetailsPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<OrganisationDetails>::new();
    let errors = Signal::derive(move || field_errors(action.value().get()));
    let draft = Resource::new(|| (), |_| wizard_draft());
    let error_of = move |name: &'static str| move || message_for(i18n, errors, name);
    view! {
        <PageTitle text=|i18n| t_string!(i18n, wizard.details_title) />
        <div class="content">
            <Suspense>
                {move || Suspend::new(async move {
                    let Some(draft) = draft.await.ok().flatten() else {
                        return view! { <NoDraft /> }.into_any();
                    };
                    let DraftView { kind, bce, name, confirmed_kind, vat_subject, .. } = draft;
                    let kind = kind_from(&kind);
                    let confirmed = if confirmed_kind.is_empty() { kind } else { kind_from(&confirmed_kind) };
                    let prefilled = !name.is_empty() && vat_subject.is_empty();
                    view! {
                        <WizardHeading kind step=2 />
                        <p class="lead">{t_string!(i18n, wizard.details_intro, bce = bce.as_str()).to_string()}</p>
                        {prefilled.then(|| view! { <p class="notice notice-info">{t!(i18n, wizard.prefilled)}</p> })}
                        <ErrorSummary errors />
                        <DraftMirror>
                            <ActionForm action attr:novalidate=true attr:class="form">
                                <TextField
                                    id="name"
                                    name="name"
                                    autocomplete="organization"
                                    label=Signal::derive(move || t_string!(i18n, wizard.name))
                                    value=name
                                    errors
                                />
                                <fieldset class="field" id="confirmed_kind" class:field-error=move || error_of("confirmed_kind")().is_some()>
                                    <legend>{t!(i18n, wizard.confirm_kind)}</legend>
                                    {move || error_of("confirmed_kind")().map(|m| view! { <p class="error-message">{m}</p> })}
                                    <div class="radio">
                                        <input type="radio" id="kind-entreprise" name="confirmed_kind" value="entreprise" checked=confirmed == OrgKind::Entreprise />
                                        <label for="kind-entreprise">{t!(i18n, wizard.kind_entreprise)}</label>
                                    </div>
                                    <div class="radio">
                                        <input type="radio" id="kind-association" name="confirmed_kind" value="association" checked=confirmed == OrgKind::Association />
                                        <label for="kind-association">{t!(i18n, wizard.kind_association)}</label>
                                    </div>
                                </fieldset>
                                <fieldset class="field" id="vat_subject" class:field-error=move || error_of("vat_subject")().is_some()>
                                    <legend>{t!(i18n, wizard.vat)}</legend>
                                    {move || error_of("vat_subject")().map(|m| view! { <p class="error-message">{m}</p> })}
                                    <div class="radio">
                                        <input type="radio" id="vat-yes" name="vat_subject" value="yes" checked=vat_subject == "yes" />
                                        <label for="vat-yes">{t!(i18n, wizard.yes)}</label>
                                    </div>
                                    <div class="radio">
                                        <input type="radio" id="vat-no" name="vat_subject" value="no" checked=vat_subject == "no" />
                                        <label for="vat-no">{t!(i18n, wizard.no)}</label>
                                    </div>
                                </fieldset>
                                <div class="button-group">
                                    <button type="submit" class="button button-primary">{t!(i18n, wizard.next)}</button>
                                    <a class="button button-secondary" href=format!("/organisations/new?kind={}", kind.code())>{t!(i18n, wizard.back)}</a>
                                </div>
                            </ActionForm>
                        </DraftMirror>
                    }
                        .into_any()
                })}
            </Suspense>
        </div>
    }
}

/// Step 3 `/organisations/new/function`: the person's function, then "Créer".
#[component]
pub fn WizardFunctionPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<OrganisationCreate>::new();
    let errors = Signal::derive(move || field_errors(action.value().get()));
    let draft = Resource::new(|| (), |_| wizard_draft());
    view! {
        <PageTitle text=|i18n| t_string!(i18n, wizard.function_title) />
        <div class="content">
            <Suspense>
                {move || Suspend::new(async move {
                    let Some(draft) = draft.await.ok().flatten() else {
                        return view! { <NoDraft /> }.into_any();
                    };
                    let kind = kind_from(&draft.kind);
                    let name = draft.name.clone();
                    view! {
                        <WizardHeading kind step=3 />
                        <p class="lead">{t_string!(i18n, wizard.function_intro, name = name.as_str()).to_string()}</p>
                        <ErrorSummary errors />
                        <DraftMirror>
                            <ActionForm action attr:novalidate=true attr:class="form">
                                <FunctionField value=draft.function.clone() errors />
                                <div class="button-group">
                                    <button type="submit" class="button button-primary">{t!(i18n, wizard.create)}</button>
                                    <a class="button button-secondary" href="/organisations/new/details">{t!(i18n, wizard.back)}</a>
                                </div>
                            </ActionForm>
                        </DraftMirror>
                    }
                        .into_any()
                })}
            </Suspense>
        </div>
    }
}

/// The person's function in the entity, with suggestions (steps 3 and the access request).
#[component]
fn FunctionField(value: String, errors: Signal<Vec<(String, String)>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField
            id="function"
            name="function"
            autocomplete="organization-title"
            label=Signal::derive(move || t_string!(i18n, wizard.function))
            hint=Signal::derive(move || t_string!(i18n, wizard.function_hint).to_string())
            value
            list="function-suggestions"
            errors
        />
        <datalist id="function-suggestions">
            {move || {
                t_string!(i18n, organisation.function_suggestions)
                    .split(',')
                    .map(|s| view! { <option value=s.trim().to_string()></option> })
                    .collect_view()
            }}
        </datalist>
    }
}

/// The number someone else registered: ask its administrators for access.
#[component]
pub fn WizardRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<OrganisationRequestAccess>::new();
    let errors = Signal::derive(move || field_errors(action.value().get()));
    let query = use_query_map();
    let draft = Resource::new(|| (), |_| wizard_draft());
    view! {
        <PageTitle text=|i18n| t_string!(i18n, wizard.request_title) />
        <div class="content">
            <Suspense>
                {move || Suspend::new(async move {
                    let sent = query.read().get("sent").is_some();
                    let draft = draft.await.ok().flatten();
                    if sent {
                        clear_wizard_mirror();
                        return view! {
                            <div class="notice notice-success" role="status">
                                <p>{t!(i18n, wizard.request_sent)}</p>
                            </div>
                            <p><a href="/dashboard">{t!(i18n, dashboard.title)}</a></p>
                        }
                            .into_any();
                    }
                    let Some(draft) = draft.filter(|d| d.existing_name.is_some()) else {
                        return view! { <NoDraft /> }.into_any();
                    };
                    let name = draft.existing_name.clone().unwrap_or_default();
                    view! {
                        <h1>{t!(i18n, wizard.request_title)}</h1>
                        <p class="lead">
                            {t_string!(i18n, wizard.request_intro, bce = draft.bce.as_str(), name = name.as_str()).to_string()}
                        </p>
                        {
                            let report = format!("/organisations/report?bce={}", draft.bce);
                            view! { <p><a href=report>{t!(i18n, dispute.link)}</a></p> }
                        }
                        {if draft.pending {
                            view! {
                                <div class="notice notice-warning" role="status">
                                    <p>{t!(i18n, wizard.request_pending)}</p>
                                </div>
                            }
                                .into_any()
                        } else {
                            view! {
                                <ErrorSummary errors />
                                <DraftMirror>
                                    <ActionForm action attr:novalidate=true attr:class="form">
                                        <FunctionField value=draft.function.clone() errors />
                                        <button type="submit" class="button button-primary">{t!(i18n, wizard.request_submit)}</button>
                                    </ActionForm>
                                </DraftMirror>
                            }
                                .into_any()
                        }}
                    }
                        .into_any()
                })}
            </Suspense>
        </div>
    }
}
