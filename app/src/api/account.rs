//! "Mon compte": the citizen profile and the account's security, as server functions.
#[cfg(feature = "ssr")]
use crate::backend::Client;
use crate::error::AppError;
#[allow(unused_imports)]
use crate::model::account::*;

#[cfg(feature = "ssr")]
use crate::backend::require_signed_in as signed_in;

#[leptos::server(endpoint = "profile")]
pub async fn get_profile() -> Result<ProfileData, AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    crate::backend::profile::load(&db, &user).await
}

/// Saves "Mes informations". The language chosen becomes the page's too.
#[leptos::server(endpoint = "save_profile")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn save_profile(form: ProfileForm) -> Result<(), AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let lang = crate::backend::profile::save(&db, &user, &form, &Client::from_context())
        .await
        .map_err(AppError::respond)?;
    let cookie = http::HeaderValue::from_str(&crate::language::lang_cookie(lang))
        .map_err(crate::backend::internal)?;
    leptos::prelude::expect_context::<leptos_axum::ResponseOptions>()
        .append_header(http::header::SET_COOKIE, cookie);
    leptos_axum::redirect("/account/profile?saved=1");
    Ok(())
}

#[leptos::server(endpoint = "security")]
pub async fn get_security() -> Result<SecurityData, AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let sessions = crate::backend::security::sessions(&db, &user).await?;
    let events = crate::backend::security::events(&db, &user).await?;
    Ok(SecurityData {
        email: user.email.clone(),
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
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let config = crate::backend::config()?;
    crate::backend::security::change_password(
        &db,
        &config,
        &user,
        &current_password,
        &password,
        &password_confirm,
        &Client::from_context(),
    )
    .await
    .map_err(AppError::respond)?;
    leptos_axum::redirect("/account/security?changed=password");
    Ok(())
}

#[leptos::server(endpoint = "change_email")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn change_email(new_email: String, email_password: String) -> Result<(), AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let config = crate::backend::config()?;
    crate::backend::security::request_email_change(
        &db,
        &config,
        &user,
        &new_email,
        &email_password,
        &Client::from_context(),
    )
    .await
    .map_err(AppError::respond)?;
    leptos_axum::redirect("/account/security?changed=email");
    Ok(())
}

#[leptos::server(endpoint = "end_session")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn end_session(id: String) -> Result<(), AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    crate::backend::security::end_session(&db, &user, &id, &Client::from_context()).await?;
    leptos_axum::redirect("/account/security?changed=session");
    Ok(())
}

#[leptos::server(endpoint = "preferences")]
pub async fn get_preferences() -> Result<PreferencesData, AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    crate::backend::preferences::load(&db, &user).await
}

#[leptos::server(endpoint = "save_preferences")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn save_preferences(default_profile: String, channel: String) -> Result<(), AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    crate::backend::preferences::save(
        &db,
        &user,
        &default_profile,
        &channel,
        &Client::from_context(),
    )
    .await
    .map_err(AppError::respond)?;
    leptos_axum::redirect("/account/preferences?saved=1");
    Ok(())
}

#[leptos::server(endpoint = "my_data")]
pub async fn my_data() -> Result<MyDataSummary, AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    crate::backend::data::summary(&db, &user).await
}

/// Deletes the signed-in person's account (password and a ticked box asked), signs out,
/// and lands on the home page, which says it is done.
#[leptos::server(endpoint = "delete_account")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn delete_account(
    delete_password: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let config = crate::backend::config()?;
    crate::backend::data::delete_account(
        &db,
        &user,
        &delete_password,
        confirm.is_some(),
        &Client::from_context(),
    )
    .await
    .map_err(AppError::respond)?;
    let cookie = crate::backend::session::clear_cookie(&config);
    let value = http::HeaderValue::from_str(&cookie).map_err(crate::backend::internal)?;
    leptos::prelude::expect_context::<leptos_axum::ResponseOptions>()
        .append_header(http::header::SET_COOKIE, value);
    leptos_axum::redirect("/?account_deleted=1");
    Ok(())
}
