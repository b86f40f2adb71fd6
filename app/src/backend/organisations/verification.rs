//! Verifying a representative by a proof of mandate: the person sends it from the
//! organisation's "Vérification" page, an agent accepts or refuses it (with a reason) in the
//! back office's "Vérifications" queue, and the person is told.
use super::authorise::{authorise, field, mark_verified, membership_event, OrgRow};
use crate::backend::notifications::{self, Event};
use crate::backend::session::CurrentUser;
use crate::backend::time::brussels_time;
use crate::backend::{now_ms, Db, ServerConfig};
use crate::domain::{ProofKind, ProofStatus, VerifiedBy};
use crate::error::AppError;
use crate::model::organisations::{OrgSummary, ProofReview, ProofView, VerificationData};

/// A refusal's reason: required, and at most this long.
const REASON_MAX: usize = 500;

/// A file kept in storage for a proof of mandate.
pub struct NewProof {
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub storage_key: String,
}

/// The person's verification for one organisation they act for.
pub async fn verification(
    db: &Db,
    user: &CurrentUser,
    organisation_id: i64,
) -> Result<VerificationData, AppError> {
    let me = authorise(db, user, organisation_id, false).await?;
    let verified = me.verified.map(|(at, by)| (brussels_time(at), by));
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(try_from = "String")]
        kind: ProofKind,
        file_name: String,
        #[sqlx(try_from = "String")]
        status: ProofStatus,
        reason: Option<String>,
        submitted_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT kind, file_name, status, reason, submitted_at FROM mandate_proof \
         WHERE membership_id = $1 ORDER BY id DESC LIMIT 20",
    )
    .bind(me.id)
    .fetch_all(db)
    .await?;
    let post = super::postal::post_view(db, me.id, &me.organisation.bce).await?;
    Ok(VerificationData {
        organisation: me.organisation,
        verified,
        post,
        proofs: rows
            .into_iter()
            .map(|row| ProofView {
                kind: row.kind,
                file_name: row.file_name,
                status: row.status,
                reason: row.reason,
                submitted: brussels_time(row.submitted_at),
            })
            .collect(),
    })
}

