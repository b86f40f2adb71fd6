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
    /// A verified representative (else declared).
    pub verified: bool,
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
    /// Whether the person looking is a verified representative.
    pub my_verified: bool,
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
    /// A verified representative (else declared).
    pub verified: bool,
    pub email: String,
    pub landline: String,
    pub mobile: String,
    pub notify_email: bool,
    /// The only administrator: may not leave until another one is named.
    pub last_admin: bool,
    /// The administration suspended the profile while it looks into a report.
    pub suspended: bool,
}

/// A representative's verification, as the organisation's "Vérification" page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationData {
    pub organisation: OrgSummary,
    /// Verified since (Brussels time) and how; `None`: declared.
    pub verified: Option<(String, crate::domain::VerifiedBy)>,
    /// The proofs they sent, newest first.
    pub proofs: Vec<ProofView>,
    /// The code by post.
    pub post: PostView,
}

/// The code by post, as the "Vérification" page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    /// The registered seat the letter would go to; `None`: the open data knows none.
    pub seat: Option<String>,
    /// A code asked for and still good.
    pub pending: Option<PendingCode>,
}

/// A code by post that can still be typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCode {
    pub requested: String,
    /// The last day it is good.
    pub expires: String,
    /// Its letter was printed (it is on its way).
    pub printed: bool,
}

/// A letter waiting to be printed, in the back office.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterView {
    pub recipient: String,
    pub address: String,
    pub requested: String,
}

impl VerificationData {
    /// A proof waits for review: no other can be sent meanwhile.
    pub fn pending(&self) -> bool {
        self.proofs
            .iter()
            .any(|proof| proof.status == crate::domain::ProofStatus::Pending)
    }
}

/// A proof of mandate the person sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofView {
    pub kind: crate::domain::ProofKind,
    pub file_name: String,
    pub status: crate::domain::ProofStatus,
    /// Why it was refused.
    pub reason: Option<String>,
    /// When it was sent (Brussels time).
    pub submitted: String,
}

/// A proof of mandate waiting in the back office's "Vérifications" queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofReview {
    pub id: i64,
    pub organisation: OrgSummary,
    /// The representative: name, address, function.
    pub person: String,
    pub email: String,
    pub function: String,
    pub kind: crate::domain::ProofKind,
    pub file_name: String,
    pub size: i64,
    pub submitted: String,
    /// The agent is a member of this organisation: another agent decides.
    pub own: bool,
}
