//! Registration and the signed-in person the banner shows.
//! What the server functions of `api::auth` take and give; the backend fills them.
use serde::{Deserialize, Serialize};

/// What the registration form sends (`form[email]`, …). Its `Debug` leaves the passwords
/// out: a log line or a panic message never carries them.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
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

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("email", &self.email)
            .field("first_name", &self.first_name)
            .field("last_name", &self.last_name)
            .field("language", &self.language)
            .field("terms", &self.terms)
            .finish_non_exhaustive()
    }
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

#[cfg(test)]
mod tests {
    #[test]
    fn debug_never_shows_the_passwords() {
        let form = super::Registration {
            email: "lise@example.be".into(),
            password: "correct horse battery staple".into(),
            password_confirm: "correct horse battery staple".into(),
            ..Default::default()
        };
        let shown = format!("{form:?}");
        assert!(shown.contains("lise@example.be"), "{shown}");
        assert!(!shown.contains("horse"), "{shown}");
    }
}
