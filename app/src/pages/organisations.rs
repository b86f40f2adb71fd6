//! Organisation profiles: the list behind each banner icon, the four steps of the creation
//! wizard, the access request, and the representatives page.
use crate::components::draft_mirror::{clear_wizard_mirror, DraftMirror};
use crate::components::form::{
    field_errors, message_for, ErrorSummary, LanguageSelect, TermsCheckbox, TextField,
};
use crate::components::PageTitle;
use crate::domain::{Lang, OrgKind, Role};
use crate::error::AppError;
use crate::i18n::*;
use crate::organisations::{
    my_organisations, organisation_contact, organisation_members, wizard_draft, DraftView,
    OrganisationCreate, OrganisationDetails, OrganisationMemberAction, OrganisationRequestAccess,
    OrganisationSaveContact, OrganisationStart,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn kind_from(text: &str) -> OrgKind {
    OrgKind::parse(text).unwrap_or(OrgKind::Entreprise)
}

/// The id in `/organisations/{id}/…`; anything else is no organisation at all.
fn organisation_id() -> Memo<i64> {
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
fn NotAllowed() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, organisation.forbidden_title)}</h1>
        <p class="lead">{t!(i18n, organisation.forbidden)}</p>
        <p><a href="/dashboard">{t!(i18n, dashboard.title)}</a></p>
    }
}

/// `/profiles/{kind}`: what the banner's icon lists, as a page (without JavaScript the icon
/// leads here).
#[component]
pub fn ProfilesPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let kind = Memo::new(move |_| kind_from(&params.read().get("kind").unwrap_or_default()));
    let profiles = Resource::new(|| (), |_| my_organisations());
    view! {
        <PageTitle text=|i18n| t_string!(i18n, banner.profiles_label) />
        <div class="content">
            <h1>
                {move || match kind.get() {
                    OrgKind::Association => t_string!(i18n, banner.profiles_title_association),
                    OrgKind::Entreprise => t_string!(i18n, banner.profiles_title_entreprise),
                }}
            </h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let kind = kind.get();
                    let list: Vec<_> = profiles
                        .await
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|org| org.kind == kind)
                        .collect();
                    view! {
                        {list.is_empty().then(|| view! {
                            <p>
                                {match kind {
                                    OrgKind::Association => t_string!(i18n, banner.none_association),
                                    OrgKind::Entreprise => t_string!(i18n, banner.none_entreprise),
                                }}
                            </p>
                        })}
                        <ul class="card-list">
                            {list
                                .into_iter()
                                .map(|org| view! {
                                    <li class="card">
                                        <p class="card-title">{org.name}</p>
                                        <p>{t!(i18n, wizard.bce)} " " {org.bce}</p>
                                        // A whole-page post: every page then acts for this profile.
                                        <form method="post" action="/api/switch_profile">
                                            <input type="hidden" name="organisation" value=org.id.to_string() />
                                            <button type="submit" class="button button-primary">
                                                {t!(i18n, banner.choose)}
                                            </button>
                                        </form>
                                    </li>
                                })
                                .collect_view()}
                        </ul>
                        <p>
                            <a class="button button-secondary" href=format!("/organisations/new?kind={}", kind.code())>
                                {match kind {
                                    OrgKind::Association => t_string!(i18n, banner.create_association),
                                    OrgKind::Entreprise => t_string!(i18n, banner.create_entreprise),
                                }}
                            </a>
                        </p>
                    }
                })}
            </Suspense>
        </div>
    }
}

/// "Créer un profil entreprise" / "… association" and the step, above every step.
#[component]
fn WizardHeading(kind: OrgKind, step: u8) -> impl IntoView {
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
                    let draft = draft.await.ok().flatten().unwrap_or_default();
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

/// The links of an organisation's own pages.
#[component]
fn OrganisationNav(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    let current =
        move |suffix: &'static str| location.pathname.get().ends_with(suffix).then_some("page");
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, organisation.nav_label)>
            <a href=format!("/organisations/{id}/contact") aria-current=move || current("/contact")>{t!(i18n, members.contact_nav)}</a>
            <a href=format!("/organisations/{id}/members") aria-current=move || current("/members")>{t!(i18n, members.nav)}</a>
        </nav>
    }
}

