use crate::api::auth::Login;
use crate::components::form::{field_errors, ErrorSummary, TextField};
use crate::components::PageTitle;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Login>::new();
    let errors = Signal::derive(move || field_errors(action.value().get()));
    let query = use_query_map();
    let verified = move || query.read().get("verified").is_some();
    let reset = move || query.read().get("reset").is_some();
    // A session that ended (expired, or signed out elsewhere) on the way to a page.
    let ended = move || query.read().get("ended").is_some();
    let next = move || query.read().get("next").unwrap_or_default();
    let too_many = move || match action.value().get() {
        Some(Err(AppError::TooManyAttempts { minutes })) => Some(minutes),
        _ => None,
    };
    view! {
        <PageTitle text=|i18n| t_string!(i18n, login.title) />
        <div class="content">
            {move || verified().then(|| view! {
                <div class="notice notice-success" role="status">
                    <p>{t!(i18n, login.verified)}</p>
                </div>
            })}
            {move || reset().then(|| view! {
                <div class="notice notice-success" role="status">
                    <p>{t!(i18n, login.reset_done)}</p>
                </div>
            })}
            {move || ended().then(|| view! {
                <div class="notice notice-warning" role="status">
                    <p>{t!(i18n, error.session_ended)}</p>
                </div>
            })}
            <h1>{t!(i18n, login.title)}</h1>
            {move || too_many().map(|minutes| view! {
                <div class="error-summary" role="alert" tabindex="-1" autofocus=true>
                    <h2>{t!(i18n, login.too_many_title)}</h2>
                    <p>{t!(i18n, login.too_many, minutes = minutes)}</p>
                    <p><a href="/forgot-password">{t!(i18n, login.too_many_help)}</a></p>
                </div>
            })}
            <ErrorSummary errors />
            <ActionForm action attr:novalidate=true attr:class="form">
                <input type="hidden" name="next" value=next() />
                <TextField
                    id="email"
                    name="email"
                    kind="email"
                    autocomplete="username"
                    label=Signal::derive(move || t_string!(i18n, login.email))
                    errors
                />
                <TextField
                    id="password"
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    label=Signal::derive(move || t_string!(i18n, login.password))
                    errors
                />
                <button type="submit" class="button button-primary">
                    {t!(i18n, login.submit)}
                </button>
            </ActionForm>
            <p><a href="/forgot-password">{t!(i18n, login.forgot)}</a></p>
            <p>
                {t!(i18n, login.no_account)} " " <a href="/register">{t!(i18n, home.register)}</a>
            </p>
        </div>
    }
}
