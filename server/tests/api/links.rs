//! Links to a request (a notification, an e-mail) lead to it whatever profile the session
//! acts for, when the person may act for the request's profile: the session switches to
//! that profile and the page says so. Anyone else still gets "not found".
use crate::helpers::*;
use crate::requests::{confirmed, file_address};
use serde_json::Value;

const BCE: &str = "0403.170.701";

async fn view(app: &TestApp, cookie: &str, reference: &str) -> reqwest::Response {
    call(
        app,
        "request_view",
        &[("lang", "fr"), ("reference", reference)],
        cookie,
    )
    .await
}

async fn switch(app: &TestApp, cookie: &str, organisation: &str) {
    let r = call(
        app,
        "switch_profile",
        &[("organisation", organisation)],
        cookie,
    )
    .await;
    assert!(r.status().as_u16() < 400, "{}", r.status());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_to_a_request_of_another_profile_switches_to_it_and_says_so() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let citizen_request = file_address(&app, &anna).await;
    let org = create_organisation(&app, &anna, BCE, "Librairie du Parc").await;
    sqlx::query(
        "INSERT INTO request (reference, token, procedure_code, account_id, organisation_id, \
         status, data, assurance, service, created_at, submitted_at, updated_at) \
         SELECT '2026-000888', 'link-seed', 'autorisation-enseigne', a.id, $1, 'submitted', \
                '{}', 'basic', 'urbanisme', 1, 1, 1 FROM account a WHERE a.email = $2",
    )
    .bind(org)
    .bind("anna@example.be")
    .execute(&app.db)
    .await
    .unwrap();

    // Acting for the organisation, the link to her citizen request switches back.
    switch(&app, &anna, &org.to_string()).await;
    let r = view(&app, &anna, &citizen_request).await;
    assert_eq!(r.status(), 200);
    let seen: Value = r.json().await.unwrap();
    assert_eq!(seen["switched_to"], "Citizen", "{seen}");
    assert_eq!(current(&app, &anna).await["active"], Value::Null);

    // As the citizen, the organisation's request switches to the organisation.
    let seen: Value = view(&app, &anna, "2026-000888").await.json().await.unwrap();
    assert_eq!(
        seen["switched_to"],
        serde_json::json!({ "Organisation": "Librairie du Parc" }),
        "{seen}"
    );
    assert_eq!(current(&app, &anna).await["active"]["id"], org);
    // Seen again from the right profile: no switch to announce.
    let seen: Value = view(&app, &anna, "2026-000888").await.json().await.unwrap();
    assert_eq!(seen["switched_to"], Value::Null);

    // Someone who may not act for either profile gets "not found", and nothing switches.
    let bob = confirmed(&app, "bob@example.be").await;
    for reference in [
        citizen_request.as_str(),
        "2026-000888",
        "2026-999999",
        "nonsense",
    ] {
        let r = view(&app, &bob, reference).await;
        assert_eq!(r.status(), 404, "{reference}");
    }
    assert_eq!(current(&app, &bob).await["active"], Value::Null);
    // Nor does someone whose request to join still waits.
    ask_access(&app, &bob, BCE, "vendeur").await;
    let r = view(&app, &bob, "2026-000888").await;
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_asked_for_while_signed_out_is_reached_after_signing_in() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let reference = file_address(&app, &anna).await;
    let asked = format!("/requests/{reference}");
    let r = app.get(&asked).await;
    let to = location(&r);
    assert_eq!(to, format!("/login?next=%2Frequests%2F{reference}"));
    let r = post(
        &app,
        "/api/login",
        form(&[
            ("email", "anna@example.be"),
            ("password", PASSWORD),
            ("next", &asked),
        ]),
        None,
    )
    .await;
    assert_eq!(location(&r), asked);
}
