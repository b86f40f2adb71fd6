//! Asking to join an organisation that already has a profile.
use super::authorise::{field, membership_event, valid_function, OrgRow};
use super::wizard::require_draft;
use crate::backend::notifications::{self, Event};
use crate::backend::session::CurrentUser;
use crate::backend::{now_ms, Db, ServerConfig};
use crate::domain::BceNumber;
use crate::domain::MembershipStatus;
use crate::error::AppError;
use crate::model::organisations::OrgSummary;

/// Every access request e-mails all the administrators of the profile: asking again after a
/// refusal is allowed this many times to one profile within [`ACCESS_REQUEST_WINDOW_MS`]…
pub const ACCESS_REQUESTS_PER_ORGANISATION: i64 = 3;
/// …and this many times in all within a day (one person cannot ring every profile's bell).
pub const ACCESS_REQUESTS_PER_DAY: i64 = 10;
pub const ACCESS_REQUEST_WINDOW_MS: i64 = 30 * 24 * 60 * 60 * 1000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Refuses a request over either limit (counted from the requests recorded in
/// `membership_event`, so that it holds on every server).
async fn within_limits(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account_id: i64,
    organisation_id: i64,
    now: i64,
) -> Result<(), AppError> {
    let (to_this, in_a_day): (i64, i64) = sqlx::query_as(
        "SELECT \
           COALESCE(SUM(CASE WHEN organisation_id = $2 AND created_at > $3 THEN 1 ELSE 0 END), 0), \
           COALESCE(SUM(CASE WHEN created_at > $4 THEN 1 ELSE 0 END), 0) \
         FROM membership_event \
         WHERE kind = 'requested' AND subject_account_id = $1 AND actor_account_id = $1 \
           AND created_at > $3",
    )
    .bind(account_id)
    .bind(organisation_id)
    .bind(now - ACCESS_REQUEST_WINDOW_MS)
    .bind(now - DAY_MS)
    .fetch_one(&mut **tx)
    .await?;
    if to_this >= ACCESS_REQUESTS_PER_ORGANISATION || in_a_day >= ACCESS_REQUESTS_PER_DAY {
        return Err(field("function", "access.too_many"));
    }
    Ok(())
}

/// Asks to join the organisation of the draft's number: nothing is granted until an
/// administrator accepts. The administrators are told in the espace and by e-mail.
pub async fn request_access(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    function: &str,
) -> Result<(), AppError> {
    let draft = require_draft(db, user).await?;
    let function = valid_function(function)?;
    let number = BceNumber::parse(&draft.bce).map_err(|e| field("bce", e.code()))?;
    let mut tx = crate::backend::begin(db).await?;
    let organisation: OrgSummary =
        sqlx::query_as::<_, OrgRow>("SELECT id, name, kind, bce FROM organisation WHERE bce = $1")
            .bind(number.digits())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| field("bce", "wizard.no_draft"))?
            .into();
    let status: Option<String> = sqlx::query_scalar(
        "SELECT status FROM membership WHERE organisation_id = $1 AND account_id = $2",
    )
    .bind(organisation.id)
    .bind(user.account_id)
    .fetch_optional(&mut *tx)
    .await?;
    let now = now_ms();
    let status = status.as_deref().map(MembershipStatus::parse);
    if !matches!(
        status,
        Some(Some(MembershipStatus::Active | MembershipStatus::Pending))
    ) {
        within_limits(&mut tx, user.account_id, organisation.id, now).await?;
    }
    match status {
        Some(Some(MembershipStatus::Active)) => {
            return Err(field("function", "bce.already_member"))
        }
        Some(Some(MembershipStatus::Pending)) => {
            return Err(field("function", "access.already_pending"))
        }
        Some(_) => {
            sqlx::query(
                "UPDATE membership SET status = 'pending', role = 'member', function = $1, \
                 created_at = $2, since = NULL WHERE organisation_id = $3 AND account_id = $4",
            )
            .bind(&function)
            .bind(now)
            .bind(organisation.id)
            .bind(user.account_id)
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query(
                "INSERT INTO membership (organisation_id, account_id, function, role, status, \
                 language, email, notify_email, created_at) \
                 VALUES ($1, $2, $3, 'member', 'pending', $4, $5, 1, $6)",
            )
            .bind(organisation.id)
            .bind(user.account_id)
            .bind(&function)
            .bind(user.language.code())
            .bind(&user.email)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    membership_event(
        &mut tx,
        organisation.id,
        user.account_id,
        user.account_id,
        "requested",
        Some(&function),
    )
    .await?;
    let event = Event::AccessRequested {
        organisation_id: organisation.id,
        organisation: organisation.name.clone(),
        requester: format!("{} {}", user.first_name, user.last_name),
        function: function.clone(),
    };
    let admins: Vec<i64> = sqlx::query_scalar(
        "SELECT account_id FROM membership \
         WHERE organisation_id = $1 AND status = 'active' AND role = 'admin'",
    )
    .bind(organisation.id)
    .fetch_all(&mut *tx)
    .await?;
    for admin in admins {
        notifications::deliver(&mut tx, config, admin, &event).await?;
    }
    sqlx::query("DELETE FROM organisation_draft WHERE account_id = $1")
        .bind(user.account_id)
        .execute(&mut *tx)
        .await?;
    Ok(tx.commit().await?)
}
