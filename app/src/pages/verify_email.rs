use crate::api::auth::VerifyEmail;
use crate::components::PageTitle;
use crate::error::{AppError, TokenProblem};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The link of the verification e-mail leads here; the button confirms (a POST: opening a
/// link, or a mail filter fetching it, changes nothing).
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<VerifyEmail>::new();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let problem = move || match action.value().get() {
        Some(Err(AppError::Token(problem))) => Some(problem),
        Some(Err(_)) => Some(TokenProblem::Unknown),
        _ => None,
    };
    view! {
        <PageTitle text=|i18n| t_string!(i18n, verify.title) />
        <div class="content">
            {move || match problem() {
                Some(problem) => {
                    let message = match problem {
                        TokenProblem::Unknown => t_string!(i18n, verify.unknown),
                        TokenProblem::Expired => t_string!(i18n, verify.expired),
                        TokenProblem::Used => t_string!(i18n, verify.used),
                    };
                    view! {
                        <h1>{t!(i18n, verify.invalid_title)}</h1>
                        <p class="lead">{message}</p>
                        <p>{t!(i18n, verify.ask_new)}</p>
                        <p>
                            <a class="button button-primary" href="/login">{t!(i18n, login.submit)}</a>
                        </p>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <h1>{t!(i18n, verify.title)}</h1>
                        <p class="lead">{t!(i18n, verify.body)}</p>
                        <ActionForm action>
                            <input type="hidden" name="token" prop:value=token value=token />
                            <button type="submit" class="button button-save">
                                {t!(i18n, verify.submit)}
                            </button>
                        </ActionForm>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}
