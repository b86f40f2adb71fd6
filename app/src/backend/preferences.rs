//! Préférences: the profile active right after sign-in, and how notifications arrive.
use super::audit::record_event;
use super::session::{self, CurrentUser};
use super::{internal, Client, Db};
use crate::domain::Channel;
use crate::domain::SecurityEvent;
use crate::error::{AppError, FieldError};
use crate::model::account::PreferencesData;

pub async fn load(db: &Db, user: &CurrentUser) -> Result<PreferencesData, AppError> {
    let (default, channel): (Option<i64>, String) = sqlx::query_as(
        "SELECT default_organisation_id, notification_channel FROM account WHERE id = $1",
    )
    .bind(user.account_id)
    .fetch_one(db)
    .await?;
    let organisations = super::organisations::memberships(db, user.account_id).await?;
    // A default that is no longer one of the person's profiles shows as the citizen's.
    let default = default.filter(|id| organisations.iter().any(|org| org.id == *id));
    Ok(PreferencesData {
        default_profile: default.map(|id| id.to_string()).unwrap_or_default(),
        channel,
        organisations,
    })
}

pub async fn save(
    db: &Db,
    user: &CurrentUser,
    default_profile: &str,
    channel: &str,
    client: &Client,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let default = match default_profile.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => {
                let mine = super::organisations::memberships(db, user.account_id)
                    .await?
                    .iter()
                    .any(|org| org.id == id);
                if !mine {
                    errors.push(FieldError::new(
                        "default_profile",
                        "preferences.unknown_profile",
                    ));
                }
                Some(id)
            }
            Err(_) => {
                errors.push(FieldError::new(
                    "default_profile",
                    "preferences.unknown_profile",
                ));
                None
            }
        },
    };
    if Channel::parse(channel).is_none() {
        errors.push(FieldError::new("channel", "preferences.channel"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = crate::backend::begin(db).await?;
    sqlx::query(
        "UPDATE account SET default_organisation_id = $1, notification_channel = $2 WHERE id = $3",
    )
    .bind(default)
    .bind(channel)
    .bind(user.account_id)
    .execute(&mut *tx)
    .await?;
    record_event(
        &mut tx,
        Some(user.account_id),
        SecurityEvent::PreferencesUpdated,
        client,
    )
    .await?;
    Ok(tx.commit().await?)
}

/// Right after sign-in: the session acts for the default profile if the person still
/// belongs to it; otherwise the citizen profile, and the preference is reset.
pub async fn apply_default(db: &Db, account_id: i64, session_hash: &str) -> Result<(), AppError> {
    let default: Option<i64> =
        sqlx::query_scalar("SELECT default_organisation_id FROM account WHERE id = $1")
            .bind(account_id)
            .fetch_one(db)
            .await?;
    let Some(organisation_id) = default else {
        return Ok(());
    };
    let member = super::organisations::memberships(db, account_id)
        .await?
        .iter()
        .any(|org| org.id == organisation_id);
    if member {
        session::set_active(db, session_hash, Some(organisation_id))
            .await
            .map_err(internal)
    } else {
        sqlx::query("UPDATE account SET default_organisation_id = NULL WHERE id = $1")
            .bind(account_id)
            .execute(db)
            .await?;
        Ok(())
    }
}
