//! What protects an account after it exists: forgotten passwords, changing the password or
//! the e-mail address, the list of sessions and the security events the owner can read.
use super::audit::record_event;
use super::credentials::{hash_password, issue_token, verify_password, TOKEN_PLACEHOLDER};
use super::session::{self, CurrentUser};
use super::time::brussels_time;
use super::{internal, limiter, now_ms, outbox, Client, Db, ServerConfig};
use crate::domain::SecurityEvent;
use crate::domain::{Email, Lang, NewPassword};
use crate::error::{AppError, FieldError, TokenProblem};
use crate::mail::MailTemplate;
use crate::model::account::{EventView, SessionView};

/// A reset link works for one hour.
pub const RESET_TTL_MS: i64 = 3600 * 1000;
/// A link confirming a new e-mail address works for 48 hours, like the first one.
pub const CHANGE_EMAIL_TTL_MS: i64 = 48 * 3600 * 1000;
pub const PURPOSE_RESET: &str = "reset_password";
pub const PURPOSE_CHANGE_EMAIL: &str = "change_email";
/// Asking again within this time sends no second e-mail (a double click, or someone
/// flooding an inbox).
const RESEND_GAP_MS: i64 = 60 * 1000;
/// How many security events the owner sees.
const EVENTS_SHOWN: i64 = 30;

#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    pub id: i64,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub language: Lang,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: String,
}

const ACCOUNT_SELECT: &str = "SELECT a.id, a.email, a.language, a.password_hash, \
     p.first_name, p.last_name FROM account a JOIN citizen_profile p ON p.account_id = a.id";

async fn account_by_email<'e, E>(executor: E, email: &str) -> Result<Option<AccountRow>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(
        sqlx::query_as(&format!("{ACCOUNT_SELECT} WHERE a.email = $1"))
            .bind(email)
            .fetch_optional(executor)
            .await?,
    )
}

async fn account_by_id<'e, E>(executor: E, id: i64) -> Result<AccountRow, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(&format!("{ACCOUNT_SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_one(executor)
        .await?)
}

/// Uses a single-use token of the given purpose. Returns the account and, for an address
/// change, the new address. A used, expired or unknown token says which.
pub(crate) async fn consume_token(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    token: &str,
    purpose: &str,
) -> Result<(i64, Option<String>), AppError> {
    let hash = session::hash_token(token.trim());
    let now = now_ms();
    let used: Option<(i64, Option<String>)> = sqlx::query_as(
        "UPDATE email_token SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
         RETURNING account_id, new_email",
    )
    .bind(now)
    .bind(&hash)
    .bind(purpose)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(used) = used {
        return Ok(used);
    }
    Err(AppError::Token(
        token_problem(&mut **tx, &hash, purpose).await?,
    ))
}

async fn token_problem<'e, E>(
    executor: E,
    hash: &str,
    purpose: &str,
) -> Result<TokenProblem, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let used_at: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT used_at FROM email_token WHERE token_hash = $1 AND purpose = $2",
    )
    .bind(hash)
    .bind(purpose)
    .fetch_optional(executor)
    .await?;
    Ok(match used_at {
        None => TokenProblem::Unknown,
        Some(Some(_)) => TokenProblem::Used,
        Some(None) => TokenProblem::Expired,
    })
}

