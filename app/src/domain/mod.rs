//! Domain types: built only through a parse that returns a typed error, so that holding one
//! means it is valid. They compile for the browser and the server alike.
pub mod bce;
pub mod calendar;
pub mod channel;
pub mod dispute;
pub mod email;
pub mod lang;
pub mod membership;
pub mod nrn;
pub mod org_kind;
pub mod password;
pub mod phone;
pub mod representative;
pub mod request;
pub mod safe_path;
pub mod security_event;
pub mod stored_code;

pub use bce::{BceError, BceNumber};
pub use channel::{Channel, Topic};
pub use dispute::{DisputeAction, DisputeOutcome, DisputeStatus};
pub use email::{Email, EmailError};
pub use lang::Lang;
pub use membership::{MemberAction, MembershipChange, MembershipStatus, Transition};
pub use nrn::{Nrn, NrnError};
pub use org_kind::{OrgKind, Role};
pub use password::{NewPassword, PasswordError};
pub use phone::{PhoneError, PhoneKind, PhoneNumber};
pub use representative::{
    normalise_postal_code, ProofKind, ProofStatus, Representation, VerifiedBy, POSTAL_CODE_ALPHABET,
};
pub use request::{format_reference, looks_like_reference, RequestChange, RequestStatus};
pub use safe_path::safe_return_to;
pub use security_event::SecurityEvent;
pub use stored_code::UnknownCode;
