//! The notification centre: what the bell counts and `/notifications` lists.
use crate::error::AppError;
#[allow(unused_imports)]
use crate::model::notifications::*;

#[cfg(feature = "ssr")]
use crate::backend::Ctx;

/// The number on the bell. Asked again now and then while the page is open.
#[leptos::server(endpoint = "unread_notifications", input = leptos::server_fn::codec::GetUrl)]
pub async fn unread_notifications() -> Result<i64, AppError> {
    let cx = Ctx::signed_in()?;
    crate::backend::notifications::unread_count(&cx.db, &cx.user).await
}

#[leptos::server(endpoint = "notifications")]
pub async fn notifications(before: Option<i64>) -> Result<NotificationsPage, AppError> {
    let cx = Ctx::signed_in()?;
    crate::backend::notifications::list(&cx.db, &cx.user, before).await
}

#[leptos::server(endpoint = "mark_notification_read")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn mark_notification_read(id: i64) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    crate::backend::notifications::mark_read(&cx.db, &cx.user, id).await?;
    leptos_axum::redirect("/notifications");
    Ok(())
}

#[leptos::server(endpoint = "mark_all_notifications_read")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn mark_all_notifications_read() -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    crate::backend::notifications::mark_all_read(&cx.db, &cx.user).await?;
    leptos_axum::redirect("/notifications");
    Ok(())
}
