use crate::helpers::*;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_verify_login_dashboard_logout() {
    let app = spawn_app_with(NO_WORKER).await;
    let response = register(&app, &registration("amelie@example.be", &[])).await;
    assert_eq!(response.status(), 200);
    // Called as the hydrated page calls it: the client follows the Location.
    assert_eq!(response.headers()["location"], "/register/check-email");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM account").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM citizen_profile").await, 1);

    // Signed in before verifying: the dashboard says the address must be confirmed.
    let response = login(&app, "Amelie@Example.be", PASSWORD, None).await;
    let cookie = session_cookie(&response).expect("a session cookie");
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    assert!(!set_cookie.contains("Secure"), "no Secure over http");
    // Until the address is confirmed, the dashboard leads to the page that says so.
    let response = app.get_with("/dashboard", &[("cookie", &cookie)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/register/check-email");
    let body = app
        .get_with("/register/check-email", &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains("Confirmez votre adresse e-mail"), "{body}");

    let token = verification_token(&app, "amelie@example.be").await;
    let response = post(
        &app,
        "/api/verify_email",
        form(&[("token", &token)]),
        Some(&cookie),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["location"], "/dashboard");
    let verified = count(
        &app,
        "SELECT COUNT(*) FROM account WHERE email_verified_at IS NOT NULL",
    )
    .await;
    assert_eq!(verified, 1);

    let response = app.get_with("/dashboard", &[("cookie", &cookie)]).await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(body.contains("mon espace citoyen"), "{body}");
    assert!(
        body.contains("Vous n'avez encore introduit aucune démarche."),
        "{body}"
    );
    assert!(body.contains("Amélie Peeters"));
    assert!(!body.contains("Confirmez votre adresse e-mail"));

    let response = post(&app, "/api/logout", String::new(), Some(&cookie)).await;
    assert_eq!(response.headers()["location"], "/");
    let cleared = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cleared.starts_with("espace_session=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM session").await, 0);

    // The old cookie opens nothing any more.
    let response = app.get_with("/dashboard", &[("cookie", &cookie)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/login?next=%2Fdashboard&ended=1"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_needs_a_session() {
    let app = spawn_app_with(NO_WORKER).await;
    let response = app.get("/dashboard").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login?next=%2Fdashboard");
    let response = app
        .get_with("/dashboard", &[("cookie", "espace_session=forged")])
        .await;
    assert_eq!(response.status(), 303);
    assert!(response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_comes_back_to_the_page_asked_for_and_only_to_this_site() {
    let app = spawn_app_with(NO_WORKER).await;
    signed_in(&app, "anna@example.be").await;
    // Signed out, a page of the espace sends to the sign-in with the way back.
    let r = app.get("/notifications?page=2").await;
    assert_eq!(location(&r), "/login?next=%2Fnotifications%3Fpage%3D2");
    let back = |next: &str| {
        form(&[
            ("email", "anna@example.be"),
            ("password", PASSWORD),
            ("next", next),
        ])
    };
    let r = post(&app, "/api/login", back("/notifications?page=2"), None).await;
    assert_eq!(location(&r), "/notifications?page=2");
    // Another site, or a path that is not one, goes to the dashboard instead.
    for elsewhere in ["https://evil.example/", "//evil.example", "/\\evil.example"] {
        let r = post(&app, "/api/login", back(elsewhere), None).await;
        assert_eq!(location(&r), "/dashboard", "{elsewhere}");
    }
    // Without a way back: the dashboard, as before.
    let r = login(&app, "anna@example.be", PASSWORD, None).await;
    assert_eq!(location(&r), "/dashboard");
    // A wrong password with a way back changes nothing and goes nowhere.
    let r = post(
        &app,
        "/api/login",
        form(&[
            ("email", "anna@example.be"),
            ("password", "wrong"),
            ("next", "/account"),
        ]),
        None,
    )
    .await;
    assert_eq!(codes(r).await, ["password:invalid_credentials"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_id_changes_at_login() {
    let app = spawn_app_with(NO_WORKER).await;
    register(&app, &registration("jan@example.be", &[])).await;
    confirm_address(&app, "jan@example.be").await;
    let first = session_cookie(&login(&app, "jan@example.be", PASSWORD, None).await).unwrap();
    let second =
        session_cookie(&login(&app, "jan@example.be", PASSWORD, Some(&first)).await).unwrap();
    assert_ne!(first, second);
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &first)])
            .await
            .status(),
        303
    );
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &second)])
            .await
            .status(),
        200
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM session").await, 1);
    let stored: String = sqlx::query_scalar("SELECT id_hash FROM session")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(
        !second.contains(&stored),
        "the table holds a hash, not the token"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_while_signed_in_keeps_the_session() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = signed_in(&app, "garde@example.be").await;
    let r = login(
        &app,
        "garde@example.be",
        "pas le bon mot de passe",
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status(), 400);
    let r = login(&app, "autre@example.be", PASSWORD, Some(&cookie)).await;
    assert_eq!(r.status(), 400);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM session").await, 1);
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &cookie)])
            .await
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_already_registered_gets_the_same_answer_and_its_owner_is_told() {
    let app = spawn_app_with(NO_WORKER).await;
    let first = register(&app, &registration("anne@example.be", &[])).await;
    let again = register(
        &app,
        &registration("ANNE@example.be", &[("form[first_name]", "Mallory")]),
    )
    .await;
    assert_eq!(first.status(), again.status());
    assert_eq!(first.headers()["location"], again.headers()["location"]);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM account").await, 1);
    let first_name: String = sqlx::query_scalar("SELECT first_name FROM citizen_profile")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(
        first_name, "Amélie",
        "nothing of the second attempt was kept"
    );
    let mails = mails_to(&app, "anne@example.be").await;
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[0]["template"], "verify_email");
    assert_eq!(mails[1]["template"], "registration_attempt");
}

