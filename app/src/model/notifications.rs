//! The notification centre: what the bell counts and `/notifications` lists.
//! What the server functions of `api::notifications` take and give; the backend fills them.
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
    /// For a draft about to be deleted: the day it will be, `24/12/2026`.
    pub date: String,
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
