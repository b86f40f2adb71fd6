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

/// "Mot de passe oublié" for `email`, from `ip` (through the trusted proxy).
async fn forgot_from(app: &TestApp, email: &str, ip: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/forgot_password"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-for", ip)
        .body(form(&[("email", email)]))
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_sends_an_email_is_limited_per_address_per_connection_and_in_all() {
    let app = spawn_app_with(&[
        ("OUTBOX_INTERVAL_SECONDS", "0"),
        ("TRUST_PROXY", "127.0.0.1"),
        ("SEND_LIMIT_PER_IP", "8"),
        ("SEND_LIMIT_TOTAL", "14"),
    ])
    .await;
    register(&app, &registration("rosa@example.be", &[])).await;
    let sent = || {
        count(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE recipient = 'rosa@example.be'",
        )
    };
    let before = sent().await;

    // Per address, whoever asks and whether it has an account or not: five an hour.
    for i in 0..4 {
        let r = forgot_from(&app, "rosa@example.be", &format!("192.0.2.{i}")).await;
        assert_eq!(r.status(), 200, "try {i}");
    }
    let refused = forgot_from(&app, "Rosa@Example.be", "192.0.2.50").await;
    assert_eq!(refused.status(), 429);
    assert_eq!(
        refused.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({"TooManyMails": {"field": "email"}})
    );
    assert_eq!(
        sent().await,
        before + 1,
        "one reset link (the gap), nothing more"
    );

    // Per connection: eight an hour, for any addresses; another connection still may.
    for i in 0..8 {
        let r = forgot_from(&app, &format!("nobody{i}@example.be"), "198.51.100.7").await;
        assert_eq!(r.status(), 200, "try {i}");
    }
    let r = forgot_from(&app, "someone.else@example.be", "198.51.100.7").await;
    assert_eq!(r.status(), 429);
    let r = forgot_from(&app, "someone.else@example.be", "203.0.113.1").await;
    assert_eq!(r.status(), 200);

    // In all: fourteen in the hour (the registration, 4, 8 and 1 above; the refused ones
    // count as nothing), so the next is refused from anywhere.
    let r = forgot_from(&app, "fresh@example.be", "203.0.113.99").await;
    assert_eq!(r.status(), 429);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM send_request").await, 14);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_sent_together_cannot_pass_the_limit_together() {
    let app = spawn_app_with(&[("OUTBOX_INTERVAL_SECONDS", "0")]).await;
    let mut sent = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let request = app
            .client
            .post(app.url("/api/forgot_password"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[("email", "cible@example.be")]));
        sent.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let (mut accepted, mut refused) = (0, 0);
    while let Some(status) = sent.join_next().await {
        match status.unwrap() {
            200 => accepted += 1,
            429 => refused += 1,
            other => panic!("answered {other}"),
        }
    }
    assert_eq!(accepted + refused, 12);
    assert!((1..=5).contains(&accepted), "{accepted} accepted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_its_headers_too_slowly_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(&[("HEADER_READ_TIMEOUT_SECONDS", "1")]).await;
    let host = app.address.trim_start_matches("http://").to_string();

    // Slow but within the limit: answered.
    let mut patient = tokio::net::TcpStream::connect(&host).await.unwrap();
    for part in [
        "GET /healthz HTTP/1.1\r\n",
        "Host: x\r\n",
        "Connection: close\r\n",
        "\r\n",
    ] {
        patient.write_all(part.as_bytes()).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    let mut answer = String::new();
    patient.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // A byte now and then, never the end of the headers ("slowloris"): the server hangs up
    // once the limit is past, whatever still trickles in.
    let mut slow = tokio::net::TcpStream::connect(&host).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut buffer = [0u8; 512];
    let closed = loop {
        let _ = slow.write_all(b"X-a: b\r\n").await;
        match tokio::time::timeout(
            std::time::Duration::from_millis(300),
            slow.read(&mut buffer),
        )
        .await
        {
            Ok(Ok(0)) | Ok(Err(_)) => break started.elapsed(),
            Ok(Ok(n)) => {
                // hyper may say 408 before it hangs up: that is an end too.
                let text = String::from_utf8_lossy(&buffer[..n]).to_string();
                assert!(text.starts_with("HTTP/1.1 408"), "{text}");
                break started.elapsed();
            }
            Err(_) => assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "still open after 5 s"
            ),
        }
    };
    assert!(
        closed >= std::time::Duration::from_millis(900),
        "cut off before the limit: {closed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_beyond_the_server_s_slots_are_told_to_come_back() {
    use tokio::io::AsyncWriteExt;
    let app = spawn_app_with(&[("OUTBOX_INTERVAL_SECONDS", "0"), ("UPLOAD_SLOTS", "1")]).await;
    let cookie = crate::requests::confirmed(&app, "lent@example.be").await;
    let token = crate::requests::form_token(&app, &cookie, "changement-adresse").await;
    let host = app.address.trim_start_matches("http://").to_string();
    // One upload that takes its time: it holds the only slot while its body trickles in.
    let mut slow = tokio::net::TcpStream::connect(&host).await.unwrap();
    let head = format!(
        "POST /procedures/changement-adresse/file HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n\
         Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 100000\r\n\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{token}\r\n"
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let save = || async {
        crate::requests::file(
            &app,
            &cookie,
            "changement-adresse",
            &token,
            "save",
            &[],
            &[],
        )
        .await
    };
    let busy = save().await;
    assert_eq!(busy.status(), 503);
    assert_eq!(busy.headers()["retry-after"], "5");

    // The slow one gone, uploads are taken again.
    drop(slow);
    let mut answer = save().await;
    for _ in 0..10 {
        if answer.status() != 503 {
            break;
        }
        answer = save().await;
    }
    assert_eq!(answer.status(), 303);
}
