//! One request: its page (for its profile's members and for agents), attachments,
//! messages, and the documents the requester sends when asked.
use super::access_log::{self, Access};
use super::shared::{
    agent_scope, attachments_of, date_text, insert_attachment, record_event, scope, title, Arg,
    NewAttachment, Sql,
};
use crate::backend::notifications::{self, Event};
use crate::backend::session::CurrentUser;
use crate::backend::{now_ms, Db, ServerConfig};
use crate::domain::Lang;
use crate::domain::MembershipStatus;
use crate::domain::RequestChange;
use crate::domain::{looks_like_reference, RequestStatus};
use crate::error::{AppError, FieldError};
use crate::model::requests::*;
use crate::procedures::{self};
use std::collections::BTreeMap;

/// Who looks at a request: a member of its profile, or an agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    Member,
    Agent,
}

#[derive(sqlx::FromRow)]
pub(super) struct Found {
    pub(super) id: i64,
    #[sqlx(try_from = "String")]
    pub(super) status: RequestStatus,
    pub(super) procedure_code: String,
    pub(super) account_id: Option<i64>,
    pub(super) organisation_id: Option<i64>,
}

/// The request of `reference` if `viewer` may see it. Members: only through the profile
/// the session acts for; anything else is "not found" (nothing tells it exists).
/// Whether the agent `user` filed this request, or an organisation they belong to did: an
/// agent never processes those (another agent does).
pub(super) async fn is_own(db: &Db, user: &CurrentUser, found: &Found) -> Result<bool, AppError> {
    if found.account_id == Some(user.account_id) {
        return Ok(true);
    }
    let Some(organisation) = found.organisation_id else {
        return Ok(false);
    };
    let members: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM membership WHERE organisation_id = $1 AND account_id = $2 \
         AND status = $3",
    )
    .bind(organisation)
    .bind(user.account_id)
    .bind(MembershipStatus::Active.code())
    .fetch_one(db)
    .await?;
    Ok(members > 0)
}

/// Refuses an agent's action on a request of their own (`field`: the form's field).
pub(super) async fn refuse_own(
    db: &Db,
    user: &CurrentUser,
    found: &Found,
    field: &str,
) -> Result<(), AppError> {
    if is_own(db, user, found).await? {
        return Err(AppError::Validation(vec![FieldError::new(
            field,
            "request.own_request",
        )]));
    }
    Ok(())
}

pub(super) async fn find(
    db: &Db,
    user: &CurrentUser,
    reference: &str,
    viewer: Viewer,
) -> Result<Found, AppError> {
    find_as(db, user, reference, viewer, FOUND_COLUMNS, "").await
}

const FOUND_COLUMNS: &str = "r.id, r.status, r.procedure_code, r.account_id, r.organisation_id";

/// The request of `reference` if `viewer` may see it, read as `T`: the columns `columns`
/// of `request r` and of the tables `joins` brings.
async fn find_as<T>(
    db: &Db,
    user: &CurrentUser,
    reference: &str,
    viewer: Viewer,
    columns: &str,
    joins: &str,
) -> Result<T, AppError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    if !looks_like_reference(reference) {
        return Err(AppError::NotFound);
    }
    if viewer == Viewer::Agent {
        user.require_agent()?;
    }
    let mut sql = Sql::new(&format!(
        "SELECT {columns} FROM request r{joins} WHERE r.reference = "
    ));
    let a = sql.arg(Arg::Text(reference.to_string()));
    sql.push(&a);
    let s = match viewer {
        Viewer::Member => scope(user, &mut sql),
        Viewer::Agent => agent_scope(user, &mut sql),
    };
    sql.push(&s);
    sql.query_as()
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The profile that holds the request of `reference` when it is not the one the session
/// acts for, and the person may act for it: `Some(None)` their citizen profile,
/// `Some(Some(id))` an organisation they are an active member of. Anything else: `None`
/// (nothing tells a request exists to someone who may not see it).
pub async fn other_profile_of(
    db: &Db,
    user: &CurrentUser,
    reference: &str,
) -> Result<Option<Option<i64>>, AppError> {
    if !looks_like_reference(reference) {
        return Ok(None);
    }
    let found: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT r.account_id, r.organisation_id FROM request r WHERE r.reference = $1 \
         AND (r.organisation_id IS NULL AND r.account_id = $2 \
              OR r.organisation_id IN (SELECT m.organisation_id FROM membership m \
                   JOIN organisation o ON o.id = m.organisation_id \
                   WHERE m.account_id = $3 AND m.status = 'active' \
                     AND o.suspended_at IS NULL))",
    )
    .bind(reference)
    .bind(user.account_id)
    .bind(user.account_id)
    .fetch_optional(db)
    .await?;
    let active = user.active.as_ref().map(|org| org.id);
    Ok(found
        .map(|(_, organisation)| organisation)
        .filter(|organisation| *organisation != active))
}

