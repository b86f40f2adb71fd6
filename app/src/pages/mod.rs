mod accessibility;
mod account;
mod check;
mod dashboard;
mod disputes;
mod help;
mod home;
mod identification;
mod login;
mod not_found;
mod notifications;
pub mod organisations;
mod password;
mod preferences;
pub mod procedures;
mod register;
pub mod requests;
mod terms;
mod verifications;
mod verify_email;

pub use accessibility::AccessibilityPage;
pub use account::{MyDataPage, MyOrganisationsPage, ProfilePage, SecurityPage};
pub use check::CheckPage;
pub use dashboard::DashboardPage;
pub use disputes::{BackofficeDisputesPage, ReportPage};
pub use help::HelpPage;
pub use home::HomePage;
pub use identification::IdentificationPage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use notifications::NotificationsPage;
pub use organisations::{
    OrganisationContactPage, OrganisationMembersPage, OrganisationVerificationPage, ProfilesPage,
    WizardDetailsPage, WizardFunctionPage, WizardRequestPage, WizardStartPage,
};
pub use password::{ForgotPasswordPage, ResetPasswordPage};
pub use preferences::PreferencesPage;
pub use procedures::{CataloguePage, FilingPage};
pub use register::{CheckEmailPage, RegisterPage};
pub use requests::{BackofficePage, BackofficeRequestPage, RequestPage};
pub use terms::TermsPage;
pub use verifications::{BackofficeLettersPage, BackofficeNav, BackofficeVerificationsPage};
pub use verify_email::VerifyEmailPage;
