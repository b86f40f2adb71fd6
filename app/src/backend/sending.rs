//! Limits on what sends an e-mail at a visitor's request — a registration (which also
//! e-mails the owner of an address already registered), a new confirmation link, a forgotten
//! password, a change of address — so that nobody can turn the espace into a mail cannon
//! against an address, nor flood the relay. Counted in the database, so they hold whichever
//! server a request reaches; within one hour:
//!
//! - 5 requests per e-mail address (known or not: the answer must not tell);
//! - `SEND_LIMIT_PER_IP` per client address (default 20; a town-hall computer room shares one);
//! - `SEND_LIMIT_TOTAL` in all (default 1,000).
//!
//! Each request is counted and written down in one transaction that holds the lock row
//! `send_lock`, so that parallel ones, on any server, are counted one after the other and
//! cannot all slip through; a refused one is not written down and sends nothing.
use super::{now_ms, Db};
use crate::error::AppError;

pub const WINDOW_MS: i64 = 3_600_000;
pub const PER_ADDRESS: i64 = 5;

/// The limits of this server's configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendLimits {
    pub per_ip: i64,
    pub total: i64,
}

impl Default for SendLimits {
    fn default() -> Self {
        SendLimits {
            per_ip: 20,
            total: 1_000,
        }
    }
}

/// Counts a request that may send an e-mail about `address` (the form's `field`) from `ip`.
/// Beyond a limit it is refused ([`AppError::TooManyMails`], 429) and nothing is sent.
pub async fn allow(
    db: &Db,
    limits: SendLimits,
    field: &str,
    address: &str,
    ip: Option<&str>,
) -> Result<(), AppError> {
    let now = now_ms();
    let address = address.trim().to_lowercase();
    let since = now - WINDOW_MS;
    let mut tx = super::begin(db).await?;
    // One count at a time, on every server: the lock row is held until this one commits.
    sqlx::query("UPDATE send_lock SET n = n + 1 WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM send_request WHERE created_at <= $1")
        .bind(since)
        .execute(&mut *tx)
        .await?;
    let (per_address, per_ip, total): (i64, i64, i64) = sqlx::query_as(
        "SELECT \
           CAST(COALESCE(SUM(CASE WHEN address = $1 THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN ip = $2 THEN 1 ELSE 0 END), 0) AS BIGINT), \
           COUNT(*) \
         FROM send_request WHERE created_at > $3",
    )
    .bind(&address)
    .bind(ip)
    .bind(since)
    .fetch_one(&mut *tx)
    .await?;
    // This one would make one more of each.
    if per_address >= PER_ADDRESS || per_ip >= limits.per_ip || total >= limits.total {
        tx.rollback().await?;
        tracing::warn!(per_address, per_ip, total, "e-mail sending limit reached");
        return Err(AppError::TooManyMails {
            field: field.to_string(),
        });
    }
    sqlx::query("INSERT INTO send_request (address, ip, created_at) VALUES ($1, $2, $3)")
        .bind(&address)
        .bind(ip)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
