//! What a page shows when what it loads fails, instead of an empty form, and the status the
//! page answers with (set here, once, for every page that loads something).
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// Answers the page being rendered on the server with the status of `error` (404 for a
/// request that does not exist or is not this profile's…). Pages that word the failure
/// themselves call it; [`LoadError`] calls it too.
pub fn answer_with(error: &AppError) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status());
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    answer_with(&error);
    let i18n = use_i18n();
    match error {
        AppError::NotSignedIn => view! {
            <div class="notice" role="alert">
                <p>{t!(i18n, error.session_ended)}</p>
                <p><a href="/login">{t!(i18n, error.sign_in_again)}</a></p>
            </div>
        }
        .into_any(),
        AppError::EmailNotVerified => view! {
            <div class="notice" role="alert">
                <p>{t!(i18n, error.email_not_verified)}</p>
                <p><a href="/register/check-email">{t!(i18n, register.resend)}</a></p>
            </div>
        }
        .into_any(),
        AppError::NotFound => view! {
            <div role="alert">
                <h2>{t!(i18n, not_found.title)}</h2>
                <p>{t!(i18n, not_found.body)}</p>
            </div>
        }
        .into_any(),
        AppError::Forbidden => view! { <p role="alert">{t!(i18n, error.forbidden)}</p> }.into_any(),
        AppError::EidRequired => {
            // Back to this very page once identified (a plain form: works without JavaScript).
            let location = leptos_router::hooks::use_location();
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            view! {
                <div class="notice notice-info" id="backoffice-eid" role="alert">
                    <p>{t!(i18n, error.backoffice_eid)}</p>
                    <form method="post" action="/auth/eid/start">
                        <input type="hidden" name="return_to" value=here />
                        <button type="submit" class="button button-primary">
                            {t!(i18n, procedures.eid_button)}
                        </button>
                    </form>
                </div>
            }
            .into_any()
        }
        AppError::Busy { .. } => {
            view! { <p role="alert">{t!(i18n, error.unavailable)}</p> }.into_any()
        }
        _ => view! { <p role="alert">{t!(i18n, error.internal)}</p> }.into_any(),
    }
}
