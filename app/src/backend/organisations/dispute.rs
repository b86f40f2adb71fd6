//! Reports ("signaler") that an organisation's profile is held by the wrong people: someone
//! who cannot get access sends one with their own proof of mandate; an agent sees it beside
//! the members' proofs and suspends the profile, hands it to the person who reported, or
//! dismisses it. Everyone involved is told; the organisation's requests stay where they are.
use super::authorise::OrgRow;
use super::authorise::{field, mark_verified, membership_event, valid_function};
use super::verification::NewProof;
use crate::backend::notifications::{self, Event};
use crate::backend::session::CurrentUser;
use crate::backend::time::brussels_time;
use crate::backend::{now_ms, Db, ServerConfig};
use crate::domain::{BceNumber, DisputeAction, DisputeOutcome, DisputeStatus, ProofKind};
use crate::domain::{ProofStatus, Role, VerifiedBy};
use crate::error::{AppError, FieldError};
use crate::model::disputes::{DisputeReview, DisputeView, HolderProof, HolderView};
use crate::model::organisations::OrgSummary;
use std::collections::HashMap;

/// What happened, told in the person's own words: required, and at most this long.
pub const EXPLANATION_MAX: usize = 2000;
/// An agent's reason: at most this long (required to dismiss).
const REASON_MAX: usize = 500;

/// The text fields of a report, as typed.
pub struct ReportForm<'a> {
    pub bce: &'a str,
    pub function: &'a str,
    pub explanation: &'a str,
    pub kind: &'a str,
}

/// What is wrong with a report's fields on their own (the file aside): each field once.
pub fn report_errors(form: &ReportForm) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Err(error) = BceNumber::parse(form.bce) {
        errors.push(FieldError::new("bce", error.code()));
    }
    if let Err(AppError::Validation(mut found)) = valid_function(form.function) {
        errors.append(&mut found);
    }
    let explanation = form.explanation.trim();
    if explanation.is_empty() {
        errors.push(FieldError::new(
            "explanation",
            "dispute.explanation_required",
        ));
    } else if explanation.chars().count() > EXPLANATION_MAX {
        errors.push(FieldError::new(
            "explanation",
            "dispute.explanation_too_long",
        ));
    }
    if ProofKind::parse(form.kind).is_none() {
        errors.push(FieldError::new("kind", "proof.kind_required"));
    }
    errors
}

/// Sends a report about the organisation of `form.bce`. Refused for one the person already
/// acts for, and while a report of theirs about it waits.
pub async fn report(
    db: &Db,
    user: &CurrentUser,
    form: &ReportForm<'_>,
    proof: NewProof,
) -> Result<(), AppError> {
    let errors = report_errors(form);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let number = BceNumber::parse(form.bce).map_err(|e| field("bce", e.code()))?;
    let kind = ProofKind::parse(form.kind).ok_or_else(|| field("kind", "proof.kind_required"))?;
    let mut tx = crate::backend::begin(db).await?;
    let organisation_id: i64 = sqlx::query_scalar("SELECT id FROM organisation WHERE bce = $1")
        .bind(number.digits())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| field("bce", "dispute.unknown_organisation"))?;
    let member: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM membership WHERE organisation_id = $1 AND account_id = $2 \
         AND status = 'active'",
    )
    .bind(organisation_id)
    .bind(user.account_id)
    .fetch_one(&mut *tx)
    .await?;
    if member > 0 {
        return Err(field("bce", "dispute.already_member"));
    }
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM dispute WHERE organisation_id = $1 AND account_id = $2 \
         AND status IN ($3, $4)",
    )
    .bind(organisation_id)
    .bind(user.account_id)
    .bind(DisputeStatus::Open.code())
    .bind(DisputeStatus::Suspended.code())
    .fetch_one(&mut *tx)
    .await?;
    if waiting > 0 {
        return Err(field("bce", "dispute.already_open"));
    }
    sqlx::query(
        "INSERT INTO dispute (organisation_id, account_id, function, explanation, kind, \
         file_name, content_type, size, sha256, storage_key, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(organisation_id)
    .bind(user.account_id)
    .bind(form.function.trim())
    .bind(form.explanation.trim())
    .bind(kind.code())
    .bind(&proof.file_name)
    .bind(&proof.content_type)
    .bind(proof.size)
    .bind(&proof.sha256)
    .bind(&proof.storage_key)
    .bind(DisputeStatus::Open.code())
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    Ok(tx.commit().await?)
}

