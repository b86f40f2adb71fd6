//! "Mon compte": the left menu, "Mes informations", "Sécurité", "Mes organisations" and
//! "Mes données" ("Préférences" is in `preferences.rs`).
use crate::api::account::{
    get_profile, get_security, my_data, ChangeEmail, ChangePassword, DeleteAccount, EndSession,
    SaveProfile,
};
use crate::components::form::{field_errors, message_for, ErrorSummary, LanguageSelect, TextField};
use crate::components::{LoadError, PageTitle};
use crate::domain::Lang;
use crate::domain::SecurityEvent;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// The menu at the left of every "mon compte" page (above the content on a phone). With
/// `save_form`, the green save button of that form sits under the menu, as the FAQ says;
/// on a phone, where the menu comes first, it sits after the fields instead.
#[component]
pub(super) fn AccountLayout(
    children: Children,
    #[prop(optional)] save_form: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let current = move |path: &'static str| {
        let here = location.pathname.get();
        (here == path || (path == "/account/profile" && here == "/account")).then_some("page")
    };
    view! {
        <div class="account-layout">
            <nav class="account-nav" aria-label=move || t_string!(i18n, account.menu_label)>
                <p class="account-nav-title">{t!(i18n, account.title)}</p>
                <ul>
                    <li>
                        <a href="/account/profile" aria-current=move || current("/account/profile")>
                            {t!(i18n, account.nav_profile)}
                        </a>
                    </li>
                    <li>
                        <a href="/account/security" aria-current=move || current("/account/security")>
                            {t!(i18n, account.nav_security)}
                        </a>
                    </li>
                    <li>
                        <a href="/account/preferences" aria-current=move || current("/account/preferences")>
                            {t!(i18n, account.nav_preferences)}
                        </a>
                    </li>
                    <li>
                        <a href="/account/organisations" aria-current=move || current("/account/organisations")>
                            {t!(i18n, account.nav_organisations)}
                        </a>
                    </li>
                    <li>
                        <a href="/account/data" aria-current=move || current("/account/data")>
                            {t!(i18n, account.nav_data)}
                        </a>
                    </li>
                </ul>
                {save_form.map(|form| view! {
                    <button type="submit" form=form class="button button-save account-save">
                        {t!(i18n, account.save)}
                    </button>
                })}
            </nav>
            <div class="account-content">
                {children()}
                {save_form.map(|form| view! {
                    <div class="account-save-end">
                        <button type="submit" form=form class="button button-save">{t!(i18n, account.save)}</button>
                    </div>
                })}
            </div>
        </div>
    }
}

