//! Passwords and e-mailed tokens: hashing and checking off the async threads, and issuing
//! the single-use tokens the verification, reset and e-mail-change links carry.
use super::db::internal;
use super::session;
use super::time::now_ms;
use crate::error::AppError;

pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(internal)
}

/// Checks a password against a stored hash, off the async threads.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || password_auth::verify_password(password, &hash).is_ok())
        .await
        .unwrap_or(false)
}

pub async fn issue_token(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account_id: i64,
    purpose: &str,
    ttl_ms: i64,
    new_email: Option<&str>,
) -> Result<String, AppError> {
    let (token, hash) = session::new_token();
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
    Ok(token)
}
