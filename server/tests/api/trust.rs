//! Trust: what an account may do before its address is confirmed, and who may be an agent.
use crate::helpers::*;
use app::backend::requests::{set_agent, AgentChange};

/// Server functions an account with an address not confirmed yet is refused, with their
/// arguments: everything but confirming, changing the address, and deleting itself.
const REFUSED: [(&str, &[(&str, &str)]); 8] = [
    ("profile", &[]),
    ("preferences", &[]),
    ("my_organisations", &[]),
    (
        "organisation_start",
        &[("kind", "entreprise"), ("bce", "0123.456.749")],
    ),
    ("dashboard", &[("lang", "fr"), ("filter[q]", "")]),
    ("notifications", &[]),
    (
        "save_preferences",
        &[
            ("default_profile", ""),
            ("notify_status", "both"),
            ("notify_documents", "both"),
            ("notify_messages", "both"),
            ("notify_access", "both"),
        ],
    ),
    (
        "change_password",
        &[
            ("current_password", PASSWORD),
            ("password", "un autre mot de passe solide"),
            ("password_confirm", "un autre mot de passe solide"),
        ],
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_not_confirmed_opens_only_its_confirmation_its_address_help_and_deletion() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = signed_in_unverified(&app, "pas.encore@example.be").await;
    // Signing in leads to the page that says what to do first.
    let r = login(&app, "pas.encore@example.be", PASSWORD, None).await;
    assert_eq!(location(&r), "/register/check-email");

    // Pages: every signed-in page but two leads to the confirmation page.
    for path in [
        "/dashboard",
        "/account/profile",
        "/account/preferences",
        "/organisations/new",
        "/notifications",
        "/procedures/changement-adresse",
        "/dashboard/export.xlsx",
        "/backoffice",
    ] {
        let r = app.get_with(path, &[("cookie", &cookie)]).await;
        assert_eq!(r.status(), 303, "{path}");
        assert_eq!(location(&r), "/register/check-email", "{path}");
    }
    for path in ["/account/security", "/account/data", "/help", "/procedures"] {
        let r = app.get_with(path, &[("cookie", &cookie)]).await;
        assert_eq!(r.status(), 200, "{path}");
    }
    let page = app
        .get_with("/register/check-email", &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("pas.encore@example.be"), "{page}");
    assert!(
        page.contains("Renvoyer l&#x27;e-mail de confirmation")
            || page.contains("Renvoyer l'e-mail de confirmation")
    );
    assert!(page.contains("href=\"/account/security\""));
    assert!(page.contains("href=\"/account/data\""));

    // A file posted to a procedure is refused the same way.
    let r = app
        .client
        .post(app.url("/procedures/changement-adresse"))
        .header("cookie", &cookie)
        .multipart(reqwest::multipart::Form::new().text("action", "save"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/register/check-email");
    // So is the identification by eID: no national number on an unconfirmed account.
    let r = post(
        &app,
        "/auth/eid/start",
        form(&[("return_to", "/dashboard")]),
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/register/check-email");

    // Server functions: refused, and nothing written.
    for (function, fields) in REFUSED {
        let r = call(&app, function, fields, &cookie).await;
        assert_eq!(r.status(), 403, "{function}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body, serde_json::json!("EmailNotVerified"), "{function}");
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM organisation_draft").await,
        0
    );

    // What stays possible.
    for (function, fields) in [
        ("security", &[][..]),
        ("my_data", &[][..]),
        ("resend_verification", &[][..]),
    ] {
        let r = call(&app, function, fields, &cookie).await;
        assert!(r.status().as_u16() < 400, "{function}: {}", r.status());
    }
    let r = call(
        &app,
        "change_email",
        &[
            ("new_email", "bonne.adresse@example.be"),
            ("email_password", PASSWORD),
        ],
        &cookie,
    )
    .await;
    assert!(r.status().as_u16() < 400, "change_email: {}", r.status());

    // Once the address is confirmed, everything opens.
    confirm_address(&app, "pas.encore@example.be").await;
    let r = app.get_with("/dashboard", &[("cookie", &cookie)]).await;
    assert_eq!(r.status(), 200);
    let r = call(&app, "profile", &[], &cookie).await;
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_can_delete_itself_before_confirming_its_address() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = signed_in_unverified(&app, "erreur@example.be").await;
    let r = call(
        &app,
        "delete_account",
        &[("delete_password", PASSWORD), ("confirm", "on")],
        &cookie,
    )
    .await;
    assert!(r.status().as_u16() < 400, "{}", r.status());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM account").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_back_office_goes_only_to_a_confirmed_address() {
    let app = spawn_app_with(NO_WORKER).await;
    // Someone registers an agent's address in advance, without being able to confirm it.
    let squatter = signed_in_unverified(&app, "agent@schaerbeek.be").await;
    assert_eq!(
        set_agent(&app.db, "agent@schaerbeek.be", EVERY_SERVICE)
            .await
            .unwrap(),
        AgentChange::AddressNotVerified
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM account WHERE is_agent = 1").await,
        0
    );
    let r = app.get_with("/backoffice", &[("cookie", &squatter)]).await;
    assert_eq!(location(&r), "/register/check-email");
    assert_eq!(
        set_agent(&app.db, "nobody@schaerbeek.be", EVERY_SERVICE)
            .await
            .unwrap(),
        AgentChange::NoAccount
    );

    confirm_address(&app, "agent@schaerbeek.be").await;
    assert_eq!(
        set_agent(&app.db, " Agent@Schaerbeek.be ", EVERY_SERVICE)
            .await
            .unwrap(),
        AgentChange::Done
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM account WHERE is_agent = 1").await,
        1
    );
    // Taking the role away needs nothing.
    assert_eq!(
        set_agent(&app.db, "agent@schaerbeek.be", &[])
            .await
            .unwrap(),
        AgentChange::Done
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM account WHERE is_agent = 1").await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_never_processes_a_request_of_their_own_or_of_their_organisation() {
    let app = spawn_app_with(NO_WORKER).await;
    let agent = signed_in(&app, "agent@schaerbeek.be").await;
    let colleague = signed_in(&app, "collegue@schaerbeek.be").await;
    for email in ["agent@schaerbeek.be", "collegue@schaerbeek.be"] {
        assert_eq!(
            set_agent(&app.db, email, EVERY_SERVICE).await.unwrap(),
            AgentChange::Done
        );
    }
    let own = crate::requests::file_address(&app, &agent).await;
    let citizen = signed_in(&app, "bruno@example.be").await;
    let of_my_organisation = crate::requests::file_address(&app, &citizen).await;
    // Filed for an organisation the agent is an active member of.
    let organisation = create_organisation(&app, &agent, "0123.456.749", "Agent SRL").await;
    sqlx::query("UPDATE request SET organisation_id = $1 WHERE reference = $2")
        .bind(organisation)
        .bind(&of_my_organisation)
        .execute(&app.db)
        .await
        .unwrap();

    for reference in [&own, &of_my_organisation] {
        let r = call(
            &app,
            "backoffice_status",
            &[
                ("reference", reference),
                ("status", "in_treatment"),
                ("note", ""),
            ],
            &agent,
        )
        .await;
        assert_eq!(r.status(), 400, "{reference}");
        assert_eq!(codes(r).await, vec!["status:request.own_request"]);
        let r = call(
            &app,
            "backoffice_message",
            &[("reference", reference), ("body", "Bonjour")],
            &agent,
        )
        .await;
        assert_eq!(r.status(), 400, "{reference}");
        assert_eq!(codes(r).await, vec!["body:request.own_request"]);
        // The page says so and offers neither form; the agent may still read it.
        let page = app
            .get_with(
                &format!("/backoffice/requests/{reference}"),
                &[("cookie", &agent)],
            )
            .await;
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("un autre agent s"), "{page}");
        assert!(!page.contains("name=\"status\""), "{page}");
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM request WHERE status <> 'submitted'"
        )
        .await,
        0
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM request_message").await, 0);

    // Another agent processes them.
    for reference in [&own, &of_my_organisation] {
        let r = call(
            &app,
            "backoffice_status",
            &[
                ("reference", reference),
                ("status", "in_treatment"),
                ("note", ""),
            ],
            &colleague,
        )
        .await;
        assert!(r.status().as_u16() < 400, "{}", r.status());
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM request WHERE status = 'in_treatment'"
        )
        .await,
        2
    );
}

async fn queue_of(app: &TestApp, cookie: &str) -> serde_json::Value {
    call(
        app,
        "backoffice_queue",
        &[
            ("lang", "fr"),
            ("status", ""),
            ("procedure", ""),
            ("min_age", ""),
            ("after", ""),
        ],
        cookie,
    )
    .await
    .json()
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_sees_and_processes_only_the_requests_of_their_services() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = crate::requests::confirmed(&app, "anna@example.be").await;
    // A change of address: the Population service's.
    let reference = crate::requests::file_address(&app, &anna).await;
    let town_planning = crate::requests::confirmed(&app, "urbanisme@schaerbeek.be").await;
    set_agent(&app.db, "urbanisme@schaerbeek.be", &["urbanisme"])
        .await
        .unwrap();
    let population = crate::requests::confirmed(&app, "population@schaerbeek.be").await;
    set_agent(
        &app.db,
        "population@schaerbeek.be",
        &["population", "voirie"],
    )
    .await
    .unwrap();

    // The queue: one's services' requests and procedures only.
    let theirs = queue_of(&app, &town_planning).await;
    assert_eq!(theirs["rows"], serde_json::json!([]), "{theirs}");
    let offered: Vec<&str> = theirs["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_str().unwrap())
        .collect();
    assert_eq!(offered, ["autorisation-enseigne"]);
    let mine = queue_of(&app, &population).await;
    assert_eq!(mine["rows"][0]["reference"], reference.as_str(), "{mine}");

    // Another service's request does not exist for them: no page, no file, no change, and
    // nothing recorded as read.
    let page = [("lang", "fr"), ("reference", reference.as_str())];
    assert_eq!(
        call(&app, "backoffice_request", &page, &town_planning)
            .await
            .status(),
        404
    );
    let change = [
        ("reference", reference.as_str()),
        ("status", "in_treatment"),
        ("note", ""),
    ];
    assert_eq!(
        call(&app, "backoffice_status", &change, &town_planning)
            .await
            .status(),
        404
    );
    let seen: serde_json::Value = call(&app, "backoffice_request", &page, &population)
        .await
        .json()
        .await
        .unwrap();
    let file = seen["attachments"][0]["id"].as_i64().unwrap();
    let download = format!("/backoffice/requests/{reference}/attachments/{file}");
    assert_eq!(
        app.get_with(&download, &[("cookie", &town_planning)])
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get_with(&download, &[("cookie", &population)])
            .await
            .status(),
        200
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM request_access").await,
        2,
        "only the Population agent's read and download"
    );
    let r = call(&app, "backoffice_status", &change, &population).await;
    assert!(
        r.status().is_redirection() || r.status() == 200,
        "{}",
        r.status()
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM request WHERE status = 'in_treatment'"
        )
        .await,
        1
    );

    // Without services, no back office at all.
    set_agent(&app.db, "population@schaerbeek.be", &[])
        .await
        .unwrap();
    assert_eq!(
        call(&app, "backoffice_request", &page, &population)
            .await
            .status(),
        403
    );
}
