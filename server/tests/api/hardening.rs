//! Issue 15: what a signed-in person sees is never cached, messages are refused on a closed
//! request and limited in rate, access requests are limited, and password hashing has a
//! bound (503 beyond it).
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_hashing_beyond_its_slots_answers_503_with_retry_after() {
    // One slot, no waiting: registrations sent together find it taken.
    let app = spawn_app_with(&[
        ("OUTBOX_INTERVAL_SECONDS", "0"),
        ("PASSWORD_HASHING_SLOTS", "1"),
        ("PASSWORD_HASHING_WAIT_MS", "0"),
    ])
    .await;
    let mut sent = tokio::task::JoinSet::new();
    let addresses: Vec<String> = (0..8).map(|i| format!("busy{i}@example.be")).collect();
    for address in &addresses {
        let request = app
            .client
            .post(app.url("/api/register"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(form(&registration(address, &[])));
        sent.spawn(async move { request.send().await.unwrap() });
    }
    let (mut done, mut busy) = (0, 0);
    while let Some(answer) = sent.join_next().await {
        let answer = answer.unwrap();
        match answer.status().as_u16() {
            503 => {
                busy += 1;
                assert_eq!(answer.headers()["retry-after"], "5");
                let error: serde_json::Value = answer.json().await.unwrap();
                assert_eq!(error["Busy"]["seconds"], 5, "{error}");
            }
            status => {
                assert!(status < 400, "a registration answered {status}");
                done += 1;
            }
        }
    }
    assert!(
        busy > 0,
        "8 registrations at once never found the one slot taken"
    );
    assert!(done > 0, "no registration got the slot");
    // Refused ones changed nothing: an account for each accepted registration only.
    assert_eq!(count(&app, "SELECT COUNT(*) FROM account").await, done);

    // Once they are done the slot is free again.
    let calm = register(&app, &registration("calm@example.be", &[])).await;
    assert!(calm.status().as_u16() < 400, "{}", calm.status());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM account").await, done + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asking_again_and_again_for_access_stops_ringing_the_administrators() {
    let app = spawn_app_with(NO_WORKER).await;
    let admin = signed_in(&app, "admin@example.be").await;
    let id = create_organisation(&app, &admin, "0123.456.749", "Les Amis du Parc").await;
    let asker = signed_in(&app, "asker@example.be").await;
    let asked = || async {
        mails_to(&app, "admin@example.be")
            .await
            .iter()
            .filter(|m| m["template"] == "access_requested")
            .count()
    };
    // Asked, refused, asked again: three times.
    for round in 1..=3 {
        ask_access(&app, &asker, "0123.456.749", "trésorier").await;
        assert_eq!(asked().await, round);
        let pending: i64 = sqlx::query_scalar("SELECT id FROM membership WHERE status = 'pending'")
            .fetch_one(&app.db)
            .await
            .unwrap();
        let r = call(
            &app,
            "organisation_member_action",
            &[
                ("id", &id.to_string()),
                ("membership", &pending.to_string()),
                ("action", "refuse"),
            ],
            &admin,
        )
        .await;
        assert!(r.status().as_u16() < 400, "refusal {round}: {}", r.status());
    }
    // A fourth time is refused with the reason, and nobody is e-mailed.
    call(
        &app,
        "organisation_start",
        &[
            ("kind", "entreprise"),
            ("bce", "0123.456.749"),
            ("terms", "on"),
        ],
        &asker,
    )
    .await;
    let r = call(
        &app,
        "organisation_request_access",
        &[("function", "trésorier")],
        &asker,
    )
    .await;
    assert_eq!(codes(r).await, ["function:access.too_many"]);
    assert_eq!(asked().await, 3);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM membership WHERE status = 'pending'"
        )
        .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_the_session_cookie_is_host_only() {
    let app = spawn_app_with(&[
        ("OUTBOX_INTERVAL_SECONDS", "0"),
        ("BASE_URL", "https://espace.example.be"),
    ])
    .await;
    register(&app, &registration("hana@example.be", &[])).await;
    confirm_address(&app, "hana@example.be").await;
    let r = login(&app, "hana@example.be", PASSWORD, None).await;
    let set = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-espace_session="))
        .expect("a __Host- session cookie")
        .to_string();
    assert!(
        set.contains("; Path=/") && set.contains("; Secure"),
        "{set}"
    );
    assert!(!set.to_lowercase().contains("domain="), "{set}");
    let pair = set.split(';').next().unwrap().to_string();
    let page = app.get_with("/dashboard", &[("cookie", &pair)]).await;
    assert_eq!(page.status(), 200);
    // The same token under the plain name (as a neighbouring subdomain could plant it) is not
    // a session.
    let token = pair.split_once('=').unwrap().1;
    let planted = app
        .get_with(
            "/dashboard",
            &[("cookie", &format!("espace_session={token}"))],
        )
        .await;
    assert_ne!(planted.status(), 200);
}
