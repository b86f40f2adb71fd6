//! The letters of the codes sent by post, as one printable PDF (A4, one letter a page, the
//! address placed for a window envelope), in French and Dutch as a Brussels commune writes
//! to an organisation: `POST /backoffice/letters.pdf`.
use crate::filing::{go, status_of, user_of};
use crate::state::AppState;
use app::backend::organisations::{print_letters, Letter};
use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

/// `POST /backoffice/letters.pdf`: takes the letters not printed yet, marks them printed,
/// and answers them as a PDF. Nothing to print leads back to the page, which says so.
pub async fn print(State(state): State<AppState>, request: Request) -> Response {
    let Some(user) = user_of(&request) else {
        return go(request.headers(), "/login");
    };
    match print_letters(&state.db, &user).await {
        Ok(letters) if letters.is_empty() => go(request.headers(), "/backoffice/letters?none=1"),
        Ok(letters) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"codes-{}.pdf\"",
                        app::backend::now_ms() / 1000
                    ),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            render(&letters),
        )
            .into_response(),
        Err(error) => status_of(&error),
    }
}

/// Text as the base-14 fonts read it (WinAnsiEncoding): Latin-1 as is, the typographic
/// quotes and dashes at their Windows-1252 places, anything else as `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => c as u8,
            '\u{2019}' => 0x92,
            '\u{201c}' => 0x93,
            '\u{201d}' => 0x94,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{20ac}' => 0x80,
            _ => b'?',
        })
        .collect()
}

/// The lines of one letter: (size, bold, text); an empty text is a blank line.
fn lines(letter: &Letter) -> Vec<(f32, bool, String)> {
    let seat = &letter.seat;
    let mut lines = vec![
        (
            10.0,
            true,
            "Commune de Schaerbeek — Gemeente Schaarbeek".to_string(),
        ),
        (
            10.0,
            false,
            "Espace personnel — Persoonlijke ruimte".to_string(),
        ),
        (10.0, false, String::new()),
        (10.0, false, String::new()),
        (11.0, true, seat.name.clone()),
        (
            11.0,
            false,
            format!("{} {}", seat.street, seat.house_number),
        ),
        (11.0, false, format!("{} {}", seat.postal_code, seat.city)),
        (10.0, false, String::new()),
        (10.0, false, String::new()),
        (10.0, false, format!("BCE / KBO : {}", letter.bce)),
        (10.0, false, String::new()),
        (
            12.0,
            true,
            "Votre code de vérification — Uw verificatiecode".to_string(),
        ),
        (10.0, false, String::new()),
    ];
    for paragraph in [
        "Une personne qui agit pour votre organisation dans l'espace personnel de la commune a demandé à être reconnue comme représentant vérifié. Si elle en a le droit, remettez-lui ce code : elle le tape sur la page « Vérification » du profil de l'organisation.",
        "Iemand die in de persoonlijke ruimte van de gemeente voor uw organisatie handelt, heeft gevraagd als geverifieerde vertegenwoordiger erkend te worden. Heeft die persoon daartoe het recht, geef haar dan deze code: ze typt hem op de pagina ‘Verificatie’ van het profiel van de organisatie.",
    ] {
        lines.extend(wrap(paragraph, 95).into_iter().map(|line| (10.0, false, line)));
        lines.push((10.0, false, String::new()));
    }
    lines.push((20.0, true, letter.code.clone()));
    lines.push((10.0, false, String::new()));
    lines.push((
        10.0,
        false,
        format!(
            "Valable jusqu'au {} inclus, cinq essais au plus. — Geldig tot en met {}, hoogstens vijf pogingen.",
            letter.expires, letter.expires
        ),
    ));
    lines.push((10.0, false, String::new()));
    for paragraph in [
        "Personne ne l'a demandé pour votre organisation ? Ne donnez le code à personne et prévenez l'administration communale.",
        "Heeft niemand het voor uw organisatie gevraagd? Geef de code aan niemand en verwittig het gemeentebestuur.",
    ] {
        lines.extend(wrap(paragraph, 95).into_iter().map(|line| (10.0, false, line)));
    }
    lines
}

/// Cuts a paragraph into lines of at most `width` characters, at spaces.
fn wrap(paragraph: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in paragraph.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The letters as one PDF, a page each.
pub fn render(letters: &[Letter]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let (regular_name, bold_name) = (Name(b"F1"), Name(b"F2"));
    let mut next = 5;
    let mut pages = Vec::new();
    for letter in letters {
        let (page, content) = (Ref::new(next), Ref::new(next + 1));
        next += 2;
        pages.push(page);
        let mut page_writer = pdf.page(page);
        page_writer
            .media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
            .parent(tree)
            .contents(content);
        page_writer
            .resources()
            .fonts()
            .pair(regular_name, regular)
            .pair(bold_name, bold);
        page_writer.finish();
        let mut text = Content::new();
        text.begin_text();
        let mut y = 780.0;
        for (size, strong, line) in lines(letter) {
            // The address sits where a left window envelope shows it.
            if line == letter.seat.name {
                y = 640.0;
            }
            if !line.is_empty() {
                text.set_font(if strong { bold_name } else { regular_name }, size);
                text.set_text_matrix([1.0, 0.0, 0.0, 1.0, 60.0, y]);
                text.show(Str(&win_ansi(&line)));
            }
            y -= size + 5.0;
        }
        text.end_text();
        pdf.stream(content, &text.finish());
    }
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(pages.iter().copied())
        .count(pages.len() as i32);
    for (id, font) in [(regular, &b"Helvetica"[..]), (bold, &b"Helvetica-Bold"[..])] {
        pdf.type1_font(id)
            .base_font(Name(font))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::backend::organisations::Seat;

    #[test]
    fn a_letter_is_a_pdf_page_with_its_address_and_code() {
        let letter = Letter {
            seat: Seat {
                name: "Librairie du Parc SRL".into(),
                street: "Chaussée de Haecht".into(),
                house_number: "12".into(),
                postal_code: "1030".into(),
                city: "Schaerbeek".into(),
            },
            bce: "0403.170.701".into(),
            code: "K7MP-X9QR".into(),
            expires: "01/01/2027".into(),
        };
        let pdf = render(&[letter.clone(), letter]);
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert_eq!(
            text.matches("/Type /Page\n").count() + text.matches("/Type /Page ").count(),
            2,
            "{text}"
        );
        assert!(text.contains("(K7MP-X9QR)"));
        // "Chaussée" in WinAnsi (é is the byte 0xE9), which the PDF string writes in hex.
        assert!(
            text.contains("<436861757373E96520646520486165636874203132>"),
            "{text}"
        );
    }

    #[test]
    fn text_is_written_in_win_ansi() {
        assert_eq!(win_ansi("é’€☃"), vec![0xe9, 0x92, 0x80, b'?']);
        assert_eq!(wrap("un deux trois", 8), ["un deux", "trois"]);
    }
}