pub async fn view(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    reference: &str,
    viewer: Viewer,
    lang: Lang,
) -> Result<RequestView, AppError> {
    // The request, whether the viewer may see it, and what its page shows of it: one
    // statement.
    #[derive(sqlx::FromRow)]
    struct ViewRow {
        #[sqlx(flatten)]
        found: Found,
        data: String,
        submitted_at: Option<i64>,
        documents_asked: Option<String>,
        identification_acr: Option<String>,
        first_name: Option<String>,
        last_name: Option<String>,
        organisation: Option<String>,
        bce: Option<String>,
    }
    let row: ViewRow = find_as(
        db,
        user,
        reference,
        viewer,
        &format!(
            "{FOUND_COLUMNS}, r.data, r.submitted_at, r.documents_asked, r.identification_acr, \
             p.first_name, p.last_name, o.name AS organisation, o.bce"
        ),
        " LEFT JOIN citizen_profile p ON p.account_id = r.account_id \
         LEFT JOIN organisation o ON o.id = r.organisation_id",
    )
    .await?;
    let found = &row.found;
    let own = viewer == Viewer::Agent && is_own(db, user, found).await?;
    if viewer == Viewer::Agent {
        access_log::record(
            db,
            config,
            user,
            found.id,
            &found.procedure_code,
            Access::Viewed,
        )
        .await?;
    }
    let data: BTreeMap<String, String> = serde_json::from_str(&row.data).unwrap_or_default();
    let procedure = config.catalogue.get(&found.procedure_code);
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
    let name = |first: &Option<String>, last: &Option<String>| match (first, last) {
        (Some(f), Some(l)) => format!("{f} {l}"),
        _ => String::new(),
    };
    // Agents are "l'administration" to the public.
    let by = |by_agent: bool, first: &Option<String>, last: &Option<String>| {
        if by_agent && viewer == Viewer::Member {
            String::new()
        } else {
            name(first, last)
        }
    };
    let profile = match (row.organisation, row.bce) {
        (Some(name), Some(bce)) => {
            format!("{name} ({})", crate::domain::BceNumber::formatted(&bce))
        }
        _ => String::new(),
    };
    // Its history and its messages: one statement (`message` says which a line is).
    #[derive(sqlx::FromRow)]
    struct LineRow {
        message: i64,
        status: Option<String>,
        text: Option<String>,
        by_agent: i64,
        created_at: i64,
        first_name: Option<String>,
        last_name: Option<String>,
    }
    let lines = sqlx::query_as::<_, LineRow>(
        "SELECT CAST(0 AS BIGINT) AS message, e.id, e.status, e.note AS text, e.by_agent, e.created_at, \
                p.first_name, p.last_name \
         FROM request_event e LEFT JOIN citizen_profile p ON p.account_id = e.actor_account_id \
         WHERE e.request_id = $1 \
         UNION ALL \
         SELECT CAST(1 AS BIGINT) AS message, m.id, NULL AS status, m.body AS text, m.by_agent, m.created_at, \
                p.first_name, p.last_name \
         FROM request_message m LEFT JOIN citizen_profile p ON p.account_id = m.author_account_id \
         WHERE m.request_id = $2 \
         ORDER BY message, id",
    )
    .bind(found.id)
    .bind(found.id)
    .fetch_all(db)
    .await?;
    let mut events = Vec::new();
    let mut messages = Vec::new();
    for line in lines {
        let by_agent = line.by_agent != 0;
        let by = by(by_agent, &line.first_name, &line.last_name);
        let when = date_text(Some(line.created_at));
        match line.status {
            Some(status) if line.message == 0 => events.push(EventView {
                status: crate::backend::decode("status", &status, RequestStatus::parse)?,
                note: line.text.unwrap_or_default(),
                by,
                by_agent,
                when,
            }),
            _ => messages.push(MessageView {
                by,
                by_agent,
                body: line.text.unwrap_or_default(),
                when,
            }),
        }
    }
    Ok(RequestView {
        reference: reference.to_string(),
        procedure: title(config, &found.procedure_code, lang),
        service: procedure
            .map(|p| p.service.get(lang).to_string())
            .unwrap_or_default(),
        procedure_code: found.procedure_code.clone(),
        status: found.status,
        profile,
        filed_by: name(&row.first_name, &row.last_name),
        submitted: date_text(row.submitted_at),
        // The answer is due by then while it is being dealt with.
        answer_by: procedure
            .and_then(|p| p.answer_within)
            .filter(|_| found.status.is_open())
            .zip(
                row.submitted_at
                    .and_then(crate::backend::time::brussels_day),
            )
            .and_then(|(within, filed)| within.deadline(filed))
            .map(crate::domain::calendar::format_day),
        identification: row.identification_acr,
        answers,
        attachments: attachments_of(db, found.id).await?,
        events,
        messages,
        documents_asked: row
            .documents_asked
            .filter(|_| found.status == RequestStatus::DocumentsRequested),
        next_statuses: if viewer == Viewer::Agent && !own {
            found.status.agent_targets().to_vec()
        } else {
            Vec::new()
        },
        own_request: own,
        // The person sees who looked; agents see the request, not each other.
        accesses: if viewer == Viewer::Member {
            access_log::of_request(db, found.id, lang).await?
        } else {
            Vec::new()
        },
        switched_to: None,
    })
}

