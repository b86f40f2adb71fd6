//! The creation wizard: the draft, the number, the details, and creating the profile.
use super::authorise::{field, membership_event, valid_function, NAME_MAX};
use crate::backend::audit::record_event;
use crate::backend::session::CurrentUser;
use crate::backend::{now_ms, Client, Db};
use crate::domain::MembershipStatus;
use crate::domain::SecurityEvent;
use crate::domain::{BceNumber, OrgKind};
use crate::error::{AppError, FieldError};
use crate::model::organisations::DraftView;

/// The wizard's draft, with what the number is known for.
pub async fn draft(db: &Db, account_id: i64) -> Result<Option<DraftView>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        kind: Option<String>,
        bce: Option<String>,
        name: Option<String>,
        confirmed_kind: Option<String>,
        vat_subject: Option<i64>,
        function: Option<String>,
    }
    let Some(row) = sqlx::query_as::<_, Row>(
        "SELECT kind, bce, name, confirmed_kind, vat_subject, function \
         FROM organisation_draft WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let bce = row.bce.unwrap_or_default();
    let existing: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT o.name, m.status FROM organisation o \
         LEFT JOIN membership m ON m.organisation_id = o.id AND m.account_id = $2 \
         WHERE o.bce = $1",
    )
    .bind(&bce)
    .bind(account_id)
    .fetch_optional(db)
    .await?;
    let (existing_name, pending) = match existing {
        Some((name, status)) => (
            Some(name),
            status.as_deref() == Some(MembershipStatus::Pending.code()),
        ),
        None => (None, false),
    };
    Ok(Some(DraftView {
        kind: row.kind.unwrap_or_default(),
        bce: crate::domain::BceNumber::formatted(&bce),
        name: row.name.unwrap_or_default(),
        confirmed_kind: row.confirmed_kind.unwrap_or_default(),
        vat_subject: match row.vat_subject {
            Some(1) => "yes".into(),
            Some(_) => "no".into(),
            None => String::new(),
        },
        function: row.function.unwrap_or_default(),
        existing_name,
        pending,
    }))
}

/// Step 1. Returns where the wizard goes next.
pub async fn start(
    db: &Db,
    user: &CurrentUser,
    kind: &str,
    bce: &str,
    terms: bool,
) -> Result<&'static str, AppError> {
    let mut errors = Vec::new();
    let kind = OrgKind::parse(kind);
    if kind.is_none() {
        errors.push(FieldError::new("kind", "kind.invalid"));
    }
    let number = BceNumber::parse(bce)
        .map_err(|e| errors.push(FieldError::new("bce", e.code())))
        .ok();
    if !terms {
        errors.push(FieldError::new("terms", "terms.required"));
    }
    let (Some(kind), Some(number)) = (kind, number) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    // `None`: no such organisation; `Some(None)`: it exists, without this account.
    let existing: Option<Option<String>> = sqlx::query_scalar(
        "SELECT m.status FROM organisation o \
         LEFT JOIN membership m ON m.organisation_id = o.id AND m.account_id = $2 \
         WHERE o.bce = $1",
    )
    .bind(number.digits())
    .bind(user.account_id)
    .fetch_optional(db)
    .await?;
    if existing.clone().flatten().as_deref() == Some(MembershipStatus::Active.code()) {
        return Err(field("bce", "bce.already_member"));
    }
    // Prefilled from the company register's open data when the number is known there.
    let known = crate::backend::kbo::lookup(db, &number).await?;
    sqlx::query("DELETE FROM organisation_draft WHERE account_id = $1")
        .bind(user.account_id)
        .execute(db)
        .await?;
    sqlx::query(
        "INSERT INTO organisation_draft (account_id, kind, bce, name, confirmed_kind, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user.account_id)
    .bind(kind.code())
    .bind(number.digits())
    .bind(known.as_ref().map(|k| k.name.clone()))
    .bind(known.as_ref().and_then(|k| k.kind).unwrap_or(kind).code())
    .bind(now_ms())
    .execute(db)
    .await?;
    Ok(if existing.is_some() {
        "/organisations/new/request"
    } else {
        "/organisations/new/details"
    })
}

/// The wizard's draft ends with the session that typed it.
pub async fn forget_draft(db: &Db, account_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM organisation_draft WHERE account_id = $1")
        .bind(account_id)
        .execute(db)
        .await?;
    Ok(())
}

