//! Organisations: the wizard, memberships and the representatives page. Authorisation is
//! checked here, on every call, from the signed-in account's membership.
mod access;
mod authorise;
mod contact;
mod dispute;
mod members;
mod postal;
mod verification;
mod wizard;

pub use access::request_access;
pub use authorise::{membership_details, memberships, switch, switched};
pub use contact::{contact, save_contact};
pub use dispute::{
    decide_dispute, dispute_file, disputes, my_disputes, report, report_errors, ReportForm,
    EXPLANATION_MAX,
};
pub use members::{member_action, members};
pub use postal::{enter_code, letters, print_letters, request_code, Letter, Seat};
pub use verification::{decide, may_file, proof_file, queue, submit_proof, verification, NewProof};
pub use wizard::{create, draft, forget_draft, save_details, start};
