//! Démarches on the server: drafts, submission, the dashboard, the request page, messages,
//! documents asked and answered, and the agents' side. Every function that touches a
//! request checks who may see it: the members of the profile that filed it, and agents.
use super::notifications::{self, Event};
use super::session::CurrentUser;
use super::{internal, now_ms, Db, ServerConfig};
use crate::domain::Lang;
use crate::error::{AppError, FieldError};
use crate::procedures::{self, Assurance, Procedure, ProfileKind};
use crate::requests::*;
use sqlx::Row;
use std::collections::BTreeMap;

/// Lines per page of the dashboard and of the queue.
pub const PAGE_SIZE: i64 = 20;
/// The export's longest list.
pub const EXPORT_MAX: i64 = 50_000;
const DAY_MS: i64 = 86_400_000;

/// A value bound to a query built piece by piece.
#[derive(Clone, Debug)]
enum Arg {
    Int(i64),
    Text(String),
}

/// SQL with `$n` placeholders numbered as the values are added (both backends read them).
#[derive(Default)]
struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn query(&self) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
        let mut query = sqlx::query(&self.text);
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
fn scope(user: &CurrentUser, sql: &mut Sql) -> String {
    match &user.active {
        Some(org) => format!(" AND r.organisation_id = {}", sql.arg(Arg::Int(org.id))),
        None => format!(
            " AND r.organisation_id IS NULL AND r.account_id = {}",
            sql.arg(Arg::Int(user.account_id))
        ),
    }
}

fn today() -> i64 {
    now_ms().div_euclid(DAY_MS)
}

fn title(config: &ServerConfig, code: &str, lang: Lang) -> String {
    config
        .catalogue
        .get(code)
        .map(|p| p.title.get(lang).to_string())
        .unwrap_or_else(|| code.to_string())
}

fn date_text(ms: Option<i64>) -> String {
    ms.map(super::security::brussels_time).unwrap_or_default()
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

// ---------------------------------------------------------------------------------------
// Catalogue and filing

pub fn catalogue(
    config: &ServerConfig,
    user: Option<&CurrentUser>,
    lang: Lang,
    q: &str,
) -> CatalogueView {
    let kind = user.map(profile_kind);
    let words: Vec<String> = q
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .filter(|w| !w.is_empty())
        .take(8)
        .collect();
    let allowed: Vec<&Procedure> = config
        .catalogue
        .all()
        .iter()
        .filter(|p| kind.is_none_or(|k| p.may_be_filed_by(k)))
        .collect();
    let total = allowed.len();
    let entries = allowed
        .into_iter()
        .filter(|p| {
            let haystack = format!(
                "{} {} {} {} {}",
                p.code,
                p.title.get(lang),
                p.description.get(lang),
                p.title.fr,
                p.title.nl
            )
            .to_lowercase();
            words.iter().all(|w| haystack.contains(w.as_str()))
        })
        .map(|p| CatalogueEntry {
            code: p.code.clone(),
            theme: p.theme.clone(),
            title: p.title.get(lang).to_string(),
            description: p.description.get(lang).to_string(),
            service: p.service.get(lang).to_string(),
            needs_eid: p.assurance == Assurance::Eid,
        })
        .collect();
    CatalogueView {
        profile: kind,
        entries,
        total,
    }
}

fn procedure<'c>(config: &'c ServerConfig, code: &str) -> Result<&'c Procedure, AppError> {
    config.catalogue.get(code).ok_or(AppError::NotFound)
}

