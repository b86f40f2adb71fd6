//! Procedures ("démarches") as data: their definition (one TOML file each, checked when the
//! server starts), and the validation of a filled-in form, the same in the browser and on
//! the server.
mod answers;
mod schema;

pub use answers::{
    display_value, is_belgian_postal_code, keep_known, parse_date, parse_time, subject_of,
    validate, ADDRESS_PARTS,
};
pub use schema::{
    AnswerWithin, Assurance, AttachmentSlot, Catalogue, ChoiceOption, DefinitionError, Field,
    FieldKind, FileType, Localized, Procedure, ProfileKind, MAX_ATTACHMENT_MB, THEMES,
};

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::error::FieldError;
    use std::collections::BTreeMap;

    const EXAMPLE: &str = r#"
code = "reservation-salle"
theme = "associations"
profiles = ["association", "citizen"]
title = { fr = "Réservation de salle", nl = "Zaalreservering", en = "Room booking" }
description = { fr = "Réserver une salle communale.", nl = "Een gemeentezaal reserveren.", en = "Book a municipal room." }
service = { code = "salles", fr = "Service des salles", nl = "Dienst zalen", en = "Rooms service" }

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
                "people:procedure.number_too_big:300"
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
    fn times_are_times_of_day_and_an_end_comes_after_its_start() {
        assert_eq!(parse_time("18:30"), Some(18 * 60 + 30));
        assert_eq!(parse_time("00:00"), Some(0));
        for bad in [
            "25:99", "24:00", "18h", "8:30", "18:3", "18:300", "-1:00", "",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        let hours = |start_kind: &str, after: &str| {
            format!(
                "{}\n[[fields]]\nname = \"start\"\nkind = \"{start_kind}\"\nrequired = true\n\
                 label = {{ fr = \"D\", nl = \"B\", en = \"S\" }}\n\
                 [[fields]]\nname = \"end\"\nkind = \"time\"\nrequired = true\n{after}\n\
                 label = {{ fr = \"F\", nl = \"E\", en = \"E\" }}\n",
                EXAMPLE.split("[[fields]]").next().unwrap()
            )
        };
        let procedure = Procedure::from_toml(&hours("time", "after = \"start\"")).unwrap();
        let check = |start: &str, end: &str| {
            codes(validate(
                &procedure,
                &data(&[("start", start), ("end", end)]),
                0,
            ))
        };
        assert!(check("18:00", "23:00").is_empty());
        assert_eq!(
            check("25:99", "18h"),
            ["start:procedure.time_invalid", "end:procedure.time_invalid"]
        );
        assert_eq!(check("23:00", "18:00"), ["end:procedure.time_not_after"]);
        assert_eq!(check("18:00", "18:00"), ["end:procedure.time_not_after"]);
        // A definition whose end follows something that is not an earlier time is refused.
        assert!(Procedure::from_toml(&hours("text", "after = \"start\"")).is_err());
        assert!(Procedure::from_toml(&hours("time", "after = \"nowhere\"")).is_err());
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

    #[test]
    fn a_subject_is_made_of_the_answers_it_names_in_the_readers_language() {
        let mut procedure = Procedure::from_toml(EXAMPLE).unwrap();
        procedure.subject = vec!["room".into(), "date".into()];
        assert!(procedure.check().is_ok());
        let answers = data(&[("room", "petite"), ("date", "2027-02-14")]);
        assert_eq!(
            subject_of(&procedure, &answers, Lang::Fr),
            "Petite salle — 14/02/2027"
        );
        assert_eq!(
            subject_of(&procedure, &answers, Lang::En),
            "Small room — 14/02/2027"
        );
        // An answer left empty is left out; nothing named, nothing said.
        assert_eq!(
            subject_of(&procedure, &data(&[("date", "2027-02-14")]), Lang::Fr),
            "14/02/2027"
        );
        procedure.subject.clear();
        assert_eq!(subject_of(&procedure, &answers, Lang::Fr), "");
        // A field the form does not have cannot be one.
        procedure.subject = vec!["nope".into()];
        assert_eq!(procedure.check().unwrap_err().field, "subject[0]");
    }
}
