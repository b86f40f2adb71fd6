//! Server-side only: the database, sessions, accounts and the outbox, used by the server
//! functions and by the axum server.
pub mod accounts;
pub mod data;
pub mod eid;
pub mod kbo;
pub mod limiter;
pub mod notifications;
pub mod organisations;
pub mod outbox;
pub mod preferences;
pub mod profile;
pub mod requests;
pub mod security;
pub mod session;

use crate::error::AppError;
use leptos::prelude::use_context;
use std::time::{SystemTime, UNIX_EPOCH};

/// The database pool: SQLite or PostgreSQL, chosen by `DATABASE_URL`.
pub type Db = sqlx::AnyPool;

/// Starts a transaction that will write.
///
/// On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a deferred transaction that
/// reads, then writes after another connection committed, fails at once with "database is
/// locked" (its snapshot is stale; the busy timeout does not apply), which a user would see as
/// an error under load. On PostgreSQL it is a plain `BEGIN`.
pub async fn begin(db: &Db) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    if db.connect_options().database_url.scheme() == "sqlite" {
        db.begin_with("BEGIN IMMEDIATE").await
    } else {
        db.begin().await
    }
}

/// What server functions need to know of the configuration.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The public address, without a trailing slash: `https://espace.example.be`.
    pub base_url: String,
    /// Cookies are `Secure` (the public address is https).
    pub secure_cookies: bool,
    /// A session unused for this long ends (milliseconds).
    pub session_idle_ms: i64,
    /// A session ends this long after sign-in, whatever happens (milliseconds).
    pub session_max_ms: i64,
    /// The procedures on offer.
    pub catalogue: std::sync::Arc<crate::procedures::Catalogue>,
    /// Identification by eID: `None` when no identity provider is configured.
    pub eid: Option<EidPolicy>,
}

/// What the pages and the filing need to know of the eID identification.
#[derive(Clone, Debug)]
pub struct EidPolicy {
    /// An identification counts for this long in the session that made it (milliseconds).
    pub max_age_ms: i64,
}

/// Removes stored attachment files by key (the server provides it: the storage is its).
#[derive(Clone)]
pub struct AttachmentDeleter(pub std::sync::Arc<dyn Fn(String) + Send + Sync>);

/// The client's IP address, as the session middleware found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub String);

/// Who is making the request, as the security events record it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Client {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The signed-in person of the request being handled, as the session middleware put it in
/// the request's extensions.
///
/// Read from the request itself, never from a context of its own: a context not provided
/// by the current request could be found on an enclosing owner, and that owner may belong
/// to another request handled on the same thread. The request's `Parts` are provided by
/// leptos_axum for every request, so they are always this request's.
pub fn signed_in_user() -> Option<session::CurrentUser> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<session::CurrentUser>().cloned())
}

/// The signed-in person, or the "not signed in" error (401) every server function that
/// needs one answers with.
pub fn require_signed_in() -> Result<session::CurrentUser, AppError> {
    signed_in_user().ok_or_else(|| AppError::NotSignedIn.respond())
}

impl Client {
    /// From the request being handled (its address as the session middleware found it).
    pub fn from_context() -> Self {
        let parts = use_context::<http::request::Parts>();
        Client {
            ip: parts
                .as_ref()
                .and_then(|parts| parts.extensions.get::<ClientIp>())
                .map(|ClientIp(ip)| ip.clone()),
            user_agent: parts.and_then(|parts| {
                parts
                    .headers
                    .get(http::header::USER_AGENT)
                    .and_then(|v| v.to_str().ok())
                    .map(|ua| ua.chars().take(300).collect())
            }),
        }
    }
}

/// Milliseconds since 1970-01-01 UTC: how times are stored.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The pool, from the server function's context.
pub fn db() -> Result<Db, AppError> {
    use_context::<Db>().ok_or_else(|| {
        tracing::error!("no database in the server function context");
        AppError::Internal
    })
}

pub fn config() -> Result<ServerConfig, AppError> {
    use_context::<ServerConfig>().ok_or_else(|| {
        tracing::error!("no configuration in the server function context");
        AppError::Internal
    })
}

/// Logs a database error and hides it from the user.
pub fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "internal error");
    AppError::Internal
}
