//! Declared and verified representatives: a declared one may not file what needs a
//! verified one, a proof of mandate goes through the back office's "Vérifications" queue
//! (accepted, or refused with a reason, and the person told either way), agents never
//! decide for their own organisation, and a verified administrator's approval verifies.
use crate::helpers::*;
use crate::requests::{confirmed, errors_of, file, form_token, make_agent};
use serde_json::Value;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00";
const SIGN: &str = "autorisation-enseigne";
const BCE: &str = "0403.170.701";

/// A company of `cookie`'s, which the session then acts for; its id.
async fn acting_for_new_company(app: &TestApp, cookie: &str) -> i64 {
    let id = create_organisation(app, cookie, BCE, "Librairie du Parc").await;
    let r = call(
        app,
        "switch_profile",
        &[("organisation", &id.to_string())],
        cookie,
    )
    .await;
    assert!(r.status().as_u16() < 400, "{}", r.status());
    id
}

/// Sends a proof of mandate as the page's form does; the answer's location.
async fn send_proof(
    app: &TestApp,
    cookie: &str,
    organisation: i64,
    kind: &str,
    file: Option<(&'static str, &[u8])>,
) -> String {
    let mut form = reqwest::multipart::Form::new().text("kind", kind.to_string());
    if let Some((name, bytes)) = file {
        form = form.part(
            "proof",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name),
        );
    }
    let r = app
        .client
        .post(app.url(&format!("/organisations/{organisation}/verification/proof")))
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{:?}", r.text().await);
    location(&r)
}

fn sign_fields() -> Vec<(&'static str, String)> {
    vec![
        ("f.nom_etablissement", "Librairie du Parc".into()),
        ("f.adresse.street", "Chaussée de Haecht".into()),
        ("f.adresse.number", "12".into()),
        ("f.adresse.postal_code", "1030".into()),
        ("f.adresse.city", "Schaerbeek".into()),
        ("f.type_enseigne", "parallele".into()),
        ("f.dimensions", "200 × 60".into()),
        ("f.eclairee", "no".into()),
    ]
}

async fn file_sign(app: &TestApp, cookie: &str) -> reqwest::Response {
    let token = form_token(app, cookie, SIGN).await;
    file(
        app,
        cookie,
        SIGN,
        &token,
        "submit",
        &sign_fields(),
        &[("file.photomontage", "facade.png", PNG.to_vec())],
    )
    .await
}

async fn verification(app: &TestApp, cookie: &str, organisation: i64) -> Value {
    call(
        app,
        "organisation_verification",
        &[("id", &organisation.to_string())],
        cookie,
    )
    .await
    .json()
    .await
    .unwrap()
}

async fn queue(app: &TestApp, cookie: &str) -> reqwest::Response {
    call(app, "verification_queue", &[], cookie).await
}

async fn decide(
    app: &TestApp,
    cookie: &str,
    proof: i64,
    decision: &str,
    reason: &str,
) -> reqwest::Response {
    call(
        app,
        "verification_decide",
        &[
            ("proof", &proof.to_string()),
            ("decision", decision),
            ("reason", reason),
        ],
        cookie,
    )
    .await
}

