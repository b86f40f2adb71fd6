//! Times in a procedure are times of day, and an end comes after its start: a room booking
//! with `25:99`, `18h` or an end before its start is refused, field by field, and nothing
//! is filed (issue 14, bug 1).
use crate::helpers::*;
use crate::requests::{confirmed, errors_of, file, form_token};

const ROOM: &str = "reservation-salle";

fn booking(start: &str, end: &str) -> Vec<(&'static str, String)> {
    let date = (jiff::Zoned::now().date() + jiff::Span::new().days(30)).to_string();
    vec![
        ("f.salle", "salle-lumiere".into()),
        ("f.date", date),
        ("f.heure_debut", start.into()),
        ("f.heure_fin", end.into()),
        ("f.participants", "40".into()),
        ("f.objet", "Assemblée générale de l'association".into()),
    ]
}

async fn filed(app: &TestApp) -> i64 {
    count(app, "SELECT COUNT(*) FROM request WHERE status <> 'draft'").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn impossible_times_and_an_end_before_the_start_are_refused() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    for (start, end, expected) in [
        (
            "25:99",
            "18h",
            vec![
                "heure_debut:procedure.time_invalid",
                "heure_fin:procedure.time_invalid",
            ],
        ),
        ("20:00", "18:00", vec!["heure_fin:procedure.time_not_after"]),
        ("18:00", "18:00", vec!["heure_fin:procedure.time_not_after"]),
    ] {
        let token = form_token(&app, &anna, ROOM).await;
        let r = file(
            &app,
            &anna,
            ROOM,
            &token,
            "submit",
            &booking(start, end),
            &[],
        )
        .await;
        assert_eq!(errors_of(&r), expected, "{start}–{end}");
    }
    assert_eq!(filed(&app).await, 0);
    let token = form_token(&app, &anna, ROOM).await;
    let r = file(
        &app,
        &anna,
        ROOM,
        &token,
        "submit",
        &booking("18:30", "23:00"),
        &[],
    )
    .await;
    assert!(location(&r).ends_with("?submitted=1"), "{}", location(&r));
    assert_eq!(filed(&app).await, 1);
}
