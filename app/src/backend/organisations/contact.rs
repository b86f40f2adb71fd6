//! A member's contact details for the organisation (wizard step 4).
use super::authorise::{authorise, membership_event};
use crate::backend::session::CurrentUser;
use crate::backend::Db;
use crate::domain::{Email, Lang, PhoneKind, PhoneNumber};
use crate::error::{AppError, FieldError};
use crate::model::organisations::{ContactData, ContactForm};

pub async fn contact(
    db: &Db,
    user: &CurrentUser,
    organisation_id: i64,
) -> Result<ContactData, AppError> {
    let membership = authorise(db, user, organisation_id, false).await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        language: Option<String>,
        landline: Option<String>,
        mobile: Option<String>,
        email: Option<String>,
        notify_email: i64,
    }
    let row: Row = sqlx::query_as(
        "SELECT language, landline, mobile, email, notify_email FROM membership WHERE id = $1",
    )
    .bind(membership.id)
    .fetch_one(db)
    .await?;
    let phone = |stored: Option<String>| PhoneNumber::stored_for_form(&stored.unwrap_or_default());
    Ok(ContactData {
        organisation: membership.organisation,
        function: membership.function,
        form: ContactForm {
            // Until the member chooses, their account's language and address.
            language: row
                .language
                .filter(|language| !language.is_empty())
                .unwrap_or_else(|| user.language.code().into()),
            landline: phone(row.landline),
            mobile: phone(row.mobile),
            email: row
                .email
                .filter(|email| !email.is_empty())
                .unwrap_or_else(|| user.email.clone()),
            notify_email: (row.notify_email != 0).then(|| "on".to_string()),
        },
    })
}

/// Saves the contact details; returns whether this completed the creation (the first
/// save by the organisation's creator).
pub async fn save_contact(
    db: &Db,
    user: &CurrentUser,
    organisation_id: i64,
    form: &ContactForm,
) -> Result<bool, AppError> {
    let membership = authorise(db, user, organisation_id, false).await?;
    let mut errors = Vec::new();
    let language = Lang::parse(&form.language);
    if language.is_none() {
        errors.push(FieldError::new("language", "language.invalid"));
    }
    let mut phone = |field: &str, value: &str, kind: PhoneKind| {
        PhoneNumber::parse_optional(value, kind)
            .map_err(|e| errors.push(FieldError::new(field, e.code())))
            .ok()
            .flatten()
    };
    let landline = phone("landline", &form.landline, PhoneKind::Landline);
    let mobile = phone("mobile", &form.mobile, PhoneKind::Mobile);
    let email = Email::parse(&form.email)
        .map_err(|e| errors.push(FieldError::new("email", e.code())))
        .ok();
    let (Some(language), Some(email)) = (language, email) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = crate::backend::begin(db).await?;
    let first: bool = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM membership_event WHERE organisation_id = $1 AND kind = 'contact_saved'",
    )
    .bind(organisation_id)
    .fetch_one(&mut *tx)
    .await
    ?
        == 0;
    sqlx::query(
        "UPDATE membership SET language = $1, landline = $2, mobile = $3, email = $4, \
         notify_email = $5 WHERE id = $6",
    )
    .bind(language.code())
    .bind(landline.map(|p| p.e164()))
    .bind(mobile.map(|p| p.e164()))
    .bind(email.as_str())
    .bind(i64::from(form.notify_email.is_some()))
    .bind(membership.id)
    .execute(&mut *tx)
    .await?;
    membership_event(
        &mut tx,
        organisation_id,
        user.account_id,
        user.account_id,
        "contact_saved",
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(first)
}