/// The person's own reports, newest first.
pub async fn my_disputes(db: &Db, user: &CurrentUser) -> Result<Vec<DisputeView>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(try_from = "String")]
        status: DisputeStatus,
        reason: Option<String>,
        created_at: i64,
        #[sqlx(flatten)]
        organisation: OrgRow,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT d.status, d.reason, d.created_at, o.id, o.name, o.kind, o.bce \
         FROM dispute d JOIN organisation o ON o.id = d.organisation_id \
         WHERE d.account_id = $1 ORDER BY d.id DESC LIMIT 50",
    )
    .bind(user.account_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| DisputeView {
            organisation: row.organisation.into(),
            status: row.status,
            reason: row.reason,
            sent: brussels_time(row.created_at),
        })
        .collect())
}

/// The reports waiting for an agent, oldest first, each beside the organisation's members
/// and the proofs they sent.
pub async fn disputes(db: &Db, user: &CurrentUser) -> Result<Vec<DisputeReview>, AppError> {
    user.require_agent()?;
    #[derive(sqlx::FromRow)]
    struct Row {
        dispute_id: i64,
        #[sqlx(try_from = "String")]
        status: DisputeStatus,
        account_id: i64,
        first_name: String,
        last_name: String,
        email: String,
        function: String,
        explanation: String,
        #[sqlx(try_from = "String")]
        proof_kind: ProofKind,
        file_name: String,
        size: i64,
        created_at: i64,
        #[sqlx(flatten)]
        organisation: OrgRow,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT d.id AS dispute_id, d.status, d.account_id, p.first_name, p.last_name, a.email, \
                d.function, d.explanation, d.kind AS proof_kind, d.file_name, d.size, \
                d.created_at, o.id, o.name, o.kind, o.bce \
         FROM dispute d JOIN organisation o ON o.id = d.organisation_id \
         JOIN account a ON a.id = d.account_id \
         JOIN citizen_profile p ON p.account_id = a.id \
         WHERE d.status IN ($1, $2) ORDER BY d.created_at, d.id LIMIT 100",
    )
    .bind(DisputeStatus::Open.code())
    .bind(DisputeStatus::Suspended.code())
    .fetch_all(db)
    .await?;
    let holders_of = holders_of_waiting(db).await?;
    let mut reviews = Vec::with_capacity(rows.len());
    for row in rows {
        let organisation = OrgSummary::from(row.organisation);
        let holders = holders_of
            .get(&organisation.id)
            .cloned()
            .unwrap_or_default();
        let own = row.account_id == user.account_id
            || holders
                .iter()
                .any(|(account_id, _)| *account_id == user.account_id);
        reviews.push(DisputeReview {
            id: row.dispute_id,
            organisation,
            status: row.status,
            person: format!("{} {}", row.first_name, row.last_name),
            email: row.email,
            function: row.function,
            explanation: row.explanation,
            kind: row.proof_kind,
            file_name: row.file_name,
            size: row.size,
            sent: brussels_time(row.created_at),
            holders: holders.into_iter().map(|(_, holder)| holder).collect(),
            own,
        });
    }
    Ok(reviews)
}

