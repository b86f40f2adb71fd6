//! Reports that an organisation's profile is held by the wrong people: what the person who
//! reported sees, and what the back office's "Signalements" queue shows an agent.
use super::organisations::OrgSummary;
use crate::domain::{DisputeStatus, ProofKind, ProofStatus, Role, VerifiedBy};
use serde::{Deserialize, Serialize};

/// One of the person's own reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeView {
    pub organisation: OrgSummary,
    pub status: DisputeStatus,
    /// The agent's reason, when there is one.
    pub reason: Option<String>,
    /// When it was sent (Brussels time).
    pub sent: String,
}

/// A report waiting for an agent, beside both parties' proofs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeReview {
    pub id: i64,
    pub organisation: OrgSummary,
    pub status: DisputeStatus,
    /// The person who reported: name, address, the function they say they hold.
    pub person: String,
    pub email: String,
    pub function: String,
    pub explanation: String,
    pub kind: ProofKind,
    pub file_name: String,
    pub size: i64,
    pub sent: String,
    /// Who holds the profile now, with their proofs.
    pub holders: Vec<HolderView>,
    /// The agent is a member of the organisation, or reported it: another agent decides.
    pub own: bool,
}

/// A member of a reported organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderView {
    pub name: String,
    pub email: String,
    pub function: String,
    pub role: Role,
    pub verified: Option<VerifiedBy>,
    pub proofs: Vec<HolderProof>,
}

/// A proof of mandate a member sent (the agent opens it from the queue).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderProof {
    pub id: i64,
    pub kind: ProofKind,
    pub file_name: String,
    pub status: ProofStatus,
}
