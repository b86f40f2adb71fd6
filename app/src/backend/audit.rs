//! The security events of an account (sign-ins, changes, identifications): what "Sécurité"
//! shows the person.
use super::time::now_ms;
use super::Client;
use crate::domain::SecurityEvent;
use crate::error::AppError;

/// Records one security event in the transaction of the change it is about.
pub async fn record_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account_id: Option<i64>,
    kind: SecurityEvent,
    client: &Client,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO security_event (account_id, kind, ip, user_agent, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(account_id)
    .bind(kind.code())
    .bind(client.ip.as_deref())
    .bind(client.user_agent.as_deref())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
