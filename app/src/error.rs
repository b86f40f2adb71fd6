//! The error type of every server function. It carries codes, never raw messages: the UI
//! translates them, and details stay in the server's logs.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A form field and why its value was refused (a code the UI translates).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str) -> Self {
        FieldError {
            field: field.to_string(),
            code: code.to_string(),
        }
    }
}

/// Why an e-mail link no longer works.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenProblem {
    Unknown,
    Expired,
    Used,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The language asked for is not one the site offers.
    #[error("unsupported language")]
    InvalidLanguage,
    /// Some fields of a form were refused; nothing was changed.
    #[error("invalid form: {0:?}")]
    Validation(Vec<FieldError>),
    /// Wrong e-mail or password (which one is not said).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many failed sign-ins: the next try waits this many minutes.
    #[error("too many attempts: retry in {minutes} minutes")]
    TooManyAttempts { minutes: i64 },
    /// Too many requests that send an e-mail (for this address, from this connection, or in
    /// all): nothing was sent; the form's `field` says so.
    #[error("too many e-mails asked for")]
    TooManyMails { field: String },
    /// The page or action needs a signed-in user.
    #[error("not signed in")]
    NotSignedIn,
    /// The account's address is not confirmed yet: until it is, the account may only
    /// confirm it, get a new link, change it, read the help and delete itself.
    #[error("e-mail address not verified")]
    EmailNotVerified,
    /// The signed-in account may not do this (not a member, or not an administrator).
    #[error("forbidden")]
    Forbidden,
    /// An agent must identify with eID in this session before the back office opens.
    #[error("eID identification required")]
    EidRequired,
    /// Nothing here (or nothing this account may see: it is not told which).
    #[error("not found")]
    NotFound,
    /// Someone else changed it meanwhile: nothing was done.
    #[error("conflict")]
    Conflict,
    /// An e-mail link that cannot be used (any more).
    #[error("unusable link: {0:?}")]
    Token(TokenProblem),
    /// The server is saturated (every password-hashing slot taken): nothing was done, try
    /// again in this many seconds (503 with `Retry-After`).
    #[error("busy: retry in {seconds} seconds")]
    Busy { seconds: u64 },
    /// Something failed on the server; the details are in the logs.
    #[error("internal error")]
    Internal,
    /// The server function machinery itself failed (network, decoding, …).
    #[error("server function error: {0}")]
    ServerFn(ServerFnErrorErr),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::ServerFn(value)
    }
}

impl AppError {
    /// The HTTP status this error answers with. The server sets it, in one place, on every
    /// server function's error answer (`server::server_fns`).
    pub fn status(&self) -> http::StatusCode {
        match self {
            AppError::InvalidLanguage | AppError::Validation(_) | AppError::Token(_) => {
                http::StatusCode::BAD_REQUEST
            }
            AppError::InvalidCredentials | AppError::NotSignedIn => http::StatusCode::UNAUTHORIZED,
            AppError::TooManyAttempts { .. } | AppError::TooManyMails { .. } => {
                http::StatusCode::TOO_MANY_REQUESTS
            }
            AppError::Forbidden | AppError::EmailNotVerified | AppError::EidRequired => {
                http::StatusCode::FORBIDDEN
            }
            AppError::NotFound => http::StatusCode::NOT_FOUND,
            AppError::Conflict => http::StatusCode::CONFLICT,
            AppError::Busy { .. } => http::StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal => http::StatusCode::INTERNAL_SERVER_ERROR,
            // A request the server function could not even decode is the client's fault.
            AppError::ServerFn(
                ServerFnErrorErr::Args(_)
                | ServerFnErrorErr::MissingArg(_)
                | ServerFnErrorErr::Deserialization(_),
            ) => http::StatusCode::BAD_REQUEST,
            AppError::ServerFn(_) => http::StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// A database error: logged with its details, and the user told only that something
/// failed on our side — or, when the database is away for a moment (restarting, every
/// connection busy), to try again in a few seconds (503 with `Retry-After`). Lets the
/// backend write `?` on every query.
#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if database_unavailable(&error) {
            tracing::warn!(%error, "database unavailable");
            return AppError::Busy { seconds: 5 };
        }
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}

/// Whether the database could not be reached or is shutting down, rather than refusing
/// this query: no connection in time, a broken connection, or PostgreSQL's "connection
/// exception" (SQLSTATE 08…) and "operator intervention" (57P…: shutting down, starting).
#[cfg(feature = "ssr")]
fn database_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(error) => error
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_database_away_for_a_moment_is_busy_not_broken() {
        let busy = |error: sqlx::Error| AppError::from(error);
        assert_eq!(
            busy(sqlx::Error::PoolTimedOut),
            AppError::Busy { seconds: 5 }
        );
        assert_eq!(busy(sqlx::Error::PoolClosed), AppError::Busy { seconds: 5 });
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert_eq!(busy(sqlx::Error::Io(reset)), AppError::Busy { seconds: 5 });
        assert_eq!(busy(sqlx::Error::RowNotFound), AppError::Internal);
        assert_eq!(
            busy(sqlx::Error::Protocol("unexpected message".into())),
            AppError::Internal
        );
        assert_eq!(
            AppError::Busy { seconds: 5 }.status(),
            http::StatusCode::SERVICE_UNAVAILABLE
        );
    }
}
