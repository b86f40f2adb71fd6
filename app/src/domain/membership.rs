//! A membership of an organisation: its statuses, and what an administrator (or the member,
//! leaving) may do with it — a small state machine, checked here once.
use super::Role;
use serde::{Deserialize, Serialize};

/// pending → active (accepted) or refused; active → revoked or left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MembershipStatus {
    Pending,
    Active,
    Refused,
    Revoked,
    Left,
}

impl MembershipStatus {
    pub const ALL: [MembershipStatus; 5] = [
        MembershipStatus::Pending,
        MembershipStatus::Active,
        MembershipStatus::Refused,
        MembershipStatus::Revoked,
        MembershipStatus::Left,
    ];

    /// The code stored in `membership.status`.
    pub fn code(self) -> &'static str {
        match self {
            MembershipStatus::Pending => "pending",
            MembershipStatus::Active => "active",
            MembershipStatus::Refused => "refused",
            MembershipStatus::Revoked => "revoked",
            MembershipStatus::Left => "left",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }
}

/// What the representatives page's buttons post (`action=…`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberAction {
    Accept,
    Refuse,
    MakeAdmin,
    MakeMember,
    Revoke,
    Leave,
}

/// What an action does to a membership: its new status, its new role if it changes, and the
/// event recorded (`membership_event.kind`, and `?done=` on the page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub status: MembershipStatus,
    pub role: Option<Role>,
    pub event: &'static str,
}

impl MemberAction {
    pub const ALL: [MemberAction; 6] = [
        MemberAction::Accept,
        MemberAction::Refuse,
        MemberAction::MakeAdmin,
        MemberAction::MakeMember,
        MemberAction::Revoke,
        MemberAction::Leave,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MemberAction::Accept => "accept",
            MemberAction::Refuse => "refuse",
            MemberAction::MakeAdmin => "make_admin",
            MemberAction::MakeMember => "make_member",
            MemberAction::Revoke => "revoke",
            MemberAction::Leave => "leave",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.code() == code)
    }

    /// Only leaving is done by the member themself; everything else needs an administrator.
    pub fn needs_admin(self) -> bool {
        self != MemberAction::Leave
    }

    /// What the action does to a membership in `status`; `None` when it does not apply (a
    /// pending request cannot be revoked, an active member cannot be "accepted" again).
    /// `on_self`: the membership is the acting person's own (nobody revokes themself: they
    /// leave).
    pub fn apply(self, status: MembershipStatus, on_self: bool) -> Option<Transition> {
        use MembershipStatus::{Active, Left, Pending, Refused, Revoked};
        let (status, role, event) = match (self, status) {
            (MemberAction::Accept, Pending) => (Active, None, "accepted"),
            (MemberAction::Refuse, Pending) => (Refused, None, "refused"),
            (MemberAction::MakeAdmin, Active) => (Active, Some(Role::Admin), "made_admin"),
            (MemberAction::MakeMember, Active) => (Active, Some(Role::Member), "made_member"),
            (MemberAction::Revoke, Active) if !on_self => (Revoked, None, "revoked"),
            (MemberAction::Leave, Active) => (Left, None, "left"),
            _ => return None,
        };
        Some(Transition {
            status,
            role,
            event,
        })
    }
}

/// What changed in a membership, as its member is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum MembershipChange {
    Accepted,
    Refused,
    MadeAdmin,
    MadeMember,
    Revoked,
}

impl MembershipChange {
    pub fn code(self) -> &'static str {
        match self {
            MembershipChange::Accepted => "accepted",
            MembershipChange::Refused => "refused",
            MembershipChange::MadeAdmin => "made_admin",
            MembershipChange::MadeMember => "made_member",
            MembershipChange::Revoked => "revoked",
        }
    }

    /// The membership events (`membership_event.kind`) that are told to their member.
    pub fn from_event(event: &str) -> Option<Self> {
        Some(match event {
            "accepted" => MembershipChange::Accepted,
            "refused" => MembershipChange::Refused,
            "made_admin" => MembershipChange::MadeAdmin,
            "made_member" => MembershipChange::MadeMember,
            "revoked" => MembershipChange::Revoked,
            _ => return None,
        })
    }
}

impl From<MembershipChange> for String {
    fn from(change: MembershipChange) -> String {
        change.code().to_string()
    }
}

impl TryFrom<String> for MembershipChange {
    type Error = String;

    fn try_from(code: String) -> Result<Self, String> {
        MembershipChange::from_event(&code).ok_or_else(|| format!("unknown change {code:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_actions_read_back_from_their_codes() {
        for status in MembershipStatus::ALL {
            assert_eq!(MembershipStatus::parse(status.code()), Some(status));
        }
        for action in MemberAction::ALL {
            assert_eq!(MemberAction::parse(action.code()), Some(action));
        }
        assert_eq!(MembershipStatus::parse("Active"), None);
        assert_eq!(MemberAction::parse("delete"), None);
    }

    #[test]
    fn only_the_transitions_of_the_machine_apply() {
        use MemberAction::*;
        use MembershipStatus::*;
        let applies = |action: MemberAction, status| action.apply(status, false).is_some();
        for action in MemberAction::ALL {
            for status in [Refused, Revoked, Left] {
                assert!(!applies(action, status), "{action:?} on {status:?}");
            }
        }
        assert!(applies(Accept, Pending) && applies(Refuse, Pending));
        assert!(!applies(Revoke, Pending) && !applies(Leave, Pending));
        assert!(!applies(Accept, Active) && !applies(Refuse, Active));
        assert_eq!(Accept.apply(Pending, false).unwrap().status, Active);
        assert_eq!(
            MakeAdmin.apply(Active, false).unwrap().role,
            Some(Role::Admin)
        );
        assert_eq!(Revoke.apply(Active, true), None, "nobody revokes themself");
        assert_eq!(Leave.apply(Active, true).unwrap().status, Left);
        assert!(Leave.apply(Active, true).is_some() && !Leave.needs_admin());
        assert!(MemberAction::ALL
            .iter()
            .filter(|a| **a != Leave)
            .all(|a| a.needs_admin()));
    }
}
