//! The acknowledgement of receipt of a request ("accusé de réception"), as lines of text in
//! the reader's language: what was filed, when, by whom and for which profile, the answers
//! and files, and by when the service answers. The server sets them in a PDF.
use crate::domain::Lang;
use crate::i18n::*;
use crate::language::locale_of;
use crate::model::requests::RequestView;

/// A line of the receipt: its size in points, whether it is bold, its text; an empty text
/// is a blank line.
pub type Line = (f32, bool, String);

/// The receipt of `view`, printed at `printed` (Brussels time).
pub fn lines(view: &RequestView, lang: Lang, printed: &str) -> Vec<Line> {
    let locale = locale_of(lang);
    let blank = || (10.0, false, String::new());
    let profile = if view.profile.is_empty() {
        td_string!(locale, header.citizen_space).to_string()
    } else {
        view.profile.clone()
    };
    let mut lines = vec![
        (10.0, true, td_string!(locale, receipt.commune).to_string()),
        (10.0, false, td_string!(locale, receipt.espace).to_string()),
        blank(),
        (16.0, true, td_string!(locale, receipt.title).to_string()),
        blank(),
        (
            12.0,
            true,
            td_string!(
                locale,
                receipt.reference,
                reference = view.reference.as_str()
            )
            .to_string(),
        ),
        blank(),
    ];
    let separator = td_string!(locale, form.label_separator).to_string();
    let fact = |label: String, value: &str| (10.0, false, format!("{label}{separator}{value}"));
    lines.push(fact(
        td_string!(locale, request.procedure).to_string(),
        &view.procedure,
    ));
    lines.push(fact(
        td_string!(locale, request.service).to_string(),
        &view.service,
    ));
    lines.push(fact(
        td_string!(locale, request.submitted).to_string(),
        &view.submitted,
    ));
    lines.push(fact(
        td_string!(locale, request.profile).to_string(),
        &profile,
    ));
    lines.push(fact(
        td_string!(locale, request.filed_by).to_string(),
        &view.filed_by,
    ));
    if let Some(date) = &view.answer_by {
        lines.push(fact(
            td_string!(locale, request.answer_by).to_string(),
            date,
        ));
    }
    if let Some(acr) = &view.identification {
        lines.push(fact(
            td_string!(locale, request.identification).to_string(),
            &format!("{} ({acr})", td_string!(locale, request.identified_eid)),
        ));
    }
    lines.push(blank());
    lines.push((12.0, true, td_string!(locale, receipt.answers).to_string()));
    for answer in &view.answers {
        lines.push(fact(answer.label.clone(), &answer.value));
    }
    if !view.attachments.is_empty() {
        lines.push(blank());
        lines.push((12.0, true, td_string!(locale, receipt.files).to_string()));
        for file in &view.attachments {
            lines.push((10.0, false, format!("{} ({})", file.file_name, file.when)));
        }
    }
    lines.push(blank());
    lines.push((
        9.0,
        false,
        td_string!(locale, receipt.printed, when = printed).to_string(),
    ));
    lines.push((9.0, false, td_string!(locale, receipt.keep).to_string()));
    lines
}