/// The stored file of an attachment of a request the viewer may see:
/// `(storage key, file name, content type)`.
pub async fn attachment(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    reference: &str,
    attachment_id: i64,
    viewer: Viewer,
) -> Result<(String, String, String), AppError> {
    let found = find(db, user, reference, viewer).await?;
    let (key, name, content_type): (String, String, String) = sqlx::query_as(
        "SELECT storage_key, file_name, content_type FROM attachment WHERE id = $1 AND request_id = $2",
    )
    .bind(attachment_id)
    .bind(found.id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    if viewer == Viewer::Agent {
        let access = Access::Downloaded(&name);
        access_log::record(db, config, user, found.id, &found.procedure_code, access).await?;
    }
    Ok((key, name, content_type))
}

/// The people told about a request: whoever filed it, while still able to see it.
pub(super) async fn tell_requester(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    config: &ServerConfig,
    found: &Found,
    reference: &str,
    change: RequestChange,
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
        .await?;
        if member == 0 {
            return Ok(());
        }
    }
    let procedure = config
        .catalogue
        .get(&found.procedure_code)
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
            change,
        },
    )
    .await
}

/// How many messages a person may write on one request in [`MESSAGE_WINDOW_MS`].
pub const MESSAGES_PER_WINDOW: i64 = 10;
const MESSAGE_WINDOW_MS: i64 = 60 * 60 * 1000;

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
            "procedure.too_long:5000",
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
    if viewer == Viewer::Agent {
        refuse_own(db, user, &found, "body").await?;
    }
    let body = message_text(body, "body")?;
    let refuse = |code: &str| AppError::Validation(vec![FieldError::new("body", code)]);
    // A closed request takes no more messages; a person writes at most so many an hour.
    if found.status == RequestStatus::Closed {
        return Err(refuse("message.closed"));
    }
    let mut tx = crate::backend::begin(db).await?;
    if viewer == Viewer::Member {
        let recent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM request_message WHERE request_id = $1 \
             AND author_account_id = $2 AND created_at > $3",
        )
        .bind(found.id)
        .bind(user.account_id)
        .bind(now_ms() - MESSAGE_WINDOW_MS)
        .fetch_one(&mut *tx)
        .await?;
        if recent >= MESSAGES_PER_WINDOW {
            return Err(refuse("message.too_many"));
        }
    }
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
    .await?;
    sqlx::query("UPDATE request SET updated_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(found.id)
        .execute(&mut *tx)
        .await?;
    if viewer == Viewer::Agent {
        tell_requester(&mut tx, config, &found, reference, RequestChange::Message).await?;
    }
    Ok(tx.commit().await?)
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
            "procedure.too_long:5000",
        )]));
    }
    let now = now_ms();
    let mut tx = crate::backend::begin(db).await?;
    let changed = sqlx::query(
        "UPDATE request SET status = 'submitted', updated_at = $1, documents_asked = NULL \
         WHERE id = $2 AND status = 'documents_requested'",
    )
    .bind(now)
    .bind(found.id)
    .execute(&mut *tx)
    .await?;
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
    Ok(tx.commit().await?)
}
