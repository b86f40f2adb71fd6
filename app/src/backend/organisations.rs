//! Organisations: the wizard, memberships and the representatives page. Authorisation is
//! checked here, on every call, from the signed-in account's membership.
use super::accounts::record_event;
use super::notifications::{self, Event, MembershipChange};
use super::security::brussels_time;
use super::session::{self, CurrentUser};
use super::{internal, now_ms, Client, Db, ServerConfig};
use crate::domain::{BceNumber, Email, Lang, OrgKind, PhoneKind, PhoneNumber, Role};
use crate::error::{AppError, FieldError};
use crate::organisations::{
    ContactData, ContactForm, DraftView, MemberEventView, MemberView, MembersData, OrgSummary,
};
use sqlx::Row;

const NAME_MAX: usize = 200;
const FUNCTION_MAX: usize = 100;

pub const STATUS_PENDING: &str = "pending";
pub const STATUS_ACTIVE: &str = "active";
pub const STATUS_REFUSED: &str = "refused";
pub const STATUS_REVOKED: &str = "revoked";
pub const STATUS_LEFT: &str = "left";

fn field(field: &str, code: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, code)])
}

fn formatted_bce(digits: &str) -> String {
    BceNumber::parse(digits).map_or_else(|_| digits.to_string(), |n| n.to_string())
}

fn summary(row: &sqlx::any::AnyRow) -> Result<OrgSummary, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    let bce: String = row.try_get("bce")?;
    Ok(OrgSummary {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        kind: OrgKind::parse(&kind).unwrap_or(OrgKind::Entreprise),
        bce: formatted_bce(&bce),
    })
}

/// The organisations the account may act for, by name.
pub async fn memberships(db: &Db, account_id: i64) -> Result<Vec<OrgSummary>, AppError> {
    sqlx::query(
        "SELECT o.id, o.name, o.kind, o.bce FROM organisation o \
         JOIN membership m ON m.organisation_id = o.id \
         WHERE m.account_id = $1 AND m.status = 'active' ORDER BY o.name, o.id",
    )
    .bind(account_id)
    .fetch_all(db)
    .await
    .map_err(internal)?
    .iter()
    .map(summary)
    .collect::<Result<_, _>>()
    .map_err(internal)
}

/// Every active membership of the account, with its contact details.
pub async fn membership_details(
    db: &Db,
    account_id: i64,
) -> Result<Vec<crate::organisations::MembershipView>, AppError> {
    let rows = sqlx::query(
        "SELECT m.id AS membership_id, m.function, m.role, m.email, m.landline, m.mobile, \
                m.notify_email, o.id, o.name, o.kind, o.bce, \
                (SELECT COUNT(*) FROM membership a WHERE a.organisation_id = o.id \
                   AND a.status = 'active' AND a.role = 'admin') AS admins \
         FROM membership m JOIN organisation o ON o.id = m.organisation_id \
         WHERE m.account_id = $1 AND m.status = 'active' ORDER BY o.name, o.id",
    )
    .bind(account_id)
    .fetch_all(db)
    .await
    .map_err(internal)?;
    rows.iter()
        .map(
            |row| -> Result<crate::organisations::MembershipView, sqlx::Error> {
                let text = |column: &str| -> Result<String, sqlx::Error> {
                    Ok(row
                        .try_get::<Option<String>, _>(column)?
                        .unwrap_or_default())
                };
                let phone = |column: &str| text(column).map(|s| PhoneNumber::stored_for_form(&s));
                let role = Role::parse(&row.try_get::<String, _>("role")?).unwrap_or(Role::Member);
                let admins: i64 = row.try_get("admins")?;
                Ok(crate::organisations::MembershipView {
                    last_admin: role == Role::Admin && admins <= 1,
                    membership_id: row.try_get("membership_id")?,
                    organisation: summary(row)?,
                    function: row.try_get("function")?,
                    role,
                    email: text("email")?,
                    landline: phone("landline")?,
                    mobile: phone("mobile")?,
                    notify_email: row.try_get::<i64, _>("notify_email")? != 0,
                })
            },
        )
        .collect::<Result<_, _>>()
        .map_err(internal)
}

