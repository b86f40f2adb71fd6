//! Queuing e-mails. A change that causes an e-mail writes the outbox row in its own
//! transaction, so the e-mail exists exactly when the change does; the server's outbox
//! worker sends it.
use super::credentials::IssuedLink;
use super::link_key::{LinkKey, TOKEN_PLACEHOLDER};
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
    insert(executor, to, lang, template, None).await
}

/// Queues an e-mail whose link carries a token just issued: its template has
/// [`TOKEN_PLACEHOLDER`] where the token goes, and the row keeps only the salt; the worker
/// derives the token when it sends it.
pub async fn enqueue_with_link<'e, E>(
    executor: E,
    to: &str,
    lang: Lang,
    template: &MailTemplate,
    link: &IssuedLink,
) -> Result<i64, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    insert(executor, to, lang, template, Some(&link.salt)).await
}

async fn insert<'e, E>(
    executor: E,
    to: &str,
    lang: Lang,
    template: &MailTemplate,
    link_salt: Option<&str>,
) -> Result<i64, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let payload = serde_json::to_string(template).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let now = super::now_ms();
    sqlx::query_scalar(
        "INSERT INTO outbox \
         (recipient, language, payload, link_salt, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING id",
    )
    .bind(to)
    .bind(lang.code())
    .bind(payload)
    .bind(link_salt)
    .bind(now)
    .fetch_one(executor)
    .await
}

/// A queued payload with its link's token put in (what the worker sends).
pub fn with_token(payload: &str, link_salt: Option<&str>, key: &LinkKey) -> String {
    match link_salt {
        Some(salt) => payload.replace(TOKEN_PLACEHOLDER, &key.token(salt)),
        None => payload.to_string(),
    }
}
