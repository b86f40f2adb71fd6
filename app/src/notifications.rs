//! The notification centre: what the bell counts and `/notifications` lists.
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// One notification as the centre shows it. Its text is worded in the reader's language
/// from `kind` and the names kept with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    /// `access_requested`, `access_accepted`, `access_refused`, `access_made_admin`,
    /// `access_made_member`, `access_revoked`.
    pub kind: String,
    /// The page of its subject.
    pub link: String,
    /// The organisation it concerns; empty: the citizen profile.
    pub organisation: String,
    pub bce: Option<String>,
    pub requester: String,
    pub function: String,
    /// For a request's notification: its reference and procedure.
    pub reference: String,
    pub procedure: String,
    /// Brussels time, `27/11/2026 14:05`.
    pub when: String,
    pub read: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsPage {
    pub items: Vec<NotificationView>,
    pub unread: i64,
    /// Where the next (older) page starts, if there is one.
    pub next_before: Option<i64>,
}

#[cfg(feature = "ssr")]
use crate::backend::require_signed_in as signed_in;

/// The number on the bell. Asked again now and then while the page is open.
#[leptos::server(endpoint = "unread_notifications", input = leptos::server_fn::codec::GetUrl)]
pub async fn unread_notifications() -> Result<i64, AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    crate::backend::notifications::unread_count(&db, &user).await
}

#[leptos::server(endpoint = "notifications")]
pub async fn notifications(before: Option<i64>) -> Result<NotificationsPage, AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    crate::backend::notifications::list(&db, &user, before).await
}

#[leptos::server(endpoint = "mark_notification_read")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn mark_notification_read(id: i64) -> Result<(), AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    crate::backend::notifications::mark_read(&db, &user, id).await?;
    leptos_axum::redirect("/notifications");
    Ok(())
}

#[leptos::server(endpoint = "mark_all_notifications_read")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn mark_all_notifications_read() -> Result<(), AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    crate::backend::notifications::mark_all_read(&db, &user).await?;
    leptos_axum::redirect("/notifications");
    Ok(())
}
