//! "Mon compte": the citizen profile and the account's security, as server functions.
use crate::error::AppError;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::backend::Client;

/// What the profile form sends (`form[first_name]`, …), and what it shows when it opens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub first_name: String,
    pub last_name: String,
    pub language: String,
    #[serde(default)]
    pub landline: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub house_number: String,
    #[serde(default)]
    pub box_number: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub city: String,
}

/// The profile page's data: the form's values and the account's address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileData {
    pub account_email: String,
    pub form: ProfileForm,
    /// Identified by eID: the names are the national register's and cannot be edited.
    #[serde(default)]
    pub verified: Option<Verified>,
}

/// A citizen profile linked to a national register number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    /// Only the check digits: `••.••.••-•••.28`.
    pub nrn_hint: String,
    /// Brussels time, `27/11/2026`.
    pub since: String,
}

/// The security page's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityData {
    pub email: String,
    pub sessions: Vec<SessionView>,
    pub events: Vec<EventView>,
}

/// A session of the account, as the security page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// Identifies the session in the "end this session" form: the stored hash, which opens
    /// nothing by itself.
    pub id: String,
    /// "Firefox, Windows": what the user agent says, if it says something known.
    pub device: Option<String>,
    pub ip: Option<String>,
    /// Brussels time, `27/11/2026 14:05`.
    pub started: String,
    pub last_seen: String,
    pub current: bool,
}

/// One line of the account's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub kind: String,
    pub ip: Option<String>,
    pub device: Option<String>,
    pub when: String,
}

/// The "Préférences" page's data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreferencesData {
    /// The organisation id of the default profile; empty: the citizen profile.
    pub default_profile: String,
    /// `email` or `in_app`.
    pub channel: String,
    pub organisations: Vec<crate::organisations::OrgSummary>,
}

/// "Mes données": what the espace keeps, in a few lines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDataSummary {
    pub email: String,
    /// Brussels time.
    pub created: String,
    pub last_login: String,
    pub organisations: i64,
    pub notifications: i64,
    pub sessions: i64,
    pub events: i64,
}

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
