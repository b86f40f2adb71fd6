//! Préférences: the profile active right after sign-in, and how each kind of notification
//! arrives.
use super::audit::record_event;
use super::session::{self, CurrentUser};
use super::{internal, Client, Db};
use crate::domain::SecurityEvent;
use crate::domain::{Channel, Topic};
use crate::error::{AppError, FieldError};
use crate::model::account::PreferencesData;

pub async fn load(db: &Db, user: &CurrentUser) -> Result<PreferencesData, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        default_organisation_id: Option<i64>,
        notify_status: String,
        notify_documents: String,
        notify_messages: String,
        notify_access: String,
    }
    let row: Row = sqlx::query_as(
        "SELECT default_organisation_id, notify_status, notify_documents, notify_messages, \
                notify_access FROM account WHERE id = $1",
    )
    .bind(user.account_id)
    .fetch_one(db)
    .await?;
    let default = row.default_organisation_id;
    let channels = Topic::ALL
        .into_iter()
        .zip([
            &row.notify_status,
            &row.notify_documents,
            &row.notify_messages,
            &row.notify_access,
        ])
        .map(|(topic, code)| (topic, Channel::parse(code).unwrap_or(Channel::Both)))
        .collect();
    let organisations = super::organisations::memberships(db, user.account_id).await?;
    // A default that is no longer one of the person's profiles shows as the citizen's.
    let default = default.filter(|id| organisations.iter().any(|org| org.id == *id));
    Ok(PreferencesData {
        default_profile: default.map(|id| id.to_string()).unwrap_or_default(),
        channels,
        organisations,
    })
}

pub async fn save(
    db: &Db,
    user: &CurrentUser,
    default_profile: &str,
    channels: &[(Topic, &str)],
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
    let mut chosen = Vec::new();
    for topic in Topic::ALL {
        let code = channels
            .iter()
            .find(|(t, _)| *t == topic)
            .map_or("", |(_, code)| *code);
        match Channel::parse(code) {
            Some(channel) => chosen.push(channel),
            None => errors.push(FieldError::new(
                &format!("notify_{}", topic.code()),
                "preferences.channel",
            )),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = crate::backend::begin(db).await?;
    sqlx::query(
        "UPDATE account SET default_organisation_id = $1, notify_status = $2, \
                notify_documents = $3, notify_messages = $4, notify_access = $5 WHERE id = $6",
    )
    .bind(default)
    .bind(chosen[0].code())
    .bind(chosen[1].code())
    .bind(chosen[2].code())
    .bind(chosen[3].code())
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
