//! The limit on failed sign-ins, per e-mail address *from one IP address* and per client IP
//! address: a stranger who guesses wrong from elsewhere locks only themselves out, never the
//! person. It lives in the database so that it holds whichever server a request reaches.
//!
//! Within a window of 15 minutes, the first failures are free (5 per address and IP, 20 per
//! IP address: a library or a town-hall computer room shares one). After that, each new try
//! waits after the last failure: 1 minute, then 2, 4, 8, capped at 15. A success clears
//! the address's failures from that IP; 15 minutes without a failure clear everything.
//!
//! A try is written down before its password is checked ([`attempt`]), and the failures
//! counted are those before it, tries in flight included: guesses sent in parallel cannot all
//! slip through before the first failure is recorded.
use super::{now_ms, Db};
use crate::error::AppError;

pub const WINDOW_MS: i64 = 15 * 60 * 1000;
const FIRST_WAIT_MS: i64 = 60 * 1000;
const MAX_WAIT_MS: i64 = WINDOW_MS;
/// Failures allowed in the window before the waits start.
pub const FREE_PER_ADDRESS: i64 = 5;
pub const FREE_PER_IP: i64 = 20;

/// What is counted: one e-mail address (known or not: the limit must not tell), the same
/// address from one IP address, or one IP address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The signed-in person confirming their password: only they can try.
    Address(String),
    AddressFrom {
        email: String,
        ip: String,
    },
    Ip(String),
}

impl Scope {
    /// What a sign-in is counted against: the address from this IP, and the IP.
    pub fn for_sign_in(email: &str, ip: Option<&str>) -> Vec<Scope> {
        match ip {
            Some(ip) => vec![
                Scope::AddressFrom {
                    email: email.to_string(),
                    ip: ip.to_string(),
                },
                Scope::Ip(ip.to_string()),
            ],
            None => vec![Scope::Address(email.to_string())],
        }
    }

    fn key(&self) -> String {
        match self {
            Scope::Address(email) => format!("email:{}", normalised(email)),
            Scope::AddressFrom { email, ip } => format!("email:{}|ip:{ip}", normalised(email)),
            Scope::Ip(ip) => format!("ip:{ip}"),
        }
    }

    fn free(&self) -> i64 {
        match self {
            Scope::Address(_) | Scope::AddressFrom { .. } => FREE_PER_ADDRESS,
            Scope::Ip(_) => FREE_PER_IP,
        }
    }
}

fn normalised(email: &str) -> String {
    email.trim().to_lowercase()
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

/// A try, written down against each scope before its password is checked. Dropped as it
/// is, it stays a failure; [`Attempt::passed`] removes it.
#[must_use]
pub struct Attempt {
    ids: Vec<i64>,
}

/// Writes the try down, then counts the failures before it in the window (tries still in
/// flight included). Locked: the try is removed again (waiting out a lock does not lengthen
/// it) and the error says how long to wait, the longest among the scopes.
pub async fn attempt(db: &Db, scopes: &[Scope]) -> Result<Attempt, AppError> {
    let now = now_ms();
    let mut ids = Vec::with_capacity(scopes.len());
    let mut tx = crate::backend::begin(db).await?;
    for scope in scopes {
        let key = scope.key();
        sqlx::query("DELETE FROM login_failure WHERE scope = $1 AND created_at <= $2")
            .bind(&key)
            .bind(now - WINDOW_MS)
            .execute(&mut *tx)
            .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO login_failure (scope, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(&key)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        ids.push(id);
    }
    tx.commit().await?;
    let attempt = Attempt { ids };
    let mut longest: Option<i64> = None;
    for (scope, id) in scopes.iter().zip(&attempt.ids) {
        let (count, last): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MAX(created_at) FROM login_failure \
             WHERE scope = $1 AND created_at > $2 AND id <> $3",
        )
        .bind(scope.key())
        .bind(now - WINDOW_MS)
        .bind(id)
        .fetch_one(db)
        .await?;
        if let Some(remaining) = last.and_then(|last| locked_for(count, scope.free(), last, now)) {
            longest = Some(longest.map_or(remaining, |l| l.max(remaining)));
        }
    }
    match longest {
        Some(remaining) => {
            attempt.passed(db).await?;
            Err(AppError::TooManyAttempts {
                minutes: minutes(remaining),
            })
        }
        None => Ok(attempt),
    }
}

impl Attempt {
    /// The password was right (or the try did not count): it is not a failure.
    pub async fn passed(self, db: &Db) -> Result<(), sqlx::Error> {
        for id in self.ids {
            sqlx::query("DELETE FROM login_failure WHERE id = $1")
                .bind(id)
                .execute(db)
                .await?;
        }
        Ok(())
    }
}

/// After a successful sign-in the address starts afresh from that IP (the IP does not).
/// Clearing an [`Scope::Address`] (a new password) clears it from every IP.
pub async fn clear(db: &Db, scope: &Scope) -> Result<(), sqlx::Error> {
    let key = scope.key();
    let from_anywhere = match scope {
        Scope::Address(_) => format!("{}|ip:%", like_escaped(&key)),
        _ => like_escaped(&key),
    };
    sqlx::query("DELETE FROM login_failure WHERE scope = $1 OR scope LIKE $2 ESCAPE '\\'")
        .bind(&key)
        .bind(from_anywhere)
        .execute(db)
        .await?;
    Ok(())
}

/// `text` matched literally by LIKE (with `ESCAPE '\'`).
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
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

    #[test]
    fn a_sign_in_counts_against_the_address_from_its_ip_and_the_ip() {
        let scopes = Scope::for_sign_in("Ana@Example.be", Some("192.0.2.1"));
        let keys: Vec<String> = scopes.iter().map(Scope::key).collect();
        assert_eq!(keys, ["email:ana@example.be|ip:192.0.2.1", "ip:192.0.2.1"]);
        assert_eq!(
            Scope::for_sign_in("ana@example.be", None),
            [Scope::Address("ana@example.be".into())]
        );
    }

    #[test]
    fn like_patterns_match_addresses_literally() {
        assert_eq!(like_escaped("a_b%c\\d"), "a\\_b\\%c\\\\d");
    }
}