/// Step 4 `/organisations/{id}/contact` (and later edits): the member's contact details.
#[component]
pub fn OrganisationContactPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = organisation_id();
    let action = ServerAction::<OrganisationSaveContact>::new();
    let errors = Signal::derive(move || field_errors(action.value().get()));
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                id.get(),
                query.read().get("saved"),
                query.read().get("created"),
            )
        },
        |(id, _, _)| organisation_contact(id),
    );
    view! {
        <PageTitle text=|i18n| t_string!(i18n, members.contact_nav) />
        <div class="content">
            <Suspense>
                {move || Suspend::new(async move {
                    let created = query.read().get("created").is_some();
                    let saved = query.read().get("saved").is_some();
                    let is_new = query.read().get("new").is_some();
                    if is_new || created {
                        clear_wizard_mirror();
                    }
                    let data = match data.await {
                        Ok(data) => data,
                        Err(_) => return view! { <NotAllowed /> }.into_any(),
                    };
                    let current = Lang::parse(&data.form.language).unwrap_or_default();
                    let org = data.organisation.clone();
                    let title = t_string!(i18n, wizard.contact_title, name = org.name.as_str()).to_string();
                    view! {
                        {created.then(|| view! {
                            <div class="notice notice-success" role="status"><p>{t!(i18n, wizard.created)}</p></div>
                        })}
                        {saved.then(|| view! {
                            <div class="notice notice-success" role="status"><p>{t!(i18n, wizard.contact_saved)}</p></div>
                        })}
                        {(is_new && !created).then(|| view! { <WizardHeading kind=org.kind step=4 /> })}
                        <h1 class:h1-secondary=is_new && !created>{title}</h1>
                        <p>{org.bce.clone()}</p>
                        <OrganisationNav id=org.id />
                        <p class="lead">{t_string!(i18n, wizard.function_recall, function = data.function.as_str()).to_string()}</p>
                        <ErrorSummary errors />
                        <ActionForm action attr:novalidate=true attr:class="form">
                            <input type="hidden" name="id" value=org.id.to_string() />
                            <LanguageSelect
                                name="form[language]"
                                label=Signal::derive(move || t_string!(i18n, wizard.language))
                                current
                            />
                            <TextField id="landline" name="form[landline]" kind="tel" autocomplete="tel-national"
                                label=Signal::derive(move || t_string!(i18n, account.landline))
                                hint=Signal::derive(move || t_string!(i18n, account.landline_hint).to_string())
                                value=data.form.landline.clone() errors />
                            <TextField id="mobile" name="form[mobile]" kind="tel" autocomplete="tel-national"
                                label=Signal::derive(move || t_string!(i18n, account.mobile))
                                hint=Signal::derive(move || t_string!(i18n, account.mobile_hint).to_string())
                                value=data.form.mobile.clone() errors />
                            <TextField id="email" name="form[email]" kind="email" autocomplete="email"
                                label=Signal::derive(move || t_string!(i18n, wizard.email))
                                hint=Signal::derive(move || t_string!(i18n, wizard.email_hint).to_string())
                                value=data.form.email.clone() errors />
                            <div class="field field-checkbox">
                                <input type="checkbox" id="notify_email" name="form[notify_email]" value="on" checked=data.form.notify_email.is_some() />
                                <label for="notify_email">{t!(i18n, wizard.notify)}</label>
                            </div>
                            <button type="submit" class="button button-save">{t!(i18n, wizard.save)}</button>
                        </ActionForm>
                    }
                        .into_any()
                })}
            </Suspense>
        </div>
    }
}

fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Admin => t_string!(i18n, members.role_admin),
        Role::Member => t_string!(i18n, members.role_member),
    }
}

fn event_label(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> &'static str {
    match kind {
        "created" => t_string!(i18n, members.ev_created),
        "requested" => t_string!(i18n, members.ev_requested),
        "accepted" => t_string!(i18n, members.ev_accepted),
        "refused" => t_string!(i18n, members.ev_refused),
        "made_admin" => t_string!(i18n, members.ev_made_admin),
        "made_member" => t_string!(i18n, members.ev_made_member),
        "revoked" => t_string!(i18n, members.ev_revoked),
        "left" => t_string!(i18n, members.ev_left),
        _ => t_string!(i18n, event.other),
    }
}

/// A button that posts one action about one membership.
#[component]
fn MemberButton(
    action: ServerAction<OrganisationMemberAction>,
    id: i64,
    membership: i64,
    what: &'static str,
    label: &'static str,
    #[prop(default = "button-secondary")] class: &'static str,
) -> impl IntoView {
    view! {
        <ActionForm action attr:class="inline-form">
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="membership" value=membership.to_string() />
            <input type="hidden" name="action" value=what />
            <button type="submit" class=format!("button button-small {class}")>{label}</button>
        </ActionForm>
    }
}

