//! "Vérifiez votre demande": "Continuer" keeps the draft and shows every answer with its
//! "Modifier"; "Envoyer la demande" there files the draft as kept, once.
use crate::helpers::*;
use crate::requests::{
    confirmed, dashboard, errors_of, file, form_token, reference_of, valid_address, ADDRESS, PDF,
};

async fn status_of(app: &TestApp, token: &str) -> (String, i64) {
    sqlx::query_as("SELECT status, (SELECT COUNT(*) FROM request) FROM request WHERE token = $1")
        .bind(token)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn continuing_shows_every_answer_then_sending_files_the_draft_as_kept() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let token = form_token(&app, &anna, ADDRESS).await;

    // Incomplete: back to the form with what is missing; kept as a draft, nothing filed.
    let mut partial = valid_address(-3);
    partial.retain(|(name, _)| *name != "f.nombre_personnes");
    let r = file(&app, &anna, ADDRESS, &token, "review", &partial, &[]).await;
    assert!(location(&r).starts_with("/procedures/changement-adresse?errors="));
    assert_eq!(
        errors_of(&r),
        vec![
            "bail_ou_acte:attachment.required",
            "nombre_personnes:procedure.required"
        ]
    );
    assert_eq!(status_of(&app, &token).await.0, "draft");

    // Complete: the check page.
    let r = file(
        &app,
        &anna,
        ADDRESS,
        &token,
        "review",
        &valid_address(-3),
        &[("file.bail_ou_acte", "bail.pdf", PDF.to_vec())],
    )
    .await;
    assert_eq!(location(&r), "/procedures/changement-adresse/check");
    assert_eq!(status_of(&app, &token).await, ("draft".to_string(), 1));
    let page = app
        .get_with("/procedures/changement-adresse/check", &[("cookie", &anna)])
        .await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    for expected in [
        "<title>Vérifiez votre demande",
        "Avenue Louis Bertrand 12, 1030 Schaerbeek",
        "bail.pdf",
        // Each answer and document leads back to its place in the form.
        "href=\"/procedures/changement-adresse#nouvelle_adresse\"",
        "href=\"/procedures/changement-adresse#nombre_personnes\"",
        "href=\"/procedures/changement-adresse#bail_ou_acte\"",
        "Modifier<span class=\"visually-hidden\"> Nouvelle adresse</span>",
        "value=\"confirm\"",
        &format!("value=\"{token}\""),
    ] {
        assert!(page.contains(expected), "{expected} in {page}");
    }

    // "Envoyer la demande": the draft as kept. Answers posted with it change nothing.
    let r = file(
        &app,
        &anna,
        ADDRESS,
        &token,
        "confirm",
        &[("f.nombre_personnes", "9".to_string())],
        &[],
    )
    .await;
    let reference = reference_of(&r);
    assert_eq!(status_of(&app, &token).await, ("submitted".to_string(), 1));
    let data: String = sqlx::query_scalar("SELECT data FROM request WHERE token = $1")
        .bind(&token)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(data.contains("\"nombre_personnes\":\"2\""), "{data}");
    // Sent twice (a double click, a retry): the same request.
    let again = file(&app, &anna, ADDRESS, &token, "confirm", &[], &[]).await;
    assert_eq!(reference_of(&again), reference);
    assert_eq!(status_of(&app, &token).await.1, 1);

    // The dashboard names what it is about.
    let rows = dashboard(&app, &anna, &[]).await;
    assert_eq!(rows["rows"][0]["reference"], reference.as_str());
    assert_eq!(
        rows["rows"][0]["subject"],
        "Avenue Louis Bertrand 12, 1030 Schaerbeek"
    );

    // Nothing left to check: the page says so and leads to the form.
    let page = app
        .get_with("/procedures/changement-adresse/check", &[("cookie", &anna)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Il n'y a pas de demande à vérifier"),
        "{page}"
    );
    assert!(!page.contains("value=\"confirm\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirming_a_draft_that_is_gone_files_nothing() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let r = file(
        &app,
        &anna,
        ADDRESS,
        "a-token-of-no-draft-at-all-0123456789",
        "confirm",
        &valid_address(-3),
        &[("file.bail_ou_acte", "bail.pdf", PDF.to_vec())],
    )
    .await;
    assert_eq!(errors_of(&r), vec!["form:procedure.stale_form"]);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM request")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
    // And no file stays behind in the storage.
    assert!(crate::requests::stored_files(&app).is_empty());

    // Another person's draft cannot be sent by its token.
    let token = form_token(&app, &anna, ADDRESS).await;
    file(
        &app,
        &anna,
        ADDRESS,
        &token,
        "save",
        &valid_address(-3),
        &[],
    )
    .await;
    let bert = confirmed(&app, "bert@example.be").await;
    let r = file(&app, &bert, ADDRESS, &token, "confirm", &[], &[]).await;
    assert_eq!(r.status(), 403);
    assert_eq!(status_of(&app, &token).await.0, "draft");
}
