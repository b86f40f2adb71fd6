//! Organisation profiles: the wizard's every path, access requests, representatives, and
//! the authorisation of every organisation-scoped server function.
use crate::helpers::*;
use serde_json::Value;

/// Valid numbers (their check digits match), written as people type them.
const BCE: &str = "0123.456.749";
const OTHER_BCE: &str = "BE 0403 170 701";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_is_created_in_four_steps_and_shows_in_the_banner() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = signed_in(&app, "marie@example.be").await;
    let id = create_organisation(&app, &cookie, BCE, "Boulangerie Dupont").await;

    let (bce, name, kind, vat): (String, String, String, i64) =
        sqlx::query_as("SELECT bce, name, kind, vat_subject FROM organisation")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (bce.as_str(), name.as_str(), kind.as_str(), vat),
        ("0123456749", "Boulangerie Dupont", "entreprise", 1)
    );
    let (role, status, function): (String, String, String) =
        sqlx::query_as("SELECT role, status, function FROM membership")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (role.as_str(), status.as_str(), function.as_str()),
        ("admin", "active", "gérante")
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM organisation_draft").await,
        0
    );

    // Step 4: the contact details, prefilled with the personal e-mail.
    let page = app
        .get_with(
            &format!("/organisations/{id}/contact?new=1"),
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("value=\"marie@example.be\""), "{page}");
    assert!(page.contains("Votre fonction : gérante"));
    let id_text = id.to_string();
    let r = call(
        &app,
        "organisation_save_contact",
        &[
            ("id", &id_text),
            ("form[language]", "nl"),
            ("form[landline]", "0470 12 34 56"),
            ("form[mobile]", ""),
            ("form[email]", "marie@example.be"),
            ("form[notify_email]", "on"),
        ],
        &cookie,
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(codes(r).await, vec!["landline:phone.expected_landline"]);
    let r = call(
        &app,
        "organisation_save_contact",
        &[
            ("id", &id_text),
            ("form[language]", "nl"),
            ("form[landline]", "02 244 75 11"),
            ("form[mobile]", "0470 12 34 56"),
            ("form[email]", "boulangerie@example.be"),
        ],
        &cookie,
    )
    .await;
    assert_eq!(
        location(&r),
        format!("/organisations/{id}/contact?created=1")
    );
    let (mobile, notify): (String, i64) =
        sqlx::query_as("SELECT mobile, notify_email FROM membership")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((mobile.as_str(), notify), ("+32470123456", 0));
    let page = app
        .get_with(
            &format!("/organisations/{id}/contact?created=1"),
            &[("cookie", &cookie)],
        )
        .await;
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Le profil a été créé avec succès."));
    // A later save is not a creation.
    let r = call(
        &app,
        "organisation_save_contact",
        &[
            ("id", &id_text),
            ("form[language]", "fr"),
            ("form[email]", "marie@example.be"),
        ],
        &cookie,
    )
    .await;
    assert_eq!(location(&r), format!("/organisations/{id}/contact?saved=1"));

    // The banner lists it, and the session acts for it since its creation (its name is in
    // the blue bar); back to the citizen, then choosing it makes it active again.
    let me = current(&app, &cookie).await;
    assert_eq!(me["organisations"][0]["name"], "Boulangerie Dupont");
    assert_eq!(me["organisations"][0]["bce"], "0123.456.749");
    assert_eq!(me["active"]["name"], "Boulangerie Dupont");
    call(&app, "switch_profile", &[("organisation", "")], &cookie).await;
    assert_eq!(current(&app, &cookie).await["active"], Value::Null);
    let r = call(
        &app,
        "switch_profile",
        &[("organisation", &id_text)],
        &cookie,
    )
    .await;
    assert_eq!(location(&r), "/dashboard");
    assert_eq!(
        current(&app, &cookie).await["active"]["name"],
        "Boulangerie Dupont"
    );
    let dashboard = app
        .get_with("/dashboard", &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        dashboard.contains("Vous agissez pour : Boulangerie Dupont (0123.456.749)"),
        "{dashboard}"
    );
    call(&app, "switch_profile", &[("organisation", "")], &cookie).await;
    assert_eq!(current(&app, &cookie).await["active"], Value::Null);
}