/// Whether a token can still be used, without using it (the reset page asks before it
/// shows its form).
pub async fn check_token(db: &Db, token: &str, purpose: &str) -> Result<(), AppError> {
    let hash = session::hash_token(token.trim());
    let valid: Option<i64> = sqlx::query_scalar(
        "SELECT account_id FROM email_token \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(&hash)
    .bind(purpose)
    .bind(now_ms())
    .fetch_optional(db)
    .await?;
    match valid {
        Some(_) => Ok(()),
        None => Err(AppError::Token(token_problem(db, &hash, purpose).await?)),
    }
}

/// "Mot de passe oublié": sends a reset link if the address has an account. The answer is
/// the same either way.
pub async fn request_password_reset(
    db: &Db,
    config: &ServerConfig,
    email: &str,
    client: &Client,
) -> Result<(), AppError> {
    let email = Email::parse(email)
        .map_err(|e| AppError::Validation(vec![FieldError::new("email", e.code())]))?;
    // Counted whether the address has an account or not: the answer must not tell.
    super::sending::allow(
        db,
        config.send_limits,
        "email",
        email.as_str(),
        client.ip.as_deref(),
    )
    .await?;
    let mut tx = crate::backend::begin(db).await?;
    let Some(account) = account_by_email(&mut *tx, email.as_str()).await? else {
        return Ok(());
    };
    let now = now_ms();
    let recent: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(created_at) FROM email_token WHERE account_id = $1 AND purpose = $2",
    )
    .bind(account.id)
    .bind(PURPOSE_RESET)
    .fetch_one(&mut *tx)
    .await?;
    if recent.is_some_and(|at| now - at < RESEND_GAP_MS) {
        return Ok(());
    }
    // Only the newest link works.
    sqlx::query(
        "UPDATE email_token SET used_at = $1 \
         WHERE account_id = $2 AND purpose = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(account.id)
    .bind(PURPOSE_RESET)
    .execute(&mut *tx)
    .await?;
    let link = issue_token(
        &mut tx,
        &config.link_key,
        account.id,
        PURPOSE_RESET,
        RESET_TTL_MS,
        None,
    )
    .await?;
    let template = MailTemplate::PasswordReset {
        first_name: account.first_name,
        link: format!(
            "{}/reset-password?token={TOKEN_PLACEHOLDER}",
            config.base_url
        ),
    };
    outbox::enqueue_with_link(&mut *tx, &account.email, account.language, &template, &link).await?;
    record_event(
        &mut tx,
        Some(account.id),
        SecurityEvent::PasswordResetRequested,
        client,
    )
    .await?;
    Ok(tx.commit().await?)
}

fn password_errors(error: crate::domain::PasswordError) -> AppError {
    let field = if error == crate::domain::PasswordError::Mismatch {
        "password_confirm"
    } else {
        "password"
    };
    AppError::Validation(vec![FieldError::new(field, error.code())])
}

/// Sets a new password with a reset link. Every session of the account ends, except the
/// one making the change if it is the account's own.
pub async fn reset_password(
    db: &Db,
    config: &ServerConfig,
    token: &str,
    password: &str,
    confirmation: &str,
    current: Option<&CurrentUser>,
    client: &Client,
) -> Result<Option<String>, AppError> {
    // The link first: with a dead link, the password does not matter.
    check_token(db, token, PURPOSE_RESET).await?;
    let hash = session::hash_token(token.trim());
    let owner: i64 = sqlx::query_scalar("SELECT account_id FROM email_token WHERE token_hash = $1")
        .bind(&hash)
        .fetch_one(db)
        .await?;
    let account = account_by_id(db, owner).await?;
    let context = [
        account.email.as_str(),
        account.first_name.as_str(),
        account.last_name.as_str(),
    ];
    let password =
        NewPassword::parse_confirmed(password, confirmation, &context).map_err(password_errors)?;
    let new_hash = hash_password(password.expose().to_string()).await?;
    let mut tx = crate::backend::begin(db).await?;
    let (account_id, _) = consume_token(&mut tx, token, PURPOSE_RESET).await?;
    let rotated = set_password(&mut tx, account_id, &new_hash, current).await?;
    record_event(
        &mut tx,
        Some(account_id),
        SecurityEvent::PasswordReset,
        client,
    )
    .await?;
    let template = MailTemplate::PasswordChanged {
        first_name: account.first_name,
        reset_link: format!("{}/forgot-password", config.base_url),
    };
    outbox::enqueue(&mut *tx, &account.email, account.language, &template).await?;
    tx.commit().await?;
    limiter::clear(db, &limiter::Scope::Address(account.email))
        .await
        .map_err(internal)?;
    Ok(rotated)
}

/// Stores the new hash and ends every other session of the account; the session of the
/// person who changed it (if any) gets a new token, returned for its cookie.
async fn set_password(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account_id: i64,
    hash: &str,
    current: Option<&CurrentUser>,
) -> Result<Option<String>, AppError> {
    sqlx::query("UPDATE account SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    match end_other_sessions(tx, account_id, current).await? {
        Some(kept) => Ok(Some(session::rotate(tx, &kept.session_hash).await?)),
        None => Ok(None),
    }
}

/// Ends every session of the account but `current` when it is the account's own; returns
/// it then (the one session left).
async fn end_other_sessions<'u>(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account_id: i64,
    current: Option<&'u CurrentUser>,
) -> Result<Option<&'u CurrentUser>, AppError> {
    let current = current.filter(|user| user.account_id == account_id);
    sqlx::query("DELETE FROM session WHERE account_id = $1 AND id_hash <> $2")
        .bind(account_id)
        .bind(current.map_or("", |user| user.session_hash.as_str()))
        .execute(&mut **tx)
        .await?;
    Ok(current)
}

