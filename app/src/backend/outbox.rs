//! Queuing e-mails. A change that causes an e-mail writes the outbox row in its own
//! transaction, so the e-mail exists exactly when the change does; the server's outbox
//! worker sends it.
use crate::domain::Lang;
use crate::mail::MailTemplate;
use sqlx::{Any, Executor};

/// Queues an e-mail. Pass the transaction of the change that causes it.
pub async fn enqueue<'e, E>(
    executor: E,
    to: &str,
    lang: Lang,
    template: &MailTemplate,
) -> Result<i64, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let payload = serde_json::to_string(template).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let now = super::now_ms();
    sqlx::query_scalar(
        "INSERT INTO outbox (recipient, language, payload, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, 0, $4, $4) RETURNING id",
    )
    .bind(to)
    .bind(lang.code())
    .bind(payload)
    .bind(now)
    .fetch_one(executor)
    .await
}
