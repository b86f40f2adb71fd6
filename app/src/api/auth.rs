//! Registration, e-mail verification, sign-in and sign-out: the server functions and what
//! the pages share.
#[cfg(feature = "ssr")]
use crate::backend::Ctx;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::FieldError;
#[allow(unused_imports)]
use crate::model::auth::*;

#[cfg(feature = "ssr")]
fn current() -> Option<crate::backend::session::CurrentUser> {
    crate::backend::signed_in_user()
}

#[cfg(feature = "ssr")]
pub(crate) fn set_cookie(value: &str) -> Result<(), AppError> {
    let value = http::HeaderValue::from_str(value).map_err(crate::backend::internal)?;
    leptos::prelude::expect_context::<leptos_axum::ResponseOptions>()
        .append_header(http::header::SET_COOKIE, value);
    Ok(())
}

/// Who is signed in, if anyone, with the profiles of the banner, as the session middleware
/// read them with the session (one statement for the session, the person and their
/// profiles).
#[leptos::server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<UserSummary>, AppError> {
    let Some(user) = current() else {
        return Ok(None);
    };
    Ok(Some(UserSummary {
        unread_notifications: user.unread_notifications,
        is_agent: user.is_agent,
        active: user
            .active
            .map(|org| crate::model::organisations::OrgSummary {
                id: org.id,
                name: org.name,
                kind: org.kind,
                bce: org.bce,
            }),
        organisations: user.organisations,
        first_name: user.first_name,
        last_name: user.last_name,
        email: user.email,
        email_verified: user.email_verified,
    }))
}

/// Creates the account; the answer is the same whether the address was free or not.
#[leptos::server(endpoint = "register")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn register(form: Registration) -> Result<(), AppError> {
    let cx = Ctx::get()?;
    crate::backend::accounts::register(&cx.db, &cx.config, &form, &cx.client).await?;
    leptos_axum::redirect("/register/check-email");
    Ok(())
}

/// Confirms the address with the token of the e-mail link.
#[leptos::server(endpoint = "verify_email")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let cx = Ctx::get()?;
    let user = current();
    crate::backend::accounts::verify_email(&cx.db, &token, &cx.client, user.as_ref()).await?;
    leptos_axum::redirect(if user.is_some() {
        "/dashboard"
    } else {
        "/login?verified=1"
    });
    Ok(())
}

/// Signs in; then back to `next` (the page asked for before, a path of this site only),
/// else the dashboard.
#[leptos::server(endpoint = "login")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let cx = Ctx::get()?;
    let signed_in = crate::backend::accounts::login(&cx.db, &email, &password, &cx.client)
        .await
        .map_err(|e| {
            if e == AppError::InvalidCredentials {
                // The field that goes with the message: keep the e-mail, retype the password.
                AppError::Validation(vec![FieldError::new("password", "invalid_credentials")])
            } else {
                e
            }
        })?;
    // Signing in again: the previous session ends, the new one has a new id. Only once the
    // credentials are right: a failed sign-in changes nothing.
    if let Some(previous) = current() {
        crate::backend::session::delete(&cx.db, &previous.session_hash)
            .await
            .map_err(crate::backend::internal)?;
    }
    set_cookie(&crate::backend::session::cookie(
        &signed_in.token,
        &cx.config,
    ))?;
    // The pages speak the language chosen in the account from now on.
    if let Some(lang) = signed_in.language {
        set_cookie(&crate::language::lang_cookie(lang))?;
    }
    // An address not confirmed yet opens nothing else than the page that says so.
    let to = match next.filter(|next| !next.is_empty()) {
        _ if !signed_in.email_verified => crate::access::VERIFY_FIRST.to_string(),
        Some(next) => crate::domain::safe_return_to(&next),
        None => "/dashboard".to_string(),
    };
    leptos_axum::redirect(&to);
    Ok(())
}

#[leptos::server(endpoint = "logout")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn logout() -> Result<(), AppError> {
    let cx = Ctx::get()?;
    if let Some(user) = current() {
        crate::backend::organisations::forget_draft(&cx.db, user.account_id).await?;
        crate::backend::accounts::logout(&cx.db, &user, &cx.client).await?;
    }
    set_cookie(&crate::backend::session::clear_cookie(&cx.config))?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Sends a new verification link to the signed-in person.
#[leptos::server(endpoint = "resend_verification")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn resend_verification() -> Result<(), AppError> {
    let cx = Ctx::signed_in_unverified()?;
    crate::backend::accounts::resend_verification(&cx.db, &cx.config, &cx.user, &cx.client).await?;
    leptos_axum::redirect("/register/check-email?resent=1");
    Ok(())
}

/// "Mot de passe oublié": the same answer whether the address has an account or not.
#[leptos::server(endpoint = "forgot_password")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let cx = Ctx::get()?;
    crate::backend::security::request_password_reset(&cx.db, &cx.config, &email, &cx.client)
        .await?;
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// Whether a reset link still works (the page asks before showing its form).
#[leptos::server(endpoint = "check_reset_token")]
pub async fn check_reset_token(token: String) -> Result<(), AppError> {
    let cx = Ctx::get()?;
    crate::backend::security::check_token(&cx.db, &token, crate::backend::security::PURPOSE_RESET)
        .await
}

/// Sets a new password with the link of the e-mail; every other session ends.
#[leptos::server(endpoint = "reset_password")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn reset_password(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let cx = Ctx::get()?;
    let user = current();
    let rotated = crate::backend::security::reset_password(
        &cx.db,
        &cx.config,
        &token,
        &password,
        &password_confirm,
        user.as_ref(),
        &cx.client,
    )
    .await?;
    // Signed in: the session goes on under a new token.
    if let Some(token) = rotated {
        set_cookie(&crate::backend::session::cookie(&token, &cx.config))?;
    }
    leptos_axum::redirect(if user.is_some() {
        "/account/security?changed=password"
    } else {
        "/login?reset=1"
    });
    Ok(())
}
