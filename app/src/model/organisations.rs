//! Organisation profiles: the switcher, the wizard, contacts and representatives.
//! What the server functions of `api::organisations` take and give; the backend fills them.
use serde::{Deserialize, Serialize};

/// One organisation profile in the banner's menus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSummary {
    pub id: i64,
    pub name: String,
    pub kind: crate::domain::OrgKind,
    /// Written `0123.456.749`.
    pub bce: String,
}

/// What the wizard holds so far (the server keeps it between steps).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftView {
    /// The kind of the icon clicked: `entreprise` or `association`.
    pub kind: String,
    /// Written `0123.456.749`.
    pub bce: String,
    pub name: String,
    pub confirmed_kind: String,
    /// `yes`, `no` or empty.
    pub vat_subject: String,
    pub function: String,
    /// The number is already registered: the name of its organisation.
    pub existing_name: Option<String>,
    /// The user already asked to join it and waits for the answer.
    pub pending: bool,
}

/// The contact details of a member for one organisation (wizard step 4).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    pub language: String,
    #[serde(default)]
    pub landline: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub email: String,
    /// The box "recevoir les notifications par e-mail": present when ticked.
    #[serde(default)]
    pub notify_email: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactData {
    pub organisation: OrgSummary,
    pub function: String,
    pub form: ContactForm,
}

/// A person on the representatives page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub membership_id: i64,
    pub name: String,
    pub email: String,
    pub function: String,
    pub role: crate::domain::Role,
    /// Brussels time of the decision (or of the request, for a pending one).
    pub since: String,
    pub is_me: bool,
}

/// One line of the organisation's history of memberships.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEventView {
    pub kind: String,
    pub subject: String,
    pub actor: String,
    pub detail: Option<String>,
    pub when: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersData {
    pub organisation: OrgSummary,
    pub my_role: crate::domain::Role,
    pub members: Vec<MemberView>,
    pub pending: Vec<MemberView>,
    pub events: Vec<MemberEventView>,
}

/// One of the person's memberships, as "Mes organisations" lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipView {
    pub membership_id: i64,
    pub organisation: OrgSummary,
    pub function: String,
    pub role: crate::domain::Role,
    pub email: String,
    pub landline: String,
    pub mobile: String,
    pub notify_email: bool,
    /// The only administrator: may not leave until another one is named.
    pub last_admin: bool,
}
