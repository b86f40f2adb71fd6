//! The representatives page: members, their requests to join, and what an administrator
//! does with them.
use super::authorise::{authorise, field, mark_verified, membership_event};
use crate::backend::notifications::{self, Event};
use crate::backend::session::CurrentUser;
use crate::backend::time::brussels_time;
use crate::backend::{now_ms, Db, ServerConfig};
use crate::domain::{MemberAction, MembershipChange, MembershipStatus, Transition};
use crate::domain::{Role, VerifiedBy};
use crate::error::AppError;
use crate::model::organisations::{MemberEventView, MemberView, MembersData};

pub async fn members(
    db: &Db,
    user: &CurrentUser,
    organisation_id: i64,
) -> Result<MembersData, AppError> {
    let me = authorise(db, user, organisation_id, false).await?;
    #[derive(sqlx::FromRow)]
    struct MemberRow {
        id: i64,
        account_id: i64,
        function: String,
        #[sqlx(try_from = "String")]
        role: Role,
        #[sqlx(try_from = "String")]
        status: MembershipStatus,
        created_at: i64,
        since: Option<i64>,
        email: String,
        first_name: String,
        last_name: String,
        verified_at: Option<i64>,
    }
    let rows: Vec<MemberRow> = sqlx::query_as(
        "SELECT m.id, m.account_id, m.function, m.role, m.status, m.created_at, m.since, \
                m.verified_at, \
                a.email, p.first_name, p.last_name \
         FROM membership m JOIN account a ON a.id = m.account_id \
         JOIN citizen_profile p ON p.account_id = a.id \
         WHERE m.organisation_id = $1 AND m.status IN ('active', 'pending') \
         ORDER BY p.last_name, p.first_name, m.id",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await?;
    let mut members = Vec::new();
    let mut pending = Vec::new();
    for row in rows {
        let view = MemberView {
            membership_id: row.id,
            name: format!("{} {}", row.first_name, row.last_name),
            email: row.email,
            function: row.function,
            role: row.role,
            since: brussels_time(row.since.unwrap_or(row.created_at)),
            is_me: row.account_id == user.account_id,
            verified: row.verified_at.is_some(),
        };
        if row.status == MembershipStatus::Pending {
            pending.push(view);
        } else {
            members.push(view);
        }
    }
    #[derive(sqlx::FromRow)]
    struct EventRow {
        kind: String,
        detail: Option<String>,
        created_at: i64,
        subject: Option<String>,
        actor: Option<String>,
    }
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT e.kind, e.detail, e.created_at, \
                sp.first_name || ' ' || sp.last_name AS subject, \
                ap.first_name || ' ' || ap.last_name AS actor \
         FROM membership_event e \
         LEFT JOIN citizen_profile sp ON sp.account_id = e.subject_account_id \
         LEFT JOIN citizen_profile ap ON ap.account_id = e.actor_account_id \
         WHERE e.organisation_id = $1 AND e.kind <> 'contact_saved' \
         ORDER BY e.created_at DESC, e.id DESC LIMIT 50",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await?;
    let events = events
        .into_iter()
        .map(|row| MemberEventView {
            kind: row.kind,
            subject: row.subject.unwrap_or_default(),
            actor: row.actor.unwrap_or_default(),
            detail: row.detail,
            when: brussels_time(row.created_at),
        })
        .collect();
    Ok(MembersData {
        my_verified: me.is_verified(),
        organisation: me.organisation,
        my_role: me.role,
        members,
        pending,
        events,
    })
}

/// accept, refuse, make_admin, make_member, revoke (an administrator's), leave (one's own).
/// The last administrator can neither leave, nor be demoted or revoked.
pub async fn member_action(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    organisation_id: i64,
    membership_id: i64,
    action: &str,
) -> Result<String, AppError> {
    let members_page = format!("/organisations/{organisation_id}/members");
    let action = MemberAction::parse(action);
    let me = authorise(
        db,
        user,
        organisation_id,
        action.is_none_or(MemberAction::needs_admin),
    )
    .await?;
    let Some(action) = action else {
        return Err(AppError::Forbidden);
    };
    let mut tx = crate::backend::begin(db).await?;
    // Serialises the changes of one organisation's memberships (a row lock on PostgreSQL,
    // the write lock on SQLite): two administrators demoting each other at once cannot
    // leave it without one.
    sqlx::query("UPDATE organisation SET id = id WHERE id = $1")
        .bind(organisation_id)
        .execute(&mut *tx)
        .await?;
    let target_id = if action == MemberAction::Leave {
        me.id
    } else {
        membership_id
    };
    let (subject, status): (i64, String) = sqlx::query_as(
        "SELECT account_id, status FROM membership WHERE id = $1 AND organisation_id = $2",
    )
    .bind(target_id)
    .bind(organisation_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::Forbidden)?;
    let status = crate::backend::decode("status", &status, MembershipStatus::parse)?;
    let now = now_ms();
    let Transition {
        status: new_status,
        role: new_role,
        event,
    } = action
        .apply(status, subject == user.account_id)
        .ok_or(AppError::Forbidden)?;
    let since_now = event == "accepted";
    sqlx::query(
        "UPDATE membership SET status = $1, role = COALESCE($2, role), \
         since = CASE WHEN $3 = 1 THEN $4 ELSE since END WHERE id = $5",
    )
    .bind(new_status.code())
    .bind(new_role.map(Role::code))
    .bind(i64::from(since_now))
    .bind(now)
    .bind(target_id)
    .execute(&mut *tx)
    .await?;
    match event {
        // A verified administrator vouches for whoever they let in.
        "accepted" if me.is_verified() => {
            mark_verified(&mut tx, target_id, VerifiedBy::Admin, now).await?;
        }
        // Coming back later starts again as declared.
        "revoked" | "left" => {
            sqlx::query(
                "UPDATE membership SET verified_at = NULL, verified_by = NULL WHERE id = $1",
            )
            .bind(target_id)
            .execute(&mut *tx)
            .await?;
        }
        _ => {}
    }
    let admins: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM membership WHERE organisation_id = $1 AND status = 'active' AND role = 'admin'",
    )
    .bind(organisation_id)
    .fetch_one(&mut *tx)
    .await
    ?;
    if admins == 0 {
        tx.rollback().await?;
        return Err(field("membership", "members.last_admin"));
    }
    membership_event(
        &mut tx,
        organisation_id,
        subject,
        user.account_id,
        event,
        None,
    )
    .await?;
    if matches!(event, "revoked" | "left") {
        // Its default profile falls back to the citizen's.
        sqlx::query(
            "UPDATE account SET default_organisation_id = NULL \
             WHERE id = $1 AND default_organisation_id = $2",
        )
        .bind(subject)
        .bind(organisation_id)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(change) = MembershipChange::from_event(event) {
        let told = Event::MembershipChanged {
            organisation_id,
            organisation: me.organisation.name.clone(),
            change,
        };
        notifications::deliver(&mut tx, config, subject, &told).await?;
    }
    tx.commit().await?;
    Ok(if action == MemberAction::Leave {
        // A session acting for it falls back to the citizen profile by itself.
        "/dashboard".to_string()
    } else {
        format!("{members_page}?done={event}")
    })
}