/// The banner's profiles come with the session, in one statement (issue 17): every active
/// membership, by name; a suspended organisation and a membership ended are not among them;
/// the profile acted for and the bell's number are those of the same reading.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_banner_lists_the_profiles_by_name_without_suspended_ones() {
    let app = spawn_app().await;
    let cookie = signed_in(&app, "marie@example.be").await;
    let zebra = create_organisation(&app, &cookie, "0403.170.701", "Zèbre SRL").await;
    let alpha = create_organisation(&app, &cookie, "0123.456.749", "Alpha SA").await;
    let third = create_organisation(&app, &cookie, "0202.239.951", "Menuiserie SC").await;
    let names = |me: &Value| -> Vec<String> {
        me["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|org| org["name"].as_str().unwrap().to_string())
            .collect()
    };
    let me = current(&app, &cookie).await;
    assert_eq!(names(&me), ["Alpha SA", "Menuiserie SC", "Zèbre SRL"]);
    assert_eq!(me["active"]["id"], third);
    assert_eq!(me["unread_notifications"], 0);
    sqlx::query("UPDATE organisation SET suspended_at = 1 WHERE id = $1")
        .bind(zebra)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("UPDATE membership SET status = 'left' WHERE organisation_id = $1")
        .bind(third)
        .execute(&app.db)
        .await
        .unwrap();
    let me = current(&app, &cookie).await;
    assert_eq!(names(&me), ["Alpha SA"]);
    // The membership acted for ended: the session acts for the citizen profile.
    assert_eq!(me["active"], Value::Null);
    assert_eq!(me["organisations"][0]["id"], alpha);
    assert_eq!(me["organisations"][0]["bce"], "0123.456.749");
    // The pages show the same: the dashboard's banner names Alpha SA and not the others.
    let page = app
        .get_with("/dashboard", &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Alpha SA"));
    assert!(!page.contains("Zèbre SRL") && !page.contains("Menuiserie SC"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn step_one_refuses_bad_numbers_and_a_missing_box_and_keeps_nothing() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = signed_in(&app, "jan@example.be").await;
    for (bce, terms, expected) in [
        ("", Some("on"), vec!["bce:bce.empty"]),
        ("0123.456.789", Some("on"), vec!["bce:bce.bad_check_digits"]),
        ("12345", Some("on"), vec!["bce:bce.wrong_length"]),
        ("0123-ABC", Some("on"), vec!["bce:bce.invalid_character"]),
        (BCE, None, vec!["terms:terms.required"]),
    ] {
        let mut fields = vec![("kind", "entreprise"), ("bce", bce)];
        if let Some(terms) = terms {
            fields.push(("terms", terms));
        }
        let r = call(&app, "organisation_start", &fields, &cookie).await;
        assert_eq!(r.status(), 400, "{bce}");
        assert_eq!(codes(r).await, expected, "{bce}");
    }
    let r = call(
        &app,
        "organisation_start",
        &[("kind", "coopérative"), ("bce", BCE), ("terms", "on")],
        &cookie,
    )
    .await;
    assert_eq!(codes(r).await, vec!["kind:kind.invalid"]);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM organisation_draft").await,
        0
    );
    // The later steps need step 1.
    let r = call(
        &app,
        "organisation_create",
        &[("function", "gérant")],
        &cookie,
    )
    .await;
    assert_eq!(codes(r).await, vec!["bce:wizard.no_draft"]);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM organisation").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_already_mine_says_so_and_creates_nothing() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = signed_in(&app, "marc@example.be").await;
    create_organisation(&app, &cookie, BCE, "Garage Marc").await;
    let r = call(
        &app,
        "organisation_start",
        &[
            ("kind", "association"),
            ("bce", "0123456749"),
            ("terms", "on"),
        ],
        &cookie,
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(codes(r).await, vec!["bce:bce.already_member"]);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM organisation").await, 1);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM organisation_draft").await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_elses_number_leads_to_an_access_request_that_an_administrator_decides() {
    let app = spawn_app_with(NO_WORKER).await;
    let admin = signed_in(&app, "admin@example.be").await;
    let id = create_organisation(&app, &admin, BCE, "ASBL Les Amis du Parc").await;
    let id_text = id.to_string();
    let asker = signed_in(&app, "paul@example.be").await;

    let r = call(
        &app,
        "organisation_start",
        &[("kind", "association"), ("bce", BCE), ("terms", "on")],
        &asker,
    )
    .await;
    assert_eq!(location(&r), "/organisations/new/request");
    let page = app
        .get_with("/organisations/new/request", &[("cookie", &asker)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("ASBL Les Amis du Parc"), "{page}");
    let r = call(
        &app,
        "organisation_request_access",
        &[("function", "")],
        &asker,
    )
    .await;
    assert_eq!(codes(r).await, vec!["function:function.empty"]);
    let r = call(
        &app,
        "organisation_request_access",
        &[("function", "trésorier")],
        &asker,
    )
    .await;
    assert_eq!(location(&r), "/organisations/new/request?sent=1");

    // Nothing is granted yet.
    assert_eq!(
        current(&app, &asker).await["organisations"],
        serde_json::json!([])
    );
    let r = call(
        &app,
        "switch_profile",
        &[("organisation", &id_text)],
        &asker,
    )
    .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        app.get_with(
            &format!("/organisations/{id}/members"),
            &[("cookie", &asker)]
        )
        .await
        .status(),
        403
    );
    // The administrators are told, in the espace and by e-mail.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM notification WHERE kind = 'access_requested'"
        )
        .await,
        1
    );
    let mails = mails_to(&app, "admin@example.be").await;
    let asked = mails
        .iter()
        .find(|m| m["template"] == "access_requested")
        .expect("an e-mail to the administrator");
    assert_eq!(asked["requester"], "Amélie Peeters");
    assert_eq!(asked["function"], "trésorier");

    // Asking twice changes nothing.
    call(
        &app,
        "organisation_start",
        &[("kind", "association"), ("bce", BCE), ("terms", "on")],
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
    assert_eq!(codes(r).await, vec!["function:access.already_pending"]);

    let pending: i64 = sqlx::query_scalar("SELECT id FROM membership WHERE status = 'pending'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let page = app
        .get_with(
            &format!("/organisations/{id}/members"),
            &[("cookie", &admin)],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("trésorier") && page.contains("Accepter"),
        "{page}"
    );
    let r = call(
        &app,
        "organisation_member_action",
        &[
            ("id", &id_text),
            ("membership", &pending.to_string()),
            ("action", "accept"),
        ],
        &admin,
    )
    .await;
    assert_eq!(
        location(&r),
        format!("/organisations/{id}/members?done=accepted")
    );
    assert_eq!(
        current(&app, &asker).await["organisations"][0]["name"],
        "ASBL Les Amis du Parc"
    );
    assert!(mails_to(&app, "paul@example.be")
        .await
        .iter()
        .any(|m| m["template"] == "membership_changed" && m["change"] == "accepted"));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM notification WHERE kind = 'access_accepted'"
        )
        .await,
        1
    );
    let history = app
        .get_with(
            &format!("/organisations/{id}/members"),
            &[("cookie", &admin)],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("a demandé l&#x27;accès") || history.contains("a demandé l'accès"),
        "{history}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_people_creating_the_same_new_number_at_once_make_one_organisation() {
    let app = spawn_app_with(NO_WORKER).await;
    let first = signed_in(&app, "un@example.be").await;
    let second = signed_in(&app, "deux@example.be").await;
    for cookie in [&first, &second] {
        call(
            &app,
            "organisation_start",
            &[("kind", "entreprise"), ("bce", OTHER_BCE), ("terms", "on")],
            cookie,
        )
        .await;
        call(
            &app,
            "organisation_details",
            &[
                ("name", "Même SRL"),
                ("confirmed_kind", "entreprise"),
                ("vat_subject", "no"),
            ],
            cookie,
        )
        .await;
    }
    let (a, b) = tokio::join!(
        call(
            &app,
            "organisation_create",
            &[("function", "gérant")],
            &first
        ),
        call(
            &app,
            "organisation_create",
            &[("function", "gérante")],
            &second
        ),
    );
    assert_eq!(a.status(), 200);
    assert_eq!(b.status(), 200);
    let mut places = [location(&a), location(&b)];
    places.sort();
    assert!(places[0].ends_with("/contact?new=1"), "{places:?}");
    assert_eq!(places[1], "/organisations/new/request");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM organisation").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM membership").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_always_keeps_an_administrator() {
    let app = spawn_app_with(NO_WORKER).await;
    let admin = signed_in(&app, "chef@example.be").await;
    let id = create_organisation(&app, &admin, BCE, "Chef SRL").await;
    let id_text = id.to_string();
    let mine: i64 = sqlx::query_scalar("SELECT id FROM membership")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let mine_text = mine.to_string();
    for action in ["leave", "make_member"] {
        let r = call(
            &app,
            "organisation_member_action",
            &[
                ("id", &id_text),
                ("membership", &mine_text),
                ("action", action),
            ],
            &admin,
        )
        .await;
        assert_eq!(r.status(), 400, "{action}");
        assert_eq!(
            codes(r).await,
            vec!["membership:members.last_admin"],
            "{action}"
        );
    }
    let r = call(
        &app,
        "organisation_member_action",
        &[
            ("id", &id_text),
            ("membership", &mine_text),
            ("action", "revoke"),
        ],
        &admin,
    )
    .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM membership WHERE role = 'admin' AND status = 'active'"
        )
        .await,
        1
    );

    // With a second administrator, the first may step down, and then leave.
    let other = signed_in(&app, "adjoint@example.be").await;
    call(
        &app,
        "organisation_start",
        &[("kind", "entreprise"), ("bce", BCE), ("terms", "on")],
        &other,
    )
    .await;
    call(
        &app,
        "organisation_request_access",
        &[("function", "adjoint")],
        &other,
    )
    .await;
    let theirs: i64 = sqlx::query_scalar("SELECT id FROM membership WHERE status = 'pending'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let theirs_text = theirs.to_string();
    for action in ["accept", "make_admin"] {
        let r = call(
            &app,
            "organisation_member_action",
            &[
                ("id", &id_text),
                ("membership", &theirs_text),
                ("action", action),
            ],
            &admin,
        )
        .await;
        assert_eq!(r.status(), 200, "{action}");
    }
    let r = call(
        &app,
        "organisation_member_action",
        &[
            ("id", &id_text),
            ("membership", &mine_text),
            ("action", "make_member"),
        ],
        &admin,
    )
    .await;
    assert_eq!(r.status(), 200);
    let r = call(
        &app,
        "organisation_member_action",
        &[("id", &id_text), ("membership", "0"), ("action", "leave")],
        &admin,
    )
    .await;
    assert_eq!(location(&r), "/dashboard");
    assert_eq!(
        current(&app, &admin).await["organisations"],
        serde_json::json!([])
    );
    let page = app
        .get_with(
            &format!("/organisations/{id}/members"),
            &[("cookie", &other)],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("a quitté le profil"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_organisation_function_refuses_outsiders_and_plain_members_where_needed() {
    let app = spawn_app_with(NO_WORKER).await;
    let admin = signed_in(&app, "boss@example.be").await;
    let id = create_organisation(&app, &admin, BCE, "Boss SA").await;
    let id_text = id.to_string();
    let outsider = signed_in(&app, "outsider@example.be").await;
    let member = signed_in(&app, "member@example.be").await;
    call(
        &app,
        "organisation_start",
        &[("kind", "entreprise"), ("bce", BCE), ("terms", "on")],
        &member,
    )
    .await;
    call(
        &app,
        "organisation_request_access",
        &[("function", "employé")],
        &member,
    )
    .await;
    let member_id: i64 = sqlx::query_scalar("SELECT id FROM membership WHERE status = 'pending'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let member_text = member_id.to_string();
    call(
        &app,
        "organisation_member_action",
        &[
            ("id", &id_text),
            ("membership", &member_text),
            ("action", "accept"),
        ],
        &admin,
    )
    .await;
    let admin_id: i64 = sqlx::query_scalar("SELECT id FROM membership WHERE role = 'admin'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let admin_text = admin_id.to_string();

    let contact = [
        ("id", id_text.as_str()),
        ("form[language]", "fr"),
        ("form[email]", "x@example.be"),
    ];
    // Functions any member may use; an outsider is refused.
    for (function, fields) in [
        ("organisation_contact", vec![("id", id_text.as_str())]),
        ("organisation_members", vec![("id", id_text.as_str())]),
        ("organisation_save_contact", contact.to_vec()),
        ("switch_profile", vec![("organisation", id_text.as_str())]),
    ] {
        let r = call(&app, function, &fields, &outsider).await;
        assert_eq!(r.status(), 403, "{function} as an outsider");
        let r = call(&app, function, &fields, &member).await;
        assert!(
            r.status().is_success() || r.status().is_redirection(),
            "{function} as a member: {}",
            r.status()
        );
    }
    // Administrators' actions: refused to outsiders and to plain members alike.
    for action in ["accept", "refuse", "make_admin", "make_member", "revoke"] {
        for (who, cookie) in [("outsider", &outsider), ("member", &member)] {
            let r = call(
                &app,
                "organisation_member_action",
                &[
                    ("id", &id_text),
                    ("membership", &admin_text),
                    ("action", action),
                ],
                cookie,
            )
            .await;
            assert_eq!(r.status(), 403, "{action} as {who}");
        }
    }
    // An id that names another organisation's membership changes nothing either.
    let r = call(
        &app,
        "organisation_member_action",
        &[
            ("id", "999"),
            ("membership", &member_text),
            ("action", "revoke"),
        ],
        &admin,
    )
    .await;
    assert_eq!(r.status(), 403);
    // Pages say so too, with the status.
    for path in [
        format!("/organisations/{id}/members"),
        format!("/organisations/{id}/contact"),
    ] {
        assert_eq!(
            app.get_with(&path, &[("cookie", &outsider)]).await.status(),
            403,
            "{path}"
        );
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM membership WHERE status = 'active'"
        )
        .await,
        2,
        "nothing changed"
    );
    // A plain member may leave.
    let r = call(
        &app,
        "organisation_member_action",
        &[("id", &id_text), ("membership", "0"), ("action", "leave")],
        &member,
    )
    .await;
    assert_eq!(location(&r), "/dashboard");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_space_is_active_at_sign_in_and_falls_back_when_access_ends() {
    let app = spawn_app_with(NO_WORKER).await;
    let admin = signed_in(&app, "prefs-admin@example.be").await;
    let id = create_organisation(&app, &admin, BCE, "Prefs SRL").await;
    let id_text = id.to_string();
    let member = signed_in(&app, "prefs-member@example.be").await;
    call(
        &app,
        "organisation_start",
        &[("kind", "entreprise"), ("bce", BCE), ("terms", "on")],
        &member,
    )
    .await;
    call(
        &app,
        "organisation_request_access",
        &[("function", "employé")],
        &member,
    )
    .await;
    let membership: i64 = sqlx::query_scalar("SELECT id FROM membership WHERE status = 'pending'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let membership_text = membership.to_string();
    call(
        &app,
        "organisation_member_action",
        &[
            ("id", &id_text),
            ("membership", &membership_text),
            ("action", "accept"),
        ],
        &admin,
    )
    .await;

    // Bad values change nothing.
    let r = call(
        &app,
        "save_preferences",
        &[
            ("default_profile", "999"),
            ("notify_status", "pigeon"),
            ("notify_documents", "both"),
            ("notify_messages", ""),
            ("notify_access", "email"),
        ],
        &member,
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(
        codes(r).await,
        vec![
            "default_profile:preferences.unknown_profile",
            "notify_status:preferences.channel",
            "notify_messages:preferences.channel"
        ]
    );
    let r = call(
        &app,
        "save_preferences",
        &[
            ("default_profile", &id_text),
            ("notify_status", "in_app"),
            ("notify_documents", "both"),
            ("notify_messages", "email"),
            ("notify_access", "in_app"),
        ],
        &member,
    )
    .await;
    assert_eq!(location(&r), "/account/preferences?saved=1");
    let page = app
        .get_with("/account/preferences?saved=1", &[("cookie", &member)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Vos préférences sont enregistrées."),
        "{page}"
    );

    // The next sign-in acts for it at once.
    let cookie =
        session_cookie(&login(&app, "prefs-member@example.be", PASSWORD, None).await).unwrap();
    assert_eq!(current(&app, &cookie).await["active"]["name"], "Prefs SRL");

    // Access revoked: the next sign-in is the citizen's, and the preference is reset.
    call(
        &app,
        "organisation_member_action",
        &[
            ("id", &id_text),
            ("membership", &membership_text),
            ("action", "revoke"),
        ],
        &admin,
    )
    .await;
    let cookie =
        session_cookie(&login(&app, "prefs-member@example.be", PASSWORD, None).await).unwrap();
    assert_eq!(current(&app, &cookie).await["active"], Value::Null);
    let (default, status, documents, messages, access): (
        Option<i64>,
        String,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "SELECT default_organisation_id, notify_status, notify_documents, notify_messages, \
                    notify_access FROM account WHERE email = 'prefs-member@example.be'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(default, None);
    assert_eq!(
        [status, documents, messages, access],
        ["in_app", "both", "email", "in_app"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mes_organisations_lists_each_membership_and_lets_a_member_leave() {
    let app = spawn_app_with(NO_WORKER).await;
    let admin = signed_in(&app, "list-admin@example.be").await;
    let id = create_organisation(&app, &admin, BCE, "Liste ASBL").await;
    let member = signed_in(&app, "list-member@example.be").await;
    call(
        &app,
        "organisation_start",
        &[("kind", "association"), ("bce", BCE), ("terms", "on")],
        &member,
    )
    .await;
    call(
        &app,
        "organisation_request_access",
        &[("function", "secrétaire")],
        &member,
    )
    .await;
    let membership: i64 = sqlx::query_scalar("SELECT id FROM membership WHERE status = 'pending'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    call(
        &app,
        "organisation_member_action",
        &[
            ("id", &id.to_string()),
            ("membership", &membership.to_string()),
            ("action", "accept"),
        ],
        &admin,
    )
    .await;

    let listed: Value = post(&app, "/api/my_memberships", String::new(), Some(&member))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["organisation"]["name"], "Liste ASBL");
    assert_eq!(listed[0]["function"], "secrétaire");
    assert_eq!(listed[0]["role"], "member");
    let page = app
        .get_with("/account/organisations", &[("cookie", &member)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Liste ASBL") && page.contains("secrétaire") && page.contains("Membre"),
        "{page}"
    );
    assert!(page.contains("Quitter ce profil"), "{page}");
    assert_eq!(listed[0]["last_admin"], false);
    // The only administrator is not offered to leave, and is told why.
    let admin_list: Value = post(&app, "/api/my_memberships", String::new(), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(admin_list[0]["last_admin"], true);
    let page = app
        .get_with("/account/organisations", &[("cookie", &admin)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("Quitter ce profil") && page.contains("Vous êtes le seul administrateur"),
        "{page}"
    );

    let r = call(
        &app,
        "organisation_member_action",
        &[
            ("id", &id.to_string()),
            ("membership", "0"),
            ("action", "leave"),
        ],
        &member,
    )
    .await;
    assert_eq!(r.status(), 200);
    let listed: Value = post(&app, "/api/my_memberships", String::new(), Some(&member))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed, serde_json::json!([]));
    // Nobody else's list is reachable: the function reads the signed-in account only.
    let listed: Value = post(&app, "/api/my_memberships", String::new(), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(app.get("/account/organisations").await.status(), 303);
}
