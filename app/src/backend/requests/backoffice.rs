//! The back office: the agents' queue, moving a request on, and who is an agent.
use super::shared::{agent_scope, date_text, record_event, title, Arg, Sql, DAY_MS, PAGE_SIZE};
use super::view::{find, refuse_own, tell_requester, Viewer};
use crate::backend::session::CurrentUser;
use crate::backend::{now_ms, Db, ServerConfig};
use crate::domain::Lang;
use crate::domain::RequestChange;
use crate::domain::RequestStatus;
use crate::error::{AppError, FieldError};
use crate::model::requests::*;

/// An agent moves a request on, with a note; asking for documents says which.
pub async fn change_status(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    reference: &str,
    status: &str,
    note: &str,
) -> Result<(), AppError> {
    let found = find(db, user, reference, Viewer::Agent).await?;
    refuse_own(db, user, &found, "status").await?;
    let target = RequestStatus::parse(status)
        .filter(|t| found.status.agent_targets().contains(t))
        .ok_or_else(|| {
            AppError::Validation(vec![FieldError::new("status", "request.transition")])
        })?;
    let note = note.trim();
    if note.chars().count() > 5000 {
        return Err(AppError::Validation(vec![FieldError::new(
            "note",
            "procedure.too_long:5000",
        )]));
    }
    if target == RequestStatus::DocumentsRequested && note.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new(
            "note",
            "request.documents_note",
        )]));
    }
    let mut tx = crate::backend::begin(db).await?;
    let changed = sqlx::query(
        "UPDATE request SET status = $1, updated_at = $2, documents_asked = $3 \
         WHERE id = $4 AND status = $5",
    )
    .bind(target.code())
    .bind(now_ms())
    .bind((target == RequestStatus::DocumentsRequested).then_some(note))
    .bind(found.id)
    .bind(found.status.code())
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
        // Someone changed it meanwhile: nothing done; the page shows the new status.
        return Err(AppError::Conflict);
    }
    record_event(
        &mut tx,
        found.id,
        target,
        (!note.is_empty()).then_some(note),
        user.account_id,
        true,
    )
    .await?;
    tell_requester(
        &mut tx,
        config,
        &found,
        reference,
        RequestChange::Status(target),
    )
    .await?;
    Ok(tx.commit().await?)
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QueueFilter {
    pub status: String,
    pub procedure: String,
    /// Only requests at least this many days old.
    pub min_age: String,
    pub after: String,
}

pub async fn queue(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    filter: &QueueFilter,
    lang: Lang,
) -> Result<QueueData, AppError> {
    user.require_agent()?;
    let mut sql = Sql::new(
        "SELECT r.id, r.reference, r.procedure_code, r.status, r.submitted_at FROM request r \
         WHERE r.status <> 'draft'",
    );
    let services = agent_scope(user, &mut sql);
    sql.push(&services);
    match filter.status.as_str() {
        "" | "open" => {
            sql.push(" AND r.status IN ('submitted', 'in_treatment', 'documents_requested')")
        }
        "all" => {}
        other => {
            let status = RequestStatus::parse(other)
                .filter(|s| *s != RequestStatus::Draft)
                .ok_or_else(|| {
                    AppError::Validation(vec![FieldError::new("status", "dashboard.status")])
                })?;
            let a = sql.arg(Arg::Text(status.code().to_string()));
            sql.push(&format!(" AND r.status = {a}"));
        }
    }
    if !filter.procedure.is_empty() {
        let a = sql.arg(Arg::Text(filter.procedure.clone()));
        sql.push(&format!(" AND r.procedure_code = {a}"));
    }
    let now = now_ms();
    if !filter.min_age.is_empty() {
        let days: i64 = filter
            .min_age
            .trim()
            .parse()
            .ok()
            .filter(|d| (0..=3650).contains(d))
            .ok_or_else(|| {
                AppError::Validation(vec![FieldError::new("min_age", "procedure.number_invalid")])
            })?;
        let a = sql.arg(Arg::Int(now - days * DAY_MS));
        sql.push(&format!(" AND r.submitted_at <= {a}"));
    }
    if !filter.after.is_empty() {
        let (value, id) = filter
            .after
            .split_once('_')
            .and_then(|(v, i)| Some((v.parse::<i64>().ok()?, i.parse::<i64>().ok()?)))
            .ok_or_else(|| {
                AppError::Validation(vec![FieldError::new("after", "dashboard.page")])
            })?;
        let v = sql.arg(Arg::Int(value));
        let i = sql.arg(Arg::Int(id));
        sql.push(&format!(
            " AND (r.submitted_at > {v} OR (r.submitted_at = {v} AND r.id > {i}))"
        ));
    }
    // Oldest first: the queue is worked from the longest waiting.
    let l = sql.arg(Arg::Int(PAGE_SIZE + 1));
    sql.push(&format!(" ORDER BY r.submitted_at ASC, r.id ASC LIMIT {l}"));
    #[derive(sqlx::FromRow)]
    struct Queued {
        id: i64,
        reference: String,
        procedure_code: String,
        #[sqlx(try_from = "String")]
        status: RequestStatus,
        submitted_at: i64,
    }
    let rows: Vec<Queued> = sql.query_as().fetch_all(db).await?;
    let mut out = Vec::new();
    let mut keys = Vec::new();
    for row in rows {
        keys.push(format!("{}_{}", row.submitted_at, row.id));
        out.push(QueueRow {
            reference: row.reference,
            procedure: title(config, &row.procedure_code, lang),
            status: row.status,
            submitted: date_text(Some(row.submitted_at)),
            age_days: (now - row.submitted_at).div_euclid(DAY_MS),
        });
    }
    let next = if out.len() as i64 > PAGE_SIZE {
        out.truncate(PAGE_SIZE as usize);
        keys.get(PAGE_SIZE as usize - 1).cloned()
    } else {
        None
    };
    // The filter offers the procedures of the agent's services.
    let procedures = config
        .catalogue
        .all()
        .iter()
        .filter(|p| user.services.contains(&p.service.code))
        .map(|p| (p.code.clone(), p.title.get(lang).to_string()))
        .collect();
    Ok(QueueData {
        rows: out,
        next,
        procedures,
    })
}

/// What `server agent add|remove` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentChange {
    Done,
    NoAccount,
    /// The back office is given only to an account whose address is confirmed: someone
    /// who registered an agent's address in advance does not get it.
    AddressNotVerified,
}

/// Makes the account an agent of exactly `services` (`server agent add <email>
/// <service>…`); no service takes the back office away (`server agent remove`). The
/// caller checked the services' codes against the catalogue.
pub async fn set_agent(
    db: &Db,
    email: &str,
    services: &[&str],
) -> Result<AgentChange, sqlx::Error> {
    let email = email.trim().to_lowercase();
    let agent = !services.is_empty();
    let found: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, email_verified_at FROM account WHERE email = $1")
            .bind(&email)
            .fetch_optional(db)
            .await?;
    let account_id = match found {
        None => return Ok(AgentChange::NoAccount),
        Some((_, None)) if agent => return Ok(AgentChange::AddressNotVerified),
        Some((id, _)) => id,
    };
    let mut tx = crate::backend::begin(db).await?;
    sqlx::query("UPDATE account SET is_agent = $1 WHERE id = $2")
        .bind(i64::from(agent))
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM agent_service WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    for service in services {
        sqlx::query("INSERT INTO agent_service (account_id, service) VALUES ($1, $2)")
            .bind(account_id)
            .bind(*service)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(AgentChange::Done)
}
