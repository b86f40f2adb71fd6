//! Who a representative of an organisation is for the administration: declared (they said
//! so) or verified (a proof of mandate, or a verified administrator, vouched for them), and
//! the proofs they send.
use serde::{Deserialize, Serialize};

/// How a representative became verified (`membership.verified_by`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifiedBy {
    /// An agent accepted their proof of mandate.
    Mandate,
    /// They typed the code sent by post to the registered seat.
    Post,
    /// A verified administrator let them in.
    Admin,
}

impl VerifiedBy {
    pub fn code(self) -> &'static str {
        match self {
            VerifiedBy::Mandate => "mandate",
            VerifiedBy::Post => "post",
            VerifiedBy::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "mandate" => Some(VerifiedBy::Mandate),
            "post" => Some(VerifiedBy::Post),
            "admin" => Some(VerifiedBy::Admin),
            _ => None,
        }
    }
}

/// What a proof of mandate is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProofKind {
    /// The statutes naming the person (or the body they belong to).
    Statutes,
    /// The publication of their appointment in the Moniteur belge.
    Moniteur,
    /// A power of attorney signed by someone entitled to represent the organisation.
    PowerOfAttorney,
}

impl ProofKind {
    pub const ALL: [ProofKind; 3] = [
        ProofKind::Statutes,
        ProofKind::Moniteur,
        ProofKind::PowerOfAttorney,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProofKind::Statutes => "statutes",
            ProofKind::Moniteur => "moniteur",
            ProofKind::PowerOfAttorney => "power_of_attorney",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// Where a proof of mandate stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProofStatus {
    Pending,
    Accepted,
    Refused,
}

impl ProofStatus {
    pub fn code(self) -> &'static str {
        match self {
            ProofStatus::Pending => "pending",
            ProofStatus::Accepted => "accepted",
            ProofStatus::Refused => "refused",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "pending" => Some(ProofStatus::Pending),
            "accepted" => Some(ProofStatus::Accepted),
            "refused" => Some(ProofStatus::Refused),
            _ => None,
        }
    }
}

/// A code sent by post: 8 characters of an alphabet without look-alikes (no 0/O, 1/I/L),
/// written `K7MP-X9QR`.
pub const POSTAL_CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A typed code as it is compared: capitals, without spaces or dashes.
pub fn normalise_postal_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// Who may file a procedure for an organisation (the procedure's definition says).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Representation {
    /// Any active member, verified or not (a room booking).
    Declared,
    /// Only a verified representative (permits, subsidies): the default.
    #[default]
    Verified,
}

impl Representation {
    /// Whether a representative who is `verified` (or not) may file.
    pub fn allows(self, verified: bool) -> bool {
        verified || self == Representation::Declared
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for kind in ProofKind::ALL {
            assert_eq!(ProofKind::parse(kind.code()), Some(kind));
        }
        for status in [
            ProofStatus::Pending,
            ProofStatus::Accepted,
            ProofStatus::Refused,
        ] {
            assert_eq!(ProofStatus::parse(status.code()), Some(status));
        }
        for by in [VerifiedBy::Mandate, VerifiedBy::Post, VerifiedBy::Admin] {
            assert_eq!(VerifiedBy::parse(by.code()), Some(by));
        }
        assert_eq!(ProofKind::parse("passport"), None);
    }

    #[test]
    fn a_typed_code_is_compared_without_case_spaces_or_dashes() {
        assert_eq!(normalise_postal_code(" k7mp-x9qr "), "K7MPX9QR");
        assert_eq!(normalise_postal_code("K7MP X9QR"), "K7MPX9QR");
    }

    #[test]
    fn only_verified_representatives_file_what_needs_them() {
        assert!(Representation::Verified.allows(true));
        assert!(!Representation::Verified.allows(false));
        assert!(Representation::Declared.allows(false));
        assert_eq!(Representation::default(), Representation::Verified);
    }
}
