//! Filing: the form of a procedure, drafts, submission, and deleting a draft.
use super::shared::{
    attachments_of, insert_attachment, procedure, profile_kind, record_event, scope, today, Arg,
    NewAttachment, Sql,
};
use crate::backend::notifications::{self, Event};
use crate::backend::organisations::may_file;
use crate::backend::session::CurrentUser;
use crate::backend::{internal, now_ms, Db, ServerConfig};
use crate::domain::RequestChange;
use crate::domain::{format_reference, RequestStatus};
use crate::error::{AppError, FieldError};
use crate::model::requests::*;
use crate::procedures::{self, Assurance, Procedure};
use std::collections::BTreeMap;

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
    #[derive(sqlx::FromRow)]
    struct Draft {
        id: i64,
        token: String,
        data: String,
    }
    let draft: Option<Draft> = sql.query_as().fetch_optional(db).await?;
    let kept = draft.is_some();
    let (token, data, attachments) = match draft {
        Some(row) => (
            row.token,
            serde_json::from_str(&row.data).unwrap_or_default(),
            attachments_of(db, row.id).await?,
        ),
        None => (
            crate::backend::session::new_token().0,
            BTreeMap::new(),
            Vec::new(),
        ),
    };
    let verify_at = user
        .active
        .as_ref()
        .filter(|_| !may_file(user, &procedure))
        .map(|active| active.id);
    Ok(FilingView {
        eid: eid_state(&procedure, config, user),
        verify_at,
        allowed: procedure.may_be_filed_by(profile_kind(user)),
        procedure,
        token,
        draft: kept,
        data,
        attachments,
        email_verified: user.email_verified,
        today: today(),
        keep_as: format!(
            "{}.{}",
            user.account_id,
            user.active
                .as_ref()
                .map_or_else(|| "c".to_string(), |org| org.id.to_string())
        ),
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

/// What the person asks of a form they send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// "Enregistrer le brouillon": kept as it is, checked only for its size.
    Save,
    /// "Continuer": kept, then checked as a filing would be, for the "Vérifiez votre
    /// demande" page.
    Review,
    /// Filed straight from the form (kept for clients that post it whole).
    Submit,
    /// "Envoyer la demande" on the "Vérifiez votre demande" page: files the draft as kept,
    /// without answers of its own.
    Confirm,
}

impl Intent {
    /// The form's `intent` (what its button sends); anything else keeps a draft.
    pub fn parse(code: Option<&str>) -> Self {
        match code {
            Some("review") => Intent::Review,
            Some("submit") => Intent::Submit,
            Some("confirm") => Intent::Confirm,
            _ => Intent::Save,
        }
    }
}

/// What a save came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saved {
    /// Kept as a draft (its token).
    Draft,
    /// Kept, and complete: ready for the "Vérifiez votre demande" page.
    Reviewed,
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
    intent: Intent,
    stored: &mut StoredFiles,
) -> Result<Saved, AppError> {
    let procedure = procedure(config, code)?;
    if !procedure.may_be_filed_by(profile_kind(user)) {
        return Err(AppError::Forbidden);
    }
    let stale = || AppError::Validation(vec![FieldError::new("form", "procedure.stale_form")]);
    let token = token.trim();
    if token.len() < 20 || token.len() > 64 {
        return Err(stale());
    }
    // Confirming files the answers as kept: the page that confirms sends none.
    let given = (intent != Intent::Confirm).then(|| procedures::keep_known(procedure, data));
    let now = now_ms();
    let organisation_id = user.active.as_ref().map(|org| org.id);

    let mut tx = crate::backend::begin(db).await?;
    // The status stays a code: only "draft or not" matters here.
    #[derive(sqlx::FromRow)]
    struct Existing {
        id: i64,
        status: String,
        reference: Option<String>,
        account_id: Option<i64>,
        organisation_id: Option<i64>,
        procedure_code: String,
        data: String,
    }
    let existing: Option<Existing> = sqlx::query_as(
        "SELECT id, status, reference, account_id, organisation_id, procedure_code, data \
         FROM request WHERE token = $1",
    )
    .bind(token)
    .fetch_optional(&mut *tx)
    .await?;
    let (request_id, data) = match existing {
        Some(row) => {
            if row.account_id != Some(user.account_id)
                || row.organisation_id != organisation_id
                || row.procedure_code != code
            {
                return Err(AppError::Forbidden);
            }
            if row.status != RequestStatus::Draft.code() {
                // Sent already: the same answer as the first time.
                return Ok(Saved::Submitted(row.reference.unwrap_or_default()));
            }
            match given {
                // Confirmed: the answers are those kept.
                None => (row.id, serde_json::from_str(&row.data).unwrap_or_default()),
                Some(data) => {
                    // Saved again: a notice of its coming deletion no longer holds.
                    sqlx::query(
                        "UPDATE request SET data = $1, updated_at = $2, expiry_notice_at = NULL \
                         WHERE id = $3",
                    )
                    .bind(serde_json::to_string(&data).map_err(internal)?)
                    .bind(now)
                    .bind(row.id)
                    .execute(&mut *tx)
                    .await?;
                    (row.id, data)
                }
            }
        }
        // Nothing to confirm: the draft was deleted (or never kept) meanwhile.
        None if given.is_none() => return Err(stale()),
        None => {
            let data = given.unwrap_or_default();
            let drafts: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM request WHERE account_id = $1 AND status = 'draft'",
            )
            .bind(user.account_id)
            .fetch_one(&mut *tx)
            .await?;
            if drafts >= i64::try_from(config.quotas.drafts).unwrap_or(i64::MAX) {
                return Err(AppError::Validation(vec![FieldError::new(
                    "form",
                    &format!("quota.drafts:{}", config.quotas.drafts),
                )]));
            }
            let id = sqlx::query_scalar(
                "INSERT INTO request (token, procedure_code, account_id, organisation_id, status, \
                                  data, assurance, created_at, updated_at, service) \
             VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $7, $8) \
             ON CONFLICT (token) DO NOTHING RETURNING id",
            )
            .bind(token)
            .bind(code)
            .bind(user.account_id)
            .bind(organisation_id)
            .bind(serde_json::to_string(&data).map_err(internal)?)
            .bind("basic")
            .bind(now)
            .bind(&procedure.service.code)
            .fetch_optional(&mut *tx)
            .await?
            // The same form sent twice at once: the other one made it.
            .ok_or(AppError::Conflict)?;
            (id, data)
        }
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
        .await?;
        old_files.extend(old);
        insert_attachment(&mut tx, request_id, &file, user.account_id, now).await?;
    }
    // Documents kept in drafts count against the account's quota (nothing is kept beyond).
    let kept: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(a.size), 0) AS BIGINT) FROM attachment a \
         JOIN request r ON r.id = a.request_id \
         WHERE r.account_id = $1 AND r.status = 'draft'",
    )
    .bind(user.account_id)
    .fetch_one(&mut *tx)
    .await?;
    let quota = i64::try_from(config.quotas.draft_megabytes * 1024 * 1024).unwrap_or(i64::MAX);
    if kept > quota {
        return Err(AppError::Validation(vec![FieldError::new(
            "form",
            &format!("quota.bytes:{}", config.quotas.draft_megabytes),
        )]));
    }
    tx.commit().await?;
    stored.recorded = true;
    stored.replaced = old_files;
    if intent == Intent::Save {
        return Ok(Saved::Draft);
    }

    // Filing: the draft is kept whatever the answer.
    let mut errors = procedures::validate(procedure, &data, today());
    let slots: Vec<String> =
        sqlx::query_scalar("SELECT slot FROM attachment WHERE request_id = $1")
            .bind(request_id)
            .fetch_all(db)
            .await?;
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
    if !may_file(user, procedure) {
        errors.push(FieldError::new(
            "representative",
            "representative.not_verified",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if intent == Intent::Review {
        return Ok(Saved::Reviewed);
    }
    if eid == EidState::Needed {
        return Ok(Saved::NeedsEid);
    }
    // The level of identification the request is filed at (`acr`), for eID procedures.
    let eid_acr = (eid == EidState::Done)
        .then(|| user.eid.as_ref().map(|(_, acr)| acr.as_str()))
        .flatten();

    let mut tx = crate::backend::begin(db).await?;
    let year = jiff::Timestamp::from_millisecond(now)
        .map(|t| i64::from(t.to_zoned(jiff::tz::TimeZone::UTC).year()))
        .unwrap_or(2026);
    sqlx::query(
        "INSERT INTO reference_counter (year, last) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING",
    )
    .bind(year)
    .execute(&mut *tx)
    .await?;
    let number: i64 = sqlx::query_scalar(
        "UPDATE reference_counter SET last = last + 1 WHERE year = $1 RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut *tx)
    .await?;
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
    .await?;
    if filed.rows_affected() == 0 {
        // Filed meanwhile by the other try: answer with its reference.
        tx.rollback().await?;
        let reference: Option<String> =
            sqlx::query_scalar("SELECT reference FROM request WHERE id = $1")
                .bind(request_id)
                .fetch_one(db)
                .await?;
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
            change: RequestChange::Status(RequestStatus::Submitted),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Saved::Submitted(reference))
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
    let Some(id) = sql.query_scalar::<i64>().fetch_optional(db).await? else {
        return Err(AppError::NotFound);
    };
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT storage_key FROM attachment WHERE request_id = $1")
            .bind(id)
            .fetch_all(db)
            .await?;
    sqlx::query("DELETE FROM request WHERE id = $1 AND status = 'draft'")
        .bind(id)
        .execute(db)
        .await?;
    Ok(keys)
}
