//! The sign-in limit, forgotten passwords, "Mes informations" and "Sécurité".
use crate::helpers::*;
use serde_json::{json, Value};

const NEW_PASSWORD: &str = "trois tortues traversent la chaussée";

fn field_codes(error: &Value) -> Vec<(String, String)> {
    error["Validation"]
        .as_array()
        .unwrap_or_else(|| panic!("{error}"))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Moves every recorded failure back in time, as if that much time had passed.
async fn age_failures(app: &TestApp, ms: i64) {
    sqlx::query("UPDATE login_failure SET created_at = created_at - $1")
        .bind(ms)
        .execute(&app.db)
        .await
        .unwrap();
}

fn link_token(mail: &Value, key: &str) -> String {
    mail[key]
        .as_str()
        .and_then(|link| link.split("token=").nth(1))
        .unwrap_or_else(|| panic!("no link in {mail}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_limit_triggers_grows_and_releases() {
    let app = spawn_app_with(NO_WORKER).await;
    register(&app, &registration("lise@example.be", &[])).await;
    for _ in 0..5 {
        let response = login(&app, "lise@example.be", "not the password!", None).await;
        assert_eq!(response.status(), 400);
    }
    // Locked: even the right password is refused, with the time to wait.
    let response = login(&app, "LISE@example.be", PASSWORD, None).await;
    assert_eq!(response.status(), 429);
    assert!(session_cookie(&response).is_none());
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"TooManyAttempts": {"minutes": 1}})
    );

    // A minute later one more try is allowed; failing again doubles the wait.
    age_failures(&app, 61_000).await;
    let response = login(&app, "lise@example.be", "still not it!!", None).await;
    assert_eq!(response.status(), 400);
    let response = login(&app, "lise@example.be", PASSWORD, None).await;
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"TooManyAttempts": {"minutes": 2}})
    );

    // Fifteen quiet minutes release the address; a success clears its count.
    age_failures(&app, 15 * 60_000).await;
    let response = login(&app, "lise@example.be", PASSWORD, None).await;
    assert_eq!(response.status(), 200);
    assert!(session_cookie(&response).is_some());
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM login_failure WHERE scope LIKE 'email:%'"
        )
        .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_addresses_are_limited_like_known_ones() {
    let app = spawn_app_with(NO_WORKER).await;
    for _ in 0..5 {
        login(&app, "nobody@example.be", "whatever password", None).await;
    }
    let response = login(&app, "nobody@example.be", "whatever password", None).await;
    assert_eq!(response.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_ip_address_is_limited_whatever_the_addresses_it_tries() {
    let app = spawn_app_with(NO_WORKER).await;
    register(&app, &registration("karel@example.be", &[])).await;
    for i in 0..20 {
        let response = login(
            &app,
            &format!("guess{i}@example.be"),
            "password guess",
            None,
        )
        .await;
        assert_eq!(response.status(), 400, "try {i}");
    }
    // Without TRUST_PROXY a forged X-Forwarded-For changes nothing.
    let response = app
        .client
        .post(app.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-for", "203.0.113.9")
        .body(form(&[
            ("email", "karel@example.be"),
            ("password", PASSWORD),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_the_forwarded_address_counts() {
    let app = spawn_app_with(&[
        ("OUTBOX_INTERVAL_SECONDS", "0"),
        ("TRUST_PROXY", "127.0.0.1"),
    ])
    .await;
    let attempt = |ip: &'static str| {
        app.client
            .post(app.url("/api/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", format!("198.51.100.1, {ip}"))
            .body(form(&[
                ("email", "x@example.be"),
                ("password", "password guess"),
            ]))
            .send()
    };
    for _ in 0..5 {
        attempt("192.0.2.10").await.unwrap();
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM login_failure WHERE scope = 'ip:192.0.2.10'"
        )
        .await,
        5
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_sent_together_cannot_pass_the_limit() {
    let app = spawn_app_with(NO_WORKER).await;
    register(&app, &registration("noor@example.be", &[])).await;
    let mut sent = tokio::task::JoinSet::new();
    for i in 0..12 {
        let request = app
            .client
            .post(app.url("/api/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[
                ("email", "noor@example.be"),
                ("password", &format!("guess number {i}")),
            ]));
        sent.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let mut checked = 0;
    while let Some(status) = sent.join_next().await {
        match status.unwrap() {
            400 => checked += 1,
            429 => {}
            other => panic!("a guess answered {other}"),
        }
    }
    // Each try is written down before its password is checked, and counts the tries before
    // it, in flight included: at most the 5 free ones are ever checked, however many arrive
    // at once (when all arrive together, none is).
    assert!(checked <= 5, "{checked} guesses were checked");
    // Those checked are the failures that count; the refused ones left nothing behind.
    let failures = count(
        &app,
        "SELECT COUNT(*) FROM login_failure WHERE scope LIKE 'email:noor@example.be|%'",
    )
    .await;
    assert_eq!(failures, checked);
    let response = login(&app, "noor@example.be", PASSWORD, None).await;
    let expected = if checked == 5 { 429 } else { 200 };
    assert_eq!(response.status(), expected, "after {checked} failures");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_elsewhere_cannot_lock_the_person_out() {
    let app = spawn_app_with(&[
        ("OUTBOX_INTERVAL_SECONDS", "0"),
        ("TRUST_PROXY", "127.0.0.1"),
    ])
    .await;
    register(&app, &registration("ines@example.be", &[])).await;
    let from = |ip: &str, password: &str| {
        app.client
            .post(app.url("/api/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", ip)
            .body(form(&[
                ("email", "ines@example.be"),
                ("password", password),
            ]))
            .send()
    };
    for _ in 0..10 {
        from("203.0.113.66", "a stranger's guess").await.unwrap();
    }
    // The stranger is locked out…
    let stranger = from("203.0.113.66", PASSWORD).await.unwrap();
    assert_eq!(stranger.status(), 429);
    // …the person, from their own connection, is not.
    let person = from("198.51.100.7", PASSWORD).await.unwrap();
    assert_eq!(person.status(), 200);
    assert!(session_cookie(&person).is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_with_a_link_that_works_once() {
    let app = spawn_app_with(NO_WORKER).await;
    let old_session = signed_in(&app, "rosa@example.be").await;

    // The same answer for an unknown address, and no e-mail.
    let unknown = post(
        &app,
        "/api/forgot_password",
        form(&[("email", "nobody@example.be")]),
        None,
    )
    .await;
    let known = post(
        &app,
        "/api/forgot_password",
        form(&[("email", "Rosa@example.be")]),
        None,
    )
    .await;
    assert_eq!(unknown.status(), known.status());
    assert_eq!(known.headers()["location"], "/forgot-password?sent=1");
    assert_eq!(unknown.headers()["location"], known.headers()["location"]);
    assert!(mails_to(&app, "nobody@example.be").await.is_empty());
    let mails = mails_to(&app, "rosa@example.be").await;
    let reset = mails
        .iter()
        .find(|m| m["template"] == "password_reset")
        .expect("a reset e-mail");
    let token = link_token(reset, "link");

    // The page checks the link before it shows the form.
    let page = app
        .get("/reset-password?token=nonsense")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("n&#x27;est pas valable") || page.contains("n'est pas valable"),
        "{page}"
    );
    let page = app
        .get(&format!("/reset-password?token={token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Enregistrer le nouveau mot de passe"));

    // A weak password changes nothing and keeps the link usable.
    let response = post(
        &app,
        "/api/reset_password",
        form(&[
            ("token", &token),
            ("password", "password1234"),
            ("password_confirm", "password1234"),
        ]),
        None,
    )
    .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        field_codes(&response.json().await.unwrap()),
        vec![("password".to_string(), "password.too_common".to_string())]
    );

    let response = post(
        &app,
        "/api/reset_password",
        form(&[
            ("token", &token),
            ("password", NEW_PASSWORD),
            ("password_confirm", NEW_PASSWORD),
        ]),
        None,
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["location"], "/login?reset=1");

    // Every session ended; the old password no longer works, the new one does.
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &old_session)])
            .await
            .status(),
        303
    );
    assert_eq!(
        login(&app, "rosa@example.be", PASSWORD, None)
            .await
            .status(),
        400
    );
    assert_eq!(
        login(&app, "rosa@example.be", NEW_PASSWORD, None)
            .await
            .status(),
        200
    );
    assert!(mails_to(&app, "rosa@example.be")
        .await
        .iter()
        .any(|m| m["template"] == "password_changed"));

    // The link worked once.
    let response = post(
        &app,
        "/api/reset_password",
        form(&[
            ("token", &token),
            ("password", NEW_PASSWORD),
            ("password_confirm", NEW_PASSWORD),
        ]),
        None,
    )
    .await;
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"Token": "Used"})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_expires_after_an_hour() {
    let app = spawn_app_with(NO_WORKER).await;
    register(&app, &registration("tom@example.be", &[])).await;
    post(
        &app,
        "/api/forgot_password",
        form(&[("email", "tom@example.be")]),
        None,
    )
    .await;
    let mails = mails_to(&app, "tom@example.be").await;
    let token = link_token(mails.last().unwrap(), "link");
    let expires: i64 = sqlx::query_scalar(
        "SELECT expires_at - created_at FROM email_token WHERE purpose = 'reset_password'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(expires, 3_600_000);
    sqlx::query("UPDATE email_token SET expires_at = 0 WHERE purpose = 'reset_password'")
        .execute(&app.db)
        .await
        .unwrap();
    let page = app
        .get(&format!("/reset-password?token={token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("a expiré"), "{page}");
    let response = post(
        &app,
        "/api/reset_password",
        form(&[
            ("token", &token),
            ("password", NEW_PASSWORD),
            ("password_confirm", NEW_PASSWORD),
        ]),
        None,
    )
    .await;
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"Token": "Expired"})
    );
    assert_eq!(
        login(&app, "tom@example.be", PASSWORD, None).await.status(),
        200
    );
}

fn profile_form<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("form[first_name]", "Amélie"),
        ("form[last_name]", "Peeters-Janssens"),
        ("form[language]", "nl"),
        ("form[landline]", "04 123 45 67"),
        ("form[mobile]", "0470/12.34.56"),
        ("form[contact_email]", ""),
        ("form[street]", "Place Colignon"),
        ("form[house_number]", "1"),
        ("form[box_number]", ""),
        ("form[postal_code]", "1030"),
        ("form[city]", "Schaerbeek"),
    ];
    for (name, value) in overrides {
        fields.retain(|(n, _)| n != name);
        fields.push((name, value));
    }
    fields
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizen_profile_is_edited_and_bad_values_change_nothing() {
    let app = spawn_app_with(NO_WORKER).await;
    assert_eq!(app.get("/account/profile").await.status(), 303);
    let cookie = signed_in(&app, "amelie@example.be").await;

    let response = post(
        &app,
        "/api/save_profile",
        form(&profile_form(&[
            ("form[landline]", "0470 12 34 56"),
            ("form[mobile]", "02 123 45 67"),
            ("form[postal_code]", "999"),
            ("form[first_name]", " "),
        ])),
        Some(&cookie),
    )
    .await;
    assert_eq!(response.status(), 400);
    let codes = field_codes(&response.json().await.unwrap());
    assert_eq!(
        codes,
        vec![
            ("first_name".to_string(), "name.empty".to_string()),
            (
                "landline".to_string(),
                "phone.expected_landline".to_string()
            ),
            ("mobile".to_string(), "phone.expected_mobile".to_string()),
            ("postal_code".to_string(), "postal_code.invalid".to_string()),
        ]
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM citizen_profile WHERE landline IS NOT NULL"
        )
        .await,
        0
    );

    let response = post(
        &app,
        "/api/save_profile",
        form(&profile_form(&[])),
        Some(&cookie),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["location"], "/account/profile?saved=1");
    let sets_language = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("lang=nl"));
    assert!(sets_language, "the page follows the language chosen");
    let (landline, mobile, last_name): (String, String, String) =
        sqlx::query_as("SELECT landline, mobile, last_name FROM citizen_profile")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (landline.as_str(), mobile.as_str()),
        ("+3241234567", "+32470123456")
    );
    assert_eq!(last_name, "Peeters-Janssens");
    let language: String = sqlx::query_scalar("SELECT language FROM account")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(language, "nl");
    // Signing in again, from a browser that never chose: the pages follow the account.
    let again = login(&app, "amelie@example.be", PASSWORD, None).await;
    assert_eq!(again.status(), 200);
    assert!(
        again
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("lang=nl;")),
        "the account's language after sign-in"
    );

    // The form opens with what was saved, in the account's language.
    let page = app
        .get_with("/account/profile", &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("value=\"04 123 45 67\""), "{page}");
    assert!(page.contains("value=\"Place Colignon\""));
    assert!(page.contains("Mijn gegevens"));
    // The name in the header changed too.
    assert!(page.contains("Amélie Peeters-Janssens"));

    // A foreign number is a contact number too (E.164); a malformed one is refused with its
    // reason and changes nothing.
    let response = post(
        &app,
        "/api/save_profile",
        form(&profile_form(&[("form[mobile]", "+33 6 12")])),
        Some(&cookie),
    )
    .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        field_codes(&response.json().await.unwrap()),
        vec![(
            "mobile".to_string(),
            "phone.invalid_international".to_string()
        )]
    );
    let response = post(
        &app,
        "/api/save_profile",
        form(&profile_form(&[("form[mobile]", "0033 6 12 34 56 78")])),
        Some(&cookie),
    )
    .await;
    assert_eq!(response.status(), 200);
    let mobile: String = sqlx::query_scalar("SELECT mobile FROM citizen_profile")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(mobile, "+33612345678");
    let page = app
        .get_with("/account/profile", &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("value=\"+33612345678\""), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_asks_the_current_one_and_ends_other_sessions() {
    let app = spawn_app_with(NO_WORKER).await;
    let here = signed_in(&app, "noor@example.be").await;
    let elsewhere = session_cookie(&login(&app, "noor@example.be", PASSWORD, None).await).unwrap();

    let change = |current: &'static str, new: &'static str| {
        post(
            &app,
            "/api/change_password",
            form(&[
                ("current_password", current),
                ("password", new),
                ("password_confirm", new),
            ]),
            Some(&here),
        )
    };
    let response = change("not my password", NEW_PASSWORD).await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        field_codes(&response.json().await.unwrap()),
        vec![(
            "current_password".to_string(),
            "current_password.wrong".to_string()
        )]
    );
    assert_eq!(
        login(&app, "noor@example.be", PASSWORD, None)
            .await
            .status(),
        200
    );

    let response = change(PASSWORD, NEW_PASSWORD).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["location"],
        "/account/security?changed=password"
    );
    // This session goes on under a new token; the old token and the other sessions end.
    let renewed = session_cookie(&response).expect("a new session cookie");
    assert_ne!(renewed, here);
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &renewed)])
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &here)])
            .await
            .status(),
        303
    );
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &elsewhere)])
            .await
            .status(),
        303
    );
    assert_eq!(
        login(&app, "noor@example.be", NEW_PASSWORD, None)
            .await
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_email_address_takes_effect_once_confirmed_and_the_old_one_is_told() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = signed_in(&app, "ines@example.be").await;
    register(&app, &registration("taken@example.be", &[])).await;

    let ask = |new: &'static str, password: &'static str| {
        post(
            &app,
            "/api/change_email",
            form(&[("new_email", new), ("email_password", password)]),
            Some(&cookie),
        )
    };
    let response = ask("ines@example.be", PASSWORD).await;
    assert_eq!(
        field_codes(&response.json().await.unwrap()),
        vec![("new_email".to_string(), "email.same".to_string())]
    );
    let response = ask("nouvelle@example.be", "wrong password").await;
    assert_eq!(
        field_codes(&response.json().await.unwrap()),
        vec![(
            "email_password".to_string(),
            "current_password.wrong".to_string()
        )]
    );

    let response = ask("Nouvelle@Example.be", PASSWORD).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["location"],
        "/account/security?changed=email"
    );
    let notice = mails_to(&app, "ines@example.be").await;
    let notice = notice
        .iter()
        .find(|m| m["template"] == "email_change_requested")
        .expect("the old address is told");
    assert_eq!(notice["new_email"], "nouvelle@example.be");
    let confirm = mails_to(&app, "nouvelle@example.be").await;
    let token = link_token(&confirm[0], "link");
    assert_eq!(confirm[0]["template"], "confirm_new_email");
    // Nothing changed yet: the old address still signs in (on another device), and can ask
    // for a reset link.
    let elsewhere = login(&app, "ines@example.be", PASSWORD, None).await;
    assert_eq!(elsewhere.status(), 200);
    let elsewhere = session_cookie(&elsewhere).unwrap();
    post(
        &app,
        "/api/forgot_password",
        form(&[("email", "ines@example.be")]),
        None,
    )
    .await;
    let reset = mails_to(&app, "ines@example.be").await;
    let reset = reset
        .iter()
        .find(|m| m["template"] == "password_reset")
        .expect("a reset e-mail");
    let reset_token = link_token(reset, "link");

    // Confirmed from the session that asked: it goes on; every other session ends, and the
    // reset link sent to the old address no longer works.
    let response = post(
        &app,
        "/api/verify_email",
        form(&[("token", &token)]),
        Some(&cookie),
    )
    .await;
    assert!(response.status().as_u16() < 400, "{}", response.status());
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &cookie)])
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &elsewhere)])
            .await
            .status(),
        303
    );
    let response = post(
        &app,
        "/api/reset_password",
        form(&[
            ("token", &reset_token),
            ("password", NEW_PASSWORD),
            ("password_confirm", NEW_PASSWORD),
        ]),
        None,
    )
    .await;
    assert_eq!(response.status(), 400, "the old reset link is dead");
    assert_eq!(
        login(&app, "nouvelle@example.be", PASSWORD, None)
            .await
            .status(),
        200
    );
    assert_eq!(
        login(&app, "ines@example.be", PASSWORD, None)
            .await
            .status(),
        400
    );

    // An address with an account of its own: the same answer, its owner is told, no link.
    let response = ask("taken@example.be", PASSWORD).await;
    assert_eq!(response.status(), 200);
    assert!(mails_to(&app, "taken@example.be")
        .await
        .iter()
        .any(|m| m["template"] == "registration_attempt"));
    assert!(!mails_to(&app, "taken@example.be")
        .await
        .iter()
        .any(|m| m["template"] == "confirm_new_email"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_listed_and_can_be_ended_and_events_are_shown() {
    let app = spawn_app_with(NO_WORKER).await;
    let here = signed_in(&app, "marc@example.be").await;
    let phone = app
        .client
        .post(app.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header(
            "user-agent",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
        )
        .body(form(&[("email", "marc@example.be"), ("password", PASSWORD)]))
        .send()
        .await
        .unwrap();
    let phone = session_cookie(&phone).unwrap();
    login(&app, "marc@example.be", "a wrong password", None).await;
    let other = signed_in(&app, "someone@example.be").await;

    let page = app
        .get_with("/account/security", &[("cookie", &here)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Chrome, Android"), "{page}");
    assert!(page.contains("Cette session"));
    assert_eq!(page.matches("Fermer cette session").count(), 1);
    assert!(page.contains("Échec de connexion"));
    assert!(page.contains("Création du compte"));

    let phone_id: String =
        sqlx::query_scalar("SELECT id_hash FROM session WHERE user_agent LIKE '%Android%'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    // Another account cannot end it.
    post(
        &app,
        "/api/end_session",
        form(&[("id", &phone_id)]),
        Some(&other),
    )
    .await;
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &phone)])
            .await
            .status(),
        200
    );

    let response = post(
        &app,
        "/api/end_session",
        form(&[("id", &phone_id)]),
        Some(&here),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &phone)])
            .await
            .status(),
        303
    );
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &here)])
            .await
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_request_never_sees_the_person_of_another_request() {
    // Regression: the signed-in person was once looked up as a Leptos context, which a
    // request could find on an owner left by another request on the same thread — a
    // signed-out sign-in then "ended the previous session" of someone else.
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = signed_in(&app, "victime@example.be").await;
    // The signed-in person renders pages (server-side, with their resources) and calls
    // server functions, on two tasks, while an anonymous client asks who it is.
    let spawn_signed = |paths: &'static [&'static str]| {
        let base = app.address.clone();
        let client = app.client.clone();
        let cookie = cookie.clone();
        tokio::spawn(async move {
            for i in 0..60 {
                let path = paths[i % paths.len()];
                let request = if path.starts_with("/api/") {
                    client
                        .post(format!("{base}{path}"))
                        .header("content-type", "application/x-www-form-urlencoded")
                } else {
                    client.get(format!("{base}{path}"))
                };
                let response = request.header("cookie", &cookie).send().await.unwrap();
                assert_eq!(response.status(), 200, "{path}");
            }
        })
    };
    let pages = spawn_signed(&["/dashboard", "/account/security", "/account/profile"]);
    let calls = spawn_signed(&["/api/current_user", "/dashboard"]);
    for _ in 0..200 {
        let response = app
            .client
            .post(app.url("/api/current_user"))
            .header("content-type", "application/x-www-form-urlencoded")
            .send()
            .await
            .unwrap();
        let body: Value = response.json().await.unwrap();
        assert_eq!(body, Value::Null, "an anonymous request saw someone");
    }
    pages.await.unwrap();
    calls.await.unwrap();
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &cookie)])
            .await
            .status(),
        200
    );
}
