//! What an organisation profile is: an entreprise or an association.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrgKind {
    Entreprise,
    Association,
}

impl OrgKind {
    pub const ALL: [OrgKind; 2] = [OrgKind::Entreprise, OrgKind::Association];

    pub fn code(self) -> &'static str {
        match self {
            OrgKind::Entreprise => "entreprise",
            OrgKind::Association => "association",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code.trim() {
            "entreprise" => Some(OrgKind::Entreprise),
            "association" => Some(OrgKind::Association),
            _ => None,
        }
    }
}

/// What a member may do for the organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Accepts requests, changes roles, revokes; an organisation always keeps one.
    Admin,
    Member,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code.trim() {
            "admin" => Some(Role::Admin),
            "member" => Some(Role::Member),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for kind in OrgKind::ALL {
            assert_eq!(OrgKind::parse(kind.code()), Some(kind));
        }
        for role in [Role::Admin, Role::Member] {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(OrgKind::parse("ASBL"), None);
        assert_eq!(Role::parse("owner"), None);
    }
}
