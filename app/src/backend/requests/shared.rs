//! What the parts of `requests` share: the query builder, the scope of the session's
//! profile, titles and dates, and the rows every part writes (attachments, events).
use crate::backend::session::CurrentUser;
use crate::backend::{now_ms, Db, ServerConfig};
use crate::domain::Lang;
use crate::domain::RequestStatus;
use crate::error::AppError;
use crate::model::requests::*;
use crate::procedures::{Procedure, ProfileKind};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::{QueryAs, QueryScalar};
use sqlx::Any;

/// Lines per page of the dashboard and of the queue.
pub const PAGE_SIZE: i64 = 20;
/// The export's longest list.
pub const EXPORT_MAX: i64 = 1_000_000;
pub(super) const DAY_MS: i64 = 86_400_000;

/// A value bound to a query built piece by piece.
#[derive(Clone, Debug)]
pub(super) enum Arg {
    Int(i64),
    Text(String),
}

/// SQL with `$n` placeholders numbered as the values are added (both backends read them).
#[derive(Default)]
pub(super) struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub(super) fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    pub(super) fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    pub(super) fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// The rows, read into `T` (a `FromRow` struct).
    pub(super) fn query_as<T>(&self) -> QueryAs<'_, Any, T, AnyArguments<'_>>
    where
        T: for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        let mut query = sqlx::query_as(&self.text);
        for arg in &self.args {
            query = match arg {
                Arg::Int(n) => query.bind(*n),
                Arg::Text(t) => query.bind(t.clone()),
            };
        }
        query
    }

    /// The first column of the rows.
    pub(super) fn query_scalar<T>(&self) -> QueryScalar<'_, Any, T, AnyArguments<'_>>
    where
        (T,): for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        let mut query = sqlx::query_scalar(&self.text);
        for arg in &self.args {
            query = match arg {
                Arg::Int(n) => query.bind(*n),
                Arg::Text(t) => query.bind(t.clone()),
            };
        }
        query
    }
}

/// The profile the session acts for, as requests record it.
pub fn profile_kind(user: &CurrentUser) -> ProfileKind {
    ProfileKind::of(user.active.as_ref().map(|org| org.kind))
}

/// `AND …`: the requests of the session's profile (`r` is the request table).
pub(super) fn scope(user: &CurrentUser, sql: &mut Sql) -> String {
    match &user.active {
        Some(org) => format!(" AND r.organisation_id = {}", sql.arg(Arg::Int(org.id))),
        None => format!(
            " AND r.organisation_id IS NULL AND r.account_id = {}",
            sql.arg(Arg::Int(user.account_id))
        ),
    }
}

/// For an agent: only the requests of their services (none when they have none).
pub(super) fn agent_scope(user: &CurrentUser, sql: &mut Sql) -> String {
    if user.services.is_empty() {
        return " AND 1 = 0".to_string();
    }
    let services: Vec<String> = user
        .services
        .iter()
        .map(|service| sql.arg(Arg::Text(service.clone())))
        .collect();
    format!(" AND r.service IN ({})", services.join(", "))
}

pub(super) fn today() -> i64 {
    now_ms().div_euclid(DAY_MS)
}

pub(super) fn title(config: &ServerConfig, code: &str, lang: Lang) -> String {
    config
        .catalogue
        .get(code)
        .map(|p| p.title.get(lang).to_string())
        .unwrap_or_else(|| code.to_string())
}

pub(super) fn date_text(ms: Option<i64>) -> String {
    ms.map(crate::backend::time::brussels_time)
        .unwrap_or_default()
}

/// A file already kept in the attachment storage, to be recorded with a request.
#[derive(Clone, Debug)]
pub struct NewAttachment {
    pub slot: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub storage_key: String,
}

pub(super) fn procedure<'c>(
    config: &'c ServerConfig,
    code: &str,
) -> Result<&'c Procedure, AppError> {
    config.catalogue.get(code).ok_or(AppError::NotFound)
}

pub(super) async fn attachments_of(
    db: &Db,
    request_id: i64,
) -> Result<Vec<AttachmentView>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        slot: String,
        file_name: String,
        size: i64,
        created_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, slot, file_name, size, created_at FROM attachment \
         WHERE request_id = $1 ORDER BY id",
    )
    .bind(request_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| AttachmentView {
            id: row.id,
            slot: row.slot,
            file_name: row.file_name,
            size: row.size,
            when: date_text(Some(row.created_at)),
        })
        .collect())
}

pub(super) async fn insert_attachment(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    request_id: i64,
    file: &NewAttachment,
    account_id: i64,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO attachment (request_id, slot, file_name, content_type, size, sha256, \
                                 storage_key, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(request_id)
    .bind(&file.slot)
    .bind(&file.file_name)
    .bind(&file.content_type)
    .bind(file.size)
    .bind(&file.sha256)
    .bind(&file.storage_key)
    .bind(account_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) async fn record_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    request_id: i64,
    status: RequestStatus,
    note: Option<&str>,
    actor: i64,
    by_agent: bool,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO request_event (request_id, status, note, actor_account_id, by_agent, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(request_id)
    .bind(status.code())
    .bind(note)
    .bind(actor)
    .bind(i64::from(by_agent))
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    ?;
    Ok(())
}