async fn filed(app: &TestApp) -> i64 {
    count(app, "SELECT COUNT(*) FROM request WHERE status <> 'draft'").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_representative_files_a_permit_only_once_an_agent_accepted_their_proof() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let org = acting_for_new_company(&app, &anna).await;

    // The creator is declared, and a permit is refused (its draft is kept).
    let mine = verification(&app, &anna, org).await;
    assert_eq!(mine["verified"], Value::Null, "{mine}");
    assert_eq!(
        errors_of(&file_sign(&app, &anna).await),
        ["representative:representative.not_verified"]
    );
    assert_eq!(filed(&app).await, 0);

    // Bad proofs change nothing.
    let page = format!("/organisations/{org}/verification");
    for (kind, upload, error) in [
        ("", Some(("statuts.pdf", PDF)), "kind:proof.kind_required"),
        ("statutes", None, "proof:attachment.required"),
        (
            "statutes",
            Some(("statuts.pdf", b"not a pdf at all".as_slice())),
            "proof:attachment.wrong_type:PDF/JPEG/PNG",
        ),
        (
            "passport",
            Some(("statuts.pdf", PDF)),
            "kind:proof.kind_required",
        ),
    ] {
        let to = send_proof(&app, &anna, org, kind, upload).await;
        let kept = if kind == "statutes" { kind } else { "" };
        assert_eq!(to, format!("{page}?errors={error}&kind={kept}"));
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM mandate_proof").await, 0);

    // A proof, then no second one while it waits.
    let to = send_proof(&app, &anna, org, "statutes", Some(("statuts.pdf", PDF))).await;
    assert_eq!(to, format!("{page}?sent=1"));
    let to = send_proof(&app, &anna, org, "moniteur", Some(("mb.pdf", PDF))).await;
    assert_eq!(
        to,
        format!("{page}?errors=proof:proof.already_pending&kind=moniteur")
    );
    let mine = verification(&app, &anna, org).await;
    assert_eq!(mine["proofs"][0]["status"], "pending", "{mine}");
    assert_eq!(mine["proofs"][0]["kind"], "statutes");

    // Only agents see the queue and the file.
    assert_eq!(queue(&app, &anna).await.status(), 403);
    let agent = make_agent(&app, "agent@schaerbeek.be").await;
    let waiting: Value = queue(&app, &agent).await.json().await.unwrap();
    let item = &waiting[0];
    assert_eq!(item["organisation"]["name"], "Librairie du Parc");
    assert_eq!(item["organisation"]["bce"], BCE);
    assert_eq!(item["email"], "anna@example.be");
    assert_eq!(item["own"], false);
    let proof = item["id"].as_i64().unwrap();
    let download = format!("/backoffice/verifications/{proof}/file");
    let r = app.get_with(&download, &[("cookie", &anna)]).await;
    assert_eq!(r.status(), 403);
    let r = app.get_with(&download, &[("cookie", &agent)]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
    // Nor may a member decide.
    assert_eq!(decide(&app, &anna, proof, "accept", "").await.status(), 403);

    // A refusal needs a reason; the person gets it.
    let r = decide(&app, &agent, proof, "refuse", "  ").await;
    assert_eq!(codes(r).await, ["reason:proof.reason_required"]);
    let r = decide(
        &app,
        &agent,
        proof,
        "refuse",
        "Les statuts ne vous nomment pas.",
    )
    .await;
    assert_eq!(location(&r), "/backoffice/verifications?refused=1");
    let r = decide(&app, &agent, proof, "accept", "").await;
    assert_eq!(codes(r).await, ["proof:proof.already_decided"]);
    let mine = verification(&app, &anna, org).await;
    assert_eq!(mine["verified"], Value::Null);
    assert_eq!(mine["proofs"][0]["status"], "refused");
    assert_eq!(
        mine["proofs"][0]["reason"],
        "Les statuts ne vous nomment pas."
    );
    let mail = mails_to(&app, "anna@example.be").await.pop().unwrap();
    assert_eq!(mail["template"], "verification_decided", "{mail}");
    assert_eq!(mail["accepted"], false);
    assert_eq!(mail["reason"], "Les statuts ne vous nomment pas.");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM notification WHERE kind = 'verification_refused'"
        )
        .await,
        1
    );
    assert_eq!(
        errors_of(&file_sign(&app, &anna).await),
        ["representative:representative.not_verified"]
    );

    // Another proof, accepted: Anna is verified and files.
    send_proof(
        &app,
        &anna,
        org,
        "power_of_attorney",
        Some(("procuration.png", PNG)),
    )
    .await;
    let waiting: Value = queue(&app, &agent).await.json().await.unwrap();
    let proof = waiting[0]["id"].as_i64().unwrap();
    let r = decide(&app, &agent, proof, "accept", "").await;
    assert_eq!(location(&r), "/backoffice/verifications?accepted=1");
    let mine = verification(&app, &anna, org).await;
    assert_eq!(mine["verified"][1], "mandate", "{mine}");
    let r = file_sign(&app, &anna).await;
    assert!(location(&r).ends_with("?submitted=1"), "{}", location(&r));
    assert_eq!(filed(&app).await, 1);
    let mail = mails_to(&app, "anna@example.be").await;
    assert!(mail
        .iter()
        .any(|m| m["template"] == "verification_decided" && m["accepted"] == true));
    // Verified, a new proof is refused.
    let to = send_proof(&app, &anna, org, "statutes", Some(("statuts.pdf", PDF))).await;
    assert_eq!(
        to,
        format!("{page}?errors=proof:proof.already_verified&kind=statutes")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_never_decides_for_their_own_organisation() {
    let app = spawn_app_with(NO_WORKER).await;
    let agent = make_agent(&app, "agent@schaerbeek.be").await;
    let org = acting_for_new_company(&app, &agent).await;
    send_proof(&app, &agent, org, "statutes", Some(("statuts.pdf", PDF))).await;
    let waiting: Value = queue(&app, &agent).await.json().await.unwrap();
    assert_eq!(waiting[0]["own"], true, "{waiting}");
    let proof = waiting[0]["id"].as_i64().unwrap();
    let r = decide(&app, &agent, proof, "accept", "").await;
    assert_eq!(codes(r).await, ["proof:proof.own_organisation"]);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM membership WHERE verified_at IS NOT NULL"
        )
        .await,
        0
    );
    // Someone else's decision that is neither word is refused too.
    let other = make_agent(&app, "agent2@schaerbeek.be").await;
    let r = decide(&app, &other, proof, "maybe", "").await;
    assert_eq!(codes(r).await, ["decision:proof.decision_required"]);
}

