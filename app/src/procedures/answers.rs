//! A filled-in form checked against its procedure, the same in the browser and on the
//! server; and its answers as a person reads them.
use super::schema::{Field, FieldKind, Procedure};
use crate::domain::{Email, Lang, PhoneNumber};
use crate::error::FieldError;
use std::collections::BTreeMap;

/// The parts of a Belgian address field, posted as `{name}.street` and so on.
pub const ADDRESS_PARTS: [&str; 5] = ["street", "number", "box", "postal_code", "city"];

pub fn is_belgian_postal_code(text: &str) -> bool {
    text.len() == 4 && text.chars().all(|c| c.is_ascii_digit()) && ("1000"..="9999").contains(&text)
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, if it is one.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) || day < 1 {
        return None;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if day > days_in_month[(month - 1) as usize] {
        return None;
    }
    Some(crate::domain::calendar::days_from_civil(
        year,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    ))
}

/// Minutes since midnight of a `HH:MM` time (00:00 to 23:59), if it is one.
pub fn parse_time(text: &str) -> Option<i64> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let two_digits = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hours) || !two_digits(minutes) {
        return None;
    }
    let (hours, minutes): (i64, i64) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours < 24 && minutes < 60).then_some(hours * 60 + minutes)
}

/// Checks a filled-in form against its definition. `today` is days since 1970-01-01 (the
/// caller's clock: the browser's or the server's). Every problem is reported at once.
pub fn validate(
    procedure: &Procedure,
    data: &BTreeMap<String, String>,
    today: i64,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let value = |name: &str| data.get(name).map(|v| v.trim()).unwrap_or("");
    for field in &procedure.fields {
        let name = field.name.as_str();
        let text = value(name);
        let mut error = |code: &str| errors.push(FieldError::new(name, code));
        if field.kind == FieldKind::Address {
            let part = |p: &str| value(&format!("{name}.{p}")).to_string();
            let filled: Vec<bool> = ADDRESS_PARTS.iter().map(|p| !part(p).is_empty()).collect();
            if !filled.iter().any(|f| *f) {
                if field.required {
                    error("procedure.required");
                }
                continue;
            }
            if part("street").is_empty() {
                error("address.street_missing");
            } else if part("number").is_empty() {
                error("address.number_missing");
            } else if part("postal_code").is_empty() {
                error("address.postal_code_missing");
            } else if !is_belgian_postal_code(&part("postal_code")) {
                error("postal_code.invalid");
            } else if part("city").is_empty() {
                error("address.city_missing");
            } else if ADDRESS_PARTS.iter().any(|p| part(p).chars().count() > 200) {
                error("field.too_long:200");
            }
            continue;
        }
        if text.is_empty() {
            if field.required {
                error("procedure.required");
            }
            continue;
        }
        match field.kind {
            FieldKind::Text | FieldKind::LongText => {
                let limit = field.max_length.unwrap_or(match field.kind {
                    FieldKind::Text => 200,
                    _ => 5000,
                });
                if text.chars().count() > limit {
                    error(&format!("procedure.too_long:{limit}"));
                }
            }
            FieldKind::Number => match text.replace(' ', "").parse::<i64>() {
                Ok(n) if field.min.is_some_and(|min| n < min) => error(&format!(
                    "procedure.number_too_small:{}",
                    field.min.unwrap_or_default()
                )),
                Ok(n) if field.max.is_some_and(|max| n > max) => error(&format!(
                    "procedure.number_too_big:{}",
                    field.max.unwrap_or_default()
                )),
                Ok(_) => {}
                Err(_) => error("procedure.number_invalid"),
            },
            FieldKind::Date => match parse_date(text) {
                None => error("procedure.date_invalid"),
                Some(day) if field.min_days.is_some_and(|min| day < today + min) => {
                    error("procedure.date_too_early")
                }
                Some(day) if field.max_days.is_some_and(|max| day > today + max) => {
                    error("procedure.date_too_late")
                }
                Some(_) => {}
            },
            FieldKind::Time => match (parse_time(text), &field.after) {
                (None, _) => error("procedure.time_invalid"),
                (Some(end), Some(start)) => {
                    // Only against a valid start: a wrong start has its own message.
                    if parse_time(value(start)).is_some_and(|start| end <= start) {
                        error("procedure.time_not_after");
                    }
                }
                (Some(_), None) => {}
            },
            FieldKind::Choice => {
                if !field.options.iter().any(|o| o.value == text) {
                    error("procedure.choice_invalid");
                }
            }
            FieldKind::YesNo => {
                if text != "yes" && text != "no" {
                    error("procedure.choice_invalid");
                }
            }
            FieldKind::Email => {
                if let Err(e) = Email::parse(text) {
                    error(e.code());
                }
            }
            FieldKind::Phone => {
                if let Err(e) = PhoneNumber::parse(text) {
                    error(e.code());
                }
            }
            FieldKind::Address => {}
        }
    }
    errors
}

