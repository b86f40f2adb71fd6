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
        &[("default_profile", ""), ("channel", "email")],
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
        set_agent(&app.db, "agent@schaerbeek.be", true)
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
        set_agent(&app.db, "nobody@schaerbeek.be", true)
            .await
            .unwrap(),
        AgentChange::NoAccount
    );

    confirm_address(&app, "agent@schaerbeek.be").await;
    assert_eq!(
        set_agent(&app.db, " Agent@Schaerbeek.be ", true)
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
        set_agent(&app.db, "agent@schaerbeek.be", false)
            .await
            .unwrap(),
        AgentChange::Done
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM account WHERE is_agent = 1").await,
        0
    );
}
