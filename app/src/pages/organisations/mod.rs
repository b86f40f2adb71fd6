//! Organisation profiles: the list behind each banner icon, the four steps of the creation
//! wizard, the access request, and the representatives page.
mod helpers;
mod organisation;
mod profiles;
mod verification;
mod wizard;

pub use organisation::{OrganisationContactPage, OrganisationMembersPage};
pub use profiles::ProfilesPage;
pub use verification::{proof_kind_label, proof_status_label, OrganisationVerificationPage};
pub use wizard::{WizardDetailsPage, WizardFunctionPage, WizardRequestPage, WizardStartPage};
