//! "Mes données": what the espace keeps about a person, a copy of it to download, and the
//! deletion of the account.
use super::security::confirm_identity;
use super::session::CurrentUser;
use super::time::brussels_time;
use super::{internal, outbox, Client, Db};
use crate::domain::SecurityEvent;
use crate::error::{AppError, FieldError};
use crate::mail::MailTemplate;
use crate::model::account::MyDataSummary;
use serde_json::{json, Value};
use sqlx::Row;

/// UTC, ISO 8601: what a machine-readable copy should carry.
fn iso(ms: Option<i64>) -> Value {
    ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map_or(Value::Null, |t| Value::String(t.to_string()))
}

/// One query: the account's dates and how many of each kind of thing are kept.
pub async fn summary(db: &Db, user: &CurrentUser) -> Result<MyDataSummary, AppError> {
    let row = sqlx::query(
        "SELECT a.created_at, a.last_login_at, \
                (SELECT COUNT(*) FROM membership WHERE account_id = a.id) AS organisations, \
                (SELECT COUNT(*) FROM notification WHERE account_id = a.id) AS notifications, \
                (SELECT COUNT(*) FROM session WHERE account_id = a.id) AS sessions, \
                (SELECT COUNT(*) FROM security_event WHERE account_id = a.id) AS events \
         FROM account a WHERE a.id = $1",
    )
    .bind(user.account_id)
    .fetch_one(db)
    .await?;
    let count = |column: &str| row.try_get::<i64, _>(column).map_err(internal);
    let last_login_at: Option<i64> = row.try_get("last_login_at")?;
    Ok(MyDataSummary {
        email: user.email.clone(),
        created: brussels_time(row.try_get("created_at")?),
        last_login: last_login_at.map(brussels_time).unwrap_or_default(),
        organisations: count("organisations")?,
        notifications: count("notifications")?,
        sessions: count("sessions")?,
        events: count("events")?,
    })
}

/// Everything kept about the account, as one JSON document (the download of "Mes données").
/// Secrets are left out: the password's hash, session and link tokens.
pub async fn export(db: &Db, user: &CurrentUser) -> Result<Value, AppError> {
    let id = user.account_id;
    let account = sqlx::query(
        "SELECT a.email, a.language, a.created_at, a.last_login_at, a.email_verified_at, \
                a.notification_channel, o.name AS default_profile, \
                p.first_name, p.last_name, p.landline, p.mobile, p.contact_email, p.street, \
                p.house_number, p.box, p.postal_code, p.city, p.country \
         FROM account a JOIN citizen_profile p ON p.account_id = a.id \
         LEFT JOIN organisation o ON o.id = a.default_organisation_id \
         WHERE a.id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await?;
    let text = |row: &sqlx::any::AnyRow, column: &str| -> Result<Value, AppError> {
        Ok(row
            .try_get::<Option<String>, _>(column)?
            .map_or(Value::Null, Value::String))
    };
    let time = |row: &sqlx::any::AnyRow, column: &str| -> Result<Value, AppError> {
        Ok(iso(row.try_get::<Option<i64>, _>(column)?))
    };

    let memberships = sqlx::query(
        "SELECT o.name, o.bce, o.kind, m.function, m.role, m.status, m.language, m.landline, \
                m.mobile, m.email, m.notify_email, m.created_at, m.since \
         FROM membership m JOIN organisation o ON o.id = m.organisation_id \
         WHERE m.account_id = $1 ORDER BY m.id",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        Ok(json!({
            "organisation": text(row, "name")?,
            "bce": text(row, "bce")?,
            "kind": text(row, "kind")?,
            "function": text(row, "function")?,
            "role": text(row, "role")?,
            "status": text(row, "status")?,
            "language": text(row, "language")?,
            "landline": text(row, "landline")?,
            "mobile": text(row, "mobile")?,
            "email": text(row, "email")?,
            "email_notifications": row.try_get::<i64, _>("notify_email")? != 0,
            "asked_at": time(row, "created_at")?,
            "since": time(row, "since")?,
        }))
    })
    .collect::<Result<Vec<Value>, AppError>>()?;

    let notifications = sqlx::query(
        "SELECT kind, link, payload, created_at, read_at FROM notification \
         WHERE account_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        let payload: String = row.try_get("payload")?;
        Ok(json!({
            "kind": text(row, "kind")?,
            "link": text(row, "link")?,
            "details": serde_json::from_str::<Value>(&payload).unwrap_or(Value::Null),
            "created_at": time(row, "created_at")?,
            "read_at": time(row, "read_at")?,
        }))
    })
    .collect::<Result<Vec<Value>, AppError>>()?;

    let sessions = sqlx::query(
        "SELECT created_at, last_seen_at, user_agent, ip FROM session \
         WHERE account_id = $1 ORDER BY created_at",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        Ok(json!({
            "started_at": time(row, "created_at")?,
            "last_seen_at": time(row, "last_seen_at")?,
            "user_agent": text(row, "user_agent")?,
            "ip": text(row, "ip")?,
        }))
    })
    .collect::<Result<Vec<Value>, AppError>>()?;

    let events = sqlx::query(
        "SELECT kind, ip, user_agent, created_at FROM security_event \
         WHERE account_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        Ok(json!({
            "kind": text(row, "kind")?,
            "at": time(row, "created_at")?,
            "ip": text(row, "ip")?,
            "user_agent": text(row, "user_agent")?,
        }))
    })
    .collect::<Result<Vec<Value>, AppError>>()?;

    // Identified by eID: when, and the check digits of the number (the number itself is
    // kept only as a keyed hash, which is not exported either).
    let verified = super::eid::verification(db, id).await?.map(|v| {
        json!({
            "verified_at": iso(Some(v.verified_at)),
            "national_register_number": v.nrn_hint,
        })
    });
    Ok(json!({
        "exported_at": iso(Some(super::now_ms())),
        "identity_verified_by_eid": verified,
        "account": {
            "email": text(&account, "email")?,
            "language": text(&account, "language")?,
            "created_at": time(&account, "created_at")?,
            "email_verified_at": time(&account, "email_verified_at")?,
            "last_login_at": time(&account, "last_login_at")?,
            "notifications_by": text(&account, "notification_channel")?,
            "default_profile": text(&account, "default_profile")?,
        },
        "citizen_profile": {
            "first_name": text(&account, "first_name")?,
            "last_name": text(&account, "last_name")?,
            "landline": text(&account, "landline")?,
            "mobile": text(&account, "mobile")?,
            "contact_email": text(&account, "contact_email")?,
            "address": {
                "street": text(&account, "street")?,
                "number": text(&account, "house_number")?,
                "box": text(&account, "box")?,
                "postal_code": text(&account, "postal_code")?,
                "city": text(&account, "city")?,
                "country": text(&account, "country")?,
            },
        },
        "organisations": memberships,
        "notifications": notifications,
        "sessions": sessions,
        "security_events": events,
    }))
}

