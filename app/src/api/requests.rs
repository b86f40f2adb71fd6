//! Requests ("démarches" filed): their status machine, and what the pages show of them.
#[allow(unused_imports)]
use crate::model::requests::*;

// ---------------------------------------------------------------------------------------
// Server functions. The pages pass the language they are shown in (`lang`: fr, nl, en).

#[cfg(feature = "ssr")]
use crate::backend::require_signed_in as signed_in;

#[cfg(feature = "ssr")]
fn lang(code: &str) -> crate::domain::Lang {
    crate::domain::Lang::parse(code).unwrap_or_default()
}

/// The catalogue, filtered to what the active profile may file (all of it when signed
/// out), searched by `q`.
#[leptos::server(endpoint = "catalogue")]
pub async fn catalogue(lang: String, q: String) -> Result<CatalogueView, crate::error::AppError> {
    let config = crate::backend::config()?;
    let user = crate::backend::signed_in_user();
    Ok(crate::backend::requests::catalogue(
        &config,
        user.as_ref(),
        self::lang(&lang),
        &q,
    ))
}

#[leptos::server(endpoint = "filing")]
pub async fn filing(code: String) -> Result<FilingView, crate::error::AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let config = crate::backend::config()?;
    crate::backend::requests::filing(&db, &config, &user, &code)
        .await
        .map_err(crate::error::AppError::respond)
}

#[leptos::server(endpoint = "dashboard")]
pub async fn dashboard(
    lang: String,
    filter: DashboardFilter,
) -> Result<DashboardData, crate::error::AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let config = crate::backend::config()?;
    crate::backend::requests::dashboard(&db, &config, &user, &filter, self::lang(&lang))
        .await
        .map_err(crate::error::AppError::respond)
}

#[leptos::server(endpoint = "delete_draft")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn delete_draft(token: String) -> Result<(), crate::error::AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let keys = crate::backend::requests::delete_draft(&db, &user, &token)
        .await
        .map_err(crate::error::AppError::respond)?;
    // The files go with it (a failure only leaves an orphan file behind).
    if let Some(storage) = leptos::prelude::use_context::<crate::backend::AttachmentDeleter>() {
        for key in keys {
            storage.0(key);
        }
    }
    leptos_axum::redirect("/dashboard?draft_deleted=1");
    Ok(())
}

#[leptos::server(endpoint = "request_view")]
pub async fn get_request(
    lang: String,
    reference: String,
) -> Result<RequestView, crate::error::AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let config = crate::backend::config()?;
    crate::backend::requests::view(
        &db,
        &config,
        &user,
        &reference,
        crate::backend::requests::Viewer::Member,
        self::lang(&lang),
    )
    .await
    .map_err(crate::error::AppError::respond)
}

#[leptos::server(endpoint = "send_message")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn send_message(reference: String, body: String) -> Result<(), crate::error::AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let config = crate::backend::config()?;
    crate::backend::requests::post_message(
        &db,
        &config,
        &user,
        &reference,
        &body,
        crate::backend::requests::Viewer::Member,
    )
    .await
    .map_err(crate::error::AppError::respond)?;
    leptos_axum::redirect(&format!("/requests/{reference}?sent=1"));
    Ok(())
}

#[leptos::server(endpoint = "backoffice_queue")]
pub async fn backoffice_queue(
    lang: String,
    status: String,
    procedure: String,
    min_age: String,
    after: String,
) -> Result<QueueData, crate::error::AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let config = crate::backend::config()?;
    let filter = crate::backend::requests::QueueFilter {
        status,
        procedure,
        min_age,
        after,
    };
    crate::backend::requests::queue(&db, &config, &user, &filter, self::lang(&lang))
        .await
        .map_err(crate::error::AppError::respond)
}

#[leptos::server(endpoint = "backoffice_request")]
pub async fn backoffice_request(
    lang: String,
    reference: String,
) -> Result<RequestView, crate::error::AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let config = crate::backend::config()?;
    crate::backend::requests::view(
        &db,
        &config,
        &user,
        &reference,
        crate::backend::requests::Viewer::Agent,
        self::lang(&lang),
    )
    .await
    .map_err(crate::error::AppError::respond)
}

#[leptos::server(endpoint = "backoffice_status")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn backoffice_status(
    reference: String,
    status: String,
    note: String,
) -> Result<(), crate::error::AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let config = crate::backend::config()?;
    crate::backend::requests::change_status(&db, &config, &user, &reference, &status, &note)
        .await
        .map_err(crate::error::AppError::respond)?;
    leptos_axum::redirect(&format!("/backoffice/requests/{reference}?changed=1"));
    Ok(())
}

#[leptos::server(endpoint = "backoffice_message")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn backoffice_message(
    reference: String,
    body: String,
) -> Result<(), crate::error::AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let config = crate::backend::config()?;
    crate::backend::requests::post_message(
        &db,
        &config,
        &user,
        &reference,
        &body,
        crate::backend::requests::Viewer::Agent,
    )
    .await
    .map_err(crate::error::AppError::respond)?;
    leptos_axum::redirect(&format!("/backoffice/requests/{reference}?sent=1"));
    Ok(())
}
