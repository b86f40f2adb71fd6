//! "Mon compte": the citizen profile, security, preferences and "Mes données".
//! What the server functions of `api::account` take and give; the backend fills them.
use serde::{Deserialize, Serialize};

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
    /// `None`: a kind this version does not know (recorded by a later one).
    pub kind: Option<crate::domain::SecurityEvent>,
    pub ip: Option<String>,
    pub device: Option<String>,
    pub when: String,
}

/// The "Préférences" page's data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreferencesData {
    /// The organisation id of the default profile; empty: the citizen profile.
    pub default_profile: String,
    /// For each kind of event (`Topic::code`): `email`, `in_app` or `both`.
    pub channels: Vec<(crate::domain::Topic, crate::domain::Channel)>,
    pub organisations: Vec<crate::model::organisations::OrgSummary>,
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