/// The values a definition knows, trimmed; anything else posted is dropped.
pub fn keep_known(
    procedure: &Procedure,
    data: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut kept = BTreeMap::new();
    for field in &procedure.fields {
        let names: Vec<String> = if field.kind == FieldKind::Address {
            ADDRESS_PARTS
                .iter()
                .map(|p| format!("{}.{p}", field.name))
                .collect()
        } else {
            vec![field.name.clone()]
        };
        for name in names {
            if let Some(value) = data.get(&name) {
                let value = value.trim();
                if !value.is_empty() {
                    // A draft keeps at most 10,000 characters per answer.
                    kept.insert(name, value.chars().take(10_000).collect());
                }
            }
        }
    }
    kept
}

/// What a request is about: the answers to its procedure's `subject` fields, joined, at
/// most 80 characters.
pub fn subject_of(
    procedure: &super::Procedure,
    data: &BTreeMap<String, String>,
    lang: Lang,
) -> String {
    let parts: Vec<String> = procedure
        .subject
        .iter()
        .filter_map(|name| procedure.fields.iter().find(|f| &f.name == name))
        .map(|field| display_value(field, data, lang))
        .filter(|value| !value.trim().is_empty())
        .collect();
    let text = parts.join(" — ");
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(79).collect();
        format!("{}…", cut.trim_end())
    } else {
        text
    }
}

/// The answer to show for a field, as filed (address parts joined, choices by label).
pub fn display_value(field: &Field, data: &BTreeMap<String, String>, lang: Lang) -> String {
    let get = |name: &str| data.get(name).cloned().unwrap_or_default();
    match field.kind {
        FieldKind::Address => {
            let part = |p: &str| get(&format!("{}.{p}", field.name));
            if part("street").is_empty() {
                return String::new();
            }
            let mut line = format!("{} {}", part("street"), part("number"));
            if !part("box").is_empty() {
                line.push_str(&format!(" bte {}", part("box")));
            }
            format!("{line}, {} {}", part("postal_code"), part("city"))
        }
        FieldKind::Choice => {
            let value = get(&field.name);
            field
                .options
                .iter()
                .find(|o| o.value == value)
                .map(|o| o.label.get(lang).to_string())
                .unwrap_or(value)
        }
        FieldKind::Date => {
            let value = get(&field.name);
            match value.split('-').collect::<Vec<_>>().as_slice() {
                [y, m, d] if parse_date(&value).is_some() => format!("{d}/{m}/{y}"),
                _ => value,
            }
        }
        FieldKind::YesNo => match get(&field.name).as_str() {
            "yes" => match lang {
                Lang::Fr => "Oui",
                Lang::Nl => "Ja",
                Lang::En => "Yes",
            }
            .to_string(),
            "no" => match lang {
                Lang::Fr => "Non",
                Lang::Nl => "Nee",
                Lang::En => "No",
            }
            .to_string(),
            _ => String::new(),
        },
        _ => get(&field.name),
    }
}