async fn attachments_of(db: &Db, request_id: i64) -> Result<Vec<AttachmentView>, AppError> {
    let rows = sqlx::query(
        "SELECT id, slot, file_name, size, created_at FROM attachment \
         WHERE request_id = $1 ORDER BY id",
    )
    .bind(request_id)
    .fetch_all(db)
    .await
    .map_err(internal)?;
    rows.iter()
        .map(|row| {
            Ok(AttachmentView {
                id: row.try_get("id")?,
                slot: row.try_get("slot")?,
                file_name: row.try_get("file_name")?,
                size: row.try_get("size")?,
                when: date_text(Some(row.try_get("created_at")?)),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(internal)
}

/// Where the person stands with the identification by eID the procedure may ask for.
fn eid_state(procedure: &Procedure, config: &ServerConfig, user: &CurrentUser) -> EidState {
    match (procedure.assurance, &config.eid) {
        (Assurance::Basic, _) => EidState::NotNeeded,
        (Assurance::Eid, None) => EidState::Unavailable,
        (Assurance::Eid, Some(policy)) => match user.fresh_eid(now_ms(), policy.max_age_ms) {
            Some(_) => EidState::Done,
            None => EidState::Needed,
        },
    }
}

/// The filing page: the procedure and this profile's draft of it, if any.
pub async fn filing(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    code: &str,
) -> Result<FilingView, AppError> {
    let procedure = procedure(config, code)?.clone();
    let mut sql = Sql::new(
        "SELECT r.id, r.token, r.data FROM request r WHERE r.status = 'draft' \
         AND r.procedure_code = ",
    );
    let code_arg = sql.arg(Arg::Text(code.to_string()));
    sql.push(&code_arg);
    let account = sql.arg(Arg::Int(user.account_id));
    sql.push(&format!(" AND r.account_id = {account}"));
    let scope = scope(user, &mut sql);
    sql.push(&scope);
    sql.push(" ORDER BY r.updated_at DESC, r.id DESC LIMIT 1");
    let draft = sql.query().fetch_optional(db).await.map_err(internal)?;
    let (token, data, attachments) = match draft {
        Some(row) => {
            let id: i64 = row.try_get("id").map_err(internal)?;
            let data: String = row.try_get("data").map_err(internal)?;
            (
                row.try_get("token").map_err(internal)?,
                serde_json::from_str(&data).unwrap_or_default(),
                attachments_of(db, id).await?,
            )
        }
        None => (super::session::new_token().0, BTreeMap::new(), Vec::new()),
    };
    Ok(FilingView {
        eid: eid_state(&procedure, config, user),
        allowed: procedure.may_be_filed_by(profile_kind(user)),
        procedure,
        token,
        data,
        attachments,
        email_verified: user.email_verified,
        today: today(),
    })
}

/// What became of the files given to a save.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredFiles {
    /// They are recorded with the request (the draft's transaction committed).
    pub recorded: bool,
    /// The storage keys of the files they replaced, which nothing records any more.
    pub replaced: Vec<String>,
}

/// What a save came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    /// Kept as a draft (its token).
    Draft,
    /// Filed, or filed already by an earlier try of the same form: its reference.
    Submitted(String),
    /// Kept as a draft: the procedure needs an eID identification this session has not made
    /// (recently enough). The person is sent to the identity provider, then back to it.
    NeedsEid,
}

fn search_text(reference: &str, procedure: &Procedure, data: &BTreeMap<String, String>) -> String {
    let mut text = format!(
        "{reference} {} {} {}",
        procedure.title.fr, procedure.title.nl, procedure.title.en
    );
    for value in data.values() {
        text.push(' ');
        text.push_str(value);
    }
    text.to_lowercase().chars().take(4000).collect()
}

/// Saves the form as a draft of the session's profile, with the files already stored, and
/// with `submit` files it: one transaction, a new reference, an event, a notification. A
/// form sent again (double click, retry) finds its request by its token: never two.
///
/// `stored` says what became of the files, whatever the answer (the caller stored them and
/// deletes what is no longer recorded).
#[allow(clippy::too_many_arguments)]
pub async fn save(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    code: &str,
    token: &str,
    data: &BTreeMap<String, String>,
    files: Vec<NewAttachment>,
    submit: bool,
    stored: &mut StoredFiles,
) -> Result<Saved, AppError> {
    let procedure = procedure(config, code)?;
    if !procedure.may_be_filed_by(profile_kind(user)) {
        return Err(AppError::Forbidden);
    }
    let token = token.trim();
    if token.len() < 20 || token.len() > 64 {
        return Err(AppError::Validation(vec![FieldError::new(
            "form",
            "procedure.stale_form",
        )]));
    }
    let data = procedures::keep_known(procedure, data);
    let now = now_ms();
    let organisation_id = user.active.as_ref().map(|org| org.id);

    let mut tx = crate::backend::begin(db).await.map_err(internal)?;
    let existing = sqlx::query(
        "SELECT id, status, reference, account_id, organisation_id, procedure_code \
         FROM request WHERE token = $1",
    )
    .bind(token)
    .fetch_optional(&mut *tx)
    .await
    .map_err(internal)?;
    let request_id = match existing {
        Some(row) => {
            let owner: Option<i64> = row.try_get("account_id").map_err(internal)?;
            let org: Option<i64> = row.try_get("organisation_id").map_err(internal)?;
            let its_code: String = row.try_get("procedure_code").map_err(internal)?;
            if owner != Some(user.account_id) || org != organisation_id || its_code != code {
                return Err(AppError::Forbidden);
            }
            let status: String = row.try_get("status").map_err(internal)?;
            if status != RequestStatus::Draft.code() {
                // Sent already: the same answer as the first time.
                let reference: Option<String> = row.try_get("reference").map_err(internal)?;
                return Ok(Saved::Submitted(reference.unwrap_or_default()));
            }
            let id: i64 = row.try_get("id").map_err(internal)?;
            sqlx::query("UPDATE request SET data = $1, updated_at = $2 WHERE id = $3")
                .bind(serde_json::to_string(&data).map_err(internal)?)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(internal)?;
            id
        }
        None => sqlx::query_scalar(
            "INSERT INTO request (token, procedure_code, account_id, organisation_id, status, \
                                  data, assurance, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $7) \
             ON CONFLICT (token) DO NOTHING RETURNING id",
        )
        .bind(token)
        .bind(code)
        .bind(user.account_id)
        .bind(organisation_id)
        .bind(serde_json::to_string(&data).map_err(internal)?)
        .bind("basic")
        .bind(now)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?
        // The same form sent twice at once: the other one made it.
        .ok_or(AppError::Conflict)?,
    };
    let mut old_files = Vec::new();
    for file in files {
        // One file per slot: a new one replaces the old.
        let old: Vec<String> = sqlx::query_scalar(
            "DELETE FROM attachment WHERE request_id = $1 AND slot = $2 RETURNING storage_key",
        )
        .bind(request_id)
        .bind(&file.slot)
        .fetch_all(&mut *tx)
        .await
        .map_err(internal)?;
        old_files.extend(old);
        insert_attachment(&mut tx, request_id, &file, user.account_id, now).await?;
    }
    tx.commit().await.map_err(internal)?;
    stored.recorded = true;
    stored.replaced = old_files;
    if !submit {
        return Ok(Saved::Draft);
    }

    // Filing: the draft is kept whatever the answer.
    let mut errors = procedures::validate(procedure, &data, today());
    let slots: Vec<String> =
        sqlx::query_scalar("SELECT slot FROM attachment WHERE request_id = $1")
            .bind(request_id)
            .fetch_all(db)
            .await
            .map_err(internal)?;
    for slot in &procedure.attachments {
        if slot.required && !slots.contains(&slot.name) {
            errors.push(FieldError::new(&slot.name, "attachment.required"));
        }
    }
    let eid = eid_state(procedure, config, user);
    if eid == EidState::Unavailable {
        errors.push(FieldError::new("form", "procedure.eid_unavailable"));
    }
    if !user.email_verified {
        errors.push(FieldError::new("form", "procedure.email_unverified"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if eid == EidState::Needed {
        return Ok(Saved::NeedsEid);
    }
    // The level of identification the request is filed at (`acr`), for eID procedures.
    let eid_acr = (eid == EidState::Done)
        .then(|| user.eid.as_ref().map(|(_, acr)| acr.as_str()))
        .flatten();

    let mut tx = crate::backend::begin(db).await.map_err(internal)?;
    let year = jiff::Timestamp::from_millisecond(now)
        .map(|t| i64::from(t.to_zoned(jiff::tz::TimeZone::UTC).year()))
        .unwrap_or(2026);
    sqlx::query(
        "INSERT INTO reference_counter (year, last) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING",
    )
    .bind(year)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    let number: i64 = sqlx::query_scalar(
        "UPDATE reference_counter SET last = last + 1 WHERE year = $1 RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?;
    let reference = format_reference(year, number);
    let filed = sqlx::query(
        "UPDATE request SET status = 'submitted', reference = $1, submitted_at = $2, \
                updated_at = $2, search_text = $3, assurance = $4, identification_acr = $5 \
         WHERE id = $6 AND status = 'draft'",
    )
    .bind(&reference)
    .bind(now)
    .bind(search_text(&reference, procedure, &data))
    .bind(if eid_acr.is_some() { "eid" } else { "basic" })
    .bind(eid_acr)
    .bind(request_id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    if filed.rows_affected() == 0 {
        // Filed meanwhile by the other try: answer with its reference.
        tx.rollback().await.map_err(internal)?;
        let reference: Option<String> =
            sqlx::query_scalar("SELECT reference FROM request WHERE id = $1")
                .bind(request_id)
                .fetch_one(db)
                .await
                .map_err(internal)?;
        return Ok(Saved::Submitted(reference.unwrap_or_default()));
    }
    record_event(
        &mut tx,
        request_id,
        RequestStatus::Submitted,
        None,
        user.account_id,
        false,
    )
    .await?;
    notifications::deliver(
        &mut tx,
        config,
        user.account_id,
        &Event::RequestChanged {
            organisation_id,
            reference: reference.clone(),
            procedure: procedure.title.clone(),
            change: RequestStatus::Submitted.code().to_string(),
        },
    )
    .await?;
    tx.commit().await.map_err(internal)?;
    Ok(Saved::Submitted(reference))
}

async fn insert_attachment(
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
    .await
    .map_err(internal)?;
    Ok(())
}

async fn record_event(
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
    .map_err(internal)?;
    Ok(())
}

/// Deletes one of the person's drafts (of the session's profile).
pub async fn delete_draft(
    db: &Db,
    user: &CurrentUser,
    token: &str,
) -> Result<Vec<String>, AppError> {
    let mut sql = Sql::new("SELECT r.id FROM request r WHERE r.status = 'draft' AND r.token = ");
    let t = sql.arg(Arg::Text(token.to_string()));
    sql.push(&t);
    let a = sql.arg(Arg::Int(user.account_id));
    sql.push(&format!(" AND r.account_id = {a}"));
    let s = scope(user, &mut sql);
    sql.push(&s);
    let Some(row) = sql.query().fetch_optional(db).await.map_err(internal)? else {
        return Err(AppError::NotFound);
    };
    let id: i64 = row.try_get("id").map_err(internal)?;
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT storage_key FROM attachment WHERE request_id = $1")
            .bind(id)
            .fetch_all(db)
            .await
            .map_err(internal)?;
    sqlx::query("DELETE FROM request WHERE id = $1 AND status = 'draft'")
        .bind(id)
        .execute(db)
        .await
        .map_err(internal)?;
    Ok(keys)
}

// ---------------------------------------------------------------------------------------
// Dashboard

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
    let rows = sql.query().fetch_all(db).await.map_err(internal)?;
    let mut out = Vec::with_capacity(rows.len());
    let mut keys = Vec::with_capacity(rows.len());
    for row in rows {
        let submitted_at: i64 = row.try_get("submitted_at").map_err(internal)?;
        let updated_at: i64 = row.try_get("updated_at").map_err(internal)?;
        let id: i64 = row.try_get("id").map_err(internal)?;
        let code: String = row.try_get("procedure_code").map_err(internal)?;
        let status: String = row.try_get("status").map_err(internal)?;
        keys.push(format!(
            "{}_{id}",
            if column == "updated_at" {
                updated_at
            } else {
                submitted_at
            }
        ));
        out.push(RequestRow {
            reference: row.try_get("reference").map_err(internal)?,
            procedure: title(config, &code, lang),
            procedure_code: code,
            status: RequestStatus::parse(&status).unwrap_or(RequestStatus::Submitted),
            submitted: date_text(Some(submitted_at)),
            updated: date_text(Some(updated_at)),
            submitted_at,
            updated_at,
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
    let mut counts = Vec::new();
    let mut total = 0;
    let found = sql.query().fetch_all(db).await.map_err(internal)?;
    for status in RequestStatus::FILED {
        let n = found
            .iter()
            .find(|row| row.try_get::<String, _>("status").ok().as_deref() == Some(status.code()))
            .map(|row| row.try_get::<i64, _>("n").unwrap_or(0))
            .unwrap_or(0);
        total += n;
        counts.push((status, n));
    }
    let mut sql =
        Sql::new("SELECT DISTINCT r.procedure_code FROM request r WHERE r.status <> 'draft'");
    let s = scope(user, &mut sql);
    sql.push(&s);
    let mut procedures: Vec<(String, String)> = sql
        .query()
        .fetch_all(db)
        .await
        .map_err(internal)?
        .iter()
        .filter_map(|row| row.try_get::<String, _>("procedure_code").ok())
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
    let drafts = sql
        .query()
        .fetch_all(db)
        .await
        .map_err(internal)?
        .iter()
        .map(|row| {
            let code: String = row.try_get("procedure_code")?;
            Ok(DraftRow {
                token: row.try_get("token")?,
                procedure: title(config, &code, lang),
                procedure_code: code,
                updated: date_text(Some(row.try_get("updated_at")?)),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(internal)?;
    Ok(DashboardData {
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

// ---------------------------------------------------------------------------------------
// One request

/// Who looks at a request: a member of its profile, or an agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    Member,
    Agent,
}

struct Found {
    id: i64,
    status: RequestStatus,
    code: String,
    account_id: Option<i64>,
    organisation_id: Option<i64>,
}

/// The request of `reference` if `viewer` may see it. Members: only through the profile
/// the session acts for; anything else is "not found" (nothing tells it exists).
async fn find(
    db: &Db,
    user: &CurrentUser,
    reference: &str,
    viewer: Viewer,
) -> Result<Found, AppError> {
    if !looks_like_reference(reference) {
        return Err(AppError::NotFound);
    }
    if viewer == Viewer::Agent && !user.is_agent {
        return Err(AppError::Forbidden);
    }
    let mut sql = Sql::new(
        "SELECT r.id, r.status, r.procedure_code, r.account_id, r.organisation_id FROM request r \
         WHERE r.reference = ",
    );
    let a = sql.arg(Arg::Text(reference.to_string()));
    sql.push(&a);
    if viewer == Viewer::Member {
        let s = scope(user, &mut sql);
        sql.push(&s);
    }
    let row = sql
        .query()
        .fetch_optional(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let status: String = row.try_get("status").map_err(internal)?;
    Ok(Found {
        id: row.try_get("id").map_err(internal)?,
        status: RequestStatus::parse(&status).unwrap_or(RequestStatus::Submitted),
        code: row.try_get("procedure_code").map_err(internal)?,
        account_id: row.try_get("account_id").map_err(internal)?,
        organisation_id: row.try_get("organisation_id").map_err(internal)?,
    })
}

pub async fn view(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    reference: &str,
    viewer: Viewer,
    lang: Lang,
) -> Result<RequestView, AppError> {
    let found = find(db, user, reference, viewer).await?;
    let row = sqlx::query(
        "SELECT r.data, r.submitted_at, r.documents_asked, r.identification_acr, \
                p.first_name, p.last_name, o.name AS organisation, o.bce \
         FROM request r LEFT JOIN citizen_profile p ON p.account_id = r.account_id \
         LEFT JOIN organisation o ON o.id = r.organisation_id WHERE r.id = $1",
    )
    .bind(found.id)
    .fetch_one(db)
    .await
    .map_err(internal)?;
    let data: String = row.try_get("data").map_err(internal)?;
    let data: BTreeMap<String, String> = serde_json::from_str(&data).unwrap_or_default();
    let procedure = config.catalogue.get(&found.code);
    let answers = procedure
        .map(|p| {
            p.fields
                .iter()
                .map(|field| AnswerView {
                    label: field.label.get(lang).to_string(),
                    value: procedures::display_value(field, &data, lang),
                })
                .collect()
        })
        .unwrap_or_default();
    let name = |first: Option<String>, last: Option<String>| match (first, last) {
        (Some(f), Some(l)) => format!("{f} {l}"),
        _ => String::new(),
    };
    let organisation: Option<String> = row.try_get("organisation").map_err(internal)?;
    let bce: Option<String> = row.try_get("bce").map_err(internal)?;
    let profile = match (organisation, bce) {
        (Some(name), Some(bce)) => format!(
            "{name} ({})",
            crate::domain::BceNumber::parse(&bce)
                .map(|b| b.to_string())
                .unwrap_or(bce)
        ),
        _ => String::new(),
    };
    let events = sqlx::query(
        "SELECT e.status, e.note, e.by_agent, e.created_at, p.first_name, p.last_name \
         FROM request_event e LEFT JOIN citizen_profile p ON p.account_id = e.actor_account_id \
         WHERE e.request_id = $1 ORDER BY e.id",
    )
    .bind(found.id)
    .fetch_all(db)
    .await
    .map_err(internal)?
    .iter()
    .map(|row| {
        let by_agent = row.try_get::<i64, _>("by_agent")? != 0;
        let status: String = row.try_get("status")?;
        Ok(EventView {
            status: RequestStatus::parse(&status).unwrap_or(RequestStatus::Submitted),
            note: row
                .try_get::<Option<String>, _>("note")?
                .unwrap_or_default(),
            // Agents are "l'administration" to the public.
            by: if by_agent && viewer == Viewer::Member {
                String::new()
            } else {
                name(row.try_get("first_name")?, row.try_get("last_name")?)
            },
            by_agent,
            when: date_text(Some(row.try_get("created_at")?)),
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()
    .map_err(internal)?;
    let messages = sqlx::query(
        "SELECT m.body, m.by_agent, m.created_at, p.first_name, p.last_name \
         FROM request_message m LEFT JOIN citizen_profile p ON p.account_id = m.author_account_id \
         WHERE m.request_id = $1 ORDER BY m.id",
    )
    .bind(found.id)
    .fetch_all(db)
    .await
    .map_err(internal)?
    .iter()
    .map(|row| {
        let by_agent = row.try_get::<i64, _>("by_agent")? != 0;
        Ok(MessageView {
            body: row.try_get("body")?,
            by: if by_agent && viewer == Viewer::Member {
                String::new()
            } else {
                name(row.try_get("first_name")?, row.try_get("last_name")?)
            },
            by_agent,
            when: date_text(Some(row.try_get("created_at")?)),
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()
    .map_err(internal)?;
    Ok(RequestView {
        reference: reference.to_string(),
        procedure: title(config, &found.code, lang),
        service: procedure
            .map(|p| p.service.get(lang).to_string())
            .unwrap_or_default(),
        procedure_code: found.code.clone(),
        status: found.status,
        profile,
        filed_by: name(
            row.try_get("first_name").map_err(internal)?,
            row.try_get("last_name").map_err(internal)?,
        ),
        submitted: date_text(row.try_get("submitted_at").map_err(internal)?),
        identification: row.try_get("identification_acr").map_err(internal)?,
        answers,
        attachments: attachments_of(db, found.id).await?,
        events,
        messages,
        documents_asked: (found.status == RequestStatus::DocumentsRequested)
            .then(|| {
                row.try_get::<Option<String>, _>("documents_asked")
                    .ok()
                    .flatten()
            })
            .flatten(),
        next_statuses: if viewer == Viewer::Agent {
            found.status.agent_targets().to_vec()
        } else {
            Vec::new()
        },
    })
}

/// The stored file of an attachment of a request the viewer may see:
/// `(storage key, file name, content type)`.
pub async fn attachment(
    db: &Db,
    user: &CurrentUser,
    reference: &str,
    attachment_id: i64,
    viewer: Viewer,
) -> Result<(String, String, String), AppError> {
    let found = find(db, user, reference, viewer).await?;
    let row = sqlx::query(
        "SELECT storage_key, file_name, content_type FROM attachment WHERE id = $1 AND request_id = $2",
    )
    .bind(attachment_id)
    .bind(found.id)
    .fetch_optional(db)
    .await
    .map_err(internal)?
    .ok_or(AppError::NotFound)?;
    Ok((
        row.try_get("storage_key").map_err(internal)?,
        row.try_get("file_name").map_err(internal)?,
        row.try_get("content_type").map_err(internal)?,
    ))
}

/// The people told about a request: whoever filed it, while still able to see it.
async fn tell_requester(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    config: &ServerConfig,
    found: &Found,
    reference: &str,
    change: &str,
) -> Result<(), AppError> {
    let Some(account_id) = found.account_id else {
        return Ok(());
    };
    if let Some(org) = found.organisation_id {
        let member: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM membership WHERE organisation_id = $1 AND account_id = $2 \
             AND status = 'active'",
        )
        .bind(org)
        .bind(account_id)
        .fetch_one(&mut **tx)
        .await
        .map_err(internal)?;
        if member == 0 {
            return Ok(());
        }
    }
    let procedure = config
        .catalogue
        .get(&found.code)
        .map(|p| p.title.clone())
        .unwrap_or_default();
    notifications::deliver(
        tx,
        config,
        account_id,
        &Event::RequestChanged {
            organisation_id: found.organisation_id,
            reference: reference.to_string(),
            procedure,
            change: change.to_string(),
        },
    )
    .await
}

fn message_text(body: &str, field: &str) -> Result<String, AppError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new(
            field,
            "message.empty",
        )]));
    }
    if body.chars().count() > 5000 {
        return Err(AppError::Validation(vec![FieldError::new(
            field,
            "procedure.too_long",
        )]));
    }
    Ok(body.to_string())
}

/// A message in the request's thread, from its requester's side or from an agent.
pub async fn post_message(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    reference: &str,
    body: &str,
    viewer: Viewer,
) -> Result<(), AppError> {
    let found = find(db, user, reference, viewer).await?;
    let body = message_text(body, "body")?;
    let mut tx = crate::backend::begin(db).await.map_err(internal)?;
    sqlx::query(
        "INSERT INTO request_message (request_id, author_account_id, by_agent, body, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(found.id)
    .bind(user.account_id)
    .bind(i64::from(viewer == Viewer::Agent))
    .bind(&body)
    .bind(now_ms())
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    sqlx::query("UPDATE request SET updated_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(found.id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    if viewer == Viewer::Agent {
        tell_requester(&mut tx, config, &found, reference, "message").await?;
    }
    tx.commit().await.map_err(internal)
}

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
    let target = RequestStatus::parse(status)
        .filter(|t| found.status.agent_targets().contains(t))
        .ok_or_else(|| {
            AppError::Validation(vec![FieldError::new("status", "request.transition")])
        })?;
    let note = note.trim();
    if note.chars().count() > 5000 {
        return Err(AppError::Validation(vec![FieldError::new(
            "note",
            "procedure.too_long",
        )]));
    }
    if target == RequestStatus::DocumentsRequested && note.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new(
            "note",
            "request.documents_note",
        )]));
    }
    let mut tx = crate::backend::begin(db).await.map_err(internal)?;
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
    .await
    .map_err(internal)?;
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
    tell_requester(&mut tx, config, &found, reference, target.code()).await?;
    tx.commit().await.map_err(internal)
}

/// The requester sends the documents asked (files already stored), with a note: the
/// request goes back to "submitted".
pub async fn answer_documents(
    db: &Db,
    user: &CurrentUser,
    reference: &str,
    files: Vec<NewAttachment>,
    note: &str,
) -> Result<(), AppError> {
    let found = find(db, user, reference, Viewer::Member).await?;
    if found.status != RequestStatus::DocumentsRequested {
        return Err(AppError::Validation(vec![FieldError::new(
            "documents",
            "request.not_asked",
        )]));
    }
    if files.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new(
            "documents",
            "attachment.required",
        )]));
    }
    let note = note.trim();
    if note.chars().count() > 5000 {
        return Err(AppError::Validation(vec![FieldError::new(
            "note",
            "procedure.too_long",
        )]));
    }
    let now = now_ms();
    let mut tx = crate::backend::begin(db).await.map_err(internal)?;
    let changed = sqlx::query(
        "UPDATE request SET status = 'submitted', updated_at = $1, documents_asked = NULL \
         WHERE id = $2 AND status = 'documents_requested'",
    )
    .bind(now)
    .bind(found.id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    if changed.rows_affected() == 0 {
        return Err(AppError::Conflict);
    }
    for file in &files {
        insert_attachment(&mut tx, found.id, file, user.account_id, now).await?;
    }
    record_event(
        &mut tx,
        found.id,
        RequestStatus::Submitted,
        (!note.is_empty()).then_some(note),
        user.account_id,
        false,
    )
    .await?;
    tx.commit().await.map_err(internal)
}

// ---------------------------------------------------------------------------------------
// The agents' queue

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
    if !user.is_agent {
        return Err(AppError::Forbidden);
    }
    let mut sql = Sql::new(
        "SELECT r.id, r.reference, r.procedure_code, r.status, r.submitted_at FROM request r \
         WHERE r.status <> 'draft'",
    );
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
    let rows = sql.query().fetch_all(db).await.map_err(internal)?;
    let mut out = Vec::new();
    let mut keys = Vec::new();
    for row in rows {
        let submitted_at: i64 = row.try_get("submitted_at").map_err(internal)?;
        let id: i64 = row.try_get("id").map_err(internal)?;
        let code: String = row.try_get("procedure_code").map_err(internal)?;
        let status: String = row.try_get("status").map_err(internal)?;
        keys.push(format!("{submitted_at}_{id}"));
        out.push(QueueRow {
            reference: row.try_get("reference").map_err(internal)?,
            procedure: title(config, &code, lang),
            status: RequestStatus::parse(&status).unwrap_or(RequestStatus::Submitted),
            submitted: date_text(Some(submitted_at)),
            age_days: (now - submitted_at).div_euclid(DAY_MS),
        });
    }
    let next = if out.len() as i64 > PAGE_SIZE {
        out.truncate(PAGE_SIZE as usize);
        keys.get(PAGE_SIZE as usize - 1).cloned()
    } else {
        None
    };
    let procedures = config
        .catalogue
        .all()
        .iter()
        .map(|p| (p.code.clone(), p.title.get(lang).to_string()))
        .collect();
    Ok(QueueData {
        rows: out,
        next,
        procedures,
    })
}

/// `server agent add|remove <email>`: grants or withdraws the agent role.
pub async fn set_agent(db: &Db, email: &str, agent: bool) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query("UPDATE account SET is_agent = $1 WHERE email = $2")
        .bind(i64::from(agent))
        .bind(email.trim().to_lowercase())
        .execute(db)
        .await?;
    Ok(changed.rows_affected() > 0)
}
