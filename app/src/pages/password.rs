//! "Mot de passe oublié" and the page the reset link opens.
use crate::api::auth::{check_reset_token, ForgotPassword, ResetPassword};
use crate::components::form::{field_errors, ErrorSummary, TextField};
use crate::components::PageTitle;
use crate::error::{AppError, TokenProblem};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ForgotPassword>::new();
    let errors = Signal::derive(move || field_errors(action.value().get()));
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    view! {
        <PageTitle text=|i18n| t_string!(i18n, forgot.title) />
        <div class="content">
            <h1>{t!(i18n, forgot.title)}</h1>
            {move || if sent() {
                view! {
                    <div class="notice notice-success" role="status">
                        <p>{t!(i18n, forgot.sent)}</p>
                    </div>
                    <p><a href="/login">{t!(i18n, forgot.back)}</a></p>
                }
                    .into_any()
            } else {
                view! {
                    <p class="lead">{t!(i18n, forgot.intro)}</p>
                    <ErrorSummary errors />
                    <ActionForm action attr:novalidate=true attr:class="form">
                        <TextField
                            id="email"
                            name="email"
                            kind="email"
                            autocomplete="username"
                            label=Signal::derive(move || t_string!(i18n, login.email))
                            errors
                        />
                        <button type="submit" class="button button-primary">
                            {t!(i18n, forgot.submit)}
                        </button>
                    </ActionForm>
                    <p><a href="/login">{t!(i18n, forgot.back)}</a></p>
                }
                    .into_any()
            }}
        </div>
    }
}

/// A link that cannot be used: why, and the way to a new one.
#[component]
fn DeadResetLink(problem: TokenProblem) -> impl IntoView {
    let i18n = use_i18n();
    let message = match problem {
        TokenProblem::Unknown => t_string!(i18n, reset.unknown),
        TokenProblem::Expired => t_string!(i18n, reset.expired),
        TokenProblem::Used => t_string!(i18n, reset.used),
    };
    view! {
        <h1>{t!(i18n, verify.invalid_title)}</h1>
        <p class="lead">{message}</p>
        <p>
            <a class="button button-primary" href="/forgot-password">{t!(i18n, reset.ask_new)}</a>
        </p>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResetPassword>::new();
    let errors = Signal::derive(move || field_errors(action.value().get()));
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    // The link is checked before the form shows: a dead link says so at once.
    let status = Resource::new(token, check_reset_token);
    let submitted_problem = move || match action.value().get() {
        Some(Err(AppError::Token(problem))) => Some(problem),
        _ => None,
    };
    view! {
        <PageTitle text=|i18n| t_string!(i18n, reset.title) />
        <div class="content">
            <Suspense>
                {move || Suspend::new(async move {
                    let submitted = submitted_problem();
                    let checked = status.await;
                    let problem = match checked {
                        Err(AppError::Token(problem)) => Some(problem),
                        Err(_) => Some(TokenProblem::Unknown),
                        Ok(()) => None,
                    };
                    match problem.or(submitted) {
                        Some(problem) => view! { <DeadResetLink problem /> }.into_any(),
                        None => view! {
                            <h1>{t!(i18n, reset.title)}</h1>
                            <p class="lead">{t!(i18n, reset.intro)}</p>
                            <ErrorSummary errors />
                            <ActionForm action attr:novalidate=true attr:class="form">
                                <input type="hidden" name="token" value=token />
                                <TextField
                                    id="password"
                                    name="password"
                                    kind="password"
                                    autocomplete="new-password"
                                    label=Signal::derive(move || t_string!(i18n, reset.password))
                                    hint=Signal::derive(move || t_string!(i18n, register.password_hint).to_string())
                                    errors
                                />
                                <TextField
                                    id="password_confirm"
                                    name="password_confirm"
                                    kind="password"
                                    autocomplete="new-password"
                                    label=Signal::derive(move || t_string!(i18n, register.password_confirm))
                                    errors
                                />
                                <button type="submit" class="button button-save">
                                    {t!(i18n, reset.submit)}
                                </button>
                            </ActionForm>
                        }
                            .into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
