//! The notification centre (bell, list, mark read) and the delivery rules: each kind of
//! event by e-mail, in the espace or both, as the preferences say, to the profile's contact
//! address, in its language.
use crate::helpers::*;
use serde_json::Value;

const BCE: &str = "0123.456.749";

async fn pending_membership(app: &TestApp) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM membership WHERE status = 'pending'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    id.to_string()
}

async fn unread(app: &TestApp, cookie: &str) -> i64 {
    let r = app
        .get_with("/api/unread_notifications", &[("cookie", cookie)])
        .await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn centre(app: &TestApp, cookie: &str) -> Value {
    let r = call(app, "notifications", &[], cookie).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn outbox_languages(app: &TestApp, recipient: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT language FROM outbox WHERE recipient = $1 ORDER BY id")
        .bind(recipient)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bell_counts_what_the_centre_lists_and_marking_read_clears_it() {
    let app = spawn_app_with(NO_WORKER).await;
    let admin = signed_in(&app, "admin@example.be").await;
    let id = create_organisation(&app, &admin, BCE, "ASBL Les Amis du Parc").await;
    let id_text = id.to_string();
    let paul = signed_in(&app, "paul@example.be").await;
    assert_eq!(unread(&app, &admin).await, 0);
    assert_eq!(current(&app, &admin).await["unread_notifications"], 0);

    ask_access(&app, &paul, BCE, "trésorier").await;
    assert_eq!(unread(&app, &admin).await, 1);
    assert_eq!(current(&app, &admin).await["unread_notifications"], 1);
    let list = centre(&app, &admin).await;
    assert_eq!(list["unread"], 1);
    let item = &list["items"][0];
    assert_eq!(item["kind"], "access_requested");
    assert_eq!(item["organisation"], "ASBL Les Amis du Parc");
    assert_eq!(item["bce"], "0123.456.749");
    assert_eq!(item["requester"], "Amélie Peeters");
    assert_eq!(item["function"], "trésorier");
    assert_eq!(item["link"], format!("/organisations/{id}/members"));
    // The dashboard's "À faire" says it too, whichever profile the administrator acts for;
    // the one who asks has nothing to do.
    let board = crate::requests::dashboard(&app, &admin, &[]).await;
    assert_eq!(
        board["to_do"]["access_requests"],
        serde_json::json!([[id, "ASBL Les Amis du Parc", 1]])
    );
    let board = crate::requests::dashboard(&app, &paul, &[]).await;
    assert_eq!(board["to_do"]["access_requests"], serde_json::json!([]));
    assert_eq!(item["read"], false);
    let notification = item["id"].as_i64().unwrap().to_string();

    // The page says it in words, names the profile, and offers to mark it read.
    let page = app
        .get_with("/notifications", &[("cookie", &admin)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("demande l’accès au profil ASBL Les Amis du Parc"),
        "{page}"
    );
    assert!(
        page.contains("ASBL Les Amis du Parc (0123.456.749)"),
        "{page}"
    );
    assert!(page.contains("Marquer comme lue") && page.contains("Tout marquer comme lu"));
    assert!(page.contains(&format!("href=\"/organisations/{id}/members\"")));

    // Someone else cannot mark it read.
    let r = call(
        &app,
        "mark_notification_read",
        &[("id", &notification)],
        &paul,
    )
    .await;
    assert_eq!(location(&r), "/notifications");
    assert_eq!(unread(&app, &admin).await, 1);
    // A malformed id changes nothing either.
    let r = call(&app, "mark_notification_read", &[("id", "deux")], &admin).await;
    assert_eq!(r.status(), 400);
    assert_eq!(unread(&app, &admin).await, 1);

    let r = call(
        &app,
        "mark_notification_read",
        &[("id", &notification)],
        &admin,
    )
    .await;
    assert_eq!(location(&r), "/notifications");
    assert_eq!(unread(&app, &admin).await, 0);
    assert_eq!(centre(&app, &admin).await["items"][0]["read"], true);

    // The answer and a change of role reach Paul, newest first.
    for action in ["accept", "make_admin"] {
        let membership = if action == "accept" {
            pending_membership(&app).await
        } else {
            sqlx::query_scalar::<_, i64>(
                "SELECT m.id FROM membership m JOIN account a ON a.id = m.account_id \
                 WHERE a.email = 'paul@example.be'",
            )
            .fetch_one(&app.db)
            .await
            .unwrap()
            .to_string()
        };
        let r = call(
            &app,
            "organisation_member_action",
            &[
                ("id", &id_text),
                ("membership", &membership),
                ("action", action),
            ],
            &admin,
        )
        .await;
        assert!(location(&r).contains("?done="), "{:?}", r.text().await);
    }
    assert_eq!(unread(&app, &paul).await, 2);
    let list = centre(&app, &paul).await;
    let kinds: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["access_made_admin", "access_accepted"]);
    assert_eq!(
        list["items"][1]["link"],
        format!("/organisations/{id}/contact")
    );
    let r = call(&app, "mark_all_notifications_read", &[], &paul).await;
    assert_eq!(location(&r), "/notifications");
    assert_eq!(unread(&app, &paul).await, 0);
    // Paul's marking left the administrator's notifications alone (they were read already,
    // but the count of rows read by each account shows who was touched).
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM notification WHERE read_at IS NOT NULL"
        )
        .await,
        3
    );

    // Signed out: no count, and the page sends to the sign-in.
    let r = app.get("/api/unread_notifications").await;
    assert_eq!(r.status(), 401);
    let r = app.get("/notifications").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/login?next=%2Fnotifications");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_centre_pages_thirty_at_a_time_newest_first() {
    let app = spawn_app_with(NO_WORKER).await;
    let admin = signed_in(&app, "admin@example.be").await;
    create_organisation(&app, &admin, BCE, "ASBL Les Amis du Parc").await;
    let account: i64 = sqlx::query_scalar("SELECT id FROM account")
        .fetch_one(&app.db)
        .await
        .unwrap();
    for n in 0..35_i64 {
        sqlx::query(
            "INSERT INTO notification (account_id, organisation_id, kind, link, payload, created_at) \
             VALUES ($1, NULL, 'access_revoked', '/account/organisations', $2, $3)",
        )
        .bind(account)
        .bind(format!("{{\"organisation\":\"Org {n}\"}}"))
        .bind(1_700_000_000_000 + n)
        .execute(&app.db)
        .await
        .unwrap();
    }
    let first = centre(&app, &admin).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 30);
    assert_eq!(first["items"][0]["organisation"], "Org 34");
    assert_eq!(first["unread"], 35);
    let before = first["next_before"]
        .as_i64()
        .expect("an older page")
        .to_string();
    let r = call(&app, "notifications", &[("before", &before)], &admin).await;
    let second: Value = r.json().await.unwrap();
    let items = second["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(items[4]["organisation"], "Org 0");
    assert!(second["next_before"].is_null());
    let page = app
        .get_with(
            &format!("/notifications?before={before}"),
            &[("cookie", &admin)],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Org 4") && !page.contains("Org 34"), "{page}");
    let page = app
        .get_with("/notifications", &[("cookie", &admin)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Notifications plus anciennes"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e_mails_follow_the_preferences_and_go_to_the_profile_contact_address() {
    let app = spawn_app_with(NO_WORKER).await;
    let admin = signed_in(&app, "admin@example.be").await;
    let id = create_organisation(&app, &admin, BCE, "ASBL Les Amis du Parc").await;
    let id_text = id.to_string();
    // The administrator's contact details for this profile: another address, in Dutch.
    let contact = |notify: bool| {
        let mut fields = vec![
            ("id", id_text.clone()),
            ("form[language]", "nl".to_string()),
            ("form[email]", "bureau@amisduparc.be".to_string()),
        ];
        if notify {
            fields.push(("form[notify_email]", "on".to_string()));
        }
        fields
    };
    let save_contact = |notify: bool| {
        let fields = contact(notify);
        let app = &app;
        let admin = admin.clone();
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = call(app, "organisation_save_contact", &pairs, &admin).await;
            assert!(location(&r).contains("/contact?"), "{:?}", r.text().await);
        }
    };
    save_contact(true).await;
    let before_admin = mails_to(&app, "admin@example.be").await.len();

    // 1. Channel "par e-mail", box ticked: to the profile's address, in its language.
    let paul = signed_in(&app, "paul@example.be").await;
    ask_access(&app, &paul, BCE, "trésorier").await;
    let mails = mails_to(&app, "bureau@amisduparc.be").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["template"], "access_requested");
    assert_eq!(
        outbox_languages(&app, "bureau@amisduparc.be").await,
        vec!["nl"]
    );
    assert_eq!(mails_to(&app, "admin@example.be").await.len(), before_admin);
    let membership = pending_membership(&app).await;
    call(
        &app,
        "organisation_member_action",
        &[
            ("id", &id_text),
            ("membership", &membership),
            ("action", "refuse"),
        ],
        &admin,
    )
    .await;

    // 2. Box unticked: in the espace only.
    save_contact(false).await;
    let claire = signed_in(&app, "claire@example.be").await;
    ask_access(&app, &claire, BCE, "secrétaire").await;
    assert_eq!(mails_to(&app, "bureau@amisduparc.be").await.len(), 1);
    assert_eq!(unread(&app, &admin).await, 2);
    let membership = pending_membership(&app).await;
    call(
        &app,
        "organisation_member_action",
        &[
            ("id", &id_text),
            ("membership", &membership),
            ("action", "refuse"),
        ],
        &admin,
    )
    .await;

    // 3. Box ticked again but the account says "uniquement dans mon espace personnel" for
    // every kind of event.
    save_contact(true).await;
    let r = call(
        &app,
        "save_preferences",
        &[
            ("default_profile", ""),
            ("notify_status", "in_app"),
            ("notify_documents", "in_app"),
            ("notify_messages", "in_app"),
            ("notify_access", "in_app"),
        ],
        &admin,
    )
    .await;
    assert_eq!(location(&r), "/account/preferences?saved=1");
    let marc = signed_in(&app, "marc@example.be").await;
    ask_access(&app, &marc, BCE, "président").await;
    assert_eq!(mails_to(&app, "bureau@amisduparc.be").await.len(), 1);
    assert_eq!(unread(&app, &admin).await, 3);

    // The requester's side: Marc chose the espace only, and hears of the answer there.
    let r = call(
        &app,
        "save_preferences",
        &[
            ("default_profile", ""),
            ("notify_status", "in_app"),
            ("notify_documents", "in_app"),
            ("notify_messages", "in_app"),
            ("notify_access", "in_app"),
        ],
        &marc,
    )
    .await;
    assert_eq!(location(&r), "/account/preferences?saved=1");
    let membership = pending_membership(&app).await;
    call(
        &app,
        "organisation_member_action",
        &[
            ("id", &id_text),
            ("membership", &membership),
            ("action", "accept"),
        ],
        &admin,
    )
    .await;
    assert_eq!(unread(&app, &marc).await, 1);
    assert!(!mails_to(&app, "marc@example.be")
        .await
        .iter()
        .any(|m| m["template"] == "membership_changed"));
    // Paul and Claire (e-mail and espace, the default) were told of the refusal by e-mail.
    for who in ["paul@example.be", "claire@example.be"] {
        assert!(
            mails_to(&app, who)
                .await
                .iter()
                .any(|m| m["template"] == "membership_changed" && m["change"] == "refused"),
            "{who}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bell_counts_what_needs_the_person_not_their_own_receipts() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = crate::requests::confirmed(&app, "anna@example.be").await;
    let reference = crate::requests::file_address(&app, &anna).await;

    // The receipt is in the centre, already read: the bell stays at zero.
    let list = centre(&app, &anna).await;
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["kind"], "request_submitted");
    assert_eq!(items[0]["read"], true);
    assert_eq!(unread(&app, &anna).await, 0);
    assert_eq!(list["unread"], 0);

    // The administration asks for a document: that needs her, and the bell says so.
    let agent = crate::requests::make_agent(&app, "agent@schaerbeek.be").await;
    let r = call(
        &app,
        "backoffice_status",
        &[
            ("reference", &reference),
            ("status", "documents_requested"),
            ("note", "Le bail signé, s'il vous plaît."),
        ],
        &agent,
    )
    .await;
    assert!(r.status().as_u16() < 400, "{}", r.status());
    assert_eq!(unread(&app, &anna).await, 1);
    let list = centre(&app, &anna).await;
    assert_eq!(list["items"][0]["kind"], "request_documents_requested");
    assert_eq!(list["items"][0]["read"], false);
}

/// What reached Anna of each change: the kinds in her espace, and how many e-mails.
async fn delivered(app: &TestApp) -> (Vec<String>, usize) {
    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT n.kind FROM notification n JOIN account a ON a.id = n.account_id \
         WHERE a.email = 'anna@example.be' ORDER BY n.id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let mails = mails_to(app, "anna@example.be")
        .await
        .iter()
        .filter(|m| m["template"] == "request_changed")
        .count();
    (kinds, mails)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_of_event_arrives_the_way_the_person_chose() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = crate::requests::confirmed(&app, "anna@example.be").await;
    let r = call(
        &app,
        "save_preferences",
        &[
            ("default_profile", ""),
            ("notify_status", "email"),
            ("notify_documents", "both"),
            ("notify_messages", "in_app"),
            ("notify_access", "both"),
        ],
        &anna,
    )
    .await;
    assert_eq!(location(&r), "/account/preferences?saved=1");
    let page = app
        .get_with("/account/preferences", &[("cookie", &anna)])
        .await
        .text()
        .await
        .unwrap();
    for checked in [
        "id=\"notify_status-email\" name=\"notify_status\" value=\"email\" checked",
        "id=\"notify_messages-in_app\" name=\"notify_messages\" value=\"in_app\" checked",
    ] {
        assert!(page.contains(checked), "{checked} in {page}");
    }

    // Filed: a status, by e-mail only.
    let reference = crate::requests::file_address(&app, &anna).await;
    assert_eq!(delivered(&app).await, (vec![], 1));
    let agent = crate::requests::make_agent(&app, "agent@schaerbeek.be").await;
    let status = |status: &'static str, note: &'static str| {
        let (app, agent, reference) = (&app, &agent, &reference);
        async move {
            let r = call(
                app,
                "backoffice_status",
                &[("reference", reference), ("status", status), ("note", note)],
                agent,
            )
            .await;
            assert!(location(&r).contains("changed=1"), "{}", location(&r));
        }
    };
    status("in_treatment", "").await;
    assert_eq!(delivered(&app).await, (vec![], 2));
    // A message: in the espace only.
    let r = call(
        &app,
        "backoffice_message",
        &[("reference", &reference), ("body", "Merci, c'est noté.")],
        &agent,
    )
    .await;
    assert!(location(&r).contains("sent=1"));
    assert_eq!(
        delivered(&app).await,
        (vec!["request_message".to_string()], 2)
    );
    // Documents asked: both.
    status(
        "documents_requested",
        "Une copie du bail signé, s'il vous plaît.",
    )
    .await;
    assert_eq!(
        delivered(&app).await,
        (
            vec![
                "request_message".to_string(),
                "request_documents_requested".to_string()
            ],
            3
        )
    );
}
