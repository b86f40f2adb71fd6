//! A report that an organisation's profile is held by the wrong people: where it stands,
//! what an agent may do with it, and what each person involved is told.
use serde::{Deserialize, Serialize};

/// Where a report stands (`dispute.status`). Open and suspended wait for an agent; the
/// other two are decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeStatus {
    /// Sent, not looked into yet.
    Open,
    /// The profile is suspended while the administration looks into it.
    Suspended,
    /// The profile was handed to the person who reported, now its verified administrator.
    HandedOver,
    /// The report was dismissed, with a reason; the profile (if suspended) is back.
    Dismissed,
}

impl DisputeStatus {
    pub const ALL: [DisputeStatus; 4] = [
        DisputeStatus::Open,
        DisputeStatus::Suspended,
        DisputeStatus::HandedOver,
        DisputeStatus::Dismissed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DisputeStatus::Open => "open",
            DisputeStatus::Suspended => "suspended",
            DisputeStatus::HandedOver => "handed_over",
            DisputeStatus::Dismissed => "dismissed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    /// Whether an agent still has to decide.
    pub fn is_waiting(self) -> bool {
        matches!(self, DisputeStatus::Open | DisputeStatus::Suspended)
    }
}

/// What an agent does with a report (`action=…` of the back office's buttons).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeAction {
    /// Nobody may act for the profile until the report is decided.
    Suspend,
    /// The person who reported becomes the verified administrator; the others lose access.
    HandOver,
    /// The report is unfounded (a reason is required); a suspended profile is back.
    Dismiss,
}

impl DisputeAction {
    pub const ALL: [DisputeAction; 3] = [
        DisputeAction::Suspend,
        DisputeAction::HandOver,
        DisputeAction::Dismiss,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DisputeAction::Suspend => "suspend",
            DisputeAction::HandOver => "hand_over",
            DisputeAction::Dismiss => "dismiss",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.code() == code)
    }

    /// The report's status after the action, or `None` when it may not be taken from
    /// `from` (a decided report stays decided; a suspended profile is not suspended twice).
    pub fn from_status(self, from: DisputeStatus) -> Option<DisputeStatus> {
        match (self, from) {
            (DisputeAction::Suspend, DisputeStatus::Open) => Some(DisputeStatus::Suspended),
            (DisputeAction::HandOver, from) if from.is_waiting() => Some(DisputeStatus::HandedOver),
            (DisputeAction::Dismiss, from) if from.is_waiting() => Some(DisputeStatus::Dismissed),
            _ => None,
        }
    }
}

/// What a person involved in a report is told (`notification.kind` is `dispute_` and the
/// code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeOutcome {
    /// To the members and the person who reported: the profile is suspended.
    Suspended,
    /// To the person who reported: they are the verified administrator now.
    HandedOver,
    /// To the former members: the profile was handed to its verified representative.
    Removed,
    /// To the person who reported: the report was dismissed (with the reason).
    Dismissed,
    /// To the members: the suspension is lifted.
    Reinstated,
}

impl DisputeOutcome {
    pub const ALL: [DisputeOutcome; 5] = [
        DisputeOutcome::Suspended,
        DisputeOutcome::HandedOver,
        DisputeOutcome::Removed,
        DisputeOutcome::Dismissed,
        DisputeOutcome::Reinstated,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DisputeOutcome::Suspended => "suspended",
            DisputeOutcome::HandedOver => "handed_over",
            DisputeOutcome::Removed => "removed",
            DisputeOutcome::Dismissed => "dismissed",
            DisputeOutcome::Reinstated => "reinstated",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|outcome| outcome.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for status in DisputeStatus::ALL {
            assert_eq!(DisputeStatus::parse(status.code()), Some(status));
        }
        for action in DisputeAction::ALL {
            assert_eq!(DisputeAction::parse(action.code()), Some(action));
        }
        for outcome in DisputeOutcome::ALL {
            assert_eq!(DisputeOutcome::parse(outcome.code()), Some(outcome));
        }
        assert_eq!(DisputeAction::parse("delete"), None);
    }

    #[test]
    fn a_decided_report_stays_decided() {
        use DisputeAction::*;
        use DisputeStatus::*;
        assert_eq!(Suspend.from_status(Open), Some(Suspended));
        assert_eq!(Suspend.from_status(Suspended), None);
        assert_eq!(HandOver.from_status(Open), Some(HandedOver));
        assert_eq!(HandOver.from_status(Suspended), Some(HandedOver));
        assert_eq!(Dismiss.from_status(Suspended), Some(Dismissed));
        for decided in [HandedOver, Dismissed] {
            for action in DisputeAction::ALL {
                assert_eq!(action.from_status(decided), None, "{action:?} {decided:?}");
            }
        }
    }
}
