//! "Mes données": what the espace keeps about a person, a copy of it to download, and the
//! deletion of the account.
use super::security::confirm_identity;
use super::session::CurrentUser;
use super::time::brussels_time;
use super::{outbox, Client, Db};
use crate::domain::SecurityEvent;
use crate::error::{AppError, FieldError};
use crate::mail::MailTemplate;
use crate::model::account::MyDataSummary;
use serde_json::{json, Value};

/// UTC, ISO 8601: what a machine-readable copy should carry.
fn iso(ms: Option<i64>) -> Value {
    ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map_or(Value::Null, |t| Value::String(t.to_string()))
}

/// One query: the account's dates and how many of each kind of thing are kept.
pub async fn summary(db: &Db, user: &CurrentUser) -> Result<MyDataSummary, AppError> {
    #[derive(sqlx::FromRow)]
    struct Counts {
        created_at: i64,
        last_login_at: Option<i64>,
        organisations: i64,
        notifications: i64,
        sessions: i64,
        events: i64,
    }
    let row: Counts = sqlx::query_as(
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
    Ok(MyDataSummary {
        email: user.email.clone(),
        created: brussels_time(row.created_at),
        last_login: row.last_login_at.map(brussels_time).unwrap_or_default(),
        organisations: row.organisations,
        notifications: row.notifications,
        sessions: row.sessions,
        events: row.events,
    })
}

/// Everything kept about the account, as one JSON document (the download of "Mes données").
/// Secrets are left out: the password's hash, session and link tokens.
pub async fn export(db: &Db, user: &CurrentUser) -> Result<Value, AppError> {
    let id = user.account_id;
    // Stored codes are copied as they are kept: a copy of the data, not a reading of it.
    #[derive(sqlx::FromRow)]
    struct Account {
        email: Option<String>,
        language: Option<String>,
        created_at: Option<i64>,
        last_login_at: Option<i64>,
        email_verified_at: Option<i64>,
        notify_status: Option<String>,
        notify_documents: Option<String>,
        notify_messages: Option<String>,
        notify_access: Option<String>,
        default_profile: Option<String>,
        first_name: Option<String>,
        last_name: Option<String>,
        landline: Option<String>,
        mobile: Option<String>,
        contact_email: Option<String>,
        street: Option<String>,
        house_number: Option<String>,
        r#box: Option<String>,
        postal_code: Option<String>,
        city: Option<String>,
        country: Option<String>,
    }
    let account: Account = sqlx::query_as(
        "SELECT a.email, a.language, a.created_at, a.last_login_at, a.email_verified_at, \
                a.notify_status, a.notify_documents, a.notify_messages, a.notify_access, \
                o.name AS default_profile, \
                p.first_name, p.last_name, p.landline, p.mobile, p.contact_email, p.street, \
                p.house_number, p.box, p.postal_code, p.city, p.country \
         FROM account a JOIN citizen_profile p ON p.account_id = a.id \
         LEFT JOIN organisation o ON o.id = a.default_organisation_id \
         WHERE a.id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await?;

    #[derive(sqlx::FromRow)]
    struct Membership {
        name: Option<String>,
        bce: Option<String>,
        kind: Option<String>,
        function: Option<String>,
        role: Option<String>,
        status: Option<String>,
        language: Option<String>,
        landline: Option<String>,
        mobile: Option<String>,
        email: Option<String>,
        notify_email: i64,
        created_at: Option<i64>,
        since: Option<i64>,
    }
    let memberships = sqlx::query_as::<_, Membership>(
        "SELECT o.name, o.bce, o.kind, m.function, m.role, m.status, m.language, m.landline, \
                m.mobile, m.email, m.notify_email, m.created_at, m.since \
         FROM membership m JOIN organisation o ON o.id = m.organisation_id \
         WHERE m.account_id = $1 ORDER BY m.id",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|row| {
        json!({
            "organisation": row.name,
            "bce": row.bce,
            "kind": row.kind,
            "function": row.function,
            "role": row.role,
            "status": row.status,
            "language": row.language,
            "landline": row.landline,
            "mobile": row.mobile,
            "email": row.email,
            "email_notifications": row.notify_email != 0,
            "asked_at": iso(row.created_at),
            "since": iso(row.since),
        })
    })
    .collect::<Vec<Value>>();

    #[derive(sqlx::FromRow)]
    struct Notification {
        kind: Option<String>,
        link: Option<String>,
        payload: String,
        created_at: Option<i64>,
        read_at: Option<i64>,
    }
    let notifications = sqlx::query_as::<_, Notification>(
        "SELECT kind, link, payload, created_at, read_at FROM notification \
         WHERE account_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|row| {
        json!({
            "kind": row.kind,
            "link": row.link,
            "details": serde_json::from_str::<Value>(&row.payload).unwrap_or(Value::Null),
            "created_at": iso(row.created_at),
            "read_at": iso(row.read_at),
        })
    })
    .collect::<Vec<Value>>();

    #[derive(sqlx::FromRow)]
    struct Session {
        created_at: Option<i64>,
        last_seen_at: Option<i64>,
        user_agent: Option<String>,
        ip: Option<String>,
    }
    let sessions = sqlx::query_as::<_, Session>(
        "SELECT created_at, last_seen_at, user_agent, ip FROM session \
         WHERE account_id = $1 ORDER BY created_at",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|row| {
        json!({
            "started_at": iso(row.created_at),
            "last_seen_at": iso(row.last_seen_at),
            "user_agent": row.user_agent,
            "ip": row.ip,
        })
    })
    .collect::<Vec<Value>>();

    #[derive(sqlx::FromRow)]
    struct Event {
        kind: Option<String>,
        ip: Option<String>,
        user_agent: Option<String>,
        created_at: Option<i64>,
    }
    let events = sqlx::query_as::<_, Event>(
        "SELECT kind, ip, user_agent, created_at FROM security_event \
         WHERE account_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|row| {
        json!({
            "kind": row.kind,
            "at": iso(row.created_at),
            "ip": row.ip,
            "user_agent": row.user_agent,
        })
    })
    .collect::<Vec<Value>>();

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
            "email": account.email,
            "language": account.language,
            "created_at": iso(account.created_at),
            "email_verified_at": iso(account.email_verified_at),
            "last_login_at": iso(account.last_login_at),
            "notifications_by": {
                "status": account.notify_status,
                "documents": account.notify_documents,
                "messages": account.notify_messages,
                "access": account.notify_access,
            },
            "default_profile": account.default_profile,
        },
        "citizen_profile": {
            "first_name": account.first_name,
            "last_name": account.last_name,
            "landline": account.landline,
            "mobile": account.mobile,
            "contact_email": account.contact_email,
            "address": {
                "street": account.street,
                "number": account.house_number,
                "box": account.r#box,
                "postal_code": account.postal_code,
                "city": account.city,
                "country": account.country,
            },
        },
        "organisations": memberships,
        // Who in the administration read the person's requests or downloaded their files.
        "administration_reads": super::requests::accesses_of_account(db, id).await?,
        "notifications": notifications,
        "sessions": sessions,
        "security_events": events,
    }))
}

