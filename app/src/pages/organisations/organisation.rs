//! `/organisations/{id}/…`: a member's contact details and the representatives page.
use super::helpers::{organisation_id, NotAllowed};
use super::wizard::WizardHeading;
use crate::api::organisations::{
    organisation_contact, organisation_members, OrganisationMemberAction, OrganisationSaveContact,
};
use crate::components::draft_mirror::clear_wizard_mirror;
use crate::components::form::{
    field_errors, typed_checkbox, ErrorSummary, LanguageSelect, TextField,
};
use crate::components::{answer_with, PageTitle};
use crate::domain::{Lang, Role};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The links of an organisation's own pages.
#[component]
pub(super) fn OrganisationNav(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    let current =
        move |suffix: &'static str| location.pathname.get().ends_with(suffix).then_some("page");
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, organisation.nav_label)>
            <a href=format!("/organisations/{id}/contact") aria-current=move || current("/contact")>{t!(i18n, members.contact_nav)}</a>
            <a href=format!("/organisations/{id}/members") aria-current=move || current("/members")>{t!(i18n, members.nav)}</a>
            <a href=format!("/organisations/{id}/verification") aria-current=move || current("/verification")>{t!(i18n, verification.nav)}</a>
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
                        Err(error) => {
                            answer_with(&error);
                            return view! { <NotAllowed /> }.into_any();
                        }
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
                                <input type="checkbox" id="notify_email" name="form[notify_email]" value="on" checked=typed_checkbox("form[notify_email]").unwrap_or(data.form.notify_email.is_some()) />
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
        "proof_sent" => t_string!(i18n, members.ev_proof_sent),
        "proof_refused" => t_string!(i18n, members.ev_proof_refused),
        "verified" => t_string!(i18n, members.ev_verified),
        "code_requested" => t_string!(i18n, members.ev_code_requested),
        "verified_by_post" => t_string!(i18n, members.ev_verified_by_post),
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
                        Err(error) => {
                            answer_with(&error);
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
                            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="members-title">
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, members.name)}</th>
                                            <th scope="col">{t!(i18n, members.function)}</th>
                                            <th scope="col">{t!(i18n, members.role)}</th>
                                            <th scope="col">{t!(i18n, members.representative)}</th>
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
                                                    <td>{if m.verified { t_string!(i18n, members.verified) } else { t_string!(i18n, members.declared) }}</td>
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
