//! Issue 15, first items: what a signed-in person sees is never cached, and messages are
//! refused on a closed request and limited in rate.
use crate::helpers::*;
use crate::requests::{confirmed, file_address, make_agent};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_in_pages_and_answers_are_never_stored() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let page = app.get_with("/dashboard", &[("cookie", &anna)]).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let answer = post(&app, "/api/current_user", String::new(), Some(&anna)).await;
    assert_eq!(answer.headers()["cache-control"], "no-store");
    // Signing in sets a cookie: not stored either.
    let r = login(&app, "anna@example.be", PASSWORD, None).await;
    assert_eq!(r.headers()["cache-control"], "no-store");
    // The public home page, signed out, may be kept.
    let home = app.get("/").await;
    assert_ne!(
        home.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
}

async fn message(app: &TestApp, cookie: &str, reference: &str, body: &str) -> reqwest::Response {
    call(
        app,
        "send_message",
        &[("reference", reference), ("body", body)],
        cookie,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_stop_at_ten_an_hour_and_when_the_request_is_closed() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let reference = file_address(&app, &anna).await;
    let messages = || count(&app, "SELECT COUNT(*) FROM request_message");
    for i in 0..10 {
        let r = message(&app, &anna, &reference, &format!("Question {i}")).await;
        assert!(r.status().as_u16() < 400, "message {i}: {}", r.status());
    }
    let r = message(&app, &anna, &reference, "Une de trop").await;
    assert_eq!(codes(r).await, ["body:message.too_many"]);
    assert_eq!(messages().await, 10);

    // Closed by the administration: no more messages, from anyone.
    let agent = make_agent(&app, "agent@schaerbeek.be").await;
    let r = call(
        &app,
        "backoffice_status",
        &[
            ("reference", &reference),
            ("status", "closed"),
            ("note", ""),
        ],
        &agent,
    )
    .await;
    assert!(r.status().as_u16() < 400, "{}", r.status());
    sqlx::query("DELETE FROM request_message")
        .execute(&app.db)
        .await
        .unwrap();
    let r = message(&app, &anna, &reference, "Et maintenant ?").await;
    assert_eq!(codes(r).await, ["body:message.closed"]);
    let r = call(
        &app,
        "backoffice_message",
        &[("reference", &reference), ("body", "Pour information")],
        &agent,
    )
    .await;
    assert_eq!(codes(r).await, ["body:message.closed"]);
    assert_eq!(messages().await, 0);
    // Its page says so instead of offering the form.
    let page = app
        .get_with(&format!("/requests/{reference}"), &[("cookie", &anna)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("elle ne reçoit plus de messages"));
    assert!(!page.contains("name=\"body\""));
}
