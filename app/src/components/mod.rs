pub mod draft_mirror;
mod footer;
pub mod form;
pub mod format;
mod lang_switch;
mod load_error;
mod page_title;
pub mod progress;
#[cfg(feature = "hydrate")]
pub mod upload;
mod user_menu;

pub use footer::SiteFooter;
pub use lang_switch::LanguageSwitch;
pub use load_error::{answer_with, LoadError};
pub use page_title::PageTitle;
pub use user_menu::UserMenu;