async fn refused(app: &TestApp, fields: &[(&str, &str)]) -> Vec<(String, String)> {
    let response = register(app, fields).await;
    assert_eq!(response.status(), 400, "{fields:?}");
    let error: Value = response.json().await.unwrap();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_registrations_say_why_and_change_nothing() {
    let app = spawn_app_with(NO_WORKER).await;
    type Case<'a> = (Vec<(&'a str, &'a str)>, (&'a str, &'a str));
    let cases: Vec<Case> = vec![
        (
            registration("not-an-address", &[]),
            ("email", "email.invalid"),
        ),
        (registration("", &[]), ("email", "email.empty")),
        (
            registration(
                "a@example.be",
                &[
                    ("form[password]", "short"),
                    ("form[password_confirm]", "short"),
                ],
            ),
            ("password", "password.too_short"),
        ),
        (
            registration(
                "a@example.be",
                &[
                    ("form[password]", "password1234"),
                    ("form[password_confirm]", "password1234"),
                ],
            ),
            ("password", "password.too_common"),
        ),
        (
            registration(
                "a@example.be",
                &[("form[password_confirm]", "vélo rouge sous la pluie d'avril")],
            ),
            ("password_confirm", "password.mismatch"),
        ),
        (
            registration("a@example.be", &[("form[terms]", "")]),
            ("terms", "terms.required"),
        ),
        (
            registration("a@example.be", &[("form[first_name]", "  ")]),
            ("first_name", "name.empty"),
        ),
        (
            registration("a@example.be", &[("form[language]", "de")]),
            ("language", "language.invalid"),
        ),
    ];
    for (fields, (field, code)) in cases {
        let errors = refused(&app, &fields).await;
        assert!(
            errors.contains(&(field.to_string(), code.to_string())),
            "{fields:?}: {errors:?}"
        );
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM account").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM outbox").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_are_refused_alike() {
    let app = spawn_app_with(NO_WORKER).await;
    register(&app, &registration("piet@example.be", &[])).await;
    for (email, password) in [
        ("piet@example.be", "not the password!"),
        ("nobody@example.be", PASSWORD),
        ("garbage", PASSWORD),
    ] {
        let response = login(&app, email, password, None).await;
        assert_eq!(response.status(), 400, "{email}");
        assert!(session_cookie(&response).is_none());
        let error: Value = response.json().await.unwrap();
        assert_eq!(
            error["Validation"][0]["code"], "invalid_credentials",
            "{email}"
        );
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM session").await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM security_event WHERE kind = 'login_failed'"
        )
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_links_expire_and_work_once() {
    let app = spawn_app_with(NO_WORKER).await;
    register(&app, &registration("eva@example.be", &[])).await;
    let token = verification_token(&app, "eva@example.be").await;

    let response = post(
        &app,
        "/api/verify_email",
        form(&[("token", "nonsense")]),
        None,
    )
    .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        serde_json::json!({"Token": "Unknown"})
    );

    sqlx::query("UPDATE email_token SET expires_at = 0")
        .execute(&app.db)
        .await
        .unwrap();
    let response = post(&app, "/api/verify_email", form(&[("token", &token)]), None).await;
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        serde_json::json!({"Token": "Expired"})
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM account WHERE email_verified_at IS NOT NULL"
        )
        .await,
        0
    );

    sqlx::query("UPDATE email_token SET expires_at = $1")
        .bind(i64::MAX)
        .execute(&app.db)
        .await
        .unwrap();
    let response = post(&app, "/api/verify_email", form(&[("token", &token)]), None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["location"], "/login?verified=1");
    let response = post(&app, "/api/verify_email", form(&[("token", &token)]), None).await;
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        serde_json::json!({"Token": "Used"})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_verification_link_can_be_asked_for() {
    let app = spawn_app_with(NO_WORKER).await;
    register(
        &app,
        &registration("lies@example.be", &[("form[language]", "nl")]),
    )
    .await;
    let old = verification_token(&app, "lies@example.be").await;
    let cookie = session_cookie(&login(&app, "lies@example.be", PASSWORD, None).await).unwrap();
    let response = post(
        &app,
        "/api/resend_verification",
        String::new(),
        Some(&cookie),
    )
    .await;
    assert_eq!(response.status(), 200);
    let new = verification_token(&app, "lies@example.be").await;
    assert_ne!(old, new);
    let language: String =
        sqlx::query_scalar("SELECT language FROM outbox ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(language, "nl");
    let response = post(&app, "/api/verify_email", form(&[("token", &old)]), None).await;
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        serde_json::json!({"Token": "Used"})
    );
    let response = post(&app, "/api/resend_verification", String::new(), None).await;
    assert_eq!(response.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_forms_redirect() {
    let app = spawn_app_with(NO_WORKER).await;
    let response = app
        .client
        .post(app.url("/api/register"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("referer", app.url("/register"))
        .body(form(&registration("noscript@example.be", &[])))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/register/check-email");

    // A refused form goes back to its page with the error for the page to show.
    let response = app
        .client
        .post(app.url("/api/register"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("referer", app.url("/register"))
        .body(form(&registration(
            "noscript2@example.be",
            &[("form[terms]", "")],
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&app.url("/register?")), "{location}");
    let body = app
        .get(location.trim_start_matches(&app.address))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("Vous devez accepter les conditions générales d'accès."),
        "{body}"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM account WHERE email = 'noscript2@example.be'"
        )
        .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_language_comes_after_the_switch_and_before_the_browser() {
    let app = spawn_app_with(NO_WORKER).await;
    register(
        &app,
        &registration("joost@example.be", &[("form[language]", "nl")]),
    )
    .await;
    confirm_address(&app, "joost@example.be").await;
    let cookie = session_cookie(&login(&app, "joost@example.be", PASSWORD, None).await).unwrap();
    let body = app
        .get_with(
            "/dashboard",
            &[("cookie", &cookie), ("accept-language", "fr-BE")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("<html lang=\"nl\""),
        "the account prefers Dutch"
    );
    assert!(body.contains("U hebt nog geen enkele aanvraag ingediend."));
    let both = format!("{cookie}; lang=en");
    let body = app
        .get_with(
            "/dashboard",
            &[("cookie", &both), ("accept-language", "fr-BE")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(body.contains("<html lang=\"en\""), "the header switch wins");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_refused_without_javascript_comes_back_with_what_was_typed_but_no_password() {
    let app = spawn_app_with(NO_WORKER).await;
    let fields = registration("anna@example.be", &[("form[terms]", "")]);
    let r = app
        .client
        .post(app.url("/api/register"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("referer", app.url("/register"))
        .body(form(&fields))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let to = location(&r);
    assert!(to.contains("__err="), "{to}");
    let query = to.split_once('?').unwrap().1;
    let typed: String = url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "__form")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_else(|| panic!("no __form in {to}"));
    let typed: Vec<(String, String)> = url::form_urlencoded::parse(typed.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    assert!(
        typed.contains(&("form[email]".into(), "anna@example.be".into())),
        "{typed:?}"
    );
    assert!(
        typed.contains(&("form[first_name]".into(), "Amélie".into())),
        "{typed:?}"
    );
    assert!(
        typed.iter().all(|(name, _)| !name.contains("password")),
        "{typed:?}"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM account").await, 0);
    // The page shows it back in the fields.
    let path = to
        .splitn(4, '/')
        .nth(3)
        .map_or(to.clone(), |rest| format!("/{rest}"));
    let page = app.get(&path).await.text().await.unwrap();
    assert!(
        page.contains("value=\"anna@example.be\""),
        "the e-mail is not in the page"
    );
}