/// The signed-in account's membership of an organisation, if it is active.
struct Membership {
    id: i64,
    role: Role,
    function: String,
    organisation: OrgSummary,
}

async fn active_membership<'e, E>(
    executor: E,
    account_id: i64,
    organisation_id: i64,
) -> Result<Option<Membership>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row = sqlx::query(
        "SELECT m.id AS membership_id, m.role, m.function, o.id, o.name, o.kind, o.bce \
         FROM membership m JOIN organisation o ON o.id = m.organisation_id \
         WHERE m.account_id = $1 AND m.organisation_id = $2 AND m.status = 'active'",
    )
    .bind(account_id)
    .bind(organisation_id)
    .fetch_optional(executor)
    .await
    .map_err(internal)?;
    row.map(|row| -> Result<Membership, sqlx::Error> {
        let role: String = row.try_get("role")?;
        Ok(Membership {
            id: row.try_get("membership_id")?,
            role: Role::parse(&role).unwrap_or(Role::Member),
            function: row.try_get("function")?,
            organisation: summary(&row)?,
        })
    })
    .transpose()
    .map_err(internal)
}

/// The one place that says who may act for an organisation: an active member, and an
/// administrator when `admin` is asked. Anyone else (an unknown id too) is refused alike.
async fn authorise(
    db: &Db,
    user: &CurrentUser,
    organisation_id: i64,
    admin: bool,
) -> Result<Membership, AppError> {
    match active_membership(db, user.account_id, organisation_id).await? {
        Some(membership) if !admin || membership.role == Role::Admin => Ok(membership),
        _ => Err(AppError::Forbidden),
    }
}

/// Makes the session act for an organisation the account belongs to, or for the citizen.
pub async fn switch(
    db: &Db,
    user: &CurrentUser,
    organisation_id: Option<i64>,
) -> Result<(), AppError> {
    if let Some(id) = organisation_id {
        authorise(db, user, id, false).await?;
    }
    session::set_active(db, &user.session_hash, organisation_id)
        .await
        .map_err(internal)
}

// ---------------------------------------------------------------------------------------
// The wizard