/// Deletes the account and everything that is only the person's (profile, sessions,
/// notifications, memberships). Refused while the person is the last administrator of an
/// organisation profile: its other members would be left with nobody to accept them.
pub async fn delete_account(
    db: &Db,
    user: &CurrentUser,
    password: &str,
    confirmed: bool,
    client: &Client,
) -> Result<(), AppError> {
    if !confirmed {
        return Err(AppError::Validation(vec![FieldError::new(
            "confirm",
            "delete.confirm_required",
        )]));
    }
    let account = confirm_identity(db, user, password, "delete_password").await?;
    let mut tx = crate::backend::begin(db).await?;
    let last_admin_of: Vec<String> = sqlx::query_scalar(
        "SELECT o.name FROM membership m JOIN organisation o ON o.id = m.organisation_id \
         WHERE m.account_id = $1 AND m.status = 'active' AND m.role = 'admin' \
           AND NOT EXISTS (SELECT 1 FROM membership other \
                           WHERE other.organisation_id = m.organisation_id \
                             AND other.account_id <> m.account_id \
                             AND other.status = 'active' AND other.role = 'admin') \
         ORDER BY o.name",
    )
    .bind(account.id)
    .fetch_all(&mut *tx)
    .await?;
    if !last_admin_of.is_empty() {
        tx.rollback().await?;
        return Err(AppError::Validation(vec![FieldError::new(
            "delete_password",
            "delete.last_admin",
        )]));
    }
    // Kept for the record (who did what, without the person): the security log of the
    // account goes with it, the history of organisations keeps an empty name.
    sqlx::query("DELETE FROM account WHERE id = $1")
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
    super::audit::record_event(&mut tx, None, SecurityEvent::AccountDeleted, client).await?;
    outbox::enqueue(
        &mut *tx,
        &account.email,
        account.language,
        &MailTemplate::AccountDeleted {
            first_name: account.first_name,
        },
    )
    .await?;
    Ok(tx.commit().await?)
}
