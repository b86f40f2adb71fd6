//! The notification centre: what the bell counts and `/notifications` lists.
use crate::error::AppError;
#[allow(unused_imports)]
use crate::model::notifications::*;

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