/// `/organisations/{id}/members`: representatives, access requests, roles, history.
#[component]
pub fn OrganisationMembersPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = organisation_id();
    let action = ServerAction::<OrganisationMemberAction>::new();
    let errors = Signal::derive(move || field_errors(action.value().get()));
    let query = use_query_map();
    let data = Resource::new(
        move || (id.get(), query.read().get("done"), action.version().get()),
        |(id, _, _)| organisation_members(id),
    );
    view! {
        <PageTitle text=|i18n| t_string!(i18n, members.nav) />
        <div class="content content-wide">
            <Suspense>
                {move || Suspend::new(async move {
                    let done = query.read().get("done");
                    let data = match data.await {
                        Ok(data) => data,
                        Err(AppError::Forbidden | AppError::NotSignedIn) | Err(_) => {
                            return view! { <NotAllowed /> }.into_any();
                        }
                    };
                    let admin = data.my_role == Role::Admin;
                    // The last administrator is offered neither to step down nor to leave.
                    let admins = data.members.iter().filter(|m| m.role == Role::Admin).count();
                    let org = data.organisation.clone();
                    let org_id = org.id;
                    let done_message = done.as_deref().map(|done| match done {
                        "accepted" => t_string!(i18n, members.done_accepted),
                        "refused" => t_string!(i18n, members.done_refused),
                        "revoked" => t_string!(i18n, members.done_revoked),
                        _ => t_string!(i18n, members.done_made_admin),
                    });
                    view! {
                        {done_message.map(|m| view! { <div class="notice notice-success" role="status"><p>{m}</p></div> })}
                        <h1>{t_string!(i18n, members.title, name = org.name.as_str()).to_string()}</h1>
                        <p>{org.bce.clone()}</p>
                        <OrganisationNav id=org_id />
                        <ErrorSummary errors />

                        {admin.then(|| {
                            let pending = data.pending.clone();
                            view! {
                                <section aria-labelledby="pending-title">
                                    <h2 id="pending-title">{t!(i18n, members.pending_title)}</h2>
                                    {pending.is_empty().then(|| view! { <p>{t!(i18n, members.no_pending)}</p> })}
                                    <ul class="card-list">
                                        {pending.into_iter().map(|m| view! {
                                            <li class="card">
                                                <p class="card-title">{m.name.clone()}</p>
                                                <dl class="facts">
                                                    <dt>{t!(i18n, members.function)}</dt><dd>{m.function.clone()}</dd>
                                                    <dt>{t!(i18n, wizard.email)}</dt><dd>{m.email.clone()}</dd>
                                                    <dt>{t!(i18n, members.asked)}</dt><dd>{m.since.clone()}</dd>
                                                </dl>
                                                <div class="button-group">
                                                    <MemberButton action id=org_id membership=m.membership_id what="accept" label=t_string!(i18n, members.accept) class="button-save" />
                                                    <MemberButton action id=org_id membership=m.membership_id what="refuse" label=t_string!(i18n, members.refuse) />
                                                </div>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            }
                        })}

                        <section aria-labelledby="members-title">
                            <h2 id="members-title">{t!(i18n, members.members_title)}</h2>
                            <div class="table-scroll">
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, members.name)}</th>
                                            <th scope="col">{t!(i18n, members.function)}</th>
                                            <th scope="col">{t!(i18n, members.role)}</th>
                                            <th scope="col">{t!(i18n, members.since)}</th>
                                            <th scope="col">{t!(i18n, members.actions)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {data.members.clone().into_iter().map(|m| {
                                            let membership = m.membership_id;
                                            view! {
                                                <tr>
                                                    <td>{m.name.clone()} {m.is_me.then(|| view! { " " {t!(i18n, members.you)} })}</td>
                                                    <td>{m.function.clone()}</td>
                                                    <td>{role_label(i18n, m.role)}</td>
                                                    <td>{m.since.clone()}</td>
                                                    <td class="actions">
                                                        {(admin && m.role == Role::Member).then(|| view! {
                                                            <MemberButton action id=org_id membership what="make_admin" label=t_string!(i18n, members.make_admin) />
                                                        })}
                                                        {(admin && m.role == Role::Admin && admins > 1).then(|| view! {
                                                            <MemberButton action id=org_id membership what="make_member" label=t_string!(i18n, members.make_member) />
                                                        })}
                                                        {(admin && !m.is_me).then(|| view! {
                                                            <MemberButton action id=org_id membership what="revoke" label=t_string!(i18n, members.revoke) />
                                                        })}
                                                        {(m.is_me && !(m.role == Role::Admin && admins == 1)).then(|| view! {
                                                            <MemberButton action id=org_id membership what="leave" label=t_string!(i18n, members.leave) />
                                                        })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>

                        <section aria-labelledby="history-title">
                            <h2 id="history-title">{t!(i18n, members.history_title)}</h2>
                            <ul class="history">
                                {data.events.clone().into_iter().map(|e| {
                                    let by_other = !e.actor.is_empty() && e.actor != e.subject;
                                    view! {
                                        <li>
                                            <span class="history-when">{e.when}</span> " "
                                            {e.subject} " " {event_label(i18n, &e.kind)}
                                            {e.detail.map(|d| view! { " (" {d} ")" })}
                                            {by_other.then(|| view! { " " {t!(i18n, members.by)} " " {e.actor}})}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                        .into_any()
                })}
            </Suspense>
        </div>
    }
}
