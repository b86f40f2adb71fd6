//! Démarches on the server: drafts, submission, the dashboard, the request page, messages,
//! documents asked and answered, and the agents' side. Every function that touches a
//! request checks who may see it: the members of the profile that filed it, and agents.
mod access_log;
mod backoffice;
mod catalogue;
mod dashboard;
mod filing;
mod shared;
mod view;

pub use access_log::of_account as accesses_of_account;
pub use backoffice::{change_status, queue, set_agent, AgentChange, QueueFilter};
pub use catalogue::catalogue;
pub use dashboard::{dashboard, export_rows};
pub use filing::{delete_draft, filing, save, Intent, Saved, StoredFiles};
pub use shared::{profile_kind, NewAttachment, EXPORT_MAX, PAGE_SIZE};
pub use view::{answer_documents, attachment, other_profile_of, post_message, view, Viewer};
