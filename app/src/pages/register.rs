use crate::api::auth::{current_user, Register, ResendVerification};
use crate::components::form::{
    field_errors, ErrorSummary, LanguageSelect, TermsCheckbox, TextField,
};
use crate::components::PageTitle;
use crate::i18n::*;
use crate::language::lang_of;
use leptos::prelude::*;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Register>::new();
    let errors = Signal::derive(move || field_errors(action.value().get()));
    let current = lang_of(i18n.get_locale_untracked());
    view! {
        <PageTitle text=|i18n| t_string!(i18n, register.title) />
        <div class="content">
            <h1>{t!(i18n, register.title)}</h1>
            <p class="lead">{t!(i18n, register.intro)}</p>
            // Each error names its field: "Prénom : Ce champ est obligatoire."
            <ErrorSummary errors labels=Signal::derive(move || {
                [
                    ("email", t_string!(i18n, register.email)),
                    ("first_name", t_string!(i18n, register.first_name)),
                    ("last_name", t_string!(i18n, register.last_name)),
                    ("password", t_string!(i18n, register.password)),
                    ("password_confirm", t_string!(i18n, register.password_confirm)),
                ]
                .into_iter()
                .map(|(field, label)| (field.to_string(), label.to_string()))
                .collect::<Vec<_>>()
            }) />
            <ActionForm action attr:novalidate=true attr:class="form">
                <TextField
                    id="email"
                    name="form[email]"
                    kind="email"
                    autocomplete="email"
                    label=Signal::derive(move || t_string!(i18n, register.email))
                    hint=Signal::derive(move || t_string!(i18n, register.email_hint).to_string())
                    errors
                />
                <TextField
                    id="first_name"
                    name="form[first_name]"
                    autocomplete="given-name"
                    label=Signal::derive(move || t_string!(i18n, register.first_name))
                    errors
                />
                <TextField
                    id="last_name"
                    name="form[last_name]"
                    autocomplete="family-name"
                    label=Signal::derive(move || t_string!(i18n, register.last_name))
                    errors
                />
                <LanguageSelect
                    name="form[language]"
                    label=Signal::derive(move || t_string!(i18n, register.language))
                    current
                />
                <TextField
                    id="password"
                    name="form[password]"
                    kind="password"
                    autocomplete="new-password"
                    label=Signal::derive(move || t_string!(i18n, register.password))
                    hint=Signal::derive(move || t_string!(i18n, register.password_hint).to_string())
                    errors
                />
                <TextField
                    id="password_confirm"
                    name="form[password_confirm]"
                    kind="password"
                    autocomplete="new-password"
                    label=Signal::derive(move || t_string!(i18n, register.password_confirm))
                    errors
                />
                <TermsCheckbox name="form[terms]" errors />
                <button type="submit" class="button button-primary">
                    {t!(i18n, register.submit)}
                </button>
            </ActionForm>
            <p>
                {t!(i18n, register.have_account)} " " <a href="/login">{t!(i18n, login.submit)}</a>
            </p>
        </div>
    }
}

/// `/register/check-email`: after registering, "check your mailbox". Signed in with an
/// address not confirmed yet (every other page sends such an account here), it says what is
/// possible until then, and offers a new link.
#[component]
pub fn CheckEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let resend = ServerAction::<ResendVerification>::new();
    // Refused (too many links asked for): said above the button.
    let resend_errors = Signal::derive(move || field_errors(resend.value().get()));
    // The new link has gone (the server sends the browser back here, saying so).
    let resent = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("resent")
        .is_some_and(|value| value == "1");
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <PageTitle text=|i18n| t_string!(i18n, register.check_title) />
        <div class="content">
            <Suspense>
                {move || Suspend::new(async move {
                    match user.await.ok().flatten() {
                        Some(user) if !user.email_verified => view! {
                            <h1>{t!(i18n, register.unverified_title)}</h1>
                            <p class="lead">
                                {t_string!(i18n, register.verify_first, email = user.email.clone()).to_string()}
                            </p>
                            <p>{t!(i18n, register.check_spam)}</p>
                            <ErrorSummary errors=resend_errors />
                            {move || if resent || matches!(resend.value().get(), Some(Ok(()))) {
                                view! { <p role="status"><strong>{t!(i18n, register.resent)}</strong></p> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=resend>
                                        <button type="submit" class="button button-primary">
                                            {t!(i18n, register.resend)}
                                        </button>
                                    </ActionForm>
                                }.into_any()
                            }}
                            <ul class="next-steps">
                                <li><a href="/account/security">{t!(i18n, register.change_address)}</a></li>
                                <li><a href="/help">{t!(i18n, footer.help)}</a></li>
                                <li><a href="/account/data">{t!(i18n, register.delete_account)}</a></li>
                            </ul>
                        }.into_any(),
                        _ => view! {
                            <h1>{t!(i18n, register.check_title)}</h1>
                            <p class="lead">{t!(i18n, register.check_body)}</p>
                            <p>{t!(i18n, register.check_spam)}</p>
                            <p>
                                <a class="button button-primary" href="/login">{t!(i18n, login.submit)}</a>
                            </p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
