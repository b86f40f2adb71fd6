//! Passwords and e-mailed tokens: hashing and checking off the async threads, and issuing
//! the single-use tokens the verification, reset and e-mail-change links carry.
use super::db::internal;
pub use super::link_key::{LinkKey, TOKEN_PLACEHOLDER};
use super::session;
use super::time::now_ms;
use crate::error::AppError;
use std::sync::{Arc, LazyLock, RwLock};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a request that finds every hashing slot taken is told to wait (`Retry-After`).
pub const HASHING_RETRY_AFTER_SECONDS: u64 = 5;

/// Argon2 is slow on purpose: a flood of registrations or sign-ins must not take every core
/// from the pages. At most `slots` passwords are hashed or checked at once in this process
/// (the cores are the process's, so the limit is too); beyond, a request waits up to `wait`
/// for a slot, then is told to come back ([`AppError::Busy`]: 503 with `Retry-After`).
struct Hashing {
    slots: Arc<Semaphore>,
    wait: Duration,
}

impl Hashing {
    fn new(slots: usize, wait: Duration) -> Arc<Self> {
        Arc::new(Hashing {
            slots: Arc::new(Semaphore::new(slots.max(1))),
            wait,
        })
    }
}

/// Until the server sets it: one slot per core, two seconds of waiting.
static HASHING: LazyLock<RwLock<Arc<Hashing>>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    RwLock::new(Hashing::new(cores, Duration::from_secs(2)))
});

/// Sets the limit (the server does, at start, from `PASSWORD_HASHING_SLOTS` and
/// `PASSWORD_HASHING_WAIT_MS`).
pub fn limit_password_hashing(slots: usize, wait: Duration) {
    if let Ok(mut current) = HASHING.write() {
        *current = Hashing::new(slots, wait);
    }
}

async fn hashing_slot() -> Result<OwnedSemaphorePermit, AppError> {
    let hashing = HASHING
        .read()
        .map(|current| Arc::clone(&current))
        .map_err(|_| AppError::Internal)?;
    let acquire = hashing.slots.clone().acquire_owned();
    match tokio::time::timeout(hashing.wait, acquire).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => {
            tracing::warn!("every password hashing slot is taken: answering 503");
            Err(AppError::Busy {
                seconds: HASHING_RETRY_AFTER_SECONDS,
            })
        }
    }
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    let slot = hashing_slot().await?;
    tokio::task::spawn_blocking(move || {
        // The slot is held until the hash is done, even if the request is gone meanwhile.
        let _slot = slot;
        password_auth::generate_hash(password)
    })
    .await
    .map_err(internal)
}

/// Checks a password against a stored hash, off the async threads.
pub async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    let slot = hashing_slot().await?;
    Ok(tokio::task::spawn_blocking(move || {
        let _slot = slot;
        password_auth::verify_password(password, &hash).is_ok()
    })
    .await
    .unwrap_or(false))
}

/// A link token just issued: the salt its e-mail's outbox row keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedLink {
    pub salt: String,
}

/// Issues a single-use token (its hash is stored, with its purpose and expiry) for a link
/// whose e-mail is queued in the same transaction ([`super::outbox::enqueue_with_link`]).
pub async fn issue_token(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    key: &LinkKey,
    account_id: i64,
    purpose: &str,
    ttl_ms: i64,
    new_email: Option<&str>,
) -> Result<IssuedLink, AppError> {
    let (salt, _) = session::new_token();
    let hash = session::hash_token(&key.token(&salt));
    let now = now_ms();
    sqlx::query(
        "INSERT INTO email_token (token_hash, account_id, purpose, expires_at, created_at, \
         new_email) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash)
    .bind(account_id)
    .bind(purpose)
    .bind(now + ttl_ms)
    .bind(now)
    .bind(new_email)
    .execute(&mut **tx)
    .await?;
    Ok(IssuedLink { salt })
}