/// The members of the organisations with a report waiting: per organisation, the active
/// members (their account ids beside them), each with the proofs of mandate they sent for
/// it. Two queries for the whole queue.
async fn holders_of_waiting(db: &Db) -> Result<HashMap<i64, Vec<(i64, HolderView)>>, AppError> {
    const REPORTED: &str = "(SELECT organisation_id FROM dispute WHERE status IN ($1, $2))";
    #[derive(sqlx::FromRow)]
    struct Row {
        organisation_id: i64,
        account_id: i64,
        first_name: String,
        last_name: String,
        email: String,
        function: String,
        #[sqlx(try_from = "String")]
        role: Role,
        verified_by: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT m.organisation_id, m.account_id, p.first_name, p.last_name, a.email, \
                m.function, m.role, m.verified_by \
         FROM membership m JOIN account a ON a.id = m.account_id \
         JOIN citizen_profile p ON p.account_id = a.id \
         WHERE m.organisation_id IN {REPORTED} AND m.status = 'active' \
         ORDER BY m.role, p.last_name, p.first_name"
    ))
    .bind(DisputeStatus::Open.code())
    .bind(DisputeStatus::Suspended.code())
    .fetch_all(db)
    .await?;
    #[derive(sqlx::FromRow)]
    struct ProofRow {
        id: i64,
        organisation_id: i64,
        account_id: i64,
        #[sqlx(try_from = "String")]
        kind: ProofKind,
        file_name: String,
        #[sqlx(try_from = "String")]
        status: ProofStatus,
    }
    let proofs: Vec<ProofRow> = sqlx::query_as(&format!(
        "SELECT id, organisation_id, account_id, kind, file_name, status FROM mandate_proof \
         WHERE organisation_id IN {REPORTED} ORDER BY id"
    ))
    .bind(DisputeStatus::Open.code())
    .bind(DisputeStatus::Suspended.code())
    .fetch_all(db)
    .await?;
    let mut by_member: HashMap<(i64, i64), Vec<HolderProof>> = HashMap::new();
    for proof in proofs {
        by_member
            .entry((proof.organisation_id, proof.account_id))
            .or_default()
            .push(HolderProof {
                id: proof.id,
                kind: proof.kind,
                file_name: proof.file_name,
                status: proof.status,
            });
    }
    let mut holders: HashMap<i64, Vec<(i64, HolderView)>> = HashMap::new();
    for row in rows {
        let verified = match row.verified_by {
            Some(by) => Some(crate::backend::decode(
                "verified_by",
                &by,
                VerifiedBy::parse,
            )?),
            None => None,
        };
        let proofs = by_member
            .remove(&(row.organisation_id, row.account_id))
            .unwrap_or_default();
        holders.entry(row.organisation_id).or_default().push((
            row.account_id,
            HolderView {
                name: format!("{} {}", row.first_name, row.last_name),
                email: row.email,
                function: row.function,
                role: row.role,
                verified,
                proofs,
            },
        ));
    }
    Ok(holders)
}

