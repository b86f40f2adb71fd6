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
//!   "did you send it?", then gone with their addresses;
//! - drafts left untouched for `DRAFT_RETENTION_DAYS` (default 90): the person is told a
//!   week before (notification, and e-mail as their preferences say), then the draft goes
//!   with its documents. Saving it again starts the count afresh;
//! - decided requests (accepted, refused, closed): `REQUEST_RETENTION_YEARS` (default 10)
//!   after their last change, the commune's administrative record ends; the request goes
//!   with its documents, history, messages, consultations and the notifications that lead
//!   to it. Requests still open are never purged.
use super::db::Db;
use super::notifications::{deliver, Event};
use super::ServerConfig;
use crate::error::AppError;

const DAY_MS: i64 = 24 * 3_600_000;
/// How long before its deletion the person is told of a draft's.
const NOTICE_MS: i64 = 7 * DAY_MS;

/// How long the configurable traces are kept (milliseconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    pub session_idle_ms: i64,
    pub session_max_ms: i64,
    pub mail_ms: i64,
    pub draft_ms: i64,
    pub request_ms: i64,
}

/// How many rows one purge removed, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub drafts_announced: u64,
    pub drafts: u64,
    /// The storage keys of the deleted drafts' documents: the caller removes the files.
    pub sessions: u64,
    pub tokens: u64,
    pub sign_in_failures: u64,
    pub eid_flows: u64,
    pub mails: u64,
    pub draft_files: Vec<String>,
    /// Decided requests past their retention, and their documents' storage keys.
    pub requests: u64,
    pub request_files: Vec<String>,
}

/// Deletes what is past its time at `now`.
pub async fn purge(
    db: &Db,
    config: &ServerConfig,
    now: i64,
    keep: Retention,
) -> Result<Purged, AppError> {
    let drafts_announced = announce_stale_drafts(db, config, now, keep).await?;
    let (drafts, draft_files) = delete_stale_drafts(db, now, keep).await?;
    let (requests, request_files) = delete_old_requests(db, now - keep.request_ms).await?;
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
        drafts_announced,
        drafts,
        draft_files,
        requests,
        request_files,
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

#[derive(sqlx::FromRow)]
struct StaleDraft {
    id: i64,
    account_id: i64,
    organisation_id: Option<i64>,
    procedure_code: String,
    updated_at: i64,
}

/// Tells the people whose drafts will go within a week, once per draft.
async fn announce_stale_drafts(
    db: &Db,
    config: &ServerConfig,
    now: i64,
    keep: Retention,
) -> Result<u64, AppError> {
    let stale: Vec<StaleDraft> = sqlx::query_as(
        "SELECT id, account_id, organisation_id, procedure_code, updated_at FROM request \
         WHERE status = 'draft' AND expiry_notice_at IS NULL AND account_id IS NOT NULL \
           AND updated_at < $1 ORDER BY id LIMIT 500",
    )
    .bind(now - (keep.draft_ms - NOTICE_MS))
    .fetch_all(db)
    .await?;
    let mut told = 0;
    for draft in stale {
        let mut tx = super::begin(db).await?;
        // Another server may have told them meanwhile: only one does.
        let marked = sqlx::query(
            "UPDATE request SET expiry_notice_at = $1 \
             WHERE id = $2 AND status = 'draft' AND expiry_notice_at IS NULL",
        )
        .bind(now)
        .bind(draft.id)
        .execute(&mut *tx)
        .await?;
        if marked.rows_affected() == 0 {
            continue;
        }
        let deleted_at = (draft.updated_at + keep.draft_ms).max(now + NOTICE_MS);
        let date = super::time::brussels_day(deleted_at)
            .map(crate::domain::calendar::format_day)
            .unwrap_or_default();
        let procedure = config
            .catalogue
            .get(&draft.procedure_code)
            .map(|p| p.title.clone())
            .unwrap_or_default();
        let event = Event::DraftExpiring {
            organisation_id: draft.organisation_id,
            procedure_code: draft.procedure_code,
            procedure,
            date,
        };
        deliver(&mut tx, config, draft.account_id, &event).await?;
        tx.commit().await?;
        told += 1;
    }
    Ok(told)
}

/// Deletes the drafts past their time whose people were told at least a week ago; returns
/// how many, and their documents' storage keys.
async fn delete_stale_drafts(
    db: &Db,
    now: i64,
    keep: Retention,
) -> Result<(u64, Vec<String>), AppError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM request WHERE status = 'draft' AND updated_at < $1 \
         AND expiry_notice_at IS NOT NULL AND expiry_notice_at <= $2 ORDER BY id LIMIT 500",
    )
    .bind(now - keep.draft_ms)
    .bind(now - NOTICE_MS)
    .fetch_all(db)
    .await?;
    let still = "status = 'draft' AND updated_at < $2";
    let (mut deleted, mut files) = (0, Vec::new());
    for id in ids {
        if let Some(keys) = delete_one(db, id, still, now - keep.draft_ms, None).await? {
            deleted += 1;
            files.extend(keys);
        }
    }
    Ok((deleted, files))
}