/// A document the person sent, for the ZIP of "Mes données".
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonFile {
    pub id: i64,
    /// Its folder in the ZIP: the request's reference (`brouillons` for drafts),
    /// `preuves-de-mandat` or `signalements`.
    pub folder: String,
    pub file_name: String,
    pub storage_key: String,
}

/// Every document the person sent: to requests (drafts included, whichever profile), as
/// proofs of mandate, with reports. Documents others sent to the same requests are theirs.
pub async fn documents(db: &Db, user: &CurrentUser) -> Result<Vec<PersonFile>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.id, COALESCE(r.reference, 'brouillons') AS folder, a.file_name, a.storage_key \
         FROM attachment a JOIN request r ON r.id = a.request_id WHERE a.uploaded_by = $1 \
         UNION ALL SELECT p.id, 'preuves-de-mandat' AS folder, p.file_name, p.storage_key \
         FROM mandate_proof p WHERE p.account_id = $2 \
         UNION ALL SELECT d.id, 'signalements' AS folder, d.file_name, d.storage_key \
         FROM dispute d WHERE d.account_id = $3 \
         ORDER BY 2, 1",
    )
    .bind(user.account_id)
    .bind(user.account_id)
    .bind(user.account_id)
    .fetch_all(db)
    .await?)
}

/// Deletes the account and everything that is only the person's (profile, sessions,
/// notifications, memberships, proofs of mandate); returns the storage keys of the files to
/// delete. Refused while the person is the last administrator of an
/// organisation profile: its other members would be left with nobody to accept them.
pub async fn delete_account(
    db: &Db,
    user: &CurrentUser,
    password: &str,
    confirmed: bool,
    client: &Client,
) -> Result<Vec<String>, AppError> {
    if !confirmed {
        return Err(AppError::Validation(vec![FieldError::new(
            "confirm",
            "delete.confirm_required",
        )]));
    }
    let account = confirm_identity(db, user, password, "delete_password").await?;
    let mut tx = crate::backend::begin(db).await?;
    // Two administrators of one profile deleting their accounts at once must not both go:
    // as for membership changes, writing the profiles they administer serialises them (row
    // locks on PostgreSQL, the write lock on SQLite); the second check sees the first end.
    sqlx::query(
        "UPDATE organisation SET id = id WHERE id IN \
         (SELECT organisation_id FROM membership \
          WHERE account_id = $1 AND status = 'active' AND role = 'admin')",
    )
    .bind(account.id)
    .execute(&mut *tx)
    .await?;
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
    // The proofs of mandate, the reports and the drafts go with the account (drafts were
    // never filed: nothing of them is an administrative record), and so do their files:
    // the caller deletes them once this commits.
    let proof_files: Vec<String> = sqlx::query_scalar(
        "SELECT storage_key FROM mandate_proof WHERE account_id = $1 \
         UNION ALL SELECT storage_key FROM dispute WHERE account_id = $2 \
         UNION ALL SELECT a.storage_key FROM attachment a JOIN request r ON r.id = a.request_id \
                   WHERE r.account_id = $3 AND r.status = 'draft'",
    )
    .bind(account.id)
    .bind(account.id)
    .bind(account.id)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM request WHERE account_id = $1 AND status = 'draft'")
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
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
    tx.commit().await?;
    Ok(proof_files)
}
