//! The limit on failed sign-ins, per e-mail address and per client IP address. It lives in
//! the database so that it holds whichever server a request reaches.
//!
//! Within a window of 15 minutes, the first failures are free (5 per address, 20 per IP
//! address: a library or a town-hall computer room shares one). After that, each new try
//! waits after the last failure: 1 minute, then 2, 4, 8, capped at 15. A success clears
//! the address's failures; 15 minutes without a failure clear everything.
use super::{now_ms, Db};

pub const WINDOW_MS: i64 = 15 * 60 * 1000;
const FIRST_WAIT_MS: i64 = 60 * 1000;
const MAX_WAIT_MS: i64 = WINDOW_MS;
/// Failures allowed in the window before the waits start.
pub const FREE_PER_ADDRESS: i64 = 5;
pub const FREE_PER_IP: i64 = 20;

/// What is counted: one e-mail address (known or not: the limit must not tell) or one IP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Address(String),
    Ip(String),
}

impl Scope {
    fn key(&self) -> String {
        match self {
            Scope::Address(email) => format!("email:{}", email.trim().to_lowercase()),
            Scope::Ip(ip) => format!("ip:{ip}"),
        }
    }

    fn free(&self) -> i64 {
        match self {
            Scope::Address(_) => FREE_PER_ADDRESS,
            Scope::Ip(_) => FREE_PER_IP,
        }
    }
}

/// How long after the last failure the next try must wait, given the failures in the
/// window; `None` while they are still free.
pub fn wait_after(failures: i64, free: i64) -> Option<i64> {
    if failures < free {
        return None;
    }
    let doublings = u32::try_from((failures - free).min(10)).unwrap_or(10);
    Some((FIRST_WAIT_MS << doublings).min(MAX_WAIT_MS))
}

/// Milliseconds until the scope may try again; `None`: it may try now.
pub fn locked_for(failures: i64, free: i64, last_failure: i64, now: i64) -> Option<i64> {
    let wait = wait_after(failures, free)?;
    let remaining = last_failure + wait - now;
    (remaining > 0).then_some(remaining)
}

/// The longest wait among the scopes, if any is locked.
pub async fn check(db: &Db, scopes: &[Scope]) -> Result<Option<i64>, sqlx::Error> {
    let now = now_ms();
    let mut longest: Option<i64> = None;
    for scope in scopes {
        let (count, last): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MAX(created_at) FROM login_failure \
             WHERE scope = $1 AND created_at > $2",
        )
        .bind(scope.key())
        .bind(now - WINDOW_MS)
        .fetch_one(db)
        .await?;
        if let Some(last) = last {
            if let Some(remaining) = locked_for(count, scope.free(), last, now) {
                longest = Some(longest.map_or(remaining, |l| l.max(remaining)));
            }
        }
    }
    Ok(longest)
}

/// Counts a failure against every scope, and forgets what fell out of the window.
pub async fn record_failure(db: &Db, scopes: &[Scope]) -> Result<(), sqlx::Error> {
    let now = now_ms();
    let mut tx = crate::backend::begin(db).await?;
    for scope in scopes {
        let key = scope.key();
        sqlx::query("DELETE FROM login_failure WHERE scope = $1 AND created_at <= $2")
            .bind(&key)
            .bind(now - WINDOW_MS)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO login_failure (scope, created_at) VALUES ($1, $2)")
            .bind(&key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// After a successful sign-in the address starts afresh (its IP address does not).
pub async fn clear(db: &Db, scope: &Scope) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failure WHERE scope = $1")
        .bind(scope.key())
        .execute(db)
        .await?;
    Ok(())
}

/// Whole minutes to tell the user, rounded up (never 0).
pub fn minutes(ms: i64) -> i64 {
    ((ms + 59_999) / 60_000).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_failures_are_free() {
        for n in 0..FREE_PER_ADDRESS {
            assert_eq!(wait_after(n, FREE_PER_ADDRESS), None);
        }
        assert_eq!(wait_after(FREE_PER_IP - 1, FREE_PER_IP), None);
    }

    #[test]
    fn the_wait_doubles_up_to_fifteen_minutes() {
        let waits: Vec<i64> = (5..=12)
            .map(|n| wait_after(n, 5).expect("locked") / 60_000)
            .collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 15, 15, 15, 15]);
        assert_eq!(wait_after(i64::MAX, 5), Some(MAX_WAIT_MS));
    }

    #[test]
    fn the_lock_ends_when_the_wait_is_over() {
        let last = 1_000_000;
        assert_eq!(locked_for(5, 5, last, last + 10_000), Some(50_000));
        assert_eq!(locked_for(5, 5, last, last + 60_000), None);
        assert_eq!(locked_for(4, 5, last, last), None);
    }

    #[test]
    fn minutes_round_up() {
        assert_eq!(minutes(1), 1);
        assert_eq!(minutes(60_000), 1);
        assert_eq!(minutes(60_001), 2);
        assert_eq!(minutes(0), 1);
    }

    #[test]
    fn addresses_are_counted_whatever_their_case() {
        assert_eq!(
            Scope::Address(" Amelie@Example.be ".into()).key(),
            Scope::Address("amelie@example.be".into()).key()
        );
        assert_ne!(
            Scope::Address("a@b.be".into()).key(),
            Scope::Ip("a@b.be".into()).key()
        );
    }
}
