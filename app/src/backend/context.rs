//! What a server function knows of the request it answers: the configuration, the pool,
//! the signed-in person and the client.
use super::db::Db;
use super::server_config::ServerConfig;
use super::session;
use crate::error::AppError;
use leptos::prelude::use_context;

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
fn require_signed_in() -> Result<session::CurrentUser, AppError> {
    signed_in_user().ok_or(AppError::NotSignedIn)
}

/// What a server function works with: the pool, the configuration, and where the request
/// comes from. `Ctx::get()` replaces the preamble each one used to repeat.
pub struct Ctx {
    pub db: Db,
    pub config: ServerConfig,
    pub client: Client,
}

/// The same for a server function that needs a signed-in person.
pub struct SignedIn {
    pub user: session::CurrentUser,
    pub db: Db,
    pub config: ServerConfig,
    pub client: Client,
}

impl Ctx {
    pub fn get() -> Result<Self, AppError> {
        Ok(Ctx {
            db: db()?,
            config: config()?,
            client: Client::from_context(),
        })
    }

    /// The context of the signed-in person, or "not signed in" (401), or "address not
    /// verified" (403) for an account whose e-mail address is not confirmed yet.
    pub fn signed_in() -> Result<SignedIn, AppError> {
        let cx = Ctx::signed_in_unverified()?;
        if !cx.user.email_verified {
            return Err(AppError::EmailNotVerified);
        }
        Ok(cx)
    }

    /// The same, for the few things an account may do before its address is confirmed:
    /// see its security page and change the address, see its data and delete itself.
    pub fn signed_in_unverified() -> Result<SignedIn, AppError> {
        let user = require_signed_in()?;
        let Ctx { db, config, client } = Ctx::get()?;
        Ok(SignedIn {
            user,
            db,
            config,
            client,
        })
    }
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
