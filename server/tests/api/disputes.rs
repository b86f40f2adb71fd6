//! Reports that an organisation's profile is held by the wrong people: a report is refused
//! with a clear message and changes nothing when it is incomplete; an agent sees it beside
//! the members' proofs, suspends the profile (nobody acts for it), hands it to the person
//! who reported (verified administrator; the others lose access) or dismisses it with a
//! reason; everyone involved is told, and what was filed stays with the profile.
use crate::helpers::*;
use crate::requests::{confirmed, make_agent};
use serde_json::Value;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const BCE: &str = "0403.170.701";

/// Sends a report as the page's form does; the answer's location.
async fn report(
    app: &TestApp,
    cookie: &str,
    fields: &[(&str, &str)],
    file: Option<(&'static str, &[u8])>,
) -> String {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    if let Some((name, bytes)) = file {
        form = form.part(
            "proof",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name),
        );
    }
    let r = app
        .client
        .post(app.url("/organisations/report/send"))
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{:?}", r.text().await);
    location(&r)
}

fn complete(bce: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("bce", bce),
        ("function", "administrateur délégué"),
        (
            "explanation",
            "Un ancien employé a créé le profil et refuse de nous donner l'accès.",
        ),
        ("kind", "moniteur"),
    ]
}

async fn queue(app: &TestApp, cookie: &str) -> Value {
    let r = call(app, "dispute_queue", &[], cookie).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn decide(
    app: &TestApp,
    cookie: &str,
    dispute: i64,
    action: &str,
    reason: &str,
) -> reqwest::Response {
    call(
        app,
        "dispute_decide",
        &[
            ("dispute", &dispute.to_string()),
            ("action", action),
            ("reason", reason),
        ],
        cookie,
    )
    .await
}

async fn kinds_of_notifications(app: &TestApp, email: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT n.kind FROM notification n JOIN account a ON a.id = n.account_id \
         WHERE a.email = $1 AND n.kind LIKE 'dispute_%' ORDER BY n.id",
    )
    .bind(email)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

async fn switch(app: &TestApp, cookie: &str, org: i64) -> u16 {
    call(
        app,
        "switch_profile",
        &[("organisation", &org.to_string())],
        cookie,
    )
    .await
    .status()
    .as_u16()
}

/// A request filed for the organisation (as the dashboard's seed does).
async fn filed_for(app: &TestApp, org: i64, email: &str) {
    sqlx::query(
        "INSERT INTO request (reference, token, procedure_code, account_id, organisation_id, \
         status, data, assurance, service, created_at, submitted_at, updated_at) \
         SELECT '2026-000777', 'dispute-seed', 'autorisation-enseigne', a.id, $1, 'submitted', \
                '{}', 'basic', 'urbanisme', 1, 1, 1 FROM account a WHERE a.email = $2",
    )
    .bind(org)
    .bind(email)
    .execute(&app.db)
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incomplete_report_is_refused_field_by_field_and_keeps_what_was_typed() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    create_organisation(&app, &anna, BCE, "Librairie du Parc").await;
    let bob = confirmed(&app, "bob@example.be").await;

    // Nothing at all: one message per field, nothing kept.
    let empty = [
        ("bce", ""),
        ("function", ""),
        ("explanation", ""),
        ("kind", ""),
    ];
    let to = report(&app, &bob, &empty, None).await;
    assert!(to.starts_with("/organisations/report?errors="), "{to}");
    for error in [
        "bce:bce.empty",
        "function:function.empty",
        "explanation:dispute.explanation_required",
        "kind:proof.kind_required",
        "proof:attachment.required",
    ] {
        assert!(
            to.contains(&error.replace(':', "%3A")) || to.contains(error),
            "{error} in {to}"
        );
    }
    // What was typed comes back with the errors (the file aside).
    let typed = [
        ("bce", BCE),
        ("function", "gérant"),
        ("explanation", "Texte à garder"),
        ("kind", ""),
    ];
    let to = report(&app, &bob, &typed, None).await;
    assert!(to.contains("function=g%C3%A9rant"), "{to}");
    assert!(to.contains("explanation=Texte+%C3%A0+garder"), "{to}");
    assert!(to.contains("bce=0403.170.701"), "{to}");

    // A number no profile holds, a file of the wrong type, an explanation too long.
    let unknown = complete("0202.239.951");
    let to = report(&app, &bob, &unknown, Some(("statuts.pdf", PDF))).await;
    assert!(to.contains("dispute.unknown_organisation"), "{to}");
    let to = report(
        &app,
        &bob,
        &complete(BCE),
        Some(("statuts.exe", b"MZ\x90\x00")),
    )
    .await;
    assert!(to.contains("proof%3A") || to.contains("proof:"), "{to}");
    let long = "x".repeat(2001);
    let mut too_long = complete(BCE);
    too_long[2] = ("explanation", long.as_str());
    let to = report(&app, &bob, &too_long, Some(("statuts.pdf", PDF))).await;
    assert!(to.contains("dispute.explanation_too_long"), "{to}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dispute").await, 0);

    // A member does not report their own profile; a report waits only once.
    let to = report(&app, &anna, &complete(BCE), Some(("statuts.pdf", PDF))).await;
    assert!(to.contains("dispute.already_member"), "{to}");
    let to = report(&app, &bob, &complete(BCE), Some(("statuts.pdf", PDF))).await;
    assert_eq!(to, "/organisations/report?sent=1");
    let to = report(&app, &bob, &complete(BCE), Some(("statuts.pdf", PDF))).await;
    assert!(to.contains("dispute.already_open"), "{to}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM dispute").await, 1);

    // The person sees their report and where it stands.
    let mine: Value = call(&app, "my_disputes", &[], &bob)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine[0]["status"], "open");
    assert_eq!(mine[0]["organisation"]["name"], "Librairie du Parc");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_suspends_then_hands_the_profile_to_the_verified_representative_and_nothing_filed_is_lost(
) {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let org = create_organisation(&app, &anna, BCE, "Librairie du Parc").await;
    assert!(switch(&app, &anna, org).await < 400);
    filed_for(&app, org, "anna@example.be").await;
    let bob = confirmed(&app, "bob@example.be").await;
    let to = report(&app, &bob, &complete(BCE), Some(("moniteur.pdf", PDF))).await;
    assert_eq!(to, "/organisations/report?sent=1");

    // Citizens see no queue and decide nothing.
    let r = call(&app, "dispute_queue", &[], &bob).await;
    assert_eq!(r.status(), 403);
    let agent = make_agent(&app, "agent@schaerbeek.be").await;
    let waiting = queue(&app, &agent).await;
    let dispute = waiting[0]["id"].as_i64().unwrap();
    let r = decide(&app, &bob, dispute, "hand_over", "").await;
    assert_eq!(r.status(), 403);
    let r = app
        .get_with(
            &format!("/backoffice/disputes/{dispute}/file"),
            &[("cookie", bob.as_str())],
        )
        .await;
    assert_eq!(r.status(), 403);

    // The agent sees the report beside the members, and reads the proof.
    assert_eq!(waiting[0]["person"], "Amélie Peeters", "{waiting}");
    assert_eq!(waiting[0]["function"], "administrateur délégué");
    assert_eq!(
        waiting[0]["holders"][0]["email"], "anna@example.be",
        "{waiting}"
    );
    assert_eq!(waiting[0]["own"], false);
    let r = app
        .get_with(
            &format!("/backoffice/disputes/{dispute}/file"),
            &[("cookie", agent.as_str())],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);

    // Suspended: nobody acts for the profile, the members and the reporter are told.
    let r = decide(&app, &agent, dispute, "suspend", "").await;
    assert_eq!(location(&r), "/backoffice/disputes?done=suspended");
    assert_eq!(current(&app, &anna).await["active"], Value::Null);
    assert_eq!(switch(&app, &anna, org).await, 403);
    let mine: Value = call(&app, "my_organisations", &[], &anna)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine, serde_json::json!([]));
    let memberships: Value = call(&app, "my_memberships", &[], &anna)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(memberships[0]["suspended"], true, "{memberships}");
    assert_eq!(
        kinds_of_notifications(&app, "anna@example.be").await,
        ["dispute_suspended"]
    );
    assert_eq!(
        kinds_of_notifications(&app, "bob@example.be").await,
        ["dispute_suspended"]
    );
    // Suspending twice is refused.
    let r = decide(&app, &agent, dispute, "suspend", "").await;
    assert_eq!(codes(r).await, ["dispute:dispute.already_decided"]);

    // Handed over: the reporter is the verified administrator, the others lose access.
    let r = decide(
        &app,
        &agent,
        dispute,
        "hand_over",
        "Publication au Moniteur du 3 mars.",
    )
    .await;
    assert_eq!(location(&r), "/backoffice/disputes?done=handed_over");
    let (role, status, verified_by): (String, String, Option<String>) = sqlx::query_as(
        "SELECT m.role, m.status, m.verified_by FROM membership m JOIN account a \
         ON a.id = m.account_id WHERE a.email = 'bob@example.be'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((role.as_str(), status.as_str()), ("admin", "active"));
    assert_eq!(verified_by.as_deref(), Some("mandate"));
    let anna_status: String = sqlx::query_scalar(
        "SELECT m.status FROM membership m JOIN account a ON a.id = m.account_id \
         WHERE a.email = 'anna@example.be'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(anna_status, "revoked");
    assert_eq!(switch(&app, &anna, org).await, 403);
    assert_eq!(
        kinds_of_notifications(&app, "anna@example.be").await,
        ["dispute_suspended", "dispute_removed"]
    );
    assert_eq!(
        kinds_of_notifications(&app, "bob@example.be").await,
        ["dispute_suspended", "dispute_handed_over"]
    );
    // Each of them is told by e-mail too.
    let mails = mails_to(&app, "bob@example.be").await;
    assert!(
        mails
            .iter()
            .any(|m| m["template"] == "dispute" && m["outcome"] == "handed_over"),
        "{mails:?}"
    );

    // What anna filed for the organisation is there for its new holder.
    assert!(switch(&app, &bob, org).await < 400);
    let r = call(
        &app,
        "request_view",
        &[("lang", "fr"), ("reference", "2026-000777")],
        &bob,
    )
    .await;
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM request WHERE reference = '2026-000777'"
        )
        .await,
        1
    );

    // Decided is decided; the queue is empty.
    let r = decide(&app, &agent, dispute, "dismiss", "Trop tard").await;
    assert_eq!(codes(r).await, ["dispute:dispute.already_decided"]);
    assert_eq!(queue(&app, &agent).await, serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dismissed_report_says_why_and_gives_a_suspended_profile_back() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let org = create_organisation(&app, &anna, BCE, "Librairie du Parc").await;
    let bob = confirmed(&app, "bob@example.be").await;
    report(&app, &bob, &complete(BCE), Some(("statuts.pdf", PDF))).await;
    let agent = make_agent(&app, "agent@schaerbeek.be").await;
    let dispute = queue(&app, &agent).await[0]["id"].as_i64().unwrap();
    decide(&app, &agent, dispute, "suspend", "").await;
    assert_eq!(switch(&app, &anna, org).await, 403);

    // Dismissing needs a reason; an unknown decision is refused; neither changes anything.
    let r = decide(&app, &agent, dispute, "dismiss", "  ").await;
    assert_eq!(codes(r).await, ["reason:dispute.reason_required"]);
    let r = decide(&app, &agent, dispute, "delete", "x").await;
    assert_eq!(codes(r).await, ["action:dispute.action_required"]);
    assert_eq!(switch(&app, &anna, org).await, 403);

    let r = decide(
        &app,
        &agent,
        dispute,
        "dismiss",
        "Les statuts nomment Anna gérante.",
    )
    .await;
    assert_eq!(location(&r), "/backoffice/disputes?done=dismissed");
    assert!(switch(&app, &anna, org).await < 400);
    assert_eq!(
        kinds_of_notifications(&app, "anna@example.be").await,
        ["dispute_suspended", "dispute_reinstated"]
    );
    assert_eq!(
        kinds_of_notifications(&app, "bob@example.be").await,
        ["dispute_suspended", "dispute_dismissed"]
    );
    let mine: Value = call(&app, "my_disputes", &[], &bob)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine[0]["status"], "dismissed");
    assert_eq!(mine[0]["reason"], "Les statuts nomment Anna gérante.");
    // Bob gained nothing.
    assert_eq!(switch(&app, &bob, org).await, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_never_decides_a_report_they_are_part_of() {
    let app = spawn_app_with(NO_WORKER).await;
    let agent = make_agent(&app, "agent@schaerbeek.be").await;
    create_organisation(&app, &agent, BCE, "Librairie du Parc").await;
    let bob = confirmed(&app, "bob@example.be").await;
    report(&app, &bob, &complete(BCE), Some(("statuts.pdf", PDF))).await;
    let waiting = queue(&app, &agent).await;
    assert_eq!(waiting[0]["own"], true, "{waiting}");
    let dispute = waiting[0]["id"].as_i64().unwrap();
    let r = decide(&app, &agent, dispute, "suspend", "").await;
    assert_eq!(codes(r).await, ["dispute:dispute.own"]);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM organisation WHERE suspended_at IS NOT NULL"
        )
        .await,
        0
    );
    // An agent who reported does not decide their own report either.
    let other = make_agent(&app, "agent2@schaerbeek.be").await;
    let to = report(&app, &other, &complete(BCE), Some(("statuts.pdf", PDF))).await;
    assert_eq!(to, "/organisations/report?sent=1");
    let theirs = queue(&app, &other).await;
    let own: Vec<bool> = theirs
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["own"].as_bool().unwrap())
        .collect();
    assert_eq!(own, [false, true], "{theirs}");
}