pub(super) async fn require_draft(db: &Db, user: &CurrentUser) -> Result<DraftView, AppError> {
    draft(db, user.account_id)
        .await?
        .ok_or_else(|| field("bce", "wizard.no_draft"))
}

/// Step 2: the name, the type confirmed, VAT.
pub async fn save_details(
    db: &Db,
    user: &CurrentUser,
    name: &str,
    confirmed_kind: &str,
    vat_subject: Option<&str>,
) -> Result<&'static str, AppError> {
    require_draft(db, user).await?;
    let mut errors = Vec::new();
    let name = name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "org_name.empty"));
    } else if name.chars().count() > NAME_MAX {
        errors.push(FieldError::new(
            "name",
            &format!("field.too_long:{NAME_MAX}"),
        ));
    }
    let kind = OrgKind::parse(confirmed_kind);
    if kind.is_none() {
        errors.push(FieldError::new("confirmed_kind", "kind.invalid"));
    }
    let vat = match vat_subject.map(str::trim) {
        Some("yes") => Some(1),
        Some("no") => Some(0),
        _ => {
            errors.push(FieldError::new("vat_subject", "vat.required"));
            None
        }
    };
    let (Some(kind), Some(vat)) = (kind, vat) else {
        return Err(AppError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    sqlx::query(
        "UPDATE organisation_draft SET name = $1, confirmed_kind = $2, vat_subject = $3, \
         updated_at = $4 WHERE account_id = $5",
    )
    .bind(name)
    .bind(kind.code())
    .bind(vat)
    .bind(now_ms())
    .bind(user.account_id)
    .execute(db)
    .await?;
    Ok("/organisations/new/function")
}

/// Step 3: creates the organisation and the creator's administrator membership in one
/// transaction. If someone registered the number meanwhile, leads to the access request.
pub async fn create(
    db: &Db,
    user: &CurrentUser,
    function: &str,
    client: &Client,
) -> Result<String, AppError> {
    let draft = require_draft(db, user).await?;
    let function = valid_function(function)?;
    let (Ok(number), Some(kind)) = (
        BceNumber::parse(&draft.bce),
        OrgKind::parse(&draft.confirmed_kind),
    ) else {
        // Step 2 was skipped (an address typed by hand): back to it.
        return Ok("/organisations/new/details".into());
    };
    if draft.name.is_empty() || draft.vat_subject.is_empty() {
        return Ok("/organisations/new/details".into());
    }
    let now = now_ms();
    let mut tx = crate::backend::begin(db).await?;
    let created: Option<i64> = sqlx::query_scalar(
        "INSERT INTO organisation (bce, name, kind, vat_subject, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (bce) DO NOTHING RETURNING id",
    )
    .bind(number.digits())
    .bind(&draft.name)
    .bind(kind.code())
    .bind(i64::from(draft.vat_subject == "yes"))
    .bind(now)
    .bind(user.account_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(organisation_id) = created else {
        // The same number, registered by someone else a moment ago.
        tx.rollback().await?;
        sqlx::query("UPDATE organisation_draft SET function = $1 WHERE account_id = $2")
            .bind(&function)
            .bind(user.account_id)
            .execute(db)
            .await?;
        return Ok("/organisations/new/request".into());
    };
    sqlx::query(
        "INSERT INTO membership (organisation_id, account_id, function, role, status, language, \
         email, notify_email, created_at, since) VALUES ($1, $2, $3, 'admin', 'active', $4, $5, 1, $6, $6)",
    )
    .bind(organisation_id)
    .bind(user.account_id)
    .bind(&function)
    .bind(user.language.code())
    .bind(&user.email)
    .bind(now)
    .execute(&mut *tx)
    .await
    ?;
    membership_event(
        &mut tx,
        organisation_id,
        user.account_id,
        user.account_id,
        "created",
        Some(&function),
    )
    .await?;
    sqlx::query("DELETE FROM organisation_draft WHERE account_id = $1")
        .bind(user.account_id)
        .execute(&mut *tx)
        .await?;
    // The session acts for the new profile at once: its name shows in the banner's blue
    // bar from step 4 on, as the FAQ says.
    sqlx::query("UPDATE session SET active_organisation_id = $1 WHERE id_hash = $2")
        .bind(organisation_id)
        .bind(&user.session_hash)
        .execute(&mut *tx)
        .await?;
    record_event(
        &mut tx,
        Some(user.account_id),
        SecurityEvent::OrganisationCreated,
        client,
    )
    .await?;
    tx.commit().await?;
    Ok(format!("/organisations/{organisation_id}/contact?new=1"))
}
