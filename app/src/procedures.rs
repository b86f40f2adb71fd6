//! Procedures ("démarches") as data: their definition (one TOML file each, checked when the
//! server starts), and the validation of a filled-in form, the same in the browser and on
//! the server.
use crate::domain::{Email, Lang, PhoneNumber};
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A text in the three languages of the site.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub fr: String,
    pub nl: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }

    fn is_complete(&self) -> bool {
        !self.fr.trim().is_empty() && !self.nl.trim().is_empty() && !self.en.trim().is_empty()
    }
}

/// Who may file a procedure: the citizen profile, or an organisation profile of a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    Citizen,
    Entreprise,
    Association,
}

impl ProfileKind {
    pub fn code(self) -> &'static str {
        match self {
            ProfileKind::Citizen => "citizen",
            ProfileKind::Entreprise => "entreprise",
            ProfileKind::Association => "association",
        }
    }

    pub fn of(active: Option<crate::domain::OrgKind>) -> Self {
        match active {
            None => ProfileKind::Citizen,
            Some(crate::domain::OrgKind::Entreprise) => ProfileKind::Entreprise,
            Some(crate::domain::OrgKind::Association) => ProfileKind::Association,
        }
    }
}

/// The identification a procedure needs: a password, or the eID (issue "eID").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assurance {
    #[default]
    Basic,
    Eid,
}

/// The themes the catalogue groups procedures by (their names are translated in the UI).
pub const THEMES: [&str; 6] = [
    "population",
    "mobility",
    "public_space",
    "economy",
    "associations",
    "events",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    LongText,
    Number,
    Date,
    Choice,
    YesNo,
    Email,
    Phone,
    Address,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub value: String,
    pub label: Localized,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: String,
    pub kind: FieldKind,
    pub label: Localized,
    #[serde(default)]
    pub hint: Option<Localized>,
    #[serde(default)]
    pub required: bool,
    /// Text and long text: the longest answer, in characters.
    #[serde(default)]
    pub max_length: Option<usize>,
    /// Number: the bounds.
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    /// Date: how many days from today it may be, at the earliest and the latest.
    #[serde(default)]
    pub min_days: Option<i64>,
    #[serde(default)]
    pub max_days: Option<i64>,
    /// Choice: the options.
    #[serde(default)]
    pub options: Vec<ChoiceOption>,
}

/// The kinds of file a procedure can accept, recognised by their content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
}

impl FileType {
    pub fn from_mime(mime: &str) -> Option<Self> {
        match mime {
            "application/pdf" => Some(FileType::Pdf),
            "image/jpeg" => Some(FileType::Jpeg),
            "image/png" => Some(FileType::Png),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Jpeg => "JPEG",
            FileType::Png => "PNG",
        }
    }