/// Checks the current password of a signed-in person before a sensitive change. Wrong
/// guesses count against the sign-in limit of the address.
pub(crate) async fn confirm_identity(
    db: &Db,
    user: &CurrentUser,
    password: &str,
    field: &str,
) -> Result<AccountRow, AppError> {
    let scope = [limiter::Scope::Address(user.email.clone())];
    let attempt = limiter::attempt(db, &scope).await?;
    let account = account_by_id(db, user.account_id).await?;
    let checked = verify_password(password.to_string(), account.password_hash.clone()).await;
    if !matches!(checked, Ok(false)) {
        // Right, or not checked at all (saturated): not a failure.
        attempt.passed(db).await?;
    }
    if !checked? {
        // The try written down before the check stays: a failure.
        return Err(AppError::Validation(vec![FieldError::new(
            field,
            "current_password.wrong",
        )]));
    }
    Ok(account)
}

/// Changes the password of the signed-in person (the current one is asked). Other
/// sessions end; the owner is told by e-mail.
pub async fn change_password(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    current_password: &str,
    password: &str,
    confirmation: &str,
    client: &Client,
) -> Result<String, AppError> {
    let context = [
        user.email.as_str(),
        user.first_name.as_str(),
        user.last_name.as_str(),
    ];
    let password =
        NewPassword::parse_confirmed(password, confirmation, &context).map_err(password_errors)?;
    let account = confirm_identity(db, user, current_password, "current_password").await?;
    let new_hash = hash_password(password.expose().to_string()).await?;
    let mut tx = crate::backend::begin(db).await?;
    let token = set_password(&mut tx, account.id, &new_hash, Some(user))
        .await?
        .ok_or(AppError::Internal)?;
    record_event(
        &mut tx,
        Some(account.id),
        SecurityEvent::PasswordChanged,
        client,
    )
    .await?;
    let template = MailTemplate::PasswordChanged {
        first_name: account.first_name,
        reset_link: format!("{}/forgot-password", config.base_url),
    };
    outbox::enqueue(&mut *tx, &account.email, account.language, &template).await?;
    tx.commit().await?;
    Ok(token)
}

/// Asks to change the account's address: a link goes to the new address (the change
/// happens only when it is opened) and the current address is told. An address that
/// already has an account gets the same answer, and its owner an e-mail.
pub async fn request_email_change(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    new_email: &str,
    current_password: &str,
    client: &Client,
) -> Result<(), AppError> {
    let new_email = Email::parse(new_email)
        .map_err(|e| AppError::Validation(vec![FieldError::new("new_email", e.code())]))?;
    if new_email.as_str() == user.email {
        return Err(AppError::Validation(vec![FieldError::new(
            "new_email",
            "email.same",
        )]));
    }
    let account = confirm_identity(db, user, current_password, "email_password").await?;
    super::sending::allow(
        db,
        config.send_limits,
        "new_email",
        new_email.as_str(),
        client.ip.as_deref(),
    )
    .await?;
    let mut tx = crate::backend::begin(db).await?;
    let taken = account_by_email(&mut *tx, new_email.as_str()).await?;
    match taken {
        Some(other) => {
            let template = MailTemplate::RegistrationAttempt {
                login_link: format!("{}/login", config.base_url),
            };
            outbox::enqueue(&mut *tx, &other.email, other.language, &template).await?;
        }
        None => {
            let now = now_ms();
            sqlx::query(
                "UPDATE email_token SET used_at = $1 \
                 WHERE account_id = $2 AND purpose = $3 AND used_at IS NULL",
            )
            .bind(now)
            .bind(account.id)
            .bind(PURPOSE_CHANGE_EMAIL)
            .execute(&mut *tx)
            .await?;
            let link = issue_token(
                &mut tx,
                &config.link_key,
                account.id,
                PURPOSE_CHANGE_EMAIL,
                CHANGE_EMAIL_TTL_MS,
                Some(new_email.as_str()),
            )
            .await?;
            let confirm = MailTemplate::ConfirmNewEmail {
                first_name: account.first_name.clone(),
                link: format!("{}/verify-email?token={TOKEN_PLACEHOLDER}", config.base_url),
            };
            outbox::enqueue_with_link(
                &mut *tx,
                new_email.as_str(),
                account.language,
                &confirm,
                &link,
            )
            .await?;
        }
    }
    let notice = MailTemplate::EmailChangeRequested {
        first_name: account.first_name,
        new_email: new_email.as_str().to_string(),
        reset_link: format!("{}/forgot-password", config.base_url),
    };
    outbox::enqueue(&mut *tx, &account.email, account.language, &notice).await?;
    record_event(
        &mut tx,
        Some(account.id),
        SecurityEvent::EmailChangeRequested,
        client,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Opens the link sent to a new address: the account's address becomes it (verified).
/// The new address takes effect. Every session of the account but the one that confirmed it
/// (if it is the account's) ends, and reset links not used yet stop working: whoever held
/// the account under the old address keeps nothing of it.
pub async fn confirm_email_change(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account_id: i64,
    new_email: &str,
    client: &Client,
    current: Option<&CurrentUser>,
) -> Result<(), AppError> {
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM account WHERE email = $1")
        .bind(new_email)
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        // Someone registered it meanwhile.
        return Err(AppError::Token(TokenProblem::Unknown));
    }
    sqlx::query("UPDATE account SET email = $1, email_verified_at = $2 WHERE id = $3")
        .bind(new_email)
        .bind(now_ms())
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    end_other_sessions(tx, account_id, current).await?;
    sqlx::query(
        "DELETE FROM email_token WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL",
    )
    .bind(account_id)
    .bind(PURPOSE_RESET)
    .execute(&mut **tx)
    .await?;
    record_event(tx, Some(account_id), SecurityEvent::EmailChanged, client).await
}

/// The account's sessions, the most recently used first.
pub async fn sessions(db: &Db, user: &CurrentUser) -> Result<Vec<SessionView>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id_hash: String,
        user_agent: Option<String>,
        ip: Option<String>,
        created_at: i64,
        last_seen_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id_hash, user_agent, ip, created_at, last_seen_at FROM session \
         WHERE account_id = $1 ORDER BY last_seen_at DESC, created_at DESC",
    )
    .bind(user.account_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| SessionView {
            current: row.id_hash == user.session_hash,
            id: row.id_hash,
            device: row.user_agent.as_deref().and_then(device_label),
            ip: row.ip,
            started: brussels_time(row.created_at),
            last_seen: brussels_time(row.last_seen_at),
        })
        .collect())
}

