//! Who may act for an organisation: the account's memberships, the check every call
//! makes, the profile switch, and what the other parts share (statuses, events).
use crate::backend::session::{self, CurrentUser};
use crate::backend::{internal, now_ms, Db};
use crate::domain::{BceNumber, OrgKind, PhoneNumber, Role, VerifiedBy};
use crate::error::{AppError, FieldError};
use crate::model::organisations::OrgSummary;

pub(super) const NAME_MAX: usize = 200;
const FUNCTION_MAX: usize = 100;

pub(super) fn field(field: &str, code: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, code)])
}

/// An organisation as rows give it (columns `id, name, kind, bce`).
#[derive(sqlx::FromRow)]
pub(super) struct OrgRow {
    id: i64,
    name: String,
    #[sqlx(try_from = "String")]
    kind: OrgKind,
    bce: String,
}

impl From<OrgRow> for OrgSummary {
    fn from(row: OrgRow) -> Self {
        OrgSummary {
            id: row.id,
            name: row.name,
            kind: row.kind,
            bce: BceNumber::formatted(&row.bce),
        }
    }
}

/// The organisations the account may act for, by name.
pub async fn memberships(db: &Db, account_id: i64) -> Result<Vec<OrgSummary>, AppError> {
    let rows: Vec<OrgRow> = sqlx::query_as(
        "SELECT o.id, o.name, o.kind, o.bce FROM organisation o \
         JOIN membership m ON m.organisation_id = o.id \
         WHERE m.account_id = $1 AND m.status = 'active' AND o.suspended_at IS NULL \
         ORDER BY o.name, o.id",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(OrgSummary::from).collect())
}

/// Every active membership of the account, with its contact details.
pub async fn membership_details(
    db: &Db,
    account_id: i64,
) -> Result<Vec<crate::model::organisations::MembershipView>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        membership_id: i64,
        function: String,
        #[sqlx(try_from = "String")]
        role: Role,
        email: Option<String>,
        landline: Option<String>,
        mobile: Option<String>,
        notify_email: i64,
        admins: i64,
        verified_at: Option<i64>,
        suspended_at: Option<i64>,
        #[sqlx(flatten)]
        organisation: OrgRow,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT m.id AS membership_id, m.function, m.role, m.email, m.landline, m.mobile, \
                m.notify_email, m.verified_at, o.suspended_at, o.id, o.name, o.kind, o.bce, \
                (SELECT COUNT(*) FROM membership a WHERE a.organisation_id = o.id \
                   AND a.status = 'active' AND a.role = 'admin') AS admins \
         FROM membership m JOIN organisation o ON o.id = m.organisation_id \
         WHERE m.account_id = $1 AND m.status = 'active' ORDER BY o.name, o.id",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?;
    let phone = |stored: Option<String>| PhoneNumber::stored_for_form(&stored.unwrap_or_default());
    Ok(rows
        .into_iter()
        .map(|row| crate::model::organisations::MembershipView {
            last_admin: row.role == Role::Admin && row.admins <= 1,
            membership_id: row.membership_id,
            organisation: row.organisation.into(),
            function: row.function,
            role: row.role,
            email: row.email.unwrap_or_default(),
            landline: phone(row.landline),
            mobile: phone(row.mobile),
            notify_email: row.notify_email != 0,
            verified: row.verified_at.is_some(),
            suspended: row.suspended_at.is_some(),
        })
        .collect())
}

/// The signed-in account's membership of an organisation, if it is active.
pub(super) struct Membership {
    pub(super) id: i64,
    pub(super) role: Role,
    pub(super) function: String,
    pub(super) organisation: OrgSummary,
    /// Verified since when, and how; `None`: a declared representative.
    pub(super) verified: Option<(i64, VerifiedBy)>,
}

impl Membership {
    pub(super) fn is_verified(&self) -> bool {
        self.verified.is_some()
    }
}

/// Makes a membership a verified representative's, `by` one of the ways.
pub(super) async fn mark_verified(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    membership_id: i64,
    by: VerifiedBy,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE membership SET verified_at = $1, verified_by = $2 WHERE id = $3")
        .bind(now)
        .bind(by.code())
        .bind(membership_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn active_membership<'e, E>(
    executor: E,
    account_id: i64,
    organisation_id: i64,
) -> Result<Option<Membership>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    #[derive(sqlx::FromRow)]
    struct Row {
        membership_id: i64,
        #[sqlx(try_from = "String")]
        role: Role,
        function: String,
        verified_at: Option<i64>,
        verified_by: Option<String>,
        #[sqlx(flatten)]
        organisation: OrgRow,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT m.id AS membership_id, m.role, m.function, m.verified_at, m.verified_by, \
                o.id, o.name, o.kind, o.bce \
         FROM membership m JOIN organisation o ON o.id = m.organisation_id \
         WHERE m.account_id = $1 AND m.organisation_id = $2 AND m.status = 'active' \
           AND o.suspended_at IS NULL",
    )
    .bind(account_id)
    .bind(organisation_id)
    .fetch_optional(executor)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let verified = match (row.verified_at, row.verified_by) {
        (Some(at), Some(by)) => Some((
            at,
            crate::backend::decode("verified_by", &by, VerifiedBy::parse)?,
        )),
        _ => None,
    };
    Ok(Some(Membership {
        id: row.membership_id,
        role: row.role,
        function: row.function,
        organisation: row.organisation.into(),
        verified,
    }))
}

/// The one place that says who may act for an organisation: an active member, and an
/// administrator when `admin` is asked. Anyone else (an unknown id too) is refused alike.
pub(super) async fn authorise(
    db: &Db,
    user: &CurrentUser,
    organisation_id: i64,
    admin: bool,
) -> Result<Membership, AppError> {
    match active_membership(db, user.account_id, organisation_id).await? {
        Some(membership) if !admin || membership.role == Role::Admin => Ok(membership),
        _ => Err(AppError::Forbidden),
    }
}

/// Makes the session act for an organisation the account belongs to, or for the citizen.
pub async fn switch(
    db: &Db,
    user: &CurrentUser,
    organisation_id: Option<i64>,
) -> Result<(), AppError> {
    switched(db, user, organisation_id).await.map(|_| ())
}

/// [`switch`], giving the session's person as they now act (for what follows in the same
/// call).
pub async fn switched(
    db: &Db,
    user: &CurrentUser,
    organisation_id: Option<i64>,
) -> Result<CurrentUser, AppError> {
    let active = match organisation_id {
        Some(id) => {
            let membership = authorise(db, user, id, false).await?;
            let verified = membership.is_verified();
            let org = membership.organisation;
            Some(session::ActiveOrganisation {
                id: org.id,
                name: org.name,
                kind: org.kind,
                bce: org.bce,
                verified,
            })
        }
        None => None,
    };
    session::set_active(db, &user.session_hash, organisation_id)
        .await
        .map_err(internal)?;
    Ok(CurrentUser {
        active,
        ..user.clone()
    })
}

pub(super) fn valid_function(function: &str) -> Result<String, AppError> {
    let function = function.trim();
    if function.is_empty() {
        Err(field("function", "function.empty"))
    } else if function.chars().count() > FUNCTION_MAX {
        Err(field("function", &format!("field.too_long:{FUNCTION_MAX}")))
    } else {
        Ok(function.to_string())
    }
}

pub(super) async fn membership_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    organisation_id: i64,
    subject: i64,
    actor: i64,
    kind: &str,
    detail: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO membership_event (organisation_id, subject_account_id, actor_account_id, \
         kind, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(organisation_id)
    .bind(subject)
    .bind(actor)
    .bind(kind)
    .bind(detail)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
