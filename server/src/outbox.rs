//! The mail outbox. A change that causes an e-mail writes the outbox row in its own
//! transaction, so the e-mail exists exactly when the change does. A worker (one per server;
//! any number of servers) claims due rows with a lease, sends them, and marks each sent; a
//! failure is retried later with a growing delay. A crash or an SMTP outage loses nothing:
//! an unsent row is simply claimed again once its lease has expired. The one window left is
//! a crash after the relay accepted a message and before the row is marked sent: that
//! message is sent again, with the same Message-ID, which lets mail systems drop the copy.
use crate::db::Db;
use crate::mail::{Envelope, MailError, Mailer};
use app::backend::retention::Retention;
use app::backend::LinkKey;
use app::domain::Lang;
use app::mail::MailTemplate;
use std::time::Duration;

/// A row is held by the worker that claimed it for this long.
const LEASE: Duration = Duration::from_secs(120);
/// After this many failed attempts (about two days of back-off) a row is given up.
pub const MAX_ATTEMPTS: i64 = 16;

pub use app::backend::now_ms;
pub use app::backend::outbox::enqueue;

/// The delay before attempt `attempts + 1`: 30 s, 1 min, 2 min, … capped at 4 hours.
pub fn backoff(attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    Duration::from_secs(30u64.saturating_mul(2u64.saturating_pow(exponent)))
        .min(Duration::from_secs(4 * 3600))
}

/// What one pass of the worker did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub retried: usize,
    pub given_up: usize,
}

/// Claims the due rows (at most `batch`) and tries to send each once. A link's token is
/// derived from its row's salt with `key` only now, for the message being sent.
pub async fn process_due<M: Mailer>(
    db: &Db,
    mailer: &M,
    key: &LinkKey,
    now: i64,
    batch: i64,
) -> Result<Pass, sqlx::Error> {
    let lease_until = now + i64::try_from(LEASE.as_millis()).unwrap_or(i64::MAX);
    // Most passes find nothing to send. Looking first is a read: on SQLite a read never waits
    // for the write lock, while the claim below is a write even when it claims nothing, and
    // every second it queued behind the requests' write transactions (a claim logged as
    // taking 2.5 s was that wait, on a loaded machine). Only a pass with work takes the lock.
    let due: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM outbox \
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
           AND (locked_until IS NULL OR locked_until <= $1) \
         LIMIT 1",
    )
    .bind(now)
    .fetch_optional(db)
    .await?;
    if due.is_none() {
        return Ok(Pass::default());
    }
    // The availability test is repeated outside the sub-select: on PostgreSQL a concurrent
    // worker that claimed the same row first makes this one skip it.
    let rows: Vec<Claimed> = sqlx::query_as(
        "UPDATE outbox SET locked_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox \
                      WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2 \
                        AND (locked_until IS NULL OR locked_until <= $2) \
                      ORDER BY id LIMIT $3) \
           AND sent_at IS NULL AND failed_at IS NULL \
           AND (locked_until IS NULL OR locked_until <= $2) \
         RETURNING id, recipient, language, payload, link_salt, attempts",
    )
    .bind(lease_until)
    .bind(now)
    .bind(batch)
    .fetch_all(db)
    .await?;

    let mut pass = Pass::default();
    for row in rows {
        let (id, attempts) = (row.id, row.attempts);
        let result = match envelope_of(row, key) {
            Ok(envelope) => mailer.send(&envelope).await,
            Err(error) => Err(error),
        };
        match result {
            Ok(()) => {
                mark_sent(db, id, now).await?;
                pass.sent += 1;
            }
            Err(error) if error.is_permanent() || attempts >= MAX_ATTEMPTS => {
                tracing::error!(outbox_id = id, attempts, %error, "e-mail given up");
                sqlx::query("UPDATE outbox SET failed_at = $1, locked_until = NULL, last_error = $2 WHERE id = $3")
                    .bind(now_ms())
                    .bind(error.to_string())
                    .bind(id)
                    .execute(db)
                    .await?;
                pass.given_up += 1;
            }
            Err(error) => {
                let delay = i64::try_from(backoff(attempts).as_millis()).unwrap_or(i64::MAX);
                tracing::warn!(outbox_id = id, attempts, %error, retry_in_ms = delay, "e-mail not sent; will retry");
                sqlx::query(
                    "UPDATE outbox SET locked_until = NULL, next_attempt_at = $1, last_error = $2 WHERE id = $3",
                )
                .bind(now.saturating_add(delay))
                .bind(error.to_string())
                .bind(id)
                .execute(db)
                .await?;
                pass.retried += 1;
            }
        }
    }
    Ok(pass)
}

