//! What the security history of an account records ("Sécurité"): each kind of event, stored
//! by its code.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecurityEvent {
    AccountCreated,
    RegistrationAttempt,
    EmailVerified,
    Login,
    LoginFailed,
    Logout,
    PasswordResetRequested,
    PasswordReset,
    PasswordChanged,
    EmailChangeRequested,
    EmailChanged,
    SessionEnded,
    ProfileUpdated,
    PreferencesUpdated,
    OrganisationCreated,
    EidIdentified,
    EidMismatch,
    EidTaken,
    AccountDeleted,
}

impl SecurityEvent {
    pub const ALL: [SecurityEvent; 19] = [
        SecurityEvent::AccountCreated,
        SecurityEvent::RegistrationAttempt,
        SecurityEvent::EmailVerified,
        SecurityEvent::Login,
        SecurityEvent::LoginFailed,
        SecurityEvent::Logout,
        SecurityEvent::PasswordResetRequested,
        SecurityEvent::PasswordReset,
        SecurityEvent::PasswordChanged,
        SecurityEvent::EmailChangeRequested,
        SecurityEvent::EmailChanged,
        SecurityEvent::SessionEnded,
        SecurityEvent::ProfileUpdated,
        SecurityEvent::PreferencesUpdated,
        SecurityEvent::OrganisationCreated,
        SecurityEvent::EidIdentified,
        SecurityEvent::EidMismatch,
        SecurityEvent::EidTaken,
        SecurityEvent::AccountDeleted,
    ];

    /// The code stored in `security_event.kind`.
    pub fn code(self) -> &'static str {
        match self {
            SecurityEvent::AccountCreated => "account_created",
            SecurityEvent::RegistrationAttempt => "registration_attempt",
            SecurityEvent::EmailVerified => "email_verified",
            SecurityEvent::Login => "login",
            SecurityEvent::LoginFailed => "login_failed",
            SecurityEvent::Logout => "logout",
            SecurityEvent::PasswordResetRequested => "password_reset_requested",
            SecurityEvent::PasswordReset => "password_reset",
            SecurityEvent::PasswordChanged => "password_changed",
            SecurityEvent::EmailChangeRequested => "email_change_requested",
            SecurityEvent::EmailChanged => "email_changed",
            SecurityEvent::SessionEnded => "session_ended",
            SecurityEvent::ProfileUpdated => "profile_updated",
            SecurityEvent::PreferencesUpdated => "preferences_updated",
            SecurityEvent::OrganisationCreated => "organisation_created",
            SecurityEvent::EidIdentified => "eid_identified",
            SecurityEvent::EidMismatch => "eid_mismatch",
            SecurityEvent::EidTaken => "eid_taken",
            SecurityEvent::AccountDeleted => "account_deleted",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_code_and_codes_are_distinct() {
        let mut codes = std::collections::BTreeSet::new();
        for kind in SecurityEvent::ALL {
            assert_eq!(SecurityEvent::parse(kind.code()), Some(kind));
            assert!(codes.insert(kind.code()), "{} twice", kind.code());
        }
        assert_eq!(SecurityEvent::parse("logged_in"), None);
    }
}
