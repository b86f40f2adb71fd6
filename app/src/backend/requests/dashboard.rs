//! The dashboard: the profile's requests, filtered, sorted and paged, and their export.
use super::shared::{date_text, scope, title, Arg, Sql, DAY_MS, EXPORT_MAX, PAGE_SIZE};
use crate::backend::session::CurrentUser;
use crate::backend::{internal, Db, ServerConfig};
use crate::domain::Lang;
use crate::domain::{looks_like_reference, RequestStatus};
use crate::error::{AppError, FieldError};
use crate::model::requests::*;

/// `(sort column, descending)` of a sort name.
fn sort_of(sort: &str) -> (&'static str, bool) {
    match sort {
        "oldest" => ("submitted_at", false),
        "updated" => ("updated_at", true),
        _ => ("submitted_at", true),
    }
}

/// Milliseconds of the start of a `YYYY-MM-DD` day in Brussels, or a field error.
fn day_start(text: &str, field: &str) -> Result<Option<i64>, AppError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let invalid = || AppError::Validation(vec![FieldError::new(field, "procedure.date_invalid")]);
    let date: jiff::civil::Date = text.trim().parse().map_err(|_| invalid())?;
    let zoned = date
        .to_zoned(jiff::tz::TimeZone::get("Europe/Brussels").map_err(internal)?)
        .map_err(|_| invalid())?;
    Ok(Some(zoned.timestamp().as_millisecond()))
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: i64,
    reference: String,
    procedure_code: String,
    #[sqlx(try_from = "String")]
    status: RequestStatus,
    submitted_at: i64,
    updated_at: i64,
}

/// The filtered list of the session's profile's requests: `limit` lines after `after`.
async fn list(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    filter: &DashboardFilter,
    lang: Lang,
    limit: i64,
) -> Result<(Vec<RequestRow>, Option<String>), AppError> {
    let (column, descending) = sort_of(&filter.sort);
    let mut sql = Sql::new(
        "SELECT r.id, r.reference, r.procedure_code, r.status, r.submitted_at, r.updated_at \
         FROM request r WHERE r.status <> 'draft'",
    );
    let s = scope(user, &mut sql);
    sql.push(&s);
    if !filter.status.is_empty() {
        let status = RequestStatus::parse(&filter.status)
            .filter(|s| *s != RequestStatus::Draft)
            .ok_or_else(|| {
                AppError::Validation(vec![FieldError::new("status", "dashboard.status")])
            })?;
        let a = sql.arg(Arg::Text(status.code().to_string()));
        sql.push(&format!(" AND r.status = {a}"));
    }
    if !filter.procedure.is_empty() {
        let a = sql.arg(Arg::Text(filter.procedure.clone()));
        sql.push(&format!(" AND r.procedure_code = {a}"));
    }
    if let Some(from) = day_start(&filter.from, "from")? {
        let a = sql.arg(Arg::Int(from));
        sql.push(&format!(" AND r.submitted_at >= {a}"));
    }
    if let Some(to) = day_start(&filter.to, "to")? {
        let a = sql.arg(Arg::Int(to + DAY_MS));
        sql.push(&format!(" AND r.submitted_at < {a}"));
    }
    let q = filter.q.trim().to_lowercase();
    if !q.is_empty() {
        if looks_like_reference(&q) {
            let a = sql.arg(Arg::Text(q.clone()));
            sql.push(&format!(" AND r.reference = {a}"));
        } else {
            for word in q.split_whitespace().take(5) {
                let escaped = word
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                let a = sql.arg(Arg::Text(format!("%{escaped}%")));
                sql.push(&format!(" AND r.search_text LIKE {a} ESCAPE '\\'"));
            }
        }
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
        let op = if descending { "<" } else { ">" };
        sql.push(&format!(
            " AND (r.{column} {op} {v} OR (r.{column} = {v} AND r.id {op} {i}))"
        ));
    }
    let direction = if descending { "DESC" } else { "ASC" };
    let l = sql.arg(Arg::Int(limit + 1));
    sql.push(&format!(
        " ORDER BY r.{column} {direction}, r.id {direction} LIMIT {l}"
    ));
    let rows: Vec<ListRow> = sql.query_as().fetch_all(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut keys = Vec::with_capacity(rows.len());
    for row in rows {
        keys.push(format!(
            "{}_{}",
            if column == "updated_at" {
                row.updated_at
            } else {
                row.submitted_at
            },
            row.id
        ));
        out.push(RequestRow {
            reference: row.reference,
            procedure: title(config, &row.procedure_code, lang),
            procedure_code: row.procedure_code,
            status: row.status,
            submitted: date_text(Some(row.submitted_at)),
            updated: date_text(Some(row.updated_at)),
            submitted_at: row.submitted_at,
            updated_at: row.updated_at,
        });
    }
    let next = if out.len() as i64 > limit {
        out.truncate(limit as usize);
        keys.get(limit as usize - 1).cloned()
    } else {
        None
    };
    Ok((out, next))
}

pub async fn dashboard(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    filter: &DashboardFilter,
    lang: Lang,
) -> Result<DashboardData, AppError> {
    let (rows, next) = list(db, config, user, filter, lang, PAGE_SIZE).await?;
    let mut sql =
        Sql::new("SELECT r.status, COUNT(*) AS n FROM request r WHERE r.status <> 'draft'");
    let s = scope(user, &mut sql);
    sql.push(&s);
    sql.push(" GROUP BY r.status");
    // The status stays a code here: one this version does not list is simply not counted.
    #[derive(sqlx::FromRow)]
    struct CountRow {
        status: String,
        n: i64,
    }
    let mut counts = Vec::new();
    let mut total = 0;
    let found: Vec<CountRow> = sql.query_as().fetch_all(db).await?;
    for status in RequestStatus::FILED {
        let n = found
            .iter()
            .find(|row| row.status == status.code())
            .map_or(0, |row| row.n);
        total += n;
        counts.push((status, n));
    }
    let mut sql =
        Sql::new("SELECT DISTINCT r.procedure_code FROM request r WHERE r.status <> 'draft'");
    let s = scope(user, &mut sql);
    sql.push(&s);
    let mut procedures: Vec<(String, String)> = sql
        .query_scalar::<String>()
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|code| {
            let title = title(config, &code, lang);
            (code, title)
        })
        .collect();
    procedures.sort_by(|a, b| a.1.cmp(&b.1));
    let mut sql = Sql::new(
        "SELECT r.token, r.procedure_code, r.updated_at FROM request r WHERE r.status = 'draft' \
         AND r.account_id = ",
    );
    let a = sql.arg(Arg::Int(user.account_id));
    sql.push(&a);
    let s = scope(user, &mut sql);
    sql.push(&s);
    sql.push(" ORDER BY r.updated_at DESC LIMIT 50");
    #[derive(sqlx::FromRow)]
    struct DraftListRow {
        token: String,
        procedure_code: String,
        updated_at: i64,
    }
    let drafts = sql
        .query_as::<DraftListRow>()
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|row| DraftRow {
            token: row.token,
            procedure: title(config, &row.procedure_code, lang),
            procedure_code: row.procedure_code,
            updated: date_text(Some(row.updated_at)),
        })
        .collect();
    let to_do = to_do(db, config, user, lang).await?;
    Ok(DashboardData {
        to_do,
        organisation: user
            .active
            .as_ref()
            .map(|org| format!("{} ({})", org.name, org.bce)),
        counts,
        total,
        rows,
        next,
        drafts,
        procedures,
    })
}