    /// For the file picker's `accept`.
    pub fn extensions(self) -> &'static str {
        match self {
            FileType::Pdf => ".pdf",
            FileType::Jpeg => ".jpg,.jpeg",
            FileType::Png => ".png",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentSlot {
    pub name: String,
    pub label: Localized,
    #[serde(default)]
    pub hint: Option<Localized>,
    #[serde(default)]
    pub required: bool,
    pub types: Vec<FileType>,
    /// The largest file, in megabytes.
    pub max_mb: u32,
}

impl AttachmentSlot {
    pub fn max_bytes(&self) -> u64 {
        u64::from(self.max_mb) * 1024 * 1024
    }

    pub fn accept(&self) -> String {
        self.types
            .iter()
            .map(|t| t.extensions())
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    pub code: String,
    pub theme: String,
    pub title: Localized,
    pub description: Localized,
    /// The municipal service that handles it.
    pub service: Localized,
    pub profiles: Vec<ProfileKind>,
    #[serde(default)]
    pub assurance: Assurance,
    #[serde(default)]
    pub fields: Vec<Field>,
    #[serde(default)]
    pub attachments: Vec<AttachmentSlot>,
}

/// Largest file any procedure may accept (the request body limit follows it).
pub const MAX_ATTACHMENT_MB: u32 = 20;

/// What is wrong with a definition: the field (a path such as `fields[2].options`) and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct DefinitionError {
    pub field: String,
    pub problem: String,
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 40
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

impl Procedure {
    /// Parses and checks one definition file's text.
    #[cfg(feature = "ssr")]
    pub fn from_toml(text: &str) -> Result<Self, DefinitionError> {
        let procedure: Procedure = toml::from_str(text).map_err(|e| DefinitionError {
            field: e
                .span()
                .map(|span| format!("at byte {}", span.start))
                .unwrap_or_else(|| "file".into()),
            problem: e.message().to_string(),
        })?;
        procedure.check()?;
        Ok(procedure)
    }

    /// Everything a definition must be, beyond its shape.
    pub fn check(&self) -> Result<(), DefinitionError> {
        let err = |field: String, problem: &str| {
            Err(DefinitionError {
                field,
                problem: problem.to_string(),
            })
        };
        if !is_identifier(&self.code) {
            return err("code".into(), "lowercase letters, digits and dashes only");
        }
        if !THEMES.contains(&self.theme.as_str()) {
            return err(
                "theme".into(),
                "unknown theme (population, mobility, public_space, economy, associations, events)",
            );
        }
        for (name, text) in [
            ("title", &self.title),
            ("description", &self.description),
            ("service", &self.service),
        ] {
            if !text.is_complete() {
                return err(name.into(), "needs fr, nl and en");
            }
        }
        if self.profiles.is_empty() {
            return err("profiles".into(), "at least one profile kind");
        }
        let mut names = std::collections::HashSet::new();
        for (i, field) in self.fields.iter().enumerate() {
            let at = |what: &str| format!("fields[{i}].{what}");
            if !is_identifier(&field.name) || !names.insert(field.name.clone()) {
                return err(at("name"), "missing, malformed or repeated");
            }
            if !field.label.is_complete() {
                return err(at("label"), "needs fr, nl and en");
            }
            if field.hint.as_ref().is_some_and(|h| !h.is_complete()) {
                return err(at("hint"), "needs fr, nl and en");
            }
            match field.kind {
                FieldKind::Choice => {
                    if field.options.len() < 2 {
                        return err(at("options"), "a choice needs at least two options");
                    }
                    let mut values = std::collections::HashSet::new();
                    for option in &field.options {
                        if !is_identifier(&option.value) || !values.insert(&option.value) {
                            return err(at("options"), "option values: identifiers, once each");
                        }
                        if !option.label.is_complete() {
                            return err(at("options"), "option labels need fr, nl and en");
                        }
                    }
                }
                _ if !field.options.is_empty() => {
                    return err(at("options"), "only a choice has options");
                }
                _ => {}
            }
            if let (Some(min), Some(max)) = (field.min, field.max) {
                if min > max {
                    return err(at("min"), "min is above max");
                }
            }
            if let (Some(min), Some(max)) = (field.min_days, field.max_days) {
                if min > max {
                    return err(at("min_days"), "min_days is above max_days");
                }
            }
            if field.max_length == Some(0) {
                return err(at("max_length"), "must be at least 1");
            }
        }
        for (i, slot) in self.attachments.iter().enumerate() {
            let at = |what: &str| format!("attachments[{i}].{what}");
            if !is_identifier(&slot.name) || !names.insert(slot.name.clone()) {
                return err(at("name"), "missing, malformed or repeated");
            }
            if !slot.label.is_complete() {
                return err(at("label"), "needs fr, nl and en");
            }
            if slot.types.is_empty() {
                return err(at("types"), "at least one file type");
            }
            if slot.max_mb == 0 || slot.max_mb > MAX_ATTACHMENT_MB {
                return err(at("max_mb"), "between 1 and 20");
            }
        }
        Ok(())
    }

    pub fn may_be_filed_by(&self, kind: ProfileKind) -> bool {
        self.profiles.contains(&kind)
    }

    pub fn slot(&self, name: &str) -> Option<&AttachmentSlot> {
        self.attachments.iter().find(|slot| slot.name == name)
    }
}

/// Every procedure the commune offers, in the order the catalogue shows them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalogue {
    procedures: Vec<Procedure>,
}

impl Catalogue {
    pub fn new(mut procedures: Vec<Procedure>) -> Self {
        procedures.sort_by(|a, b| (&a.theme, &a.title.fr).cmp(&(&b.theme, &b.title.fr)));
        Catalogue { procedures }
    }

    pub fn all(&self) -> &[Procedure] {
        &self.procedures
    }

    pub fn get(&self, code: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.code == code)
    }

    /// Reads every `*.toml` of a folder; the first bad file stops it, named with its field.
    #[cfg(feature = "ssr")]
    pub fn load_dir(dir: &std::path::Path) -> Result<Self, String> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: cannot read the folder ({e})", dir.display()))?;
        let mut paths: Vec<std::path::PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        paths.sort();
        let mut procedures: Vec<Procedure> = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: cannot read ({e})", path.display()))?;
            let procedure = Procedure::from_toml(&text)
                .map_err(|e| format!("{}: {}: {}", path.display(), e.field, e.problem))?;
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            if stem != procedure.code {
                return Err(format!(
                    "{}: code: \"{}\" must be the file's name",
                    path.display(),
                    procedure.code
                ));
            }
            procedures.push(procedure);
        }
        if procedures.is_empty() {
            return Err(format!("{}: no procedure (*.toml) found", dir.display()));
        }
        Ok(Catalogue::new(procedures))
    }
}

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
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
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
                error("field.too_long");
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
                    error("procedure.too_long");
                }
            }
            FieldKind::Number => match text.replace(' ', "").parse::<i64>() {
                Ok(n) if field.min.is_some_and(|min| n < min) => {
                    error("procedure.number_too_small")
                }
                Ok(n) if field.max.is_some_and(|max| n > max) => error("procedure.number_too_big"),
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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
code = "reservation-salle"
theme = "associations"
profiles = ["association", "citizen"]
title = { fr = "Réservation de salle", nl = "Zaalreservering", en = "Room booking" }
description = { fr = "Réserver une salle communale.", nl = "Een gemeentezaal reserveren.", en = "Book a municipal room." }
service = { fr = "Service des salles", nl = "Dienst zalen", en = "Rooms service" }

[[fields]]
name = "date"
kind = "date"
required = true
min_days = 14
max_days = 365
label = { fr = "Date", nl = "Datum", en = "Date" }

[[fields]]
name = "people"
kind = "number"
min = 1
max = 300
label = { fr = "Personnes", nl = "Personen", en = "People" }

[[fields]]
name = "room"
kind = "choice"
required = true
label = { fr = "Salle", nl = "Zaal", en = "Room" }
options = [
  { value = "grande", label = { fr = "Grande salle", nl = "Grote zaal", en = "Large room" } },
  { value = "petite", label = { fr = "Petite salle", nl = "Kleine zaal", en = "Small room" } },
]

[[fields]]
name = "address"
kind = "address"
label = { fr = "Adresse", nl = "Adres", en = "Address" }

[[attachments]]
name = "statuts"
required = true
types = ["pdf"]
max_mb = 5
label = { fr = "Statuts", nl = "Statuten", en = "Articles" }
"#;

    fn data(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn codes(errors: Vec<FieldError>) -> Vec<String> {
        errors
            .into_iter()
            .map(|e| format!("{}:{}", e.field, e.code))
            .collect()
    }

    #[test]
    fn a_definition_parses_and_checks() {
        let procedure = Procedure::from_toml(EXAMPLE).unwrap();
        assert_eq!(procedure.fields.len(), 4);
        assert!(procedure.may_be_filed_by(ProfileKind::Association));
        assert!(!procedure.may_be_filed_by(ProfileKind::Entreprise));
        assert_eq!(
            procedure.slot("statuts").unwrap().max_bytes(),
            5 * 1024 * 1024
        );
    }

    #[test]
    fn a_bad_definition_names_its_field() {
        let missing_nl = EXAMPLE.replace("nl = \"Zaalreservering\", ", "");
        let error = Procedure::from_toml(&missing_nl).unwrap_err();
        assert!(error.problem.contains("nl"), "{error}");
        let bad_theme = EXAMPLE.replace("theme = \"associations\"", "theme = \"sport\"");
        assert_eq!(Procedure::from_toml(&bad_theme).unwrap_err().field, "theme");
        let one_option = EXAMPLE.replace(
            "  { value = \"petite\", label = { fr = \"Petite salle\", nl = \"Kleine zaal\", en = \"Small room\" } },\n",
            "",
        );
        assert_eq!(
            Procedure::from_toml(&one_option).unwrap_err().field,
            "fields[2].options"
        );
        let too_big = EXAMPLE.replace("max_mb = 5", "max_mb = 500");
        assert_eq!(
            Procedure::from_toml(&too_big).unwrap_err().field,
            "attachments[0].max_mb"
        );
        let unknown = EXAMPLE.replace("required = true\nmin_days", "mandatory = true\nmin_days");
        assert!(Procedure::from_toml(&unknown).is_err());
    }

    #[test]
    fn dates_count_days_like_a_calendar() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2026-11-27"), Some(20_784));
        assert_eq!(
            parse_date("2024-02-29").map(|d| d - parse_date("2024-02-28").unwrap()),
            Some(1)
        );
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("27/11/2026"), None);
        assert_eq!(parse_date("2026-13-01"), None);
    }

    #[test]
    fn every_rule_of_a_form_is_checked() {
        let procedure = Procedure::from_toml(EXAMPLE).unwrap();
        let today = parse_date("2026-11-27").unwrap();
        assert_eq!(
            codes(validate(&procedure, &data(&[]), today)),
            vec!["date:procedure.required", "room:procedure.required"]
        );
        let ok = data(&[("date", "2027-01-15"), ("room", "grande"), ("people", "40")]);
        assert!(validate(&procedure, &ok, today).is_empty());
        let bad = data(&[
            ("date", "2026-11-30"),
            ("room", "cave"),
            ("people", "quarante"),
            ("address.street", "Rue Royale"),
        ]);
        assert_eq!(
            codes(validate(&procedure, &bad, today)),
            vec![
                "date:procedure.date_too_early",
                "people:procedure.number_invalid",
                "room:procedure.choice_invalid",
                "address:address.number_missing",
            ]
        );
        let far = data(&[
            ("date", "2029-01-01"),
            ("room", "grande"),
            ("people", "301"),
        ]);
        assert_eq!(
            codes(validate(&procedure, &far, today)),
            vec![
                "date:procedure.date_too_late",
                "people:procedure.number_too_big"
            ]
        );
        let address = data(&[
            ("date", "2027-01-15"),
            ("room", "petite"),
            ("address.street", "Place Colignon"),
            ("address.number", "1"),
            ("address.postal_code", "0999"),
            ("address.city", "Schaerbeek"),
        ]);
        assert_eq!(
            codes(validate(&procedure, &address, today)),
            vec!["address:postal_code.invalid"]
        );
    }

    #[test]
    fn unknown_answers_are_dropped_and_choices_shown_by_label() {
        let procedure = Procedure::from_toml(EXAMPLE).unwrap();
        let kept = keep_known(
            &procedure,
            &data(&[
                ("room", " grande "),
                ("admin", "true"),
                ("address.city", "Schaerbeek"),
            ]),
        );
        assert_eq!(
            kept,
            data(&[("room", "grande"), ("address.city", "Schaerbeek")])
        );
        assert_eq!(
            display_value(&procedure.fields[2], &kept, Lang::Nl),
            "Grote zaal"
        );
        let date = data(&[("date", "2027-01-15")]);
        assert_eq!(
            display_value(&procedure.fields[0], &date, Lang::Fr),
            "15/01/2027"
        );
    }
}