/// The wizard's draft, with what the number is known for.
pub async fn draft(db: &Db, account_id: i64) -> Result<Option<DraftView>, AppError> {
    let Some(row) = sqlx::query(
        "SELECT kind, bce, name, confirmed_kind, vat_subject, function \
         FROM organisation_draft WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(db)
    .await
    .map_err(internal)?
    else {
        return Ok(None);
    };
    let text = |column: &str| -> Result<String, AppError> {
        Ok(row
            .try_get::<Option<String>, _>(column)
            .map_err(internal)?
            .unwrap_or_default())
    };
    let bce = text("bce")?;
    let existing = sqlx::query(
        "SELECT o.name, m.status FROM organisation o \
         LEFT JOIN membership m ON m.organisation_id = o.id AND m.account_id = $2 \
         WHERE o.bce = $1",
    )
    .bind(&bce)
    .bind(account_id)
    .fetch_optional(db)
    .await
    .map_err(internal)?;
    let (existing_name, pending) = match existing {
        Some(row) => (
            Some(row.try_get::<String, _>("name").map_err(internal)?),
            row.try_get::<Option<String>, _>("status")
                .map_err(internal)?
                .as_deref()
                == Some(STATUS_PENDING),
        ),
        None => (None, false),
    };
    let vat = row
        .try_get::<Option<i64>, _>("vat_subject")
        .map_err(internal)?;
    Ok(Some(DraftView {
        kind: text("kind")?,
        bce: formatted_bce(&bce),
        name: text("name")?,
        confirmed_kind: text("confirmed_kind")?,
        vat_subject: match vat {
            Some(1) => "yes".into(),
            Some(_) => "no".into(),
            None => String::new(),
        },
        function: text("function")?,
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
    let existing = sqlx::query(
        "SELECT o.id, m.status FROM organisation o \
         LEFT JOIN membership m ON m.organisation_id = o.id AND m.account_id = $2 \
         WHERE o.bce = $1",
    )
    .bind(number.digits())
    .bind(user.account_id)
    .fetch_optional(db)
    .await
    .map_err(internal)?;
    if let Some(row) = &existing {
        let status: Option<String> = row.try_get("status").map_err(internal)?;
        if status.as_deref() == Some(STATUS_ACTIVE) {
            return Err(field("bce", "bce.already_member"));
        }
    }
    // Prefilled from the company register's open data when the number is known there.
    let known = super::kbo::lookup(db, &number).await?;
    sqlx::query("DELETE FROM organisation_draft WHERE account_id = $1")
        .bind(user.account_id)
        .execute(db)
        .await
        .map_err(internal)?;
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
    .await
    .map_err(internal)?;
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
        .await
        .map_err(internal)?;
    Ok(())
}

async fn require_draft(db: &Db, user: &CurrentUser) -> Result<DraftView, AppError> {
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
        errors.push(FieldError::new("name", "field.too_long"));
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
    .await
    .map_err(internal)?;
    Ok("/organisations/new/function")
}

fn valid_function(function: &str) -> Result<String, AppError> {
    let function = function.trim();
    if function.is_empty() {
        Err(field("function", "function.empty"))
    } else if function.chars().count() > FUNCTION_MAX {
        Err(field("function", "field.too_long"))
    } else {
        Ok(function.to_string())
    }
}

async fn membership_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    organisation_id: i64,
    subject: i64,
    actor: i64,
    kind: &str,
    detail: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO membership_event (organisation_id, subject_account_id, actor_account_id, \
         kind, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(organisation_id)
    .bind(subject)
    .bind(actor)
    .bind(kind)
    .bind(detail)
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    Ok(())
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
    let mut tx = crate::backend::begin(db).await.map_err(internal)?;
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
    .await
    .map_err(internal)?;
    let Some(organisation_id) = created else {
        // The same number, registered by someone else a moment ago.
        tx.rollback().await.map_err(internal)?;
        sqlx::query("UPDATE organisation_draft SET function = $1 WHERE account_id = $2")
            .bind(&function)
            .bind(user.account_id)
            .execute(db)
            .await
            .map_err(internal)?;
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
    .map_err(internal)?;
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
        .await
        .map_err(internal)?;
    record_event(
        &mut tx,
        Some(user.account_id),
        "organisation_created",
        client,
    )
    .await?;
    tx.commit().await.map_err(internal)?;
    Ok(format!("/organisations/{organisation_id}/contact?new=1"))
}

/// Asks to join the organisation of the draft's number: nothing is granted until an
/// administrator accepts. The administrators are told in the espace and by e-mail.
pub async fn request_access(
    db: &Db,
    config: &ServerConfig,
    user: &CurrentUser,
    function: &str,
) -> Result<(), AppError> {
    let draft = require_draft(db, user).await?;
    let function = valid_function(function)?;
    let number = BceNumber::parse(&draft.bce).map_err(|e| field("bce", e.code()))?;
    let mut tx = crate::backend::begin(db).await.map_err(internal)?;
    let organisation = sqlx::query("SELECT id, name, kind, bce FROM organisation WHERE bce = $1")
        .bind(number.digits())
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?
        .ok_or_else(|| field("bce", "wizard.no_draft"))?;
    let organisation = summary(&organisation).map_err(internal)?;
    let status: Option<String> = sqlx::query_scalar(
        "SELECT status FROM membership WHERE organisation_id = $1 AND account_id = $2",
    )
    .bind(organisation.id)
    .bind(user.account_id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(internal)?;
    let now = now_ms();
    match status.as_deref() {
        Some(STATUS_ACTIVE) => return Err(field("function", "bce.already_member")),
        Some(STATUS_PENDING) => return Err(field("function", "access.already_pending")),
        Some(_) => {
            sqlx::query(
                "UPDATE membership SET status = 'pending', role = 'member', function = $1, \
                 created_at = $2, since = NULL WHERE organisation_id = $3 AND account_id = $4",
            )
            .bind(&function)
            .bind(now)
            .bind(organisation.id)
            .bind(user.account_id)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        }
        None => {
            sqlx::query(
                "INSERT INTO membership (organisation_id, account_id, function, role, status, \
                 language, email, notify_email, created_at) \
                 VALUES ($1, $2, $3, 'member', 'pending', $4, $5, 1, $6)",
            )
            .bind(organisation.id)
            .bind(user.account_id)
            .bind(&function)
            .bind(user.language.code())
            .bind(&user.email)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        }
    }
    membership_event(
        &mut tx,
        organisation.id,
        user.account_id,
        user.account_id,
        "requested",
        Some(&function),
    )
    .await?;
    let event = Event::AccessRequested {
        organisation_id: organisation.id,
        organisation: organisation.name.clone(),
        requester: format!("{} {}", user.first_name, user.last_name),
        function: function.clone(),
    };
    let admins: Vec<i64> = sqlx::query_scalar(
        "SELECT account_id FROM membership \
         WHERE organisation_id = $1 AND status = 'active' AND role = 'admin'",
    )
    .bind(organisation.id)
    .fetch_all(&mut *tx)
    .await
    .map_err(internal)?;
    for admin in admins {
        notifications::deliver(&mut tx, config, admin, &event).await?;
    }
    sqlx::query("DELETE FROM organisation_draft WHERE account_id = $1")
        .bind(user.account_id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)
}

// ---------------------------------------------------------------------------------------
// Contact details of a member (wizard step 4)

pub async fn contact(
    db: &Db,
    user: &CurrentUser,
    organisation_id: i64,
) -> Result<ContactData, AppError> {
    let membership = authorise(db, user, organisation_id, false).await?;
    let row = sqlx::query(
        "SELECT language, landline, mobile, email, notify_email FROM membership WHERE id = $1",
    )
    .bind(membership.id)
    .fetch_one(db)
    .await
    .map_err(internal)?;
    let text = |column: &str| -> Result<String, AppError> {
        Ok(row
            .try_get::<Option<String>, _>(column)
            .map_err(internal)?
            .unwrap_or_default())
    };
    let phone = |column: &str| text(column).map(|stored| PhoneNumber::stored_for_form(&stored));
    let email = text("email")?;
    let language = text("language")?;
    Ok(ContactData {
        organisation: membership.organisation,
        function: membership.function,
        form: ContactForm {
            language: if language.is_empty() {
                user.language.code().into()
            } else {
                language
            },
            landline: phone("landline")?,
            mobile: phone("mobile")?,
            email: if email.is_empty() {
                user.email.clone()
            } else {
                email
            },
            notify_email: (row.try_get::<i64, _>("notify_email").map_err(internal)? != 0)
                .then(|| "on".to_string()),
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
    let mut tx = crate::backend::begin(db).await.map_err(internal)?;
    let first: bool = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM membership_event WHERE organisation_id = $1 AND kind = 'contact_saved'",
    )
    .bind(organisation_id)
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?
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
    .await
    .map_err(internal)?;
    membership_event(
        &mut tx,
        organisation_id,
        user.account_id,
        user.account_id,
        "contact_saved",
        None,
    )
    .await?;
    tx.commit().await.map_err(internal)?;
    Ok(first)
}

// ---------------------------------------------------------------------------------------
// Representatives

pub async fn members(
    db: &Db,
    user: &CurrentUser,
    organisation_id: i64,
) -> Result<MembersData, AppError> {
    let me = authorise(db, user, organisation_id, false).await?;
    let rows = sqlx::query(
        "SELECT m.id, m.account_id, m.function, m.role, m.status, m.created_at, m.since, \
                a.email, p.first_name, p.last_name \
         FROM membership m JOIN account a ON a.id = m.account_id \
         JOIN citizen_profile p ON p.account_id = a.id \
         WHERE m.organisation_id = $1 AND m.status IN ('active', 'pending') \
         ORDER BY p.last_name, p.first_name, m.id",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await
    .map_err(internal)?;
    let mut members = Vec::new();
    let mut pending = Vec::new();
    for row in rows {
        let status: String = row.try_get("status").map_err(internal)?;
        let role: String = row.try_get("role").map_err(internal)?;
        let since: Option<i64> = row.try_get("since").map_err(internal)?;
        let created: i64 = row.try_get("created_at").map_err(internal)?;
        let view = MemberView {
            membership_id: row.try_get("id").map_err(internal)?,
            name: format!(
                "{} {}",
                row.try_get::<String, _>("first_name").map_err(internal)?,
                row.try_get::<String, _>("last_name").map_err(internal)?
            ),
            email: row.try_get("email").map_err(internal)?,
            function: row.try_get("function").map_err(internal)?,
            role: Role::parse(&role).unwrap_or(Role::Member),
            since: brussels_time(since.unwrap_or(created)),
            is_me: row.try_get::<i64, _>("account_id").map_err(internal)? == user.account_id,
        };
        if status == STATUS_PENDING {
            pending.push(view);
        } else {
            members.push(view);
        }
    }
    let events = sqlx::query(
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
    .await
    .map_err(internal)?
    .into_iter()
    .map(|row| -> Result<MemberEventView, sqlx::Error> {
        Ok(MemberEventView {
            kind: row.try_get("kind")?,
            subject: row
                .try_get::<Option<String>, _>("subject")?
                .unwrap_or_default(),
            actor: row
                .try_get::<Option<String>, _>("actor")?
                .unwrap_or_default(),
            detail: row.try_get("detail")?,
            when: brussels_time(row.try_get("created_at")?),
        })
    })
    .collect::<Result<_, _>>()
    .map_err(internal)?;
    Ok(MembersData {
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
    let me = authorise(db, user, organisation_id, action != "leave").await?;
    let mut tx = crate::backend::begin(db).await.map_err(internal)?;
    // Serialises the changes of one organisation's memberships (a row lock on PostgreSQL,
    // the write lock on SQLite): two administrators demoting each other at once cannot
    // leave it without one.
    sqlx::query("UPDATE organisation SET id = id WHERE id = $1")
        .bind(organisation_id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    let target_id = if action == "leave" {
        me.id
    } else {
        membership_id
    };
    let target = sqlx::query(
        "SELECT account_id, status FROM membership WHERE id = $1 AND organisation_id = $2",
    )
    .bind(target_id)
    .bind(organisation_id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(internal)?
    .ok_or(AppError::Forbidden)?;
    let subject: i64 = target.try_get("account_id").map_err(internal)?;
    let status: String = target.try_get("status").map_err(internal)?;
    let now = now_ms();
    let (new_status, new_role, event) = match (action, status.as_str()) {
        ("accept", STATUS_PENDING) => (STATUS_ACTIVE, None, "accepted"),
        ("refuse", STATUS_PENDING) => (STATUS_REFUSED, None, "refused"),
        ("make_admin", STATUS_ACTIVE) => (STATUS_ACTIVE, Some(Role::Admin), "made_admin"),
        ("make_member", STATUS_ACTIVE) => (STATUS_ACTIVE, Some(Role::Member), "made_member"),
        ("revoke", STATUS_ACTIVE) if subject != user.account_id => {
            (STATUS_REVOKED, None, "revoked")
        }
        ("leave", STATUS_ACTIVE) => (STATUS_LEFT, None, "left"),
        _ => return Err(AppError::Forbidden),
    };
    let since_now = event == "accepted";
    sqlx::query(
        "UPDATE membership SET status = $1, role = COALESCE($2, role), \
         since = CASE WHEN $3 = 1 THEN $4 ELSE since END WHERE id = $5",
    )
    .bind(new_status)
    .bind(new_role.map(Role::code))
    .bind(i64::from(since_now))
    .bind(now)
    .bind(target_id)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    let admins: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM membership WHERE organisation_id = $1 AND status = 'active' AND role = 'admin'",
    )
    .bind(organisation_id)
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?;
    if admins == 0 {
        tx.rollback().await.map_err(internal)?;
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
        .await
        .map_err(internal)?;
    }
    if let Some(change) = MembershipChange::from_event(event) {
        let told = Event::MembershipChanged {
            organisation_id,
            organisation: me.organisation.name.clone(),
            change,
        };
        notifications::deliver(&mut tx, config, subject, &told).await?;
    }
    tx.commit().await.map_err(internal)?;
    Ok(if action == "leave" {
        // A session acting for it falls back to the citizen profile by itself.
        "/dashboard".to_string()
    } else {
        format!("{members_page}?done={event}")
    })
}
