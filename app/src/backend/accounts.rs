//! Accounts: registration with its citizen profile, e-mail verification, sign-in.
use super::audit::record_event;
use super::credentials::{hash_password, issue_token, verify_password, TOKEN_PLACEHOLDER};
use super::security;
use super::session::{self, CurrentUser};
use super::{limiter, now_ms, outbox, Client, Db, ServerConfig};
use crate::domain::SecurityEvent;
use crate::domain::{Email, Lang, NewPassword};
use crate::error::{AppError, FieldError};
use crate::mail::MailTemplate;
use std::sync::LazyLock;

/// A verification link works for 48 hours.
pub const VERIFY_TTL_MS: i64 = 48 * 3600 * 1000;
pub const PURPOSE_VERIFY: &str = "verify_email";
const NAME_MAX: usize = 100;

pub use crate::model::auth::Registration;

struct ValidRegistration {
    email: Email,
    password: NewPassword,
    first_name: String,
    last_name: String,
    language: Lang,
}

fn validate(form: &Registration) -> Result<ValidRegistration, AppError> {
    let mut errors = Vec::new();
    let email = Email::parse(&form.email)
        .map_err(|e| errors.push(FieldError::new("email", e.code())))
        .ok();
    let name = |field: &str, value: &str, errors: &mut Vec<FieldError>| {
        let value = value.trim();
        if value.is_empty() {
            errors.push(FieldError::new(field, "name.empty"));
        } else if value.chars().count() > NAME_MAX {
            errors.push(FieldError::new(field, "name.too_long"));
        }
        value.to_string()
    };
    let first_name = name("first_name", &form.first_name, &mut errors);
    let last_name = name("last_name", &form.last_name, &mut errors);
    let context = [form.email.as_str(), first_name.as_str(), last_name.as_str()];
    let password = NewPassword::parse_confirmed(&form.password, &form.password_confirm, &context)
        .map_err(|e| {
            let field = if e == crate::domain::PasswordError::Mismatch {
                "password_confirm"
            } else {
                "password"
            };
            errors.push(FieldError::new(field, e.code()));
        })
        .ok();
    let language = Lang::parse(&form.language);
    if language.is_none() {
        errors.push(FieldError::new("language", "language.invalid"));
    }
    if form.terms.is_none() {
        errors.push(FieldError::new("terms", "terms.required"));
    }
    match (email, password, language) {
        (Some(email), Some(password), Some(language)) if errors.is_empty() => {
            Ok(ValidRegistration {
                email,
                password,
                first_name,
                last_name,
                language,
            })
        }
        _ => Err(AppError::Validation(errors)),
    }
}

/// A hash of nothing anyone knows: an unknown e-mail is checked against it, so that it
/// costs the same time as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let (token, _) = session::new_token();
    password_auth::generate_hash(token)
});

/// The verification link, its token left for the outbox worker to put in.
fn verification_link(config: &ServerConfig) -> String {
    format!("{}/verify-email?token={TOKEN_PLACEHOLDER}", config.base_url)
}