/// Records that the relay accepted row `id`. The message has gone: if the database does not
/// answer (restarting, say), the record is tried again while the lease holds, rather than
/// left to expire and the message sent a second time.
async fn mark_sent(db: &Db, id: i64, claimed_at: i64) -> Result<(), sqlx::Error> {
    let lease_ends = claimed_at + i64::try_from(LEASE.as_millis()).unwrap_or(i64::MAX);
    let mut wait = Duration::from_millis(250);
    loop {
        let marked = sqlx::query(
            "UPDATE outbox SET sent_at = $1, locked_until = NULL, last_error = NULL WHERE id = $2",
        )
        .bind(now_ms())
        .bind(id)
        .execute(db)
        .await;
        match marked {
            Ok(_) => return Ok(()),
            Err(error) if now_ms() + 5_000 < lease_ends => {
                tracing::warn!(outbox_id = id, %error, "e-mail sent but not yet recorded as sent; trying again");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
            Err(error) => return Err(error),
        }
    }
}

/// An e-mail this worker claimed.
#[derive(sqlx::FromRow)]
struct Claimed {
    id: i64,
    recipient: String,
    language: String,
    payload: String,
    link_salt: Option<String>,
    attempts: i64,
}

fn envelope_of(row: Claimed, key: &LinkKey) -> Result<Envelope, MailError> {
    // A language this version does not know still gets its e-mail, in the default one.
    let lang = Lang::parse(&row.language).unwrap_or_default();
    let payload = app::backend::outbox::with_token(&row.payload, row.link_salt.as_deref(), key);
    let template: MailTemplate = serde_json::from_str(&payload)
        .map_err(|e| MailError::Build(format!("outbox payload: {e}")))?;
    let rendered = template.render(lang);
    Ok(Envelope {
        outbox_id: row.id,
        to: row.recipient,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
    })
}

/// A server's outbox worker: it sends what is due every `interval`, and purges what is
/// past its retention time every hour ([`app::backend::retention`]).
pub struct Worker<M> {
    pub db: Db,
    pub mailer: M,
    pub link_key: LinkKey,
    pub interval: Duration,
    pub retention: Retention,
    /// To word the notices of drafts about to go (the catalogue, the public address).
    pub config: app::backend::ServerConfig,
    /// Where the deleted drafts' documents are.
    pub storage: crate::storage::Storage,
}

/// How often the worker purges.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

impl<M: Mailer> Worker<M> {
    /// Runs passes until `shutdown` resolves: right away, then every `interval`.
    pub async fn run(self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        let mut last_purge: Option<std::time::Instant> = None;
        loop {
            match process_due(&self.db, &self.mailer, &self.link_key, now_ms(), 20).await {
                Ok(pass) if pass != Pass::default() => tracing::debug!(?pass, "outbox pass"),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "outbox pass failed; will try again"),
            }
            if last_purge.is_none_or(|at| at.elapsed() >= PURGE_EVERY) {
                let purged = app::backend::retention::purge(
                    &self.db,
                    &self.config,
                    now_ms(),
                    self.retention,
                )
                .await;
                match purged {
                    Ok(purged) => {
                        for key in purged.draft_files.iter().chain(&purged.request_files) {
                            if let Err(error) = self.storage.delete(key).await {
                                tracing::warn!(%error, key, "a deleted request's file stays in storage");
                            }
                        }
                        tracing::info!(?purged, "retention purge");
                    }
                    Err(error) => tracing::warn!(%error, "retention purge failed; next hour"),
                }
                let before =
                    now_ms() - i64::try_from(crate::storage::ORPHAN_AFTER.as_millis()).unwrap_or(0);
                match self.storage.sweep(&self.db, before).await {
                    Ok(removed) => tracing::info!(removed, "orphan files swept"),
                    Err(error) => tracing::warn!(%error, "orphan sweep failed; next hour"),
                }
                last_purge = Some(std::time::Instant::now());
            }
            tokio::select! {
                () = tokio::time::sleep(self.interval) => {}
                _ = shutdown.changed() => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(3), Duration::from_secs(120));
        assert_eq!(backoff(15), Duration::from_secs(4 * 3600));
        assert_eq!(backoff(1000), Duration::from_secs(4 * 3600));
        assert_eq!(backoff(0), Duration::from_secs(30));
    }
}
