//! A request ("démarche" filed): its status machine and its reference.
use serde::{Deserialize, Serialize};

/// draft → submitted → in treatment → documents requested ⇄ submitted → accepted / refused
/// → closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Draft,
    Submitted,
    InTreatment,
    DocumentsRequested,
    Accepted,
    Refused,
    Closed,
}

impl RequestStatus {
    /// Every status a filed request can have, in the order the dashboard counts them.
    pub const FILED: [RequestStatus; 6] = [
        RequestStatus::Submitted,
        RequestStatus::InTreatment,
        RequestStatus::DocumentsRequested,
        RequestStatus::Accepted,
        RequestStatus::Refused,
        RequestStatus::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Draft => "draft",
            RequestStatus::Submitted => "submitted",
            RequestStatus::InTreatment => "in_treatment",
            RequestStatus::DocumentsRequested => "documents_requested",
            RequestStatus::Accepted => "accepted",
            RequestStatus::Refused => "refused",
            RequestStatus::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [RequestStatus::Draft]
            .into_iter()
            .chain(Self::FILED)
            .find(|status| status.code() == code.trim())
    }

    /// What an agent may move a request to from this status.
    /// Filed and waiting for the administration's decision.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            RequestStatus::Submitted
                | RequestStatus::InTreatment
                | RequestStatus::DocumentsRequested
        )
    }

    pub fn agent_targets(self) -> &'static [RequestStatus] {
        use RequestStatus::*;
        match self {
            Draft => &[],
            Submitted => &[InTreatment, DocumentsRequested, Accepted, Refused, Closed],
            InTreatment => &[DocumentsRequested, Accepted, Refused, Closed],
            DocumentsRequested => &[InTreatment, Closed],
            Accepted | Refused => &[Closed],
            Closed => &[],
        }
    }
}

/// What the person who filed a request is told about: it was filed or moved on (its new
/// status), or the administration wrote. Stored (in the outbox, in notifications) by its
/// code: the status' code, or `message`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum RequestChange {
    Status(RequestStatus),
    Message,
}

impl RequestChange {
    pub fn code(self) -> &'static str {
        match self {
            RequestChange::Status(status) => status.code(),
            RequestChange::Message => "message",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "message" => Some(RequestChange::Message),
            code => RequestStatus::parse(code).map(RequestChange::Status),
        }
    }
}

impl From<RequestChange> for String {
    fn from(change: RequestChange) -> String {
        change.code().to_string()
    }
}

/// `2026-000123`: the year of submission and a number within it.
pub fn format_reference(year: i64, number: i64) -> String {
    format!("{year}-{number:06}")
}

/// Whether a text is shaped like a reference (before any database lookup).
pub fn looks_like_reference(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 11
        && bytes[4] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_stored_as_their_code() {
        for status in RequestStatus::FILED {
            let change = RequestChange::Status(status);
            assert_eq!(RequestChange::parse(change.code()), Some(change));
            assert_eq!(
                serde_json::to_string(&change).unwrap(),
                format!("\"{}\"", status.code())
            );
        }
        assert_eq!(
            RequestChange::parse("message"),
            Some(RequestChange::Message)
        );
        assert!(serde_json::from_str::<RequestChange>("\"deleted\"").is_err());
    }

    #[test]
    fn references_read_year_dash_six_digits() {
        assert_eq!(format_reference(2026, 123), "2026-000123");
        assert!(looks_like_reference("2026-000123"));
        assert!(!looks_like_reference("2026-00012"));
        assert!(!looks_like_reference("2026/000123"));
        assert!(!looks_like_reference("abcd-000123"));
    }

    #[test]
    fn agents_only_move_requests_forward() {
        use RequestStatus::*;
        assert!(Submitted.agent_targets().contains(&InTreatment));
        assert!(!Closed.agent_targets().contains(&Submitted));
        assert!(!Accepted.agent_targets().contains(&Refused));
        assert!(Draft.agent_targets().is_empty());
        // Nobody but the requester puts a request back to "submitted".
        for status in RequestStatus::FILED {
            assert!(!status.agent_targets().contains(&Submitted));
        }
        for status in RequestStatus::FILED {
            assert_eq!(RequestStatus::parse(status.code()), Some(status));
        }
        assert_eq!(RequestStatus::parse("deleted"), None);
    }
}
