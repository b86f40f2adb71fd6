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
    reference: String,
    procedure_code: String,
    #[sqlx(try_from = "String")]
    status: RequestStatus,
    submitted_at: i64,
    updated_at: i64,
    data: String,
}

/// A number of the query string: empty is `None`, anything but a positive number below
/// `max` is the field's error.
fn number(text: &str, field: &str, max: i64) -> Result<Option<i64>, AppError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    match text.trim().parse::<i64>() {
        Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
        _ => Err(AppError::Validation(vec![FieldError::new(
            field,
            "dashboard.page",
        )])),
    }
}

/// The `WHERE` of the filtered list of the session's profile's requests (filed ones only),
/// up to the moment `as_of`.
fn filtered(
    user: &CurrentUser,
    filter: &DashboardFilter,
    select: &str,
    as_of: Option<i64>,
) -> Result<Sql, AppError> {
    let mut sql = Sql::new(&format!(
        "{select} FROM request r WHERE r.status <> 'draft'"
    ));
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
    if let Some(as_of) = as_of {
        let a = sql.arg(Arg::Int(as_of));
        sql.push(&format!(" AND r.submitted_at <= {a}"));
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
    Ok(sql)
}

/// The `SELECT` of the lines of the filtered list from `offset`, at most `limit`.
fn list_sql(
    user: &CurrentUser,
    filter: &DashboardFilter,
    as_of: Option<i64>,
    offset: i64,
    limit: i64,
) -> Result<Sql, AppError> {
    let (column, descending) = sort_of(&filter.sort);
    let mut sql = filtered(
        user,
        filter,
        "SELECT r.reference, r.procedure_code, r.status, r.submitted_at, r.updated_at, r.data",
        as_of,
    )?;
    let direction = if descending { "DESC" } else { "ASC" };
    let l = sql.arg(Arg::Int(limit));
    let o = sql.arg(Arg::Int(offset));
    sql.push(&format!(
        " ORDER BY r.{column} {direction}, r.id {direction} LIMIT {l} OFFSET {o}"
    ));
    Ok(sql)
}

/// A line of the list as the reader reads it.
fn request_row(config: &ServerConfig, lang: Lang, row: ListRow) -> RequestRow {
    let procedure = config.catalogue.get(&row.procedure_code);
    // Answers are read only where the procedure makes a subject of them.
    let subject = procedure
        .filter(|p| !p.subject.is_empty())
        .map(|p| {
            let data = serde_json::from_str(&row.data).unwrap_or_default();
            crate::procedures::subject_of(p, &data, lang)
        })
        .unwrap_or_default();
    RequestRow {
        reference: row.reference,
        procedure: procedure.map_or_else(
            || row.procedure_code.clone(),
            |p| p.title.get(lang).to_string(),
        ),
        procedure_code: row.procedure_code,
        subject,
        status: row.status,
        submitted: date_text(Some(row.submitted_at)),
        updated: date_text(Some(row.updated_at)),
        submitted_at: row.submitted_at,
        updated_at: row.updated_at,
    }
}

/// The lines of the filtered list from `offset`, at most `limit`, as the reader reads them.
async fn list(
    db: &Db,
    config: &ServerConfig,
    (user, filter, lang): (&CurrentUser, &DashboardFilter, Lang),
    as_of: Option<i64>,
    offset: i64,
    limit: i64,
) -> Result<Vec<RequestRow>, AppError> {
    let sql = list_sql(user, filter, as_of, offset, limit)?;
    let rows: Vec<ListRow> = sql.query_as().fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|row| request_row(config, lang, row))
        .collect())
}

/// Pages beyond this are refused (a thousand requests a day for 27 years).
const MAX_PAGE: i64 = 500_000;