/// A success notice named by the `?changed=`/`?saved=` of the address a form sent to.
#[component]
pub(super) fn SavedNotice(
    key: &'static str,
    expected: &'static str,
    message: fn(leptos_i18n::I18nContext<Locale>) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    move || {
        (query.read().get(key).as_deref() == Some(expected)).then(|| {
            view! {
                <div class="notice notice-success" role="status">
                    <p>{message(i18n)}</p>
                </div>
            }
        })
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveProfile>::new();
    let errors = Signal::derive(move || field_errors(action.value().get()));
    let query = use_query_map();
    let profile = Resource::new(move || query.read().get("saved"), |_| get_profile());
    view! {
        <PageTitle text=|i18n| t_string!(i18n, account.profile_title) />
        <AccountLayout>
            <SavedNotice key="saved" expected="1" message=|i18n| t_string!(i18n, account.profile_saved) />
            <h1>{t!(i18n, account.profile_title)}</h1>
            <p class="lead">{t!(i18n, account.profile_intro)}</p>
            <ErrorSummary errors />
            <Suspense>
                {move || Suspend::new(async move {
                    let data = match profile.await {
                        Ok(data) => data,
                        Err(error) => return view! { <LoadError error /> }.into_any(),
                    };
                    let form = data.form;
                    let current = Lang::parse(&form.language).unwrap_or_default();
                    let account_email = data.account_email;
                    let verified = data.verified;
                    let locked = verified.is_some();
                    view! {
                        <ActionForm action attr:novalidate=true attr:class="form">
                            <fieldset>
                                <legend>{t!(i18n, account.identity)}</legend>
                                {verified.map(|v| view! {
                                    <p class="notice notice-info" id="names-verified">
                                        {t!(i18n, account.verified_names, since = v.since.clone(), number = v.nrn_hint.clone())}
                                    </p>
                                })}
                                <TextField id="first_name" name="form[first_name]" autocomplete="given-name"
                                    label=Signal::derive(move || t_string!(i18n, register.first_name))
                                    value=form.first_name readonly=locked errors />
                                <TextField id="last_name" name="form[last_name]" autocomplete="family-name"
                                    label=Signal::derive(move || t_string!(i18n, register.last_name))
                                    value=form.last_name readonly=locked errors />
                                <LanguageSelect
                                    name="form[language]"
                                    label=Signal::derive(move || t_string!(i18n, register.language))
                                    current
                                />
                            </fieldset>
                            <fieldset>
                                <legend>{t!(i18n, account.contact)}</legend>
                                <TextField id="landline" name="form[landline]" kind="tel" autocomplete="tel-national"
                                    label=Signal::derive(move || t_string!(i18n, account.landline))
                                    hint=Signal::derive(move || t_string!(i18n, account.landline_hint).to_string())
                                    value=form.landline errors />
                                <TextField id="mobile" name="form[mobile]" kind="tel" autocomplete="tel-national"
                                    label=Signal::derive(move || t_string!(i18n, account.mobile))
                                    hint=Signal::derive(move || t_string!(i18n, account.mobile_hint).to_string())
                                    value=form.mobile errors />
                                <TextField id="contact_email" name="form[contact_email]" kind="email" autocomplete="email"
                                    label=Signal::derive(move || t_string!(i18n, account.contact_email))
                                    hint=Signal::derive(move || t_string!(i18n, account.contact_email_hint, email = account_email.as_str()).to_string())
                                    value=form.contact_email errors />
                            </fieldset>
                            <fieldset>
                                <legend>{t!(i18n, account.address)}</legend>
                                <TextField id="street" name="form[street]" autocomplete="address-line1"
                                    label=Signal::derive(move || t_string!(i18n, account.street))
                                    value=form.street errors />
                                <div class="field-row">
                                    <TextField id="house_number" name="form[house_number]"
                                        label=Signal::derive(move || t_string!(i18n, account.house_number))
                                        value=form.house_number errors />
                                    <TextField id="box_number" name="form[box_number]"
                                        label=Signal::derive(move || t_string!(i18n, account.box_number))
                                        value=form.box_number errors />
                                </div>
                                <div class="field-row">
                                    <TextField id="postal_code" name="form[postal_code]" autocomplete="postal-code"
                                        label=Signal::derive(move || t_string!(i18n, account.postal_code))
                                        value=form.postal_code errors />
                                    <TextField id="city" name="form[city]" autocomplete="address-level2"
                                        label=Signal::derive(move || t_string!(i18n, account.city))
                                        value=form.city errors />
                                </div>
                            </fieldset>
                            <button type="submit" class="button button-save">{t!(i18n, account.save)}</button>
                        </ActionForm>
                    }
                    .into_any()
                })}
            </Suspense>
        </AccountLayout>
    }
}

#[component]
pub fn SecurityPage() -> impl IntoView {
    let i18n = use_i18n();
    let password = ServerAction::<ChangePassword>::new();
    let email = ServerAction::<ChangeEmail>::new();
    let end = ServerAction::<EndSession>::new();
    let password_errors = Signal::derive(move || field_errors(password.value().get()));
    let email_errors = Signal::derive(move || field_errors(email.value().get()));
    let query = use_query_map();
    let data = Resource::new(
        move || (query.read().get("changed"), end.version().get()),
        |_| get_security(),
    );
    let too_many = move || {
        [password.value().get(), email.value().get()]
            .into_iter()
            .find_map(|value| match value {
                Some(Err(crate::error::AppError::TooManyAttempts { minutes })) => Some(minutes),
                _ => None,
            })
    };
    view! {
        <PageTitle text=|i18n| t_string!(i18n, account.security_title) />
        <AccountLayout>
            <SavedNotice key="changed" expected="password" message=|i18n| t_string!(i18n, account.password_changed) />
            <SavedNotice key="changed" expected="email" message=|i18n| t_string!(i18n, account.email_sent) />
            <SavedNotice key="changed" expected="session" message=|i18n| t_string!(i18n, account.session_ended) />
            {move || too_many().map(|minutes| view! {
                <div class="error-summary" role="alert" tabindex="-1" autofocus=true>
                    <h2>{t!(i18n, login.too_many_title)}</h2>
                    <p>{t!(i18n, login.too_many, minutes = minutes)}</p>
                </div>
            })}
            <h1>{t!(i18n, account.security_title)}</h1>

            <section aria-labelledby="password-title">
                <h2 id="password-title">{t!(i18n, account.password_title)}</h2>
                <ErrorSummary errors=password_errors />
                <ActionForm action=password attr:novalidate=true attr:class="form">
                    <TextField id="current_password" name="current_password" kind="password" autocomplete="current-password"
                        label=Signal::derive(move || t_string!(i18n, account.current_password)) errors=password_errors />
                    <TextField id="password" name="password" kind="password" autocomplete="new-password"
                        label=Signal::derive(move || t_string!(i18n, account.new_password))
                        hint=Signal::derive(move || t_string!(i18n, register.password_hint).to_string())
                        errors=password_errors />
                    <TextField id="password_confirm" name="password_confirm" kind="password" autocomplete="new-password"
                        label=Signal::derive(move || t_string!(i18n, account.confirm_password)) errors=password_errors />
                    <button type="submit" class="button button-save">{t!(i18n, account.password_submit)}</button>
                </ActionForm>
            </section>

            <Suspense>
                {move || Suspend::new(async move {
                    let Ok(data) = data.await else {
                        return view! { <p>{t!(i18n, error.internal)}</p> }.into_any();
                    };
                    let current_email = data.email.clone();
                    view! {
                        <section aria-labelledby="email-title">
                            <h2 id="email-title">{t!(i18n, account.email_title)}</h2>
                            <p>{move || t_string!(i18n, account.email_current, email = current_email.as_str()).to_string()}</p>
                            <p>{t!(i18n, account.email_intro)}</p>
                            <ErrorSummary errors=email_errors />
                            <ActionForm action=email attr:novalidate=true attr:class="form">
                                <TextField id="new_email" name="new_email" kind="email" autocomplete="email"
                                    label=Signal::derive(move || t_string!(i18n, account.new_email)) errors=email_errors />
                                <TextField id="email_password" name="email_password" kind="password" autocomplete="current-password"
                                    label=Signal::derive(move || t_string!(i18n, account.email_password)) errors=email_errors />
                                <button type="submit" class="button button-primary">{t!(i18n, account.email_submit)}</button>
                            </ActionForm>
                        </section>

                        <section aria-labelledby="sessions-title">
                            <h2 id="sessions-title">{t!(i18n, account.sessions_title)}</h2>
                            <p>{t!(i18n, account.sessions_intro)}</p>
                            <ul class="card-list">
                                {data.sessions.into_iter().map(|session| {
                                    let device = session.device.clone();
                                    view! {
                                        <li class="card">
                                            <p class="card-title">
                                                {device.unwrap_or_else(|| t_string!(i18n, account.unknown_device).to_string())}
                                                {session.current.then(|| view! { " " <strong class="tag">{t!(i18n, account.this_session)}</strong> })}
                                            </p>
                                            <dl class="facts">
                                                <dt>{t!(i18n, account.last_seen)}</dt><dd>{session.last_seen.clone()}</dd>
                                                <dt>{t!(i18n, account.started)}</dt><dd>{session.started.clone()}</dd>
                                                <dt>{t!(i18n, account.ip)}</dt><dd>{session.ip.clone().unwrap_or_default()}</dd>
                                            </dl>
                                            {(!session.current).then(|| view! {
                                                <ActionForm action=end>
                                                    <input type="hidden" name="id" value=session.id.clone() />
                                                    <button type="submit" class="button button-secondary">{t!(i18n, account.end_session)}</button>
                                                </ActionForm>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>

                        <section aria-labelledby="events-title">
                            <h2 id="events-title">{t!(i18n, account.events_title)}</h2>
                            <p>{t!(i18n, account.events_intro)}</p>
                            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="events-title">
                                <table class="table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, account.when)}</th>
                                            <th scope="col">{t!(i18n, account.event)}</th>
                                            <th scope="col">{t!(i18n, account.device)}</th>
                                            <th scope="col">{t!(i18n, account.ip)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {data.events.into_iter().map(|event| view! {
                                            <tr>
                                                <td>{event.when}</td>
                                                <td>{event_label(i18n, event.kind)}</td>
                                                <td>{event.device.unwrap_or_default()}</td>
                                                <td>{event.ip.unwrap_or_default()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                    }
                        .into_any()
                })}
            </Suspense>
        </AccountLayout>
    }
}

/// The name of a security event; a kind this version does not know reads "other". An
/// account's deletion is never shown (the account is gone with its history).
fn event_label(
    i18n: leptos_i18n::I18nContext<Locale>,
    kind: Option<SecurityEvent>,
) -> &'static str {
    match kind {
        Some(SecurityEvent::AccountCreated) => t_string!(i18n, event.account_created),
        Some(SecurityEvent::RegistrationAttempt) => t_string!(i18n, event.registration_attempt),
        Some(SecurityEvent::EmailVerified) => t_string!(i18n, event.email_verified),
        Some(SecurityEvent::Login) => t_string!(i18n, event.login),
        Some(SecurityEvent::LoginFailed) => t_string!(i18n, event.login_failed),
        Some(SecurityEvent::Logout) => t_string!(i18n, event.logout),
        Some(SecurityEvent::PasswordResetRequested) => {
            t_string!(i18n, event.password_reset_requested)
        }
        Some(SecurityEvent::PasswordReset) => t_string!(i18n, event.password_reset),
        Some(SecurityEvent::PasswordChanged) => t_string!(i18n, event.password_changed),
        Some(SecurityEvent::EmailChangeRequested) => t_string!(i18n, event.email_change_requested),
        Some(SecurityEvent::EmailChanged) => t_string!(i18n, event.email_changed),
        Some(SecurityEvent::SessionEnded) => t_string!(i18n, event.session_ended),
        Some(SecurityEvent::ProfileUpdated) => t_string!(i18n, event.profile_updated),
        Some(SecurityEvent::PreferencesUpdated) => t_string!(i18n, event.preferences_updated),
        Some(SecurityEvent::OrganisationCreated) => t_string!(i18n, event.organisation_created),
        Some(SecurityEvent::EidIdentified) => t_string!(i18n, event.eid_identified),
        Some(SecurityEvent::EidMismatch) => t_string!(i18n, event.eid_mismatch),
        Some(SecurityEvent::EidTaken) => t_string!(i18n, event.eid_taken),
        Some(SecurityEvent::AccountDeleted) | None => t_string!(i18n, event.other),
    }
}

/// "Mes organisations" (the fourth item): each membership, its function, role and contact
/// details, and the way to leave it.
#[component]
pub fn MyOrganisationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let leave = ServerAction::<crate::api::organisations::OrganisationMemberAction>::new();
    let errors = Signal::derive(move || field_errors(leave.value().get()));
    let list = Resource::new(
        move || leave.version().get(),
        |_| crate::api::organisations::my_memberships(),
    );
    let yes_no = move |flag: bool| {
        if flag {
            t_string!(i18n, wizard.yes)
        } else {
            t_string!(i18n, wizard.no)
        }
    };
    view! {
        <PageTitle text=|i18n| t_string!(i18n, account.nav_organisations) />
        <AccountLayout>
            <h1>{t!(i18n, account.nav_organisations)}</h1>
            <ErrorSummary errors />
            <Suspense>
                {move || Suspend::new(async move {
                    let list = match list.await {
                        Ok(list) => list,
                        Err(error) => return view! { <LoadError error /> }.into_any(),
                    };
                    view! {
                        {list.is_empty().then(|| view! { <p>{t!(i18n, account.no_organisations)}</p> })}
                        <ul class="card-list">
                            {list.into_iter().map(|m| {
                                let id = m.organisation.id;
                                let role = match m.role {
                                    crate::domain::Role::Admin => t_string!(i18n, members.role_admin),
                                    crate::domain::Role::Member => t_string!(i18n, members.role_member),
                                };
                                view! {
                                    <li class="card">
                                        <h2 class="card-title">{m.organisation.name.clone()}</h2>
                                        {m.suspended.then(|| view! {
                                            <p class="notice notice-warning">{t!(i18n, dispute.suspended_badge)}</p>
                                        })}
                                        <dl class="facts">
                                            <dt>{t!(i18n, wizard.bce)}</dt><dd>{m.organisation.bce.clone()}</dd>
                                            <dt>{t!(i18n, members.function)}</dt><dd>{m.function.clone()}</dd>
                                            <dt>{t!(i18n, members.role)}</dt><dd>{role}</dd>
                                            <dt>{t!(i18n, wizard.email)}</dt><dd>{m.email.clone()}</dd>
                                            <dt>{t!(i18n, account.landline)}</dt><dd>{m.landline.clone()}</dd>
                                            <dt>{t!(i18n, account.mobile)}</dt><dd>{m.mobile.clone()}</dd>
                                            <dt>{t!(i18n, wizard.notify)}</dt><dd>{yes_no(m.notify_email)}</dd>
                                        </dl>
                                        <div class="button-group" hidden=m.suspended>
                                            <a class="button button-secondary button-small" href=format!("/organisations/{id}/contact")>{t!(i18n, account.edit_contact)}</a>
                                            <a class="button button-secondary button-small" href=format!("/organisations/{id}/members")>{t!(i18n, members.nav)}</a>
                                            {(!m.last_admin).then(|| view! {
                                                <ActionForm action=leave attr:class="inline-form">
                                                    <input type="hidden" name="id" value=id.to_string() />
                                                    <input type="hidden" name="membership" value=m.membership_id.to_string() />
                                                    <input type="hidden" name="action" value="leave" />
                                                    <button type="submit" class="button button-secondary button-small">{t!(i18n, members.leave)}</button>
                                                </ActionForm>
                                            })}
                                        </div>
                                        {m.last_admin.then(|| view! {
                                            <p class="hint">{t!(i18n, account.last_admin_hint)}</p>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <p>
                            <a href="/organisations/new?kind=entreprise">{t!(i18n, banner.create_entreprise)}</a>
                            " · "
                            <a href="/organisations/new?kind=association">{t!(i18n, banner.create_association)}</a>
                        </p>
                        <p><a href="/organisations/report">{t!(i18n, dispute.link_account)}</a></p>
                    }
                    .into_any()
                })}
            </Suspense>
        </AccountLayout>
    }
}

/// "Mes données" (the fifth item): what the espace keeps, a copy to download, and the
/// deletion of the account.
#[component]
pub fn MyDataPage() -> impl IntoView {
    let i18n = use_i18n();
    let delete = ServerAction::<DeleteAccount>::new();
    let errors = Signal::derive(move || field_errors(delete.value().get()));
    let confirm_error = move || message_for(i18n, errors, "confirm");
    let data = Resource::new(|| (), |_| my_data());
    let too_many = move || match delete.value().get() {
        Some(Err(crate::error::AppError::TooManyAttempts { minutes })) => Some(minutes),
        _ => None,
    };
    view! {
        <PageTitle text=|i18n| t_string!(i18n, account.nav_data) />
        <AccountLayout>
            <h1>{t!(i18n, account.nav_data)}</h1>
            <p class="lead">{t!(i18n, data.intro)}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    let data = match data.await {
                        Ok(data) => data,
                        Err(error) => return view! { <LoadError error /> }.into_any(),
                    };
                    view! {
                        <section aria-labelledby="kept-title">
                            <h2 id="kept-title">{t!(i18n, data.kept_title)}</h2>
                            <dl class="facts">
                                <dt>{t!(i18n, data.account)}</dt>
                                <dd>{move || t_string!(i18n, data.account_value, email = data.email.as_str(), created = data.created.as_str()).to_string()}</dd>
                                <dt>{t!(i18n, data.last_login)}</dt><dd>{data.last_login.clone()}</dd>
                                <dt>{t!(i18n, data.profile)}</dt><dd>{t!(i18n, data.profile_value)}</dd>
                                <dt>{t!(i18n, account.nav_organisations)}</dt><dd>{data.organisations}</dd>
                                <dt>{t!(i18n, notifications.title)}</dt><dd>{data.notifications}</dd>
                                <dt>{t!(i18n, account.sessions_title)}</dt><dd>{data.sessions}</dd>
                                <dt>{t!(i18n, account.events_title)}</dt><dd>{data.events}</dd>
                            </dl>
                            <p>{t!(i18n, data.retention)}</p>
                        </section>
                    }
                    .into_any()
                })}
            </Suspense>
            <section aria-labelledby="download-title">
                <h2 id="download-title">{t!(i18n, data.download_title)}</h2>
                <p>{t!(i18n, data.download_text)}</p>
                <p>
                    // A file, not a page: the browser downloads it.
                    <a class="button button-secondary" href="/account/data/export" download="espace-personnel-mes-donnees.json" rel="external">
                        {t!(i18n, data.download)}
                    </a>
                </p>
                <p>{t!(i18n, data.download_zip_text)}</p>
                <p>
                    <a class="button button-secondary" href="/account/data/export.zip" download="espace-personnel-mes-donnees.zip" rel="external">
                        {t!(i18n, data.download_zip)}
                    </a>
                </p>
            </section>
            <section aria-labelledby="delete-title">
                <h2 id="delete-title">{t!(i18n, data.delete_title)}</h2>
                <p>{t!(i18n, data.delete_text)}</p>
                {move || too_many().map(|minutes| view! {
                    <div class="error-summary" role="alert" tabindex="-1" autofocus=true>
                        <h2>{t!(i18n, login.too_many_title)}</h2>
                        <p>{t!(i18n, login.too_many, minutes = minutes)}</p>
                    </div>
                })}
                <ErrorSummary errors />
                <ActionForm action=delete attr:novalidate=true attr:class="form">
                    <TextField id="delete_password" name="delete_password" kind="password" autocomplete="current-password"
                        label=Signal::derive(move || t_string!(i18n, account.email_password)) errors />
                    <div class="field field-checkbox" id="confirm" class:field-error=move || confirm_error().is_some()>
                        {move || confirm_error().map(|message| view! { <p class="error-message" id="confirm-error">{message}</p> })}
                        <input type="checkbox" id="confirm-box" name="confirm" value="on"
                            aria-describedby=move || confirm_error().map(|_| "confirm-error")
                            aria-invalid=move || confirm_error().map(|_| "true") />
                        <label for="confirm-box">{t!(i18n, data.delete_confirm)}</label>
                    </div>
                    <button type="submit" class="button button-danger">{t!(i18n, data.delete_submit)}</button>
                </ActionForm>
            </section>
        </AccountLayout>
    }
}