/// Deletes the decided requests last changed before `before` (500 at a time): returns how
/// many, and their documents' storage keys.
async fn delete_old_requests(db: &Db, before: i64) -> Result<(u64, Vec<String>), AppError> {
    let old: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, reference FROM request \
         WHERE status IN ('accepted', 'refused', 'closed') AND updated_at < $1 \
         ORDER BY id LIMIT 500",
    )
    .bind(before)
    .fetch_all(db)
    .await?;
    // Reopened meanwhile (an agent's change moves `updated_at`): kept.
    let still = "status IN ('accepted', 'refused', 'closed') AND updated_at < $2";
    let (mut deleted, mut files) = (0, Vec::new());
    for (id, reference) in old {
        if let Some(keys) = delete_one(db, id, still, before, Some(&reference)).await? {
            deleted += 1;
            files.extend(keys);
        }
    }
    Ok((deleted, files))
}

/// Deletes one request in a transaction of its own if it `still` qualifies (a condition on
/// its row, `$2` being `before`), with the notifications that lead to it when it has a
/// `reference`. Returns its documents' storage keys if it went.
async fn delete_one(
    db: &Db,
    id: i64,
    still: &str,
    before: i64,
    reference: Option<&str>,
) -> Result<Option<Vec<String>>, AppError> {
    let mut tx = super::begin(db).await?;
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT storage_key FROM attachment WHERE request_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
    let gone = sqlx::query(&format!("DELETE FROM request WHERE id = $1 AND {still}"))
        .bind(id)
        .bind(before)
        .execute(&mut *tx)
        .await?;
    if gone.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    if let Some(reference) = reference {
        sqlx::query("DELETE FROM notification WHERE link = $1 OR link LIKE $2")
            .bind(format!("/requests/{reference}"))
            .bind(format!("/requests/{reference}#%"))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Some(keys))
}

/// Which of `keys` a row names (a request's document, a proof of mandate, a dispute's
/// report): one statement, so a file moving from one row to another is seen in one of them.
pub async fn named_files(
    db: &Db,
    keys: &[String],
) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    if keys.is_empty() {
        return Ok(Default::default());
    }
    let list = |offset: usize| {
        (1..=keys.len())
            .map(|n| format!("${}", n + offset))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sql = format!(
        "SELECT storage_key FROM attachment WHERE storage_key IN ({a}) \
         UNION SELECT storage_key FROM mandate_proof WHERE storage_key IN ({b}) \
         UNION SELECT storage_key FROM dispute WHERE storage_key IN ({c})",
        a = list(0),
        b = list(keys.len()),
        c = list(2 * keys.len()),
    );
    let mut query = sqlx::query_scalar::<_, String>(&sql);
    for _ in 0..3 {
        for key in keys {
            query = query.bind(key.as_str());
        }
    }
    Ok(query.fetch_all(db).await?.into_iter().collect())
}
