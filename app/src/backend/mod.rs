//! Server-side only: the database, sessions, accounts, organisations, requests and the
//! outbox, used by the server functions (`api`) and by the axum server. Shared helpers sit
//! in modules of their own (`db`, `context`, `time`, `audit`, `credentials`) so that the
//! feature modules import them, never each other's.
pub mod accounts;
pub mod audit;
pub mod context;
pub mod credentials;
pub mod data;
pub mod db;
pub mod eid;
pub mod kbo;
pub mod limiter;
pub mod link_key;
pub mod notifications;
pub mod organisations;
pub mod outbox;
pub mod preferences;
pub mod profile;
pub mod requests;
pub mod retention;
pub mod security;
pub mod sending;
pub mod server_config;
pub mod session;
pub mod time;

pub use context::{config, db, signed_in_user, AttachmentDeleter, Client, ClientIp, Ctx, SignedIn};
pub use credentials::limit_password_hashing;
pub use db::{begin, decode, internal, Db};
pub use link_key::LinkKey;
pub use server_config::{EidPolicy, Quotas, ServerConfig};
pub use time::now_ms;
