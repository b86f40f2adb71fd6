//! The letters of the codes sent by post, as one printable PDF (A4, one letter a page, the
//! address placed for a window envelope), in French and Dutch as a Brussels commune writes
//! to an organisation: `POST /backoffice/letters.pdf`.
use crate::filing::{go, status_of, user_of};
use crate::pdf::{wrap, Line};
use crate::state::AppState;
use app::backend::organisations::{print_letters, Letter};
use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

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

/// The letters as one PDF, a page each; the address sits where a left window envelope
/// shows it.
pub fn render(letters: &[Letter]) -> Vec<u8> {
    let pages: Vec<Vec<Line>> = letters
        .iter()
        .map(|letter| {
            lines(letter)
                .into_iter()
                .map(|(size, bold, text)| {
                    let at = (text == letter.seat.name).then_some(640.0);
                    Line {
                        at,
                        ..Line::new(size, bold, text)
                    }
                })
                .collect()
        })
        .collect();
    crate::pdf::render(&pages)
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
}