/// The proof sent with a report, for an agent to read: storage key, name, content type.
pub async fn dispute_file(
    db: &Db,
    user: &CurrentUser,
    dispute_id: i64,
) -> Result<(String, String, String), AppError> {
    user.require_agent()?;
    sqlx::query_as("SELECT storage_key, file_name, content_type FROM dispute WHERE id = $1")
        .bind(dispute_id)
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// An agent decides on a report. Suspending stops everyone acting for the profile;
/// handing over makes the person who reported its verified administrator and takes the
/// others' access away; dismissing (with a reason) gives a suspended profile back. The
/// organisation's requests are never touched: whoever holds the profile finds them.
pub async fn decide_dispute(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    dispute_id: i64,
    action: &str,
    reason: &str,
) -> Result<DisputeStatus, AppError> {
    user.require_agent()?;
    let action =
        DisputeAction::parse(action).ok_or_else(|| field("action", "dispute.action_required"))?;
    let reason = reason.trim();
    if action == DisputeAction::Dismiss && reason.is_empty() {
        return Err(field("reason", "dispute.reason_required"));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(field("reason", "proof.reason_too_long"));
    }
    let mut tx = crate::backend::begin(db).await?;
    #[derive(sqlx::FromRow)]
    struct Found {
        organisation_id: i64,
        account_id: i64,
        function: String,
        #[sqlx(try_from = "String")]
        status: DisputeStatus,
        name: String,
    }
    let found: Found = sqlx::query_as(
        "SELECT d.organisation_id, d.account_id, d.function, d.status, o.name \
         FROM dispute d JOIN organisation o ON o.id = d.organisation_id WHERE d.id = $1",
    )
    .bind(dispute_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let Some(status) = action.from_status(found.status) else {
        return Err(field("dispute", "dispute.already_decided"));
    };
    let organisation_id = found.organisation_id;
    let members: Vec<i64> = sqlx::query_scalar(
        "SELECT account_id FROM membership WHERE organisation_id = $1 AND status = 'active' \
         AND account_id <> $2",
    )
    .bind(organisation_id)
    .bind(found.account_id)
    .fetch_all(&mut *tx)
    .await?;
    if found.account_id == user.account_id || members.contains(&user.account_id) {
        return Err(field("dispute", "dispute.own"));
    }
    let now = now_ms();
    sqlx::query(
        "UPDATE dispute SET status = $1, reason = $2, decided_at = $3, decided_by = $4 \
         WHERE id = $5",
    )
    .bind(status.code())
    .bind((!reason.is_empty()).then_some(reason))
    .bind(now)
    .bind(user.account_id)
    .bind(dispute_id)
    .execute(&mut *tx)
    .await?;
    // Who is told what: (account, outcome).
    let mut told: Vec<(i64, DisputeOutcome)> = Vec::new();
    match action {
        DisputeAction::Suspend => {
            set_suspended(&mut tx, organisation_id, Some(now)).await?;
            told.extend(
                members
                    .iter()
                    .map(|&member| (member, DisputeOutcome::Suspended)),
            );
            told.push((found.account_id, DisputeOutcome::Suspended));
        }
        DisputeAction::HandOver => {
            sqlx::query(
                "UPDATE membership SET status = 'revoked', verified_at = NULL, \
                 verified_by = NULL WHERE organisation_id = $1 AND account_id <> $2 \
                 AND status IN ('active', 'pending')",
            )
            .bind(organisation_id)
            .bind(found.account_id)
            .execute(&mut *tx)
            .await?;
            for &member in &members {
                membership_event(&mut tx, organisation_id, member, member, "revoked", None).await?;
            }
            let membership = make_admin(
                &mut tx,
                organisation_id,
                found.account_id,
                &found.function,
                now,
            )
            .await?;
            mark_verified(&mut tx, membership, VerifiedBy::Mandate, now).await?;
            membership_event(
                &mut tx,
                organisation_id,
                found.account_id,
                found.account_id,
                "handed_over",
                Some(&found.function),
            )
            .await?;
            set_suspended(&mut tx, organisation_id, None).await?;
            told.extend(
                members
                    .iter()
                    .map(|&member| (member, DisputeOutcome::Removed)),
            );
            told.push((found.account_id, DisputeOutcome::HandedOver));
        }
        DisputeAction::Dismiss => {
            // The profile comes back unless another report keeps it suspended.
            let others: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM dispute WHERE organisation_id = $1 AND id <> $2 \
                 AND status = $3",
            )
            .bind(organisation_id)
            .bind(dispute_id)
            .bind(DisputeStatus::Suspended.code())
            .fetch_one(&mut *tx)
            .await?;
            if found.status == DisputeStatus::Suspended && others == 0 {
                set_suspended(&mut tx, organisation_id, None).await?;
                told.extend(
                    members
                        .iter()
                        .map(|&member| (member, DisputeOutcome::Reinstated)),
                );
            }
            told.push((found.account_id, DisputeOutcome::Dismissed));
        }
    }
    let organisation = found.name;
    for (account_id, outcome) in told {
        let event = Event::Dispute {
            organisation_id,
            organisation: organisation.clone(),
            outcome,
            reason: (outcome == DisputeOutcome::Dismissed).then(|| reason.to_string()),
        };
        notifications::deliver(&mut tx, config, account_id, &event).await?;
    }
    tx.commit().await?;
    Ok(status)
}

async fn set_suspended(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    organisation_id: i64,
    since: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE organisation SET suspended_at = $1 WHERE id = $2")
        .bind(since)
        .bind(organisation_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Makes the account an active administrator of the organisation (its earlier membership,
/// whatever became of it, or a new one); gives the membership's id.
async fn make_admin(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    organisation_id: i64,
    account_id: i64,
    function: &str,
    now: i64,
) -> Result<i64, AppError> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM membership WHERE organisation_id = $1 AND account_id = $2",
    )
    .bind(organisation_id)
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(id) = existing {
        sqlx::query(
            "UPDATE membership SET status = 'active', role = 'admin', function = $1, since = $2 \
             WHERE id = $3",
        )
        .bind(function)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        return Ok(id);
    }
    sqlx::query(
        "INSERT INTO membership (organisation_id, account_id, function, role, status, \
         language, email, notify_email, created_at, since) \
         SELECT $1, a.id, $2, 'admin', 'active', a.language, a.email, 1, $3, $4 \
         FROM account a WHERE a.id = $5",
    )
    .bind(organisation_id)
    .bind(function)
    .bind(now)
    .bind(now)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    Ok(sqlx::query_scalar(
        "SELECT id FROM membership WHERE organisation_id = $1 AND account_id = $2",
    )
    .bind(organisation_id)
    .bind(account_id)
    .fetch_one(&mut **tx)
    .await?)
}
