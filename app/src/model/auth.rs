//! Registration and the signed-in person the banner shows.
//! What the server functions of `api::auth` take and give; the backend fills them.
use serde::{Deserialize, Serialize};

/// What the registration form sends (`form[email]`, …).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Registration {
    pub email: String,
    pub password: String,
    pub password_confirm: String,
    pub first_name: String,
    pub last_name: String,
    pub language: String,
    /// The box "J'accepte les conditions générales d'accès": present when ticked.
    pub terms: Option<String>,
}

/// The signed-in person as the pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub email_verified: bool,
    /// The organisation the session acts for; `None`: "mon espace citoyen".
    pub active: Option<crate::model::organisations::OrgSummary>,
    /// Every organisation profile the person may act for.
    pub organisations: Vec<crate::model::organisations::OrgSummary>,
    /// The number on the notification bell.
    pub unread_notifications: i64,
    /// May open the back office.
    pub is_agent: bool,
}
