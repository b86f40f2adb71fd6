use crate::api::auth::Register;
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
            <ErrorSummary errors />
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

#[component]
pub fn CheckEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=|i18n| t_string!(i18n, register.check_title) />
        <div class="content">
            <h1>{t!(i18n, register.check_title)}</h1>
            <p class="lead">{t!(i18n, register.check_body)}</p>
            <p>{t!(i18n, register.check_spam)}</p>
            <p>
                <a class="button button-primary" href="/login">{t!(i18n, login.submit)}</a>
            </p>
        </div>
    }
}
