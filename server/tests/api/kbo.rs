//! The company register's open data: the import, and the wizard's prefill from it.
use crate::helpers::*;

fn fixtures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kbo")
}

async fn known(app: &TestApp, bce: &str) -> (Option<String>, Option<String>, Option<String>) {
    sqlx::query_as("SELECT name, juridical_form, postal_code FROM kbo_enterprise WHERE bce = $1")
        .bind(bce)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sample_files_are_imported_a_bad_line_is_reported_and_a_second_import_changes_nothing()
{
    let app = spawn_app_with(NO_WORKER).await;
    let report = server::kbo::import(&app.db, &fixtures()).await.unwrap();
    assert_eq!(report.enterprises, 6);
    assert_eq!(report.addresses, 2);
    assert_eq!(report.skipped_total, 1);
    assert!(
        report.skipped[0].contains("enterprise.csv:8:"),
        "{:?}",
        report.skipped
    );
    // The French legal name wins over the Dutch one, whatever the order of the lines.
    assert_eq!(
        known(&app, "0403170701").await,
        (
            Some("Boulangerie Dupont".into()),
            Some("014".into()),
            Some("1030".into())
        )
    );
    assert_eq!(
        known(&app, "0777888926").await.0.as_deref(),
        Some("Théâtre de la Place Colignon")
    );
    // Establishments and abbreviations are not enterprises' names.
    assert_eq!(count(&app, "SELECT COUNT(*) FROM kbo_enterprise").await, 6);

    let again = server::kbo::import(&app.db, &fixtures()).await.unwrap();
    assert_eq!(again.enterprises, 6);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM kbo_enterprise").await, 6);
    assert_eq!(
        known(&app, "0403170701").await.0.as_deref(),
        Some("Boulangerie Dupont")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_number_prefills_the_second_step() {
    let app = spawn_app_with(NO_WORKER).await;
    server::kbo::import(&app.db, &fixtures()).await.unwrap();
    register(&app, &registration("sophie@example.be", &[])).await;
    confirm_address(&app, "sophie@example.be").await;
    let cookie = session_cookie(&login(&app, "sophie@example.be", PASSWORD, None).await).unwrap();
    // An ASBL (legal form 017) typed from the entreprise icon: the register says association.
    let response = post(
        &app,
        "/api/organisation_start",
        form(&[
            ("kind", "entreprise"),
            ("bce", "0423.120.136"),
            ("terms", "on"),
        ]),
        Some(&cookie),
    )
    .await;
    assert_eq!(response.headers()["location"], "/organisations/new/details");
    let draft: serde_json::Value = post(&app, "/api/wizard_draft", String::new(), Some(&cookie))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(draft["name"], "Les Amis du Parc Josaphat");
    assert_eq!(draft["confirmed_kind"], "association");
    assert_eq!(draft["kind"], "entreprise");
    let page = app
        .get_with("/organisations/new/details", &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("value=\"Les Amis du Parc Josaphat\""),
        "{page}"
    );
    assert!(page.contains("Banque-Carrefour des Entreprises publie"));
}