pub async fn dashboard(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    filter: &DashboardFilter,
    lang: Lang,
) -> Result<DashboardData, AppError> {
    let page = number(&filter.page, "page", MAX_PAGE)?.unwrap_or(1);
    let as_of = number(&filter.as_of, "as_of", i64::MAX)?;
    let rows = list(
        db,
        config,
        (user, filter, lang),
        as_of,
        (page - 1) * PAGE_SIZE,
        PAGE_SIZE,
    )
    .await?;
    // The counts by status, the procedures of the filter's list, and how many were filed by
    // the moment the pages count from: the profile's tally (kept by triggers, a few dozen
    // rows), and what was filed after that moment (usually nothing), in one statement.
    let mut sql = Sql::new(
        "SELECT t.status, t.procedure_code, t.n, CAST(0 AS BIGINT) AS later \
         FROM request_tally t WHERE t.n > 0 AND t.status <> 'draft'",
    );
    let (account, organisation) = match &user.active {
        Some(org) => (0, org.id),
        None => (user.account_id, 0),
    };
    let a = sql.arg(Arg::Int(account));
    let o = sql.arg(Arg::Int(organisation));
    sql.push(&format!(
        " AND t.account_id = {a} AND t.organisation_id = {o}"
    ));
    if let Some(as_of) = as_of {
        let after = sql.arg(Arg::Int(as_of));
        sql.push(&format!(
            " UNION ALL SELECT r.status, r.procedure_code, CAST(0 AS BIGINT) AS n, \
             COUNT(*) AS later FROM request r WHERE r.status <> 'draft' AND r.submitted_at > {after}"
        ));
        let s = scope(user, &mut sql);
        sql.push(&s);
        sql.push(" GROUP BY r.status, r.procedure_code");
    }
    // The status stays a code here: one this version does not list is simply not counted.
    #[derive(sqlx::FromRow)]
    struct TallyRow {
        status: String,
        procedure_code: String,
        n: i64,
        later: i64,
    }
    struct CountRow {
        status: String,
        procedure_code: String,
        n: i64,
        by_then: i64,
    }
    let mut found: Vec<CountRow> = Vec::new();
    for row in sql.query_as::<TallyRow>().fetch_all(db).await? {
        match found
            .iter_mut()
            .find(|c| c.status == row.status && c.procedure_code == row.procedure_code)
        {
            Some(count) => {
                count.n += row.n;
                count.by_then += row.n - row.later;
            }
            None => found.push(CountRow {
                by_then: row.n - row.later,
                status: row.status,
                procedure_code: row.procedure_code,
                n: row.n,
            }),
        }
    }
    let mut counts = Vec::new();
    let mut total = 0;
    for status in RequestStatus::FILED {
        let n: i64 = found
            .iter()
            .filter(|row| row.status == status.code())
            .map(|row| row.n)
            .sum();
        total += n;
        counts.push((status, n));
    }
    let mut codes: Vec<&str> = found
        .iter()
        .map(|row| row.procedure_code.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let mut procedures: Vec<(String, String)> = codes
        .into_iter()
        .map(|code| (code.to_string(), title(config, code, lang)))
        .collect();
    procedures.sort_by(|a, b| a.1.cmp(&b.1));
    // How many lines the filter keeps: the counts tell it when only the status filters.
    let only_status = [&filter.procedure, &filter.from, &filter.to, &filter.q]
        .iter()
        .all(|value| value.trim().is_empty());
    let matching = if only_status {
        let status = RequestStatus::parse(&filter.status);
        found
            .iter()
            .filter(|row| {
                RequestStatus::FILED
                    .iter()
                    .any(|filed| filed.code() == row.status)
                    && status.is_none_or(|status| status.code() == row.status)
            })
            .map(|row| row.by_then)
            .sum()
    } else {
        filtered(user, filter, "SELECT COUNT(*)", as_of)?
            .query_scalar::<i64>()
            .fetch_one(db)
            .await?
    };
    // The person's drafts (the 50 latest) and the requests whose documents are asked for (the
    // 20 waiting longest), in one query.
    let mut sql = Sql::new(
        "SELECT * FROM (SELECT 'draft' AS kind, r.token AS item, r.procedure_code, r.updated_at \
         FROM request r WHERE r.status = 'draft' AND r.account_id = ",
    );
    let a = sql.arg(Arg::Int(user.account_id));
    sql.push(&a);
    let s = scope(user, &mut sql);
    sql.push(&s);
    sql.push(
        " ORDER BY r.updated_at DESC LIMIT 50) drafts UNION ALL \
         SELECT * FROM (SELECT 'documents' AS kind, r.reference AS item, r.procedure_code, \
         r.updated_at FROM request r WHERE r.status = 'documents_requested'",
    );
    let s = scope(user, &mut sql);
    sql.push(&s);
    sql.push(" ORDER BY r.updated_at LIMIT 20) documents");
    #[derive(sqlx::FromRow)]
    struct WaitingRow {
        kind: String,
        item: String,
        procedure_code: String,
        updated_at: i64,
    }
    let mut waiting: Vec<WaitingRow> = sql.query_as().fetch_all(db).await?;
    waiting.sort_by_key(|row| row.updated_at);
    let (mut drafts, mut documents) = (Vec::new(), Vec::new());
    for row in waiting {
        if row.kind == "draft" {
            drafts.push(DraftRow {
                token: row.item,
                procedure: title(config, &row.procedure_code, lang),
                procedure_code: row.procedure_code,
                updated: date_text(Some(row.updated_at)),
            });
        } else {
            documents.push((row.item, title(config, &row.procedure_code, lang)));
        }
    }
    // The latest draft first; the documents waiting longest first.
    drafts.reverse();
    let to_do = ToDo {
        documents,
        access_requests: access_requests(db, user).await?,
    };
    Ok(DashboardData {
        to_do,
        organisation: user
            .active
            .as_ref()
            .map(|org| format!("{} ({})", org.name, org.bce)),
        counts,
        total,
        rows,
        page,
        pages: (matching + PAGE_SIZE - 1) / PAGE_SIZE,
        as_of: as_of.unwrap_or_else(crate::backend::now_ms),
        drafts,
        procedures,
    })
}

/// The access requests waiting at the organisations the person administers (any profile:
/// they decide there): each organisation's id, name, and how many.
async fn access_requests(db: &Db, user: &CurrentUser) -> Result<Vec<(i64, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.name, COUNT(*) FROM membership asked \
         JOIN membership mine ON mine.organisation_id = asked.organisation_id \
              AND mine.account_id = $1 AND mine.status = 'active' AND mine.role = 'admin' \
         JOIN organisation o ON o.id = asked.organisation_id AND o.suspended_at IS NULL \
         WHERE asked.status = 'pending' \
         GROUP BY o.id, o.name ORDER BY o.name",
    )
    .bind(user.account_id)
    .fetch_all(db)
    .await?)
}

/// The whole filtered list (for the XLSX export), at most `EXPORT_MAX` lines, in the page's
/// order, handed to `sink` line by line as the database gives them: the writer at the other
/// end of the channel sets the pace, and no more than the channel's lines are in memory.
/// A closed channel (the writer stopped) ends the reading. Returns the number of lines.
pub async fn export_rows(
    db: &Db,
    config: &ServerConfig,
    (user, filter, lang): (&CurrentUser, &DashboardFilter, Lang),
    sink: tokio::sync::mpsc::Sender<RequestRow>,
) -> Result<u64, AppError> {
    use futures_util::TryStreamExt as _;
    let sql = list_sql(user, filter, None, 0, EXPORT_MAX)?;
    let mut rows = sql.query_as::<ListRow>().fetch(db);
    let mut sent = 0;
    while let Some(row) = rows.try_next().await? {
        if sink.send(request_row(config, lang, row)).await.is_err() {
            break;
        }
        sent += 1;
    }
    Ok(sent)
}