/// Ends one of the account's sessions (another account's id changes nothing).
pub async fn end_session(
    db: &Db,
    user: &CurrentUser,
    id: &str,
    client: &Client,
) -> Result<(), AppError> {
    let mut tx = crate::backend::begin(db).await?;
    let ended = sqlx::query("DELETE FROM session WHERE id_hash = $1 AND account_id = $2")
        .bind(id)
        .bind(user.account_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if ended > 0 {
        record_event(
            &mut tx,
            Some(user.account_id),
            SecurityEvent::SessionEnded,
            client,
        )
        .await?;
    }
    Ok(tx.commit().await?)
}

/// The account's latest security events, newest first.
pub async fn events(db: &Db, user: &CurrentUser) -> Result<Vec<EventView>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        kind: String,
        ip: Option<String>,
        user_agent: Option<String>,
        created_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT kind, ip, user_agent, created_at FROM security_event \
         WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(user.account_id)
    .bind(EVENTS_SHOWN)
    .fetch_all(db)
    .await?;
    // An event kind this version does not know (a newer server wrote it) still shows.
    Ok(rows
        .into_iter()
        .map(|row| EventView {
            kind: SecurityEvent::parse(&row.kind),
            ip: row.ip,
            device: row.user_agent.as_deref().and_then(device_label),
            when: brussels_time(row.created_at),
        })
        .collect())
}

/// The browser and system a user agent names, for a person to recognise their devices.
pub fn device_label(user_agent: &str) -> Option<String> {
    // Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
    const BROWSERS: [(&str, &str); 6] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
    ];
    const SYSTEMS: [(&str, &str); 7] = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ];
    let browser = BROWSERS
        .iter()
        .find(|(marker, _)| user_agent.contains(marker))
        .map(|(_, name)| *name);
    let system = SYSTEMS
        .iter()
        .find(|(marker, _)| user_agent.contains(marker))
        .map(|(_, name)| *name);
    match (browser, system) {
        (Some(browser), Some(system)) => Some(format!("{browser}, {system}")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_string()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_brussels() {
        // 2026-11-27 13:05 UTC is 14:05 in winter; 2026-07-01 10:00 UTC is 12:00 in summer.
        assert_eq!(brussels_time(1_795_784_700_000), "27/11/2026 14:05");
        assert_eq!(brussels_time(1_782_900_000_000), "01/07/2026 12:00");
    }

    #[test]
    fn devices_are_named() {
        let firefox =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(device_label(firefox).as_deref(), Some("Firefox, Windows"));
        let edge = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) \
                    Chrome/131.0 Safari/537.36 Edg/131.0";
        assert_eq!(device_label(edge).as_deref(), Some("Edge, Windows"));
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
        assert_eq!(device_label(iphone).as_deref(), Some("Safari, iPhone"));
        let android =
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) \
                       Chrome/131.0 Mobile Safari/537.36";
        assert_eq!(device_label(android).as_deref(), Some("Chrome, Android"));
        assert_eq!(device_label("curl/8.5.0"), None);
    }
}
