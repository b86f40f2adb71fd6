//! "Mon compte": the citizen profile and the account's security, as server functions.
use crate::error::AppError;
#[allow(unused_imports)]
use crate::model::account::*;

#[cfg(feature = "ssr")]
use crate::backend::Ctx;

#[leptos::server(endpoint = "profile")]
pub async fn get_profile() -> Result<ProfileData, AppError> {
    let cx = Ctx::signed_in()?;
    crate::backend::profile::load(&cx.db, &cx.user).await
}

/// Saves "Mes informations". The language chosen becomes the page's too.
#[leptos::server(endpoint = "save_profile")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn save_profile(form: ProfileForm) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    let lang = crate::backend::profile::save(&cx.db, &cx.user, &form, &cx.client).await?;
    let cookie = http::HeaderValue::from_str(&crate::language::lang_cookie(lang))
        .map_err(crate::backend::internal)?;
    leptos::prelude::expect_context::<leptos_axum::ResponseOptions>()
        .append_header(http::header::SET_COOKIE, cookie);
    leptos_axum::redirect("/account/profile?saved=1");
    Ok(())
}

#[leptos::server(endpoint = "security")]
pub async fn get_security() -> Result<SecurityData, AppError> {
    let cx = Ctx::signed_in_unverified()?;
    let sessions = crate::backend::security::sessions(&cx.db, &cx.user).await?;
    let events = crate::backend::security::events(&cx.db, &cx.user).await?;
    Ok(SecurityData {
        email: cx.user.email.clone(),
        sessions,
        events,
    })
}

#[leptos::server(endpoint = "change_password")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn change_password(
    current_password: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    let token = crate::backend::security::change_password(
        &cx.db,
        &cx.config,
        &cx.user,
        &current_password,
        &password,
        &password_confirm,
        &cx.client,
    )
    .await?;
    // The session goes on under a new token: one seen before the change is worth nothing.
    crate::api::auth::set_cookie(&crate::backend::session::cookie(&token, &cx.config))?;
    leptos_axum::redirect("/account/security?changed=password");
    Ok(())
}

#[leptos::server(endpoint = "change_email")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn change_email(new_email: String, email_password: String) -> Result<(), AppError> {
    let cx = Ctx::signed_in_unverified()?;
    crate::backend::security::request_email_change(
        &cx.db,
        &cx.config,
        &cx.user,
        &new_email,
        &email_password,
        &cx.client,
    )
    .await?;
    leptos_axum::redirect("/account/security?changed=email");
    Ok(())
}

#[leptos::server(endpoint = "end_session")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn end_session(id: String) -> Result<(), AppError> {
    let cx = Ctx::signed_in_unverified()?;
    crate::backend::security::end_session(&cx.db, &cx.user, &id, &cx.client).await?;
    leptos_axum::redirect("/account/security?changed=session");
    Ok(())
}

#[leptos::server(endpoint = "preferences")]
pub async fn get_preferences() -> Result<PreferencesData, AppError> {
    let cx = Ctx::signed_in()?;
    crate::backend::preferences::load(&cx.db, &cx.user).await
}

#[leptos::server(endpoint = "save_preferences")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn save_preferences(
    default_profile: String,
    notify_status: String,
    notify_documents: String,
    notify_messages: String,
    notify_access: String,
) -> Result<(), AppError> {
    use crate::domain::Topic;
    let cx = Ctx::signed_in()?;
    let channels = [
        (Topic::Status, notify_status.as_str()),
        (Topic::Documents, notify_documents.as_str()),
        (Topic::Messages, notify_messages.as_str()),
        (Topic::Access, notify_access.as_str()),
    ];
    crate::backend::preferences::save(&cx.db, &cx.user, &default_profile, &channels, &cx.client)
        .await?;
    leptos_axum::redirect("/account/preferences?saved=1");
    Ok(())
}

#[leptos::server(endpoint = "my_data")]
pub async fn my_data() -> Result<MyDataSummary, AppError> {
    let cx = Ctx::signed_in_unverified()?;
    crate::backend::data::summary(&cx.db, &cx.user).await
}

/// Deletes the signed-in person's account (password and a ticked box asked), signs out,
/// and lands on the home page, which says it is done.
#[leptos::server(endpoint = "delete_account")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn delete_account(
    delete_password: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    let cx = Ctx::signed_in_unverified()?;
    let files = crate::backend::data::delete_account(
        &cx.db,
        &cx.user,
        &delete_password,
        confirm.is_some(),
        &cx.client,
    )
    .await?;
    // A failure only leaves an orphan file behind.
    if let Some(storage) = leptos::prelude::use_context::<crate::backend::AttachmentDeleter>() {
        for key in files {
            storage.0(key);
        }
    }
    let cookie = crate::backend::session::clear_cookie(&cx.config);
    let value = http::HeaderValue::from_str(&cookie).map_err(crate::backend::internal)?;
    leptos::prelude::expect_context::<leptos_axum::ResponseOptions>()
        .append_header(http::header::SET_COOKIE, value);
    leptos_axum::redirect("/?account_deleted=1");
    Ok(())
}
