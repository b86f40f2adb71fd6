//! Identification by eID, the database side: the flows under way (single use, bound to the
//! session that started them), and what a successful identification changes — the session
//! counts as identified, and the first time the national register number is linked to the
//! citizen profile, which becomes verified. The OpenID Connect exchange itself is the
//! server's (`server/src/eid.rs`).
use super::audit::record_event;
use super::session::CurrentUser;
use super::{now_ms, Client, Db};
use crate::domain::SecurityEvent;
use crate::error::AppError;

/// A flow not finished within this time cannot be finished.
pub const FLOW_TTL_MS: i64 = 10 * 60_000;

/// Why an identification was refused; each has its message on `/identification`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EidProblem {
    /// No provider on this server.
    Unavailable,
    /// The provider cannot be reached or answered something unusable.
    ProviderDown,
    /// Unknown, expired, already used, or started by another session.
    State,
    /// The person cancelled at the provider.
    Denied,
    /// The answer did not pass the checks (signature, audience, expiry, nonce, code).
    Invalid,
    /// The level of identification is missing or not one that counts as eID.
    Level,
    /// No (valid) national register number in the answer.
    NoNumber,
    /// Another national register number than the one linked to this account.
    Mismatch,
    /// This national register number is linked to another account.
    Taken,
}

impl EidProblem {
    pub fn code(self) -> &'static str {
        match self {
            EidProblem::Unavailable => "unavailable",
            EidProblem::ProviderDown => "provider",
            EidProblem::State => "state",
            EidProblem::Denied => "denied",
            EidProblem::Invalid => "invalid",
            EidProblem::Level => "level",
            EidProblem::NoNumber => "number",
            EidProblem::Mismatch => "mismatch",
            EidProblem::Taken => "taken",
        }
    }
}

/// A flow as it was started.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Flow {
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
}

pub use crate::domain::safe_return_to;

