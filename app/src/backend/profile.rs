//! The citizen profile: names, language, phones, contact e-mail, postal address.
use super::audit::record_event;
use super::session::CurrentUser;
use super::{now_ms, Client, Db};
use crate::domain::SecurityEvent;
use crate::domain::{Email, Lang, PhoneKind, PhoneNumber};
use crate::error::{AppError, FieldError};
use crate::model::account::{ProfileData, ProfileForm};

const NAME_MAX: usize = 100;
const ADDRESS_PART_MAX: usize = 120;

/// What the profile form holds, once every field is valid.
#[derive(Debug, PartialEq, Eq)]
pub struct ValidProfile {
    pub first_name: String,
    pub last_name: String,
    pub language: Lang,
    pub landline: Option<PhoneNumber>,
    pub mobile: Option<PhoneNumber>,
    pub contact_email: Option<Email>,
    pub address: Option<Address>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Address {
    pub street: String,
    pub house_number: String,
    pub box_number: Option<String>,
    pub postal_code: String,
    pub city: String,
}

fn optional(value: &str) -> Option<&str> {
    let value = value.trim();
    (!value.is_empty()).then_some(value)
}

/// Checks every field and lists every error at once.
pub fn validate(form: &ProfileForm) -> Result<ValidProfile, AppError> {
    let mut errors = Vec::new();
    let mut name = |field: &str, value: &str| {
        let value = value.trim();
        if value.is_empty() {
            errors.push(FieldError::new(field, "name.empty"));
        } else if value.chars().count() > NAME_MAX {
            errors.push(FieldError::new(field, "name.too_long"));
        }
        value.to_string()
    };
    let first_name = name("first_name", &form.first_name);
    let last_name = name("last_name", &form.last_name);
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
    let contact_email = optional(&form.contact_email).and_then(|value| {
        Email::parse(value)
            .map_err(|e| errors.push(FieldError::new("contact_email", e.code())))
            .ok()
    });
    let parts = [
        ("street", &form.street),
        ("house_number", &form.house_number),
        ("box_number", &form.box_number),
        ("postal_code", &form.postal_code),
        ("city", &form.city),
    ];
    for (field, value) in parts {
        if value.trim().chars().count() > ADDRESS_PART_MAX {
            errors.push(FieldError::new(
                field,
                &format!("field.too_long:{ADDRESS_PART_MAX}"),
            ));
        }
    }
    let address = if parts.iter().all(|(_, value)| value.trim().is_empty()) {
        None
    } else {
        let required = [
            ("street", &form.street, "address.street_missing"),
            ("house_number", &form.house_number, "address.number_missing"),
            (
                "postal_code",
                &form.postal_code,
                "address.postal_code_missing",
            ),
            ("city", &form.city, "address.city_missing"),
        ];
        for (field, value, code) in required {
            if value.trim().is_empty() {
                errors.push(FieldError::new(field, code));
            }
        }
        let postal_code = form.postal_code.trim();
        if !postal_code.is_empty() && !is_belgian_postal_code(postal_code) {
            errors.push(FieldError::new("postal_code", "postal_code.invalid"));
        }
        Some(Address {
            street: form.street.trim().to_string(),
            house_number: form.house_number.trim().to_string(),
            box_number: optional(&form.box_number).map(str::to_string),
            postal_code: postal_code.to_string(),
            city: form.city.trim().to_string(),
        })
    };
    match language {
        Some(language) if errors.is_empty() => Ok(ValidProfile {
            first_name,
            last_name,
            language,
            landline,
            mobile,
            contact_email,
            address,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Four digits, 1000 to 9999.
pub fn is_belgian_postal_code(code: &str) -> bool {
    code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) && !code.starts_with('0')
}

/// The profile as the form shows it (phones in their national writing).
pub async fn load(db: &Db, user: &CurrentUser) -> Result<ProfileData, AppError> {
    /// Every column may be empty: the form shows an empty field.
    #[derive(sqlx::FromRow)]
    struct Row {
        email: Option<String>,
        language: Option<String>,
        first_name: Option<String>,
        last_name: Option<String>,
        landline: Option<String>,
        mobile: Option<String>,
        contact_email: Option<String>,
        street: Option<String>,
        house_number: Option<String>,
        #[sqlx(rename = "box")]
        box_number: Option<String>,
        postal_code: Option<String>,
        city: Option<String>,
        nrn_hint: Option<String>,
        verified_at: Option<i64>,
    }
    let row: Row = sqlx::query_as(
        "SELECT a.email, a.language, p.first_name, p.last_name, p.landline, p.mobile, \
                p.contact_email, p.street, p.house_number, p.box, p.postal_code, p.city, \
                p.nrn_hint, p.verified_at \
         FROM account a JOIN citizen_profile p ON p.account_id = a.id WHERE a.id = $1",
    )
    .bind(user.account_id)
    .fetch_one(db)
    .await?;
    let phone = |stored: Option<String>| PhoneNumber::stored_for_form(&stored.unwrap_or_default());
    Ok(ProfileData {
        verified: row.verified_at.map(|at| crate::model::account::Verified {
            nrn_hint: row.nrn_hint.unwrap_or_default(),
            since: super::time::brussels_time(at),
        }),
        account_email: row.email.unwrap_or_default(),
        form: ProfileForm {
            first_name: row.first_name.unwrap_or_default(),
            last_name: row.last_name.unwrap_or_default(),
            language: row.language.unwrap_or_default(),
            landline: phone(row.landline),
            mobile: phone(row.mobile),
            contact_email: row.contact_email.unwrap_or_default(),
            street: row.street.unwrap_or_default(),
            house_number: row.house_number.unwrap_or_default(),
            box_number: row.box_number.unwrap_or_default(),
            postal_code: row.postal_code.unwrap_or_default(),
            city: row.city.unwrap_or_default(),
        },
    })
}

/// Saves the profile; the language is the account's (e-mails are written in it).
pub async fn save(
    db: &Db,
    user: &CurrentUser,
    form: &ProfileForm,
    client: &Client,
) -> Result<Lang, AppError> {
    let valid = validate(form)?;
    let mut tx = crate::backend::begin(db).await?;
    let address = valid.address.as_ref();
    sqlx::query(
        // A verified profile keeps the national register's names.
        "UPDATE citizen_profile SET \
         first_name = CASE WHEN verified_at IS NULL THEN $1 ELSE first_name END, \
         last_name = CASE WHEN verified_at IS NULL THEN $2 ELSE last_name END, \
         landline = $3, mobile = $4, \
         contact_email = $5, street = $6, house_number = $7, box = $8, postal_code = $9, \
         city = $10, updated_at = $11 WHERE account_id = $12",
    )
    .bind(&valid.first_name)
    .bind(&valid.last_name)
    .bind(valid.landline.as_ref().map(PhoneNumber::e164))
    .bind(valid.mobile.as_ref().map(PhoneNumber::e164))
    .bind(valid.contact_email.as_ref().map(|e| e.as_str().to_string()))
    .bind(address.map(|a| a.street.clone()))
    .bind(address.map(|a| a.house_number.clone()))
    .bind(address.and_then(|a| a.box_number.clone()))
    .bind(address.map(|a| a.postal_code.clone()))
    .bind(address.map(|a| a.city.clone()))
    .bind(now_ms())
    .bind(user.account_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE account SET language = $1 WHERE id = $2")
        .bind(valid.language.code())
        .bind(user.account_id)
        .execute(&mut *tx)
        .await?;
    record_event(
        &mut tx,
        Some(user.account_id),
        SecurityEvent::ProfileUpdated,
        client,
    )
    .await?;
    tx.commit().await?;
    Ok(valid.language)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ProfileForm {
        ProfileForm {
            first_name: "Amélie".into(),
            last_name: "Peeters".into(),
            language: "nl".into(),
            ..ProfileForm::default()
        }
    }

    fn codes(result: Result<ValidProfile, AppError>) -> Vec<(String, String)> {
        match result {
            Err(AppError::Validation(errors)) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn names_and_language_are_enough() {
        let valid = validate(&form()).expect("valid");
        assert_eq!(valid.language, Lang::Nl);
        assert_eq!(valid.address, None);
        assert_eq!(valid.landline, None);
    }

    #[test]
    fn phones_go_in_their_own_field() {
        let mut f = form();
        f.landline = "04 123 45 67".into();
        f.mobile = "0470 12 34 56".into();
        let valid = validate(&f).expect("Liège landline and a mobile");
        assert_eq!(
            valid.landline.map(|p| p.e164()).as_deref(),
            Some("+3241234567")
        );
        assert_eq!(
            valid.mobile.map(|p| p.e164()).as_deref(),
            Some("+32470123456")
        );

        f.landline = "0470 12 34 56".into();
        f.mobile = "02 123 45 67".into();
        assert_eq!(
            codes(validate(&f)),
            vec![
                (
                    "landline".to_string(),
                    "phone.expected_landline".to_string()
                ),
                ("mobile".to_string(), "phone.expected_mobile".to_string()),
            ]
        );
    }

    #[test]
    fn an_address_is_whole_or_absent() {
        let mut f = form();
        f.street = "Place Colignon".into();
        let errors = codes(validate(&f));
        assert_eq!(
            errors,
            vec![
                (
                    "house_number".to_string(),
                    "address.number_missing".to_string()
                ),
                (
                    "postal_code".to_string(),
                    "address.postal_code_missing".to_string()
                ),
                ("city".to_string(), "address.city_missing".to_string()),
            ]
        );

        f.house_number = "1".into();
        f.postal_code = "1030".into();
        f.city = "Schaerbeek".into();
        let address = validate(&f).expect("complete").address.expect("address");
        assert_eq!(address.postal_code, "1030");
        assert_eq!(address.box_number, None);

        f.postal_code = "0999".into();
        assert_eq!(
            codes(validate(&f)),
            vec![("postal_code".to_string(), "postal_code.invalid".to_string())]
        );
    }

    #[test]
    fn every_error_is_listed() {
        let f = ProfileForm {
            contact_email: "not an address".into(),
            language: "de".into(),
            ..ProfileForm::default()
        };
        let fields: Vec<String> = codes(validate(&f)).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            vec!["first_name", "last_name", "language", "contact_email"]
        );
    }

    #[test]
    fn postal_codes() {
        assert!(is_belgian_postal_code("1000"));
        assert!(is_belgian_postal_code("9992"));
        assert!(!is_belgian_postal_code("0100"));
        assert!(!is_belgian_postal_code("100"));
        assert!(!is_belgian_postal_code("10300"));
        assert!(!is_belgian_postal_code("1o30"));
    }
}