/// What waits for the person: the documents asked for this profile's requests, and the
/// access requests to the organisations they administer (any profile: they decide there).
async fn to_do(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    lang: Lang,
) -> Result<ToDo, AppError> {
    let mut sql = Sql::new(
        "SELECT r.reference, r.procedure_code FROM request r \
         WHERE r.status = 'documents_requested'",
    );
    let s = scope(user, &mut sql);
    sql.push(&s);
    sql.push(" ORDER BY r.updated_at LIMIT 20");
    let documents = sql
        .query_as::<(String, String)>()
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|(reference, code)| (reference, title(config, &code, lang)))
        .collect();
    let access_requests = sqlx::query_as(
        "SELECT o.id, o.name, COUNT(*) FROM membership asked \
         JOIN membership mine ON mine.organisation_id = asked.organisation_id \
              AND mine.account_id = $1 AND mine.status = 'active' AND mine.role = 'admin' \
         JOIN organisation o ON o.id = asked.organisation_id AND o.suspended_at IS NULL \
         WHERE asked.status = 'pending' \
         GROUP BY o.id, o.name ORDER BY o.name",
    )
    .bind(user.account_id)
    .fetch_all(db)
    .await?;
    Ok(ToDo {
        documents,
        access_requests,
    })
}

/// The whole filtered list (for the XLSX export), at most `EXPORT_MAX` lines.
pub async fn export_rows(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    filter: &DashboardFilter,
    lang: Lang,
) -> Result<Vec<RequestRow>, AppError> {
    let filter = DashboardFilter {
        after: String::new(),
        ..filter.clone()
    };
    Ok(list(db, config, user, &filter, lang, EXPORT_MAX).await?.0)
}
