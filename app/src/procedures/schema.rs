//! A procedure's definition: one TOML file each, read and checked when the server starts.
use crate::domain::Lang;
use serde::{Deserialize, Serialize};

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
    /// A time of day, `HH:MM` (24 hours).
    Time,
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
    /// Time: the time field this one must come after (an end after its start).
    #[serde(default)]
    pub after: Option<String>,
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

    /// The error of a file over its limit, which it states (`attachment.too_big:10`).
    pub fn too_big_code(max_bytes: u64) -> String {
        format!("attachment.too_big:{}", max_bytes / (1024 * 1024))
    }

    /// The error of a file of another type, which names those accepted
    /// (`attachment.wrong_type:PDF/JPEG`).
    pub fn wrong_type_code(types: &[FileType]) -> String {
        let labels: Vec<&str> = types.iter().map(|t| t.label()).collect();
        format!("attachment.wrong_type:{}", labels.join("/"))
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
    /// The municipal service that handles it: its agents see its requests.
    pub service: Service,
    pub profiles: Vec<ProfileKind>,
    #[serde(default)]
    pub assurance: Assurance,
    /// For an organisation: whether a declared representative may file it, or only a
    /// verified one (the default: permits and subsidies).
    #[serde(default)]
    pub representative: crate::domain::Representation,
    #[serde(default)]
    pub fields: Vec<Field>,
    #[serde(default)]
    pub attachments: Vec<AttachmentSlot>,
    /// How long the service takes to answer, counted from the filing:
    /// `answer_within = { working_days = 15 }` or `{ days = 30 }`. The confirmation and the
    /// receipt give the date.
    #[serde(default)]
    pub answer_within: Option<AnswerWithin>,
    /// The fields whose answers say what a request is about, in the dashboard's "Objet"
    /// column: `subject = ["salle", "date"]`. Long texts cannot be one.
    #[serde(default)]
    pub subject: Vec<String>,
}

/// A time to answer, in working days (Monday to Friday, Belgian public holidays left out)
/// or in calendar days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerWithin {
    #[serde(default)]
    pub working_days: Option<u32>,
    #[serde(default)]
    pub days: Option<u32>,
}

impl AnswerWithin {
    /// The last day of the answer for a request filed on `filed` (days since 1970-01-01).
    pub fn deadline(self, filed: i64) -> Option<i64> {
        match (self.working_days, self.days) {
            (Some(n), None) => Some(crate::domain::calendar::add_working_days(filed, n)),
            (None, Some(n)) => Some(filed + i64::from(n)),
            _ => None,
        }
    }
}

/// A municipal service: its code (agents belong to services: `server agent add <email>
/// <code>…`) and its name in the three languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub code: String,
    pub fr: String,
    pub nl: String,
    pub en: String,
}

impl Service {
    pub fn name(&self) -> Localized {
        Localized {
            fr: self.fr.clone(),
            nl: self.nl.clone(),
            en: self.en.clone(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
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
        if let Some(within) = self.answer_within {
            let one = matches!(
                (within.working_days, within.days),
                (Some(1..=365), None) | (None, Some(1..=365))
            );
            if !one {
                return err(
                    "answer_within".into(),
                    "give working_days or days, one of them, from 1 to 365",
                );
            }
        }
        if !THEMES.contains(&self.theme.as_str()) {
            return err(
                "theme".into(),
                "unknown theme (population, mobility, public_space, economy, associations, events)",
            );
        }
        if !is_identifier(&self.service.code) {
            return err("service.code".into(), "missing or malformed");
        }
        for (name, text) in [
            ("title", &self.title),
            ("description", &self.description),
            ("service", &self.service.name()),
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
            if let Some(start) = &field.after {
                let earlier = self.fields[..i]
                    .iter()
                    .any(|other| &other.name == start && other.kind == FieldKind::Time);
                if field.kind != FieldKind::Time || !earlier {
                    return err(at("after"), "a time after an earlier time field");
                }
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
        for (i, name) in self.subject.iter().enumerate() {
            let short = self
                .fields
                .iter()
                .any(|f| &f.name == name && f.kind != FieldKind::LongText);
            if !short {
                return err(
                    format!("subject[{i}]"),
                    "names a field of the form (not a long text)",
                );
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