/// Asks to join the organisation of `BCE`; the new membership's id.
async fn join(app: &TestApp, cookie: &str) -> i64 {
    ask_access(app, cookie, BCE, "vendeur").await;
    sqlx::query_scalar("SELECT MAX(id) FROM membership WHERE status = 'pending'")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn accept(app: &TestApp, admin: &str, org: i64, membership: i64) {
    let r = call(
        app,
        "organisation_member_action",
        &[
            ("id", &org.to_string()),
            ("membership", &membership.to_string()),
            ("action", "accept"),
        ],
        admin,
    )
    .await;
    assert!(r.status().as_u16() < 400, "{}", r.status());
}

async fn verified_at(app: &TestApp, membership: i64) -> Option<i64> {
    sqlx::query_scalar("SELECT verified_at FROM membership WHERE id = $1")
        .bind(membership)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_verified_administrators_approval_verifies_a_declared_ones_does_not() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let org = acting_for_new_company(&app, &anna).await;

    // Declared, Anna lets Bruno in: he is declared too.
    let bruno = confirmed(&app, "bruno@example.be").await;
    let membership = join(&app, &bruno).await;
    accept(&app, &anna, org, membership).await;
    assert_eq!(verified_at(&app, membership).await, None);

    // Once Anna is verified, whom she lets in is verified.
    send_proof(&app, &anna, org, "statutes", Some(("statuts.pdf", PDF))).await;
    let agent = make_agent(&app, "agent@schaerbeek.be").await;
    let waiting: Value = queue(&app, &agent).await.json().await.unwrap();
    decide(
        &app,
        &agent,
        waiting[0]["id"].as_i64().unwrap(),
        "accept",
        "",
    )
    .await;
    let carla = confirmed(&app, "carla@example.be").await;
    let membership = join(&app, &carla).await;
    accept(&app, &anna, org, membership).await;
    assert!(verified_at(&app, membership).await.is_some());
    let members: Value = call(
        &app,
        "organisation_members",
        &[("id", &org.to_string())],
        &anna,
    )
    .await
    .json()
    .await
    .unwrap();
    let verified: Vec<(String, bool)> = members["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["email"].as_str().unwrap().to_string(),
                m["verified"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(
        verified.contains(&("anna@example.be".into(), true)),
        "{verified:?}"
    );
    assert!(verified.contains(&("bruno@example.be".into(), false)));
    assert!(verified.contains(&("carla@example.be".into(), true)));

    // Someone who leaves and comes back starts declared again.
    let r = call(
        &app,
        "organisation_member_action",
        &[
            ("id", &org.to_string()),
            ("membership", &membership.to_string()),
            ("action", "leave"),
        ],
        &carla,
    )
    .await;
    assert!(r.status().as_u16() < 400);
    assert_eq!(verified_at(&app, membership).await, None);
}

/// The registered seat of `BCE` in the company register's open data.
async fn known_seat(app: &TestApp) {
    sqlx::query(
        "INSERT INTO kbo_enterprise (bce, name, street, house_number, postal_code, city, \
         updated_at) VALUES ('0403170701', 'Librairie du Parc SRL', 'Chaussée de Haecht', \
         '12', '1030', 'Schaerbeek', 0)",
    )
    .execute(&app.db)
    .await
    .unwrap();
}

async fn print_letters(app: &TestApp, cookie: &str) -> reqwest::Response {
    app.client
        .post(app.url("/backoffice/letters.pdf"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap()
}

/// The codes a PDF of letters carries (`XXXX-XXXX`, as shown with `Tj`).
fn codes_in(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    text.split('(')
        .filter_map(|part| part.split_once(") Tj"))
        .map(|(inside, _)| inside.to_string())
        .filter(|inside| {
            inside.len() == 9
                && inside.as_bytes()[4] == b'-'
                && inside
                    .bytes()
                    .enumerate()
                    .all(|(i, b)| i == 4 || app::domain::POSTAL_CODE_ALPHABET.contains(&b))
        })
        .collect()
}

async fn enter(app: &TestApp, cookie: &str, org: i64, code: &str) -> reqwest::Response {
    call(
        app,
        "enter_postal_code",
        &[("id", &org.to_string()), ("code", code)],
        cookie,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_by_post_to_the_registered_seat_verifies_within_its_days_and_tries() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let org = acting_for_new_company(&app, &anna).await;
    let ask = |cookie: String| {
        let app = &app;
        async move {
            call(
                app,
                "request_postal_code",
                &[("id", &org.to_string())],
                &cookie,
            )
            .await
        }
    };

    // No seat known: said, nothing asked.
    assert_eq!(codes(ask(anna.clone()).await).await, ["post:post.no_seat"]);
    known_seat(&app).await;
    let mine = verification(&app, &anna, org).await;
    assert_eq!(
        mine["post"]["seat"], "Chaussée de Haecht 12, 1030 Schaerbeek",
        "{mine}"
    );
    assert_eq!(mine["post"]["pending"], Value::Null);

    // Asked once; not twice while it is good; no code typed before one is asked is refused.
    let r = ask(anna.clone()).await;
    assert_eq!(
        location(&r),
        format!("/organisations/{org}/verification?code_requested=1")
    );
    assert_eq!(
        codes(ask(anna.clone()).await).await,
        ["post:post.already_sent"]
    );
    let mine = verification(&app, &anna, org).await;
    assert_eq!(mine["post"]["pending"]["printed"], false, "{mine}");

    // Only agents print; printing gives the PDF with the code and forgets the code.
    assert_eq!(print_letters(&app, &anna).await.status(), 403);
    assert_eq!(call(&app, "postal_letters", &[], &anna).await.status(), 403);
    let agent = make_agent(&app, "agent@schaerbeek.be").await;
    let waiting: Value = call(&app, "postal_letters", &[], &agent)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        waiting[0]["recipient"], "Librairie du Parc SRL",
        "{waiting}"
    );
    let r = print_letters(&app, &agent).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let printed = codes_in(&pdf);
    assert_eq!(printed.len(), 1, "{printed:?}");
    let code = printed[0].clone();
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM postal_code WHERE code IS NOT NULL"
        )
        .await,
        0
    );
    // Nothing left: the page says so.
    let r = print_letters(&app, &agent).await;
    assert_eq!(location(&r), "/backoffice/letters?none=1");
    let mine = verification(&app, &anna, org).await;
    assert_eq!(mine["post"]["pending"]["printed"], true);

    // Wrong codes count; the right one, typed loosely, verifies.
    assert_eq!(
        codes(enter(&app, &anna, org, " ").await).await,
        ["code:post.code_empty"]
    );
    assert_eq!(
        codes(enter(&app, &anna, org, "AAAA-AAAA").await).await,
        ["code:post.code_wrong"]
    );
    let tries: i64 = sqlx::query_scalar("SELECT tries_left FROM postal_code")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(tries, 4);
    let loose = code.to_lowercase().replace('-', " ");
    let r = enter(&app, &anna, org, &loose).await;
    assert_eq!(
        location(&r),
        format!("/organisations/{org}/verification?verified=1")
    );
    let mine = verification(&app, &anna, org).await;
    assert_eq!(mine["verified"][1], "post", "{mine}");
    let r = file_sign(&app, &anna).await;
    assert!(location(&r).ends_with("?submitted=1"), "{}", location(&r));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_by_post_is_used_up_after_five_wrong_tries_and_expires_after_thirty_days() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let org = acting_for_new_company(&app, &anna).await;
    known_seat(&app).await;
    assert_eq!(
        codes(enter(&app, &anna, org, "AAAA-AAAA").await).await,
        ["code:post.no_code"]
    );
    call(
        &app,
        "request_postal_code",
        &[("id", &org.to_string())],
        &anna,
    )
    .await;
    let code: String = sqlx::query_scalar("SELECT code FROM postal_code")
        .fetch_one(&app.db)
        .await
        .unwrap();
    for _ in 0..5 {
        assert_eq!(
            codes(enter(&app, &anna, org, "AAAA-AAAA").await).await,
            ["code:post.code_wrong"]
        );
    }
    // Even the right code is too late now; a new one may be asked.
    assert_eq!(
        codes(enter(&app, &anna, org, &code).await).await,
        ["code:post.code_used_up"]
    );
    let r = call(
        &app,
        "request_postal_code",
        &[("id", &org.to_string())],
        &anna,
    )
    .await;
    assert!(location(&r).ends_with("code_requested=1"));
    let code: String = sqlx::query_scalar("SELECT code FROM postal_code ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.db)
        .await
        .unwrap();
    sqlx::query("UPDATE postal_code SET expires_at = 1")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(
        codes(enter(&app, &anna, org, &code).await).await,
        ["code:post.code_expired"]
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM membership WHERE verified_at IS NOT NULL"
        )
        .await,
        0
    );
}