/// Creates the account and its citizen profile, and queues the verification e-mail. An
/// address already registered gets the same answer, and its owner an e-mail saying
/// someone tried: nobody learns from this form who has an account.
pub async fn register(
    db: &Db,
    config: &ServerConfig,
    form: &Registration,
    client: &Client,
) -> Result<(), AppError> {
    let valid = validate(form)?;
    // Either way an e-mail goes to this address (a confirmation link, or "someone tried").
    super::sending::allow(
        db,
        config.send_limits,
        "email",
        valid.email.as_str(),
        client.ip.as_deref(),
    )
    .await?;
    let hash = hash_password(valid.password.expose().to_string()).await?;
    let now = now_ms();
    let mut tx = crate::backend::begin(db).await?;
    let created: Option<i64> = sqlx::query_scalar(
        "INSERT INTO account (email, password_hash, language, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(valid.email.as_str())
    .bind(&hash)
    .bind(valid.language.code())
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    match created {
        Some(account_id) => {
            sqlx::query(
                "INSERT INTO citizen_profile (account_id, first_name, last_name, updated_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(account_id)
            .bind(&valid.first_name)
            .bind(&valid.last_name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let link = issue_token(
                &mut tx,
                &config.link_key,
                account_id,
                PURPOSE_VERIFY,
                VERIFY_TTL_MS,
                None,
            )
            .await?;
            let template = MailTemplate::VerifyEmail {
                first_name: valid.first_name.clone(),
                link: verification_link(config),
            };
            outbox::enqueue_with_link(
                &mut *tx,
                valid.email.as_str(),
                valid.language,
                &template,
                &link,
            )
            .await?;
            record_event(
                &mut tx,
                Some(account_id),
                SecurityEvent::AccountCreated,
                client,
            )
            .await?;
        }
        None => {
            let (account_id, language): (i64, String) =
                sqlx::query_as("SELECT id, language FROM account WHERE email = $1")
                    .bind(valid.email.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
            let lang = crate::backend::decode("language", &language, Lang::parse)?;
            let template = MailTemplate::RegistrationAttempt {
                login_link: format!("{}/login", config.base_url),
            };
            outbox::enqueue(&mut *tx, valid.email.as_str(), lang, &template).await?;
            record_event(
                &mut tx,
                Some(account_id),
                SecurityEvent::RegistrationAttempt,
                client,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Uses a link sent by e-mail to confirm an address: the account's first address, or the
/// new address it asked to change to. A link works once.
pub async fn verify_email(
    db: &Db,
    token: &str,
    client: &Client,
    current: Option<&CurrentUser>,
) -> Result<(), AppError> {
    let hash = session::hash_token(token.trim());
    let purpose: Option<String> =
        sqlx::query_scalar("SELECT purpose FROM email_token WHERE token_hash = $1")
            .bind(&hash)
            .fetch_optional(db)
            .await?;
    let purpose = match purpose.as_deref() {
        Some(security::PURPOSE_CHANGE_EMAIL) => security::PURPOSE_CHANGE_EMAIL,
        _ => PURPOSE_VERIFY,
    };
    let mut tx = crate::backend::begin(db).await?;
    let (account_id, new_email) = security::consume_token(&mut tx, token, purpose).await?;
    match new_email {
        Some(new_email) if purpose == security::PURPOSE_CHANGE_EMAIL => {
            security::confirm_email_change(&mut tx, account_id, &new_email, client, current)
                .await?;
        }
        _ => {
            sqlx::query(
                "UPDATE account SET email_verified_at = $1 \
                 WHERE id = $2 AND email_verified_at IS NULL",
            )
            .bind(now_ms())
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
            record_event(
                &mut tx,
                Some(account_id),
                SecurityEvent::EmailVerified,
                client,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Checks the credentials and opens a session; returns its token. An unknown address and a
/// wrong password get the same error after the same work. Too many failures for the
/// address or the IP address lock them for a while, before any password is checked.
pub async fn login(
    db: &Db,
    email: &str,
    password: &str,
    client: &Client,
) -> Result<SignedIn, AppError> {
    let scopes = limiter::Scope::for_sign_in(email, client.ip.as_deref());
    let attempt = limiter::attempt(db, &scopes).await?;
    let row: Option<(i64, String, Option<i64>, String)> = match Email::parse(email) {
        Ok(email) => {
            sqlx::query_as(
                "SELECT id, password_hash, email_verified_at, language FROM account \
                 WHERE email = $1",
            )
            .bind(email.as_str())
            .fetch_optional(db)
            .await?
        }
        Err(_) => None,
    };
    let (account_id, hash, email_verified, language) = match row {
        Some((id, hash, verified_at, language)) => (
            Some(id),
            hash,
            verified_at.is_some(),
            Lang::parse(&language),
        ),
        None => (None, DUMMY_HASH.clone(), false, None),
    };
    let matches = match verify_password(password.to_string(), hash).await {
        Ok(matches) => matches,
        Err(busy) => {
            // Not checked at all (the server is saturated): not a failure.
            attempt.passed(db).await?;
            return Err(busy);
        }
    };
    let account_id = match account_id {
        Some(account_id) if matches => account_id,
        _ => {
            // The try written down before the check stays: a failure.
            drop(attempt);
            if let Some(account_id) = account_id {
                let mut tx = crate::backend::begin(db).await?;
                record_event(
                    &mut tx,
                    Some(account_id),
                    SecurityEvent::LoginFailed,
                    client,
                )
                .await?;
                tx.commit().await?;
            }
            return Err(AppError::InvalidCredentials);
        }
    };
    attempt.passed(db).await?;
    limiter::clear(db, &scopes[0]).await?;
    let mut tx = crate::backend::begin(db).await?;
    sqlx::query("UPDATE account SET last_login_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    record_event(&mut tx, Some(account_id), SecurityEvent::Login, client).await?;
    tx.commit().await?;
    let token = session::create(
        db,
        account_id,
        client.user_agent.as_deref(),
        client.ip.as_deref(),
    )
    .await?;
    super::preferences::apply_default(db, account_id, &session::hash_token(&token)).await?;
    Ok(SignedIn {
        token,
        email_verified,
        language,
    })
}

/// A sign-in that succeeded: the new session's token, and whether the account's address
/// is confirmed (where the person goes next).
pub struct SignedIn {
    pub token: String,
    pub email_verified: bool,
    /// The language chosen in the account: the pages follow it once signed in.
    pub language: Option<Lang>,
}

/// Ends the session (the row is deleted: the old cookie opens nothing any more).
pub async fn logout(db: &Db, user: &CurrentUser, client: &Client) -> Result<(), AppError> {
    session::delete(db, &user.session_hash).await?;
    let mut tx = crate::backend::begin(db).await?;
    record_event(
        &mut tx,
        Some(user.account_id),
        SecurityEvent::Logout,
        client,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Sends a new verification link (the previous ones stop working).
pub async fn resend_verification(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    client: &Client,
) -> Result<(), AppError> {
    if user.email_verified {
        return Ok(());
    }
    super::sending::allow(
        db,
        config.send_limits,
        "form",
        &user.email,
        client.ip.as_deref(),
    )
    .await?;
    let mut tx = crate::backend::begin(db).await?;
    sqlx::query("UPDATE email_token SET used_at = $1 WHERE account_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now_ms())
        .bind(user.account_id)
        .bind(PURPOSE_VERIFY)
        .execute(&mut *tx)
        .await
        ?;
    let link = issue_token(
        &mut tx,
        &config.link_key,
        user.account_id,
        PURPOSE_VERIFY,
        VERIFY_TTL_MS,
        None,
    )
    .await?;
    let template = MailTemplate::VerifyEmail {
        first_name: user.first_name.clone(),
        link: verification_link(config),
    };
    outbox::enqueue_with_link(&mut *tx, &user.email, user.language, &template, &link).await?;
    Ok(tx.commit().await?)
}