/// Keeps a proof of mandate for review. Refused when the person is verified already, or
/// when a proof of theirs still waits.
pub async fn submit_proof(
    db: &Db,
    user: &CurrentUser,
    organisation_id: i64,
    kind: &str,
    proof: NewProof,
) -> Result<(), AppError> {
    let me = authorise(db, user, organisation_id, false).await?;
    let kind = ProofKind::parse(kind).ok_or_else(|| field("kind", "proof.kind_required"))?;
    if me.is_verified() {
        return Err(field("proof", "proof.already_verified"));
    }
    let mut tx = crate::backend::begin(db).await?;
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM mandate_proof WHERE membership_id = $1 AND status = $2",
    )
    .bind(me.id)
    .bind(ProofStatus::Pending.code())
    .fetch_one(&mut *tx)
    .await?;
    if waiting > 0 {
        return Err(field("proof", "proof.already_pending"));
    }
    sqlx::query(
        "INSERT INTO mandate_proof (membership_id, organisation_id, account_id, kind, file_name, \
         content_type, size, sha256, storage_key, status, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(me.id)
    .bind(organisation_id)
    .bind(user.account_id)
    .bind(kind.code())
    .bind(&proof.file_name)
    .bind(&proof.content_type)
    .bind(proof.size)
    .bind(&proof.sha256)
    .bind(&proof.storage_key)
    .bind(ProofStatus::Pending.code())
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    membership_event(
        &mut tx,
        organisation_id,
        user.account_id,
        user.account_id,
        "proof_sent",
        None,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// The proofs waiting for an agent, oldest first.
pub async fn queue(db: &Db, user: &CurrentUser) -> Result<Vec<ProofReview>, AppError> {
    user.require_agent()?;
    #[derive(sqlx::FromRow)]
    struct Row {
        proof_id: i64,
        first_name: String,
        last_name: String,
        email: String,
        function: String,
        #[sqlx(try_from = "String")]
        proof_kind: ProofKind,
        file_name: String,
        size: i64,
        submitted_at: i64,
        own: i64,
        #[sqlx(flatten)]
        organisation: OrgRow,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT f.id AS proof_id, p.first_name, p.last_name, a.email, m.function, \
                f.kind AS proof_kind, f.file_name, f.size, f.submitted_at, \
                (SELECT COUNT(*) FROM membership mine WHERE mine.organisation_id = o.id \
                   AND mine.account_id = $2 AND mine.status = 'active') AS own, \
                o.id, o.name, o.kind, o.bce \
         FROM mandate_proof f \
         JOIN membership m ON m.id = f.membership_id \
         JOIN organisation o ON o.id = f.organisation_id \
         JOIN account a ON a.id = f.account_id \
         JOIN citizen_profile p ON p.account_id = a.id \
         WHERE f.status = $1 ORDER BY f.submitted_at, f.id LIMIT 200",
    )
    .bind(ProofStatus::Pending.code())
    .bind(user.account_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ProofReview {
            id: row.proof_id,
            organisation: OrgSummary::from(row.organisation),
            person: format!("{} {}", row.first_name, row.last_name),
            email: row.email,
            function: row.function,
            kind: row.proof_kind,
            file_name: row.file_name,
            size: row.size,
            submitted: brussels_time(row.submitted_at),
            own: row.own > 0,
        })
        .collect())
}

/// A proof's file, for an agent to read: storage key, name, content type.
pub async fn proof_file(
    db: &Db,
    user: &CurrentUser,
    proof_id: i64,
) -> Result<(String, String, String), AppError> {
    user.require_agent()?;
    sqlx::query_as("SELECT storage_key, file_name, content_type FROM mandate_proof WHERE id = $1")
        .bind(proof_id)
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// An agent accepts a proof (the representative becomes verified) or refuses it with a
/// reason; the representative is told either way. A decided proof stays decided.
pub async fn decide(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    proof_id: i64,
    accept: bool,
    reason: &str,
) -> Result<(), AppError> {
    user.require_agent()?;
    let reason = reason.trim();
    if !accept && reason.is_empty() {
        return Err(field("reason", "proof.reason_required"));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(field("reason", "proof.reason_too_long"));
    }
    let mut tx = crate::backend::begin(db).await?;
    let found: Option<(i64, i64, i64, String)> = sqlx::query_as(
        "SELECT f.membership_id, f.organisation_id, f.account_id, o.name \
         FROM mandate_proof f JOIN organisation o ON o.id = f.organisation_id \
         WHERE f.id = $1 AND f.status = $2",
    )
    .bind(proof_id)
    .bind(ProofStatus::Pending.code())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((membership_id, organisation_id, account_id, organisation)) = found else {
        return Err(field("proof", "proof.already_decided"));
    };
    let own: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM membership WHERE organisation_id = $1 AND account_id = $2 \
         AND status = 'active'",
    )
    .bind(organisation_id)
    .bind(user.account_id)
    .fetch_one(&mut *tx)
    .await?;
    if own > 0 || account_id == user.account_id {
        return Err(field("proof", "proof.own_organisation"));
    }
    let now = now_ms();
    let status = if accept {
        ProofStatus::Accepted
    } else {
        ProofStatus::Refused
    };
    sqlx::query(
        "UPDATE mandate_proof SET status = $1, reason = $2, decided_at = $3, decided_by = $4 \
         WHERE id = $5",
    )
    .bind(status.code())
    .bind((!reason.is_empty()).then_some(reason))
    .bind(now)
    .bind(user.account_id)
    .bind(proof_id)
    .execute(&mut *tx)
    .await?;
    if accept {
        mark_verified(&mut tx, membership_id, VerifiedBy::Mandate, now).await?;
    }
    // The organisation's history names the representative, not the agent (citizens see
    // the administration, never an agent's name).
    membership_event(
        &mut tx,
        organisation_id,
        account_id,
        account_id,
        if accept { "verified" } else { "proof_refused" },
        None,
    )
    .await?;
    let told = Event::Verification {
        organisation_id,
        organisation,
        accepted: accept,
        reason: (!accept).then(|| reason.to_string()),
    };
    notifications::deliver(&mut tx, config, account_id, &told).await?;
    Ok(tx.commit().await?)
}

/// Whether the session may file `procedure` now: as a citizen always; for an organisation,
/// a procedure that needs a verified representative needs one (a declared representative
/// may still prepare its draft).
pub fn may_file(user: &CurrentUser, procedure: &crate::procedures::Procedure) -> bool {
    user.active
        .as_ref()
        .is_none_or(|active| procedure.representative.allows(active.verified))
}
