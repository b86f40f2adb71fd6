//! How a domain enum is stored: as its short code (`accepted`, `admin`, `nl`…). Reading a
//! row turns the code back into the enum (`TryFrom<String>`, which the rows' `FromRow`
//! derive uses); a code this version does not know is an error, never a default.
use std::fmt;

/// A stored code that this version cannot read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown stored value {:?}", self.0)
    }
}

impl std::error::Error for UnknownCode {}

/// `TryFrom<String>` through the type's own `parse(&str) -> Option<Self>`.
macro_rules! stored_as_code {
    ($($kind:ty),* $(,)?) => {
        $(impl TryFrom<String> for $kind {
            type Error = UnknownCode;

            fn try_from(code: String) -> Result<Self, UnknownCode> {
                Self::parse(&code).ok_or(UnknownCode(code))
            }
        })*
    };
}

stored_as_code!(
    super::Channel,
    super::Lang,
    super::MembershipStatus,
    super::MemberAction,
    super::OrgKind,
    super::Role,
    super::RequestStatus,
    super::RequestChange,
    super::SecurityEvent,
    super::ProofKind,
    super::ProofStatus,
    super::VerifiedBy,
    super::DisputeStatus,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Lang, RequestStatus};

    #[test]
    fn a_stored_code_reads_back_and_an_unknown_one_is_an_error() {
        assert_eq!(
            RequestStatus::try_from("accepted".to_string()),
            Ok(RequestStatus::Accepted)
        );
        assert_eq!(Lang::try_from("nl".to_string()), Ok(Lang::Nl));
        assert_eq!(
            RequestStatus::try_from("acceptee".to_string()),
            Err(UnknownCode("acceptee".to_string()))
        );
    }
}