/// Records a flow being started (its state is kept hashed).
pub async fn start_flow(
    db: &Db,
    user: &CurrentUser,
    state: &str,
    flow: &Flow,
) -> Result<(), AppError> {
    let now = now_ms();
    // Old flows go, so the table stays small.
    sqlx::query("DELETE FROM eid_flow WHERE created_at < $1")
        .bind(now - 24 * 3_600_000)
        .execute(db)
        .await?;
    sqlx::query(
        "INSERT INTO eid_flow (state_hash, session_hash, account_id, nonce, pkce_verifier, \
                               return_to, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(super::session::hash_token(state))
    .bind(&user.session_hash)
    .bind(user.account_id)
    .bind(&flow.nonce)
    .bind(&flow.pkce_verifier)
    .bind(safe_return_to(&flow.return_to))
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Uses a flow: once only, by the session that started it, within its time.
pub async fn take_flow(db: &Db, user: &CurrentUser, state: &str) -> Result<Flow, EidProblem> {
    let now = now_ms();
    sqlx::query_as::<_, Flow>(
        "UPDATE eid_flow SET used_at = $1 \
         WHERE state_hash = $2 AND used_at IS NULL AND session_hash = $3 AND created_at > $4 \
         RETURNING nonce, pkce_verifier, return_to",
    )
    .bind(now)
    .bind(super::session::hash_token(state))
    .bind(&user.session_hash)
    .bind(now - FLOW_TTL_MS)
    .fetch_optional(db)
    .await
    .map_err(|error| {
        tracing::error!(%error, "cannot read an eID flow");
        EidProblem::State
    })?
    .ok_or(EidProblem::State)
}

/// An error answer without a state (some providers leave it out when the person cancels):
/// where this session's newest open flow started, to lead the person back. Nothing is
/// closed or changed (anyone can send a browser to this address).
pub async fn latest_return_to(db: &Db, user: &CurrentUser) -> Option<String> {
    sqlx::query_scalar(
        "SELECT return_to FROM eid_flow WHERE session_hash = $1 AND used_at IS NULL \
         AND created_at > $2 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(&user.session_hash)
    .bind(now_ms() - FLOW_TTL_MS)
    .fetch_optional(db)
    .await
    .ok()
    .flatten()
}

/// The return address of a flow, used or not (to send the person back after a refusal).
pub async fn return_to_of(db: &Db, state: &str) -> Option<String> {
    sqlx::query_scalar("SELECT return_to FROM eid_flow WHERE state_hash = $1")
        .bind(super::session::hash_token(state))
        .fetch_optional(db)
        .await
        .ok()
        .flatten()
}

/// The person as the provider identified them.
#[derive(Clone, Debug)]
pub struct Identity {
    /// The keyed hash of the national register number (the number itself is not kept).
    pub nrn_hash: String,
    /// Its check digits, to show.
    pub nrn_hint: String,
    /// The names of the National Register (checked: not empty, at most 100 characters).
    pub given_name: String,
    pub family_name: String,
    /// The level of identification the provider vouched for.
    pub acr: String,
}

/// Records a refused identification as a security event of the account (in a transaction of
/// its own: the refused one changed nothing), and gives the problem back.
async fn refuse(db: &Db, user: &CurrentUser, problem: EidProblem, client: &Client) -> EidProblem {
    let kind = match problem {
        EidProblem::Mismatch => SecurityEvent::EidMismatch,
        _ => SecurityEvent::EidTaken,
    };
    tracing::warn!(
        account = user.account_id,
        kind = kind.code(),
        "eID identification refused"
    );
    let recorded = async {
        let mut tx = super::begin(db).await?;
        record_event(&mut tx, Some(user.account_id), kind, client).await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    };
    if recorded.await.is_err() {
        tracing::error!(
            account = user.account_id,
            kind = kind.code(),
            "cannot record a refused eID identification"
        );
    }
    problem
}

/// Applies a successful identification: links the number the first time (refusing another
/// number later, or a number linked to another account: both are recorded as security
/// events), takes the register's names, and marks the session as identified, under a new
/// token (returned for the cookie: the session now weighs more, and a token seen before is
/// worth nothing). One transaction: a refusal changes nothing.
pub async fn identified(
    db: &Db,
    user: &CurrentUser,
    identity: &Identity,
    client: &Client,
) -> Result<String, EidProblem> {
    let failed = |error: sqlx::Error| {
        tracing::error!(%error, "cannot record an eID identification");
        EidProblem::ProviderDown
    };
    // A second round only when another identification of this account linked a number
    // between this one's read and its write.
    for _ in 0..2 {
        let mut tx = super::begin(db).await.map_err(failed)?;
        let linked: Option<String> =
            sqlx::query_scalar("SELECT nrn_hash FROM citizen_profile WHERE account_id = $1")
                .bind(user.account_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(failed)?
                .flatten();
        let now = now_ms();
        match &linked {
            Some(hash) if *hash != identity.nrn_hash => {
                drop(tx);
                return Err(refuse(db, user, EidProblem::Mismatch, client).await);
            }
            Some(_) => {}
            None => {
                let other: Option<i64> = sqlx::query_scalar(
                    "SELECT account_id FROM citizen_profile \
                     WHERE nrn_hash = $1 AND account_id <> $2",
                )
                .bind(&identity.nrn_hash)
                .bind(user.account_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(failed)?;
                if other.is_some() {
                    drop(tx);
                    return Err(refuse(db, user, EidProblem::Taken, client).await);
                }
                let linking = sqlx::query(
                    "UPDATE citizen_profile SET nrn_hash = $1, nrn_hint = $2, verified_at = $3, \
                            verified_acr = $4, updated_at = $3 \
                     WHERE account_id = $5 AND nrn_hash IS NULL",
                )
                .bind(&identity.nrn_hash)
                .bind(&identity.nrn_hint)
                .bind(now)
                .bind(&identity.acr)
                .bind(user.account_id)
                .execute(&mut *tx)
                .await;
                match linking {
                    Ok(done) if done.rows_affected() == 1 => {}
                    // Linked meanwhile by another identification: look again.
                    Ok(_) => continue,
                    // Another account linked this number meanwhile (the unique index).
                    Err(error)
                        if error
                            .as_database_error()
                            .is_some_and(|e| e.is_unique_violation()) =>
                    {
                        drop(tx);
                        return Err(refuse(db, user, EidProblem::Taken, client).await);
                    }
                    Err(error) => return Err(failed(error)),
                }
            }
        }
        // The names of the register replace the typed ones, every time (they may change).
        sqlx::query(
            "UPDATE citizen_profile SET first_name = $1, last_name = $2 WHERE account_id = $3",
        )
        .bind(&identity.given_name)
        .bind(&identity.family_name)
        .bind(user.account_id)
        .execute(&mut *tx)
        .await
        .map_err(failed)?;
        sqlx::query("UPDATE session SET eid_at = $1, eid_acr = $2 WHERE id_hash = $3")
            .bind(now)
            .bind(&identity.acr)
            .bind(&user.session_hash)
            .execute(&mut *tx)
            .await
            .map_err(failed)?;
        let token = super::session::rotate(&mut tx, &user.session_hash)
            .await
            .map_err(failed)?;
        record_event(
            &mut tx,
            Some(user.account_id),
            SecurityEvent::EidIdentified,
            client,
        )
        .await
        .map_err(|_| EidProblem::ProviderDown)?;
        tx.commit().await.map_err(failed)?;
        return Ok(token);
    }
    Err(EidProblem::ProviderDown)
}

/// The verification of a citizen profile, as "Mes informations" shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    pub nrn_hint: String,
    pub verified_at: i64,
}

pub async fn verification(db: &Db, account_id: i64) -> Result<Option<Verification>, AppError> {
    let row: Option<(Option<String>, i64)> = sqlx::query_as(
        "SELECT nrn_hint, verified_at FROM citizen_profile \
         WHERE account_id = $1 AND verified_at IS NOT NULL",
    )
    .bind(account_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(nrn_hint, verified_at)| Verification {
        nrn_hint: nrn_hint.unwrap_or_default(),
        verified_at,
    }))
}
