//! What is kept of the traces of using the espace, and for how long. Every server's outbox
//! worker runs [`purge`] once an hour; deleting what is past its time twice changes
//! nothing, so any number of servers may run it.
//!
//! - sessions: as soon as they end (`SESSION_IDLE_MINUTES` unused, `SESSION_MAX_HOURS` old);
//! - e-mailed links' tokens: 7 days after they expired or were used (until then a late click
//!   says "already used" or "expired" rather than "unknown");
//! - sign-in failures: 1 day (the limit looks back 15 minutes);
//! - eID identification flows: 1 day (a flow lasts 10 minutes);
//! - e-mails, sent or given up: `MAIL_RETENTION_DAYS` (default 30), long enough to answer
//!   "did you send it?", then gone with their addresses.
use super::db::Db;

const DAY_MS: i64 = 24 * 3_600_000;

/// How long the configurable traces are kept (milliseconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    pub session_idle_ms: i64,
    pub session_max_ms: i64,
    pub mail_ms: i64,
}

/// How many rows one purge removed, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub tokens: u64,
    pub sign_in_failures: u64,
    pub eid_flows: u64,
    pub mails: u64,
}

/// Deletes what is past its time at `now`.
pub async fn purge(db: &Db, now: i64, keep: Retention) -> Result<Purged, sqlx::Error> {
    let run = |sql: &'static str, before: i64| async move {
        sqlx::query(sql)
            .bind(before)
            .execute(db)
            .await
            .map(|done| done.rows_affected())
    };
    let sessions = sqlx::query("DELETE FROM session WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - keep.session_idle_ms)
        .bind(now - keep.session_max_ms)
        .execute(db)
        .await?
        .rows_affected();
    Ok(Purged {
        sessions,
        tokens: run(
            "DELETE FROM email_token WHERE expires_at < $1 OR used_at < $1",
            now - 7 * DAY_MS,
        )
        .await?,
        sign_in_failures: run(
            "DELETE FROM login_failure WHERE created_at < $1",
            now - DAY_MS,
        )
        .await?,
        eid_flows: run("DELETE FROM eid_flow WHERE created_at < $1", now - DAY_MS).await?,
        mails: run(
            "DELETE FROM outbox WHERE sent_at < $1 OR failed_at < $1",
            now - keep.mail_ms,
        )
        .await?,
    })
}
