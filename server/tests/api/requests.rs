//! Démarches: filing (every kind of refusal, files checked by content, double submits),
//! the status machine, the document request round trip, the dashboard (filters, keyset
//! pages, XLSX), and who may see a request.
use crate::helpers::*;
use serde_json::Value;

pub(crate) const ADDRESS: &str = "changement-adresse";
/// A few bytes that are a PDF by their content.
pub(crate) const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
/// A PNG signature and header.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00";

/// Signed in with a confirmed address (filing needs one).
pub(crate) async fn confirmed(app: &TestApp, email: &str) -> String {
    register(app, &registration(email, &[])).await;
    let token = verification_token(app, email).await;
    let r = post(app, "/api/verify_email", form(&[("token", &token)]), None).await;
    assert!(r.status().as_u16() < 400);
    session_cookie(&login(app, email, PASSWORD, None).await).expect("signed in")
}

/// The form's token, as the filing page gives it.
pub(crate) async fn form_token(app: &TestApp, cookie: &str, code: &str) -> String {
    let page = app
        .get_with(&format!("/procedures/{code}"), &[("cookie", cookie)])
        .await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    let start = page.find("name=\"token\" value=\"").expect("a token") + 20;
    page[start..].split('"').next().unwrap().to_string()
}

pub(crate) fn valid_address(today_plus: i64) -> Vec<(&'static str, String)> {
    let date = (jiff::Zoned::now().date() + jiff::Span::new().days(today_plus)).to_string();
    vec![
        ("f.nouvelle_adresse.street", "Avenue Louis Bertrand".into()),
        ("f.nouvelle_adresse.number", "12".into()),
        ("f.nouvelle_adresse.postal_code", "1030".into()),
        ("f.nouvelle_adresse.city", "Schaerbeek".into()),
        ("f.date_emmenagement", date),
        ("f.nombre_personnes", "2".into()),
    ]
}

/// Posts the filing form as a browser does (multipart), without following redirects.
pub(crate) async fn file(
    app: &TestApp,
    cookie: &str,
    code: &str,
    token: &str,
    intent: &str,
    fields: &[(&'static str, String)],
    files: &[(&'static str, &'static str, Vec<u8>)],
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new()
        .text("token", token.to_string())
        .text("intent", intent.to_string());
    for (name, value) in fields {
        form = form.text(*name, value.clone());
    }
    for (name, file_name, bytes) in files {
        form = form.part(
            *name,
            reqwest::multipart::Part::bytes(bytes.clone()).file_name(*file_name),
        );
    }
    app.client
        .post(app.url(&format!("/procedures/{code}/file")))
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

pub(crate) fn errors_of(response: &reqwest::Response) -> Vec<String> {
    let to = location(response);
    let errors = to
        .split("errors=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .unwrap_or_else(|| panic!("no errors in {to}"));
    let mut codes: Vec<String> = errors.split(',').map(str::to_string).collect();
    codes.sort();
    codes
}

pub(crate) fn reference_of(response: &reqwest::Response) -> String {
    let to = location(response);
    to.strip_prefix("/requests/")
        .and_then(|rest| rest.strip_suffix("?submitted=1"))
        .unwrap_or_else(|| panic!("not filed: {to}"))
        .to_string()
}

/// Files a valid change of address; returns its reference.
pub(crate) async fn file_address(app: &TestApp, cookie: &str) -> String {
    let token = form_token(app, cookie, ADDRESS).await;
    let r = file(
        app,
        cookie,
        ADDRESS,
        &token,
        "submit",
        &valid_address(-3),
        &[("file.bail_ou_acte", "bail.pdf", PDF.to_vec())],
    )
    .await;
    reference_of(&r)
}

/// A confirmed account made an agent of every service; its session.
pub(crate) async fn make_agent(app: &TestApp, email: &str) -> String {
    let cookie = confirmed(app, email).await;
    assert_eq!(
        app::backend::requests::set_agent(&app.db, email, EVERY_SERVICE)
            .await
            .unwrap(),
        app::backend::requests::AgentChange::Done
    );
    cookie
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filing_refuses_each_kind_of_bad_input_and_keeps_the_draft() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = confirmed(&app, "anna@example.be").await;
    let token = form_token(&app, &cookie, ADDRESS).await;

    // Nothing filled in.
    let r = file(&app, &cookie, ADDRESS, &token, "submit", &[], &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        errors_of(&r),
        vec![
            "bail_ou_acte:attachment.required",
            "date_emmenagement:procedure.required",
            "nombre_personnes:procedure.required",
            "nouvelle_adresse:procedure.required",
        ]
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM request WHERE status = 'draft'").await,
        1
    );

    // Each field wrong in its own way.
    let r = file(
        &app,
        &cookie,
        ADDRESS,
        &token,
        "submit",
        &[
            ("f.nouvelle_adresse.street", "Rue Royale".into()),
            ("f.nouvelle_adresse.number", "1".into()),
            ("f.nouvelle_adresse.postal_code", "999".into()),
            ("f.nouvelle_adresse.city", "Schaerbeek".into()),
            ("f.date_emmenagement", "2001-01-01".into()),
            ("f.nombre_personnes", "vingt".into()),
            ("f.telephone", "12".into()),
            ("f.remarques", "x".repeat(2001)),
        ],
        &[],
    )
    .await;
    let errors = errors_of(&r);
    for expected in [
        "nouvelle_adresse:postal_code.invalid",
        "date_emmenagement:procedure.date_too_early",
        "nombre_personnes:procedure.number_invalid",
        "remarques:procedure.too_long:2000",
        "bail_ou_acte:attachment.required",
    ] {
        assert!(
            errors.iter().any(|e| e == expected),
            "{expected} in {errors:?}"
        );
    }
    assert!(
        errors.iter().any(|e| e.starts_with("telephone:phone.")),
        "{errors:?}"
    );

    // A file that is not what its name says, then one too big: refused, nothing kept.
    let r = file(
        &app,
        &cookie,
        ADDRESS,
        &token,
        "submit",
        &valid_address(-3),
        &[(
            "file.bail_ou_acte",
            "bail.pdf",
            b"MZ\x90\x00 this is a program".to_vec(),
        )],
    )
    .await;
    assert_eq!(
        errors_of(&r),
        vec!["bail_ou_acte:attachment.wrong_type:PDF/JPEG/PNG"]
    );
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let r = file(
        &app,
        &cookie,
        ADDRESS,
        &token,
        "submit",
        &valid_address(-3),
        &[("file.bail_ou_acte", "bail.pdf", big)],
    )
    .await;
    assert_eq!(errors_of(&r), vec!["bail_ou_acte:attachment.too_big:10"]);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM attachment").await, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM request WHERE status <> 'draft'").await,
        0
    );

    // The draft keeps what was typed: the page shows it again.
    let r = file(
        &app,
        &cookie,
        ADDRESS,
        &token,
        "save",
        &valid_address(-3),
        &[],
    )
    .await;
    assert_eq!(location(&r), format!("/procedures/{ADDRESS}?saved=1"));
    let page = app
        .get_with(&format!("/procedures/{ADDRESS}"), &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("value=\"Avenue Louis Bertrand\""), "{page}");
    assert!(page.contains(&format!("value=\"{token}\"")));

    // Unknown procedure, procedure of another profile kind, eID procedure.
    let r = file(
        &app,
        &cookie,
        "permis-de-chasse",
        &token,
        "submit",
        &[],
        &[],
    )
    .await;
    assert_eq!(r.status(), 404);
    let other = form_token(&app, &cookie, "autorisation-enseigne").await;
    let r = file(
        &app,
        &cookie,
        "autorisation-enseigne",
        &other,
        "save",
        &[],
        &[],
    )
    .await;
    assert_eq!(r.status(), 403);
    let eid = form_token(&app, &cookie, "composition-menage").await;
    let r = file(
        &app,
        &cookie,
        "composition-menage",
        &eid,
        "submit",
        &[
            ("f.usage", "banque".into()),
            ("f.langue", "fr".into()),
            ("f.envoi", "email".into()),
        ],
        &[],
    )
    .await;
    assert!(
        errors_of(&r).contains(&"form:procedure.eid_unavailable".to_string()),
        "{:?}",
        errors_of(&r)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filing_gives_one_reference_however_often_the_form_is_sent() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = confirmed(&app, "anna@example.be").await;
    let token = form_token(&app, &cookie, ADDRESS).await;
    let fields = valid_address(-3);
    let files = [("file.bail_ou_acte", "mon bail.pdf", PDF.to_vec())];
    let r = file(&app, &cookie, ADDRESS, &token, "submit", &fields, &files).await;
    let reference = reference_of(&r);
    let year = jiff::Zoned::now().year();
    assert_eq!(reference, format!("{year}-000001"));
    // The same form again (a double click, a retry): the same request.
    let again = file(&app, &cookie, ADDRESS, &token, "submit", &fields, &files).await;
    assert_eq!(reference_of(&again), reference);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM request").await, 1);

    // Two sends of one new form at the same moment.
    let token = form_token(&app, &cookie, ADDRESS).await;
    let (a, b) = tokio::join!(
        file(&app, &cookie, ADDRESS, &token, "submit", &fields, &files),
        file(&app, &cookie, ADDRESS, &token, "submit", &fields, &files),
    );
    let outcomes = [location(&a), location(&b)];
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM request WHERE status = 'submitted'"
        )
        .await,
        2,
        "{outcomes:?}"
    );
    assert!(
        outcomes
            .iter()
            .all(|o| o.starts_with("/requests/") || o.is_empty()),
        "{outcomes:?}"
    );

    // Filed: an event, a notification, an e-mail, the attachment with its hash.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM request_event WHERE status = 'submitted'"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM notification WHERE kind = 'request_submitted'"
        )
        .await,
        2
    );
    assert!(mails_to(&app, "anna@example.be")
        .await
        .iter()
        .any(|m| m["template"] == "request_changed" && m["change"] == "submitted"));
    let hash: String = sqlx::query_scalar("SELECT sha256 FROM attachment ORDER BY id LIMIT 1")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(hash.len(), 64);
    let page = app
        .get_with(&format!("/requests/{reference}"), &[("cookie", &cookie)])
        .await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("Avenue Louis Bertrand 12, 1030 Schaerbeek"),
        "{page}"
    );
    assert!(page.contains("mon bail.pdf"));
    // The draft is gone from the form: a new one starts.
    assert_ne!(form_token(&app, &cookie, ADDRESS).await, token);
}

async fn agent_call(
    app: &TestApp,
    function: &str,
    fields: &[(&str, &str)],
    cookie: &str,
) -> reqwest::Response {
    call(app, function, fields, cookie).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_asks_for_a_document_the_user_answers_the_agent_accepts() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let reference = file_address(&app, &anna).await;
    let agent = make_agent(&app, "agent@schaerbeek.be").await;

    // Not an agent: no back office.
    let r = call(
        &app,
        "backoffice_request",
        &[("lang", "fr"), ("reference", &reference)],
        &anna,
    )
    .await;
    assert_eq!(r.status(), 403);
    let r = call(
        &app,
        "backoffice_status",
        &[
            ("reference", &reference),
            ("status", "accepted"),
            ("note", ""),
        ],
        &anna,
    )
    .await;
    assert_eq!(r.status(), 403);

    let queue: Value = call(
        &app,
        "backoffice_queue",
        &[
            ("lang", "fr"),
            ("status", ""),
            ("procedure", ""),
            ("min_age", ""),
            ("after", ""),
        ],
        &agent,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(queue["rows"][0]["reference"], reference.as_str());

    // Only allowed transitions; asking for documents says which.
    for (status, code) in [
        ("submitted", "status:request.transition"),
        ("draft", "status:request.transition"),
        ("documents_requested", "note:request.documents_note"),
    ] {
        let r = agent_call(
            &app,
            "backoffice_status",
            &[("reference", &reference), ("status", status), ("note", "")],
            &agent,
        )
        .await;
        assert_eq!(codes(r).await, vec![code], "{status}");
    }
    let r = agent_call(
        &app,
        "backoffice_status",
        &[
            ("reference", &reference),
            ("status", "documents_requested"),
            ("note", "Une copie recto verso de votre carte d'identité."),
        ],
        &agent,
    )
    .await;
    assert_eq!(
        location(&r),
        format!("/backoffice/requests/{reference}?changed=1")
    );
    let view: Value = call(
        &app,
        "request_view",
        &[("lang", "fr"), ("reference", &reference)],
        &anna,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(view["status"], "documents_requested");
    assert_eq!(
        view["documents_asked"],
        "Une copie recto verso de votre carte d'identité."
    );
    assert!(mails_to(&app, "anna@example.be")
        .await
        .iter()
        .any(|m| m["change"] == "documents_requested"));
    // Her dashboard puts it first, under "À faire"; the agent's has nothing of hers.
    let board = dashboard(&app, &anna, &[]).await;
    assert_eq!(
        board["to_do"]["documents"],
        serde_json::json!([[reference, "Déclaration de changement d'adresse"]])
    );
    let theirs = dashboard(&app, &agent, &[]).await;
    assert_eq!(theirs["to_do"]["documents"], serde_json::json!([]));

    // The answer: a disguised file is refused; a real one puts the request back.
    let send = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("note", "Voici ma carte.")
            .part(
                "file.documents",
                reqwest::multipart::Part::bytes(bytes).file_name("carte.png"),
            );
        app.client
            .post(app.url(&format!("/requests/{reference}/documents")))
            .header("cookie", &anna)
            .multipart(form)
            .send()
    };
    let r = send(b"not an image at all".to_vec()).await.unwrap();
    assert_eq!(
        errors_of(&r),
        vec!["documents:attachment.wrong_type:PDF/JPEG/PNG"]
    );
    let r = send(PNG.to_vec()).await.unwrap();
    assert_eq!(location(&r), format!("/requests/{reference}?answered=1"));
    let status: String = sqlx::query_scalar("SELECT status FROM request")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "submitted");
    // Not asked any more: a second answer is refused.
    let r = send(PNG.to_vec()).await.unwrap();
    assert_eq!(errors_of(&r), vec!["documents:request.not_asked"]);

    // Messages both ways; the agent's is told to Anna.
    let r = call(
        &app,
        "send_message",
        &[("reference", &reference), ("body", "  ")],
        &anna,
    )
    .await;
    assert_eq!(codes(r).await, vec!["body:message.empty"]);
    let r = call(
        &app,
        "send_message",
        &[("reference", &reference), ("body", "Je suis là le matin.")],
        &anna,
    )
    .await;
    assert_eq!(location(&r), format!("/requests/{reference}?sent=1"));
    let r = agent_call(
        &app,
        "backoffice_message",
        &[("reference", &reference), ("body", "Merci, c'est noté.")],
        &agent,
    )
    .await;
    assert_eq!(
        location(&r),
        format!("/backoffice/requests/{reference}?sent=1")
    );
    for (status, ok) in [
        ("in_treatment", true),
        ("refused", true),
        ("accepted", false),
        ("closed", true),
        ("in_treatment", false),
    ] {
        let r = agent_call(
            &app,
            "backoffice_status",
            &[("reference", &reference), ("status", status), ("note", "")],
            &agent,
        )
        .await;
        assert_eq!(location(&r).contains("changed=1"), ok, "{status}");
    }
    let view: Value = call(
        &app,
        "request_view",
        &[("lang", "fr"), ("reference", &reference)],
        &anna,
    )
    .await
    .json()
    .await
    .unwrap();
    let statuses: Vec<&str> = view["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        vec![
            "submitted",
            "documents_requested",
            "submitted",
            "in_treatment",
            "refused",
            "closed"
        ]
    );
    assert_eq!(view["messages"].as_array().unwrap().len(), 2);
    // To the public, agents are "the administration": no name.
    assert_eq!(view["messages"][1]["by"], "");
    assert_eq!(view["messages"][1]["by_agent"], true);
    assert_eq!(view["attachments"].as_array().unwrap().len(), 2);
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM notification ORDER BY id")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(kinds.contains(&"request_message".to_string()), "{kinds:?}");
    assert!(kinds.contains(&"request_refused".to_string()), "{kinds:?}");
    assert_tally_matches(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_is_seen_only_by_its_profile_and_by_agents() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let reference = file_address(&app, &anna).await;
    let attachment: i64 = sqlx::query_scalar("SELECT id FROM attachment")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let download = format!("/requests/{reference}/attachments/{attachment}");
    let r = app.get_with(&download, &[("cookie", &anna)]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);

    // Someone else, and a member of an organisation acting for it.
    let bruno = confirmed(&app, "bruno@example.be").await;
    let org = create_organisation(&app, &bruno, "0123.456.749", "Boulangerie Bruno").await;
    for acting in ["citizen", "organisation"] {
        if acting == "organisation" {
            call(
                &app,
                "switch_profile",
                &[("organisation", &org.to_string())],
                &bruno,
            )
            .await;
        }
        assert_eq!(
            app.get_with(&format!("/requests/{reference}"), &[("cookie", &bruno)])
                .await
                .status(),
            404,
            "{acting}"
        );
        assert_eq!(
            app.get_with(&download, &[("cookie", &bruno)])
                .await
                .status(),
            404,
            "{acting}"
        );
        let r = call(
            &app,
            "request_view",
            &[("lang", "fr"), ("reference", &reference)],
            &bruno,
        )
        .await;
        assert_eq!(r.status(), 404, "{acting}");
        let r = call(
            &app,
            "send_message",
            &[("reference", &reference), ("body", "Bonjour")],
            &bruno,
        )
        .await;
        assert_eq!(r.status(), 404, "{acting}");
        let form = reqwest::multipart::Form::new().part(
            "file.documents",
            reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("x.png"),
        );
        let r = app
            .client
            .post(app.url(&format!("/requests/{reference}/documents")))
            .header("cookie", &bruno)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{acting}");
        let r = app
            .get_with("/dashboard/export.xlsx", &[("cookie", &bruno)])
            .await;
        assert_eq!(r.status(), 200);
        let rows = read_xlsx(r.bytes().await.unwrap().to_vec());
        assert_eq!(rows.len(), 1, "only the header row: {rows:?}");
        let r = app
            .get_with(
                &format!("/backoffice/requests/{reference}/attachments/{attachment}"),
                &[("cookie", &bruno)],
            )
            .await;
        assert_eq!(r.status(), 403);
    }
    // Anna acting for an organisation of hers: the link to her citizen request switches
    // back to her citizen profile, and the page says so.
    let org_anna = create_organisation(&app, &anna, "0403.170.701", "ASBL Anna").await;
    call(
        &app,
        "switch_profile",
        &[("organisation", &org_anna.to_string())],
        &anna,
    )
    .await;
    // The session switches, and the page is asked again, so that all of it shows the
    // profile now acted for.
    let html_page = [("cookie", anna.as_str()), ("accept", "text/html")];
    let r = app
        .get_with(&format!("/requests/{reference}"), &html_page)
        .await;
    assert_eq!(r.status(), 302);
    assert_eq!(location(&r), format!("/requests/{reference}?switched=1"));
    let r = app.get_with(&location(&r), &[("cookie", &anna)]).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("vous agissez maintenant pour votre profil personnel"));
    // The banner too: the citizen profile is the one acted for.
    let current_item = html
        .split("aria-current=\"true\" class=\"acting-for-item\"")
        .nth(1)
        .and_then(|rest| rest.split("</button>").next())
        .expect("the banner marks the profile acted for");
    assert!(
        current_item.contains("mon espace citoyen"),
        "{current_item}"
    );
    assert!(!current_item.contains("ASBL Anna"), "{current_item}");
    assert_eq!(
        current(&app, &anna).await["active"],
        serde_json::Value::Null
    );
    call(&app, "switch_profile", &[("organisation", "")], &anna).await;
    assert_eq!(
        app.get_with(&format!("/requests/{reference}"), &[("cookie", &anna)])
            .await
            .status(),
        200
    );
    // Signed out: to the sign-in page.
    let asked: String = url::form_urlencoded::byte_serialize(download.as_bytes()).collect();
    assert_eq!(
        location(&app.get(&download).await),
        format!("/login?next={asked}")
    );
    assert_eq!(
        location(&app.get("/dashboard/export.xlsx").await),
        "/login?next=%2Fdashboard%2Fexport.xlsx"
    );
    // An agent sees it, and its file.
    let agent = make_agent(&app, "agent@schaerbeek.be").await;
    let r = app
        .get_with(
            &format!("/backoffice/requests/{reference}/attachments/{attachment}"),
            &[("cookie", &agent)],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_tally_matches(&app).await;
}

fn read_xlsx(bytes: Vec<u8>) -> Vec<Vec<calamine::Data>> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = workbook.worksheet_range("Espace personnel").unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

/// Files `n` requests for a citizen straight in the database (fast), spread over days.
async fn seed(app: &TestApp, email: &str, first: i64, n: i64, start_ms: i64) {
    let account: i64 = sqlx::query_scalar("SELECT id FROM account WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap();
    for i in 0..n {
        let status = ["submitted", "in_treatment", "accepted", "refused"][(i % 4) as usize];
        let code = if i % 3 == 0 {
            "reservation-salle"
        } else {
            ADDRESS
        };
        let at = start_ms + i * 3_600_000;
        sqlx::query(
            "INSERT INTO request (reference, token, procedure_code, account_id, status, data, assurance, \
                                  search_text, created_at, submitted_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, '{}', 'basic', $6, $7, $7, $7)",
        )
        .bind(format!("2026-{:06}", first + i))
        .bind(format!("seed-token-{email}-{}", first + i))
        .bind(code)
        .bind(account)
        .bind(status)
        .bind(format!("2026-{:06} rue numéro {i}", first + i))
        .bind(at)
        .execute(&app.db)
        .await
        .unwrap();
    }
}

pub(crate) async fn dashboard(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> Value {
    // A browser always sends every field of the filter form.
    let mut all = vec![("lang", "fr")];
    if !fields.iter().any(|(k, _)| *k == "q") {
        all.push(("filter[q]", ""));
    }
    let prefixed: Vec<(String, &str)> = fields
        .iter()
        .map(|(k, v)| (format!("filter[{k}]"), *v))
        .collect();
    for (k, v) in &prefixed {
        all.push((k.as_str(), v));
    }
    let r = call(app, "dashboard", &all, cookie).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_filters_pages_without_gaps_and_exports() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let start = 1_780_000_000_000; // 2026-05-28
    seed(&app, "anna@example.be", 500, 45, start).await;
    let first = dashboard(&app, &anna, &[]).await;
    assert_eq!(first["total"], 45);
    let counts: Vec<(String, i64)> = first["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_str().unwrap().to_string(), c[1].as_i64().unwrap()))
        .collect();
    assert!(
        counts.contains(&("submitted".to_string(), 12)),
        "{counts:?}"
    );
    assert_eq!(first["rows"].as_array().unwrap().len(), 20);
    assert_eq!(first["rows"][0]["reference"], "2026-000544");

    // Walk every page by its number; new requests arriving meanwhile neither repeat nor hide
    // any: the pages are counted at the moment of the first.
    assert_eq!(
        (first["page"].as_i64(), first["pages"].as_i64()),
        (Some(1), Some(3))
    );
    let as_of = first["as_of"].as_i64().unwrap().to_string();
    let mut seen = Vec::new();
    for number in 1..=3 {
        let page = dashboard(
            &app,
            &anna,
            &[("page", &number.to_string()), ("as_of", &as_of)],
        )
        .await;
        assert_eq!(page["page"], number);
        assert_eq!(page["pages"], 3);
        for row in page["rows"].as_array().unwrap() {
            seen.push(row["reference"].as_str().unwrap().to_string());
        }
        if number == 1 {
            // Filed after the first page was shown.
            let later = first["as_of"].as_i64().unwrap() + 1_000;
            seed(&app, "anna@example.be", 900, 3, later).await;
        }
    }
    let expected: Vec<String> = (0..45)
        .rev()
        .map(|i| format!("2026-{:06}", 500 + i))
        .collect();
    assert_eq!(seen, expected);

    // Filters.
    let accepted = dashboard(&app, &anna, &[("status", "accepted")]).await;
    assert!(accepted["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "accepted"));
    let rooms = dashboard(&app, &anna, &[("procedure", "reservation-salle")]).await;
    // 15 of the first 45, and one of the 3 that arrived while paging.
    assert_eq!(rooms["rows"].as_array().unwrap().len(), 16);
    let one = dashboard(&app, &anna, &[("q", "2026-000510")]).await;
    assert_eq!(one["rows"].as_array().unwrap().len(), 1);
    let words = dashboard(&app, &anna, &[("q", "numéro 7")]).await;
    // Every word must be found: "numéro" and "7".
    let found: Vec<&str> = words["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reference"].as_str().unwrap())
        .collect();
    assert_eq!(
        found,
        vec!["2026-000537", "2026-000527", "2026-000517", "2026-000507"]
    );
    let oldest = dashboard(&app, &anna, &[("sort", "oldest")]).await;
    assert_eq!(oldest["rows"][0]["reference"], "2026-000500");
    let day = dashboard(&app, &anna, &[("from", "2026-05-29"), ("to", "2026-05-29")]).await;
    let day_rows = day["rows"].as_array().unwrap().len();
    assert!(day_rows > 0 && day_rows <= 24, "{day_rows}");
    // Bad filters: a clear refusal, nothing else.
    for (field, value, expected) in [
        ("filter[status]", "perdu", "status:dashboard.status"),
        ("filter[from]", "hier", "from:procedure.date_invalid"),
        ("filter[page]", "x", "page:dashboard.page"),
        ("filter[page]", "0", "page:dashboard.page"),
        ("filter[as_of]", "-5", "as_of:dashboard.page"),
    ] {
        let r = call(&app, "dashboard", &[("lang", "fr"), (field, value)], &anna).await;
        assert_eq!(codes(r).await, vec![expected]);
    }

    // The export: the same filtered list, French titles, dates as dates.
    let r = app
        .get_with(
            "/dashboard/export.xlsx?status=accepted",
            &[("cookie", &anna)],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    let rows = read_xlsx(r.bytes().await.unwrap().to_vec());
    assert_eq!(rows[0][0], calamine::Data::String("Référence".into()));
    assert_eq!(rows[0][2], calamine::Data::String("Statut".into()));
    // 11 of the first 45, and one of the 3 that arrived while paging.
    assert_eq!(rows.len(), 1 + 12);
    assert_eq!(rows[1][2], calamine::Data::String("Acceptée".into()));
    assert!(
        matches!(rows[1][3], calamine::Data::DateTime(_)),
        "{:?}",
        rows[1][3]
    );
    // In Dutch with the language switch's cookie.
    let r = app
        .get_with(
            "/dashboard/export.xlsx",
            &[("cookie", &format!("{anna}; lang=nl"))],
        )
        .await;
    let rows = read_xlsx(r.bytes().await.unwrap().to_vec());
    assert_eq!(rows[0][0], calamine::Data::String("Referentie".into()));
    assert_eq!(rows.len(), 49);
    assert_tally_matches(&app).await;
}

/// The export is written as the database gives the lines (a channel of 512 between the two):
/// a list longer than the channel comes back whole, in the page's order; a bad filter is
/// refused before anything is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_export_comes_back_whole_and_in_order() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let account: i64 = sqlx::query_scalar("SELECT id FROM account WHERE email = $1")
        .bind("anna@example.be")
        .fetch_one(&app.db)
        .await
        .unwrap();
    const N: i64 = 2_000;
    sqlx::query(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {N}) \
         INSERT INTO request (reference, token, procedure_code, account_id, status, data, \
                              assurance, search_text, created_at, submitted_at, updated_at) \
         SELECT '2027-' || CAST(100000 + i AS TEXT), 'long-' || CAST(i AS TEXT), \
                '{ADDRESS}', $1, 'submitted', '{{}}', 'basic', 'x', \
                1780000000000 + i * 60000, 1780000000000 + i * 60000, 1780000000000 + i * 60000 \
         FROM n"
    ))
    .bind(account)
    .execute(&app.db)
    .await
    .unwrap();
    let r = app
        .get_with("/dashboard/export.xlsx", &[("cookie", &anna)])
        .await;
    assert_eq!(r.status(), 200);
    let length: usize = r.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let bytes = r.bytes().await.unwrap().to_vec();
    assert_eq!(bytes.len(), length);
    let rows = read_xlsx(bytes);
    assert_eq!(rows.len() as i64, 1 + N);
    let references: Vec<String> = rows[1..].iter().map(|row| row[0].to_string()).collect();
    let expected: Vec<String> = (1..=N)
        .rev()
        .map(|i| format!("2027-{}", 100_000 + i))
        .collect();
    assert_eq!(references, expected);
    // Oldest first, as the page's sort says.
    let r = app
        .get_with("/dashboard/export.xlsx?sort=oldest", &[("cookie", &anna)])
        .await;
    let rows = read_xlsx(r.bytes().await.unwrap().to_vec());
    assert_eq!(rows[1][0].to_string(), "2027-100001");
    assert_eq!(
        rows[N as usize][0].to_string(),
        format!("2027-{}", 100_000 + N)
    );
    // A status that does not exist: no workbook, but the dashboard with the same filter,
    // which says what is wrong.
    let r = app
        .get_with("/dashboard/export.xlsx?status=perdu", &[("cookie", &anna)])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/dashboard?status=perdu");
    let page = app
        .get_with("/dashboard?status=perdu", &[("cookie", &anna)])
        .await;
    assert!(page.text().await.unwrap().contains("Statut inconnu."));
    assert_tally_matches(&app).await;
}

/// Every file under the attachment storage.
pub(crate) fn stored_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&app.data_dir.join("attachments"), &mut out);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_streams_to_the_storage_whole_and_a_refused_one_leaves_nothing() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = confirmed(&app, "flux@example.be").await;
    let token = form_token(&app, &cookie, ADDRESS).await;
    // 7 MB: more than one part of 5 MB on its way to the storage.
    let mut big = PDF.to_vec();
    big.extend((0..7 * 1024 * 1024).map(|i| (i % 251) as u8));
    let r = file(
        &app,
        &cookie,
        ADDRESS,
        &token,
        "save",
        &valid_address(-3),
        &[("file.bail_ou_acte", "gros.pdf", big.clone())],
    )
    .await;
    assert_eq!(location(&r), format!("/procedures/{ADDRESS}?saved=1"));
    let stored = stored_files(&app);
    assert_eq!(stored.len(), 1);
    assert_eq!(
        std::fs::read(&stored[0]).unwrap(),
        big,
        "the very bytes sent"
    );
    let (size, sha256): (i64, String) = sqlx::query_as("SELECT size, sha256 FROM attachment")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(size, i64::try_from(big.len()).unwrap());
    use sha2::Digest;
    let expected: String = sha2::Sha256::digest(&big)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(sha256, expected);

    // A file input left empty (a nameless, empty part, as browsers send it) keeps the file.
    let r = file(
        &app,
        &cookie,
        ADDRESS,
        &token,
        "save",
        &valid_address(-3),
        &[("file.bail_ou_acte", "", Vec::new())],
    )
    .await;
    assert_eq!(location(&r), format!("/procedures/{ADDRESS}?saved=1"));
    assert_eq!(stored_files(&app), stored);

    // Over its limit, or not what it claims to be: refused, and nothing more in storage
    // (not even the parts already written).
    let mut huge = PDF.to_vec();
    huge.extend(std::iter::repeat_n(7u8, 11 * 1024 * 1024));
    for (name, bytes, code) in [
        ("huge.pdf", huge, "bail_ou_acte:attachment.too_big:10"),
        (
            "faux.pdf",
            b"MZ not a pdf at all".to_vec(),
            "bail_ou_acte:attachment.wrong_type:PDF/JPEG/PNG",
        ),
    ] {
        let r = file(
            &app,
            &cookie,
            ADDRESS,
            &token,
            "save",
            &valid_address(-3),
            &[("file.bail_ou_acte", name, bytes)],
        )
        .await;
        assert_eq!(errors_of(&r), vec![code.to_string()], "{name}");
        assert_eq!(stored_files(&app), stored, "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replaced_draft_file_leaves_the_storage() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = confirmed(&app, "remplace@example.be").await;
    let token = form_token(&app, &cookie, ADDRESS).await;
    let r = file(
        &app,
        &cookie,
        ADDRESS,
        &token,
        "save",
        &valid_address(-3),
        &[("file.bail_ou_acte", "premier.pdf", PDF.to_vec())],
    )
    .await;
    assert_eq!(r.status(), 303);
    let first = stored_files(&app);
    assert_eq!(first.len(), 1);
    let r = file(
        &app,
        &cookie,
        ADDRESS,
        &token,
        "save",
        &valid_address(-3),
        &[("file.bail_ou_acte", "second.png", PNG.to_vec())],
    )
    .await;
    assert_eq!(r.status(), 303);
    let second = stored_files(&app);
    assert_eq!(second.len(), 1, "only the new file is kept: {second:?}");
    assert_ne!(first, second);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM attachment").await,
        1,
        "one row, for the new file"
    );
    // Filed; the same form sent again with another file: the answer of the first time,
    // and the new file is not left behind in the storage.
    let r = file(
        &app,
        &cookie,
        ADDRESS,
        &token,
        "submit",
        &valid_address(-3),
        &[],
    )
    .await;
    let reference = reference_of(&r);
    let r = file(
        &app,
        &cookie,
        ADDRESS,
        &token,
        "submit",
        &valid_address(-3),
        &[("file.bail_ou_acte", "encore.pdf", PDF.to_vec())],
    )
    .await;
    assert_eq!(reference_of(&r), reference);
    assert_eq!(stored_files(&app), second);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_language_the_site_does_not_offer_is_a_malformed_request() {
    let app = spawn_app().await;
    let cookie = signed_in(&app, "langue@example.be").await;
    for (function, query) in [("dashboard", "filter[q]"), ("catalogue", "q")] {
        let r = call(&app, function, &[("lang", "de"), (query, "")], &cookie).await;
        assert_eq!(r.status(), 400, "{function}");
        let r = call(&app, function, &[("lang", "nl"), (query, "")], &cookie).await;
        assert_eq!(r.status(), 200, "{function}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filed_request_gives_its_deadline_and_a_receipt_to_its_profile_only() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let reference = file_address(&app, &anna).await;

    // The answer is due 15 working days after the filing (the procedure says so).
    let view: Value = call(
        &app,
        "request_view",
        &[("lang", "fr"), ("reference", &reference)],
        &anna,
    )
    .await
    .json()
    .await
    .unwrap();
    let filed = app::backend::time::brussels_day(app::backend::now_ms()).unwrap();
    let due = app::domain::calendar::add_working_days(filed, 15);
    assert_eq!(view["answer_by"], app::domain::calendar::format_day(due));
    let page = app
        .get_with(
            &format!("/requests/{reference}?submitted=1"),
            &[("cookie", &anna)],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("panel-confirmation"), "{page}");
    assert!(page.contains(&format!(
        "vous répond au plus tard le {}",
        app::domain::calendar::format_day(due)
    )));
    assert!(page.contains(&format!("/requests/{reference}/receipt.pdf?lang=fr")));

    // The receipt: a PDF in the language asked for, with the reference.
    let r = app
        .get_with(
            &format!("/requests/{reference}/receipt.pdf?lang=nl"),
            &[("cookie", &anna)],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("(Ontvangstbewijs)"), "{text}");
    assert!(text.contains(&format!("(Aanvraag {reference})")), "{text}");

    // Nobody else's, and not without signing in; a language we do not offer is the account's.
    let other = confirmed(&app, "bob@example.be").await;
    let r = app
        .get_with(
            &format!("/requests/{reference}/receipt.pdf"),
            &[("cookie", &other)],
        )
        .await;
    assert_eq!(r.status(), 404);
    let r = app.get(&format!("/requests/{reference}/receipt.pdf")).await;
    assert_eq!(r.status(), 303);
    let r = app
        .get_with(
            &format!("/requests/{reference}/receipt.pdf?lang=xx"),
            &[("cookie", &anna)],
        )
        .await;
    assert_eq!(r.status(), 200);
    let text = String::from_utf8_lossy(&r.bytes().await.unwrap()).to_string();
    assert!(text.contains(&format!("(Demande {reference})")), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_keeps_only_so_many_drafts_and_documents() {
    let app = spawn_app_with(&[
        ("OUTBOX_INTERVAL_SECONDS", "0"),
        ("DRAFTS_PER_ACCOUNT", "2"),
        ("DRAFT_MB_PER_ACCOUNT", "1"),
    ])
    .await;
    let cookie = confirmed(&app, "quota@example.be").await;
    let save = |token: String, files: Vec<(&'static str, &'static str, Vec<u8>)>| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            file(
                app,
                &cookie,
                ADDRESS,
                &token,
                "save",
                &valid_address(-3),
                &files,
            )
            .await
        }
    };
    // A document of 600 KB that reads as a PDF.
    let mut big = PDF.to_vec();
    big.resize(600 * 1024, b' ');
    let first = form_token(&app, &cookie, ADDRESS).await;
    let r = save(
        first.clone(),
        vec![("file.bail_ou_acte", "bail.pdf", big.clone())],
    )
    .await;
    assert_eq!(r.status(), 303, "{:?}", errors_of(&r));
    assert_eq!(stored_files(&app).len(), 1);

    // A second draft (another profile's form is another draft; here: a new token) whose
    // document would pass 1 MB in all: refused, nothing kept, not even the file.
    let second = "a-second-form-token-of-enough-length".to_string();
    let r = save(
        second.clone(),
        vec![("file.bail_ou_acte", "acte.pdf", big.clone())],
    )
    .await;
    assert_eq!(errors_of(&r), vec!["form:quota.bytes:1"]);
    assert_eq!(
        stored_files(&app).len(),
        1,
        "the refused file left the storage"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM attachment").await, 1);
    // Without a file it is a draft like any other; a third is one too many.
    let r = save(second, Vec::new()).await;
    assert_eq!(r.status(), 303);
    let r = save(
        "a-third-form-token-of-enough-length".to_string(),
        Vec::new(),
    )
    .await;
    assert_eq!(errors_of(&r), vec!["form:quota.drafts:2"]);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM request WHERE status = 'draft'").await,
        2
    );
    // Replacing the document of a draft stays within the quota (the old one goes).
    let r = save(first, vec![("file.bail_ou_acte", "bail2.pdf", big)]).await;
    assert_eq!(r.status(), 303, "{:?}", errors_of(&r));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_left_untouched_is_announced_then_deleted_with_its_documents() {
    use app::backend::retention::{purge, Retention};
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = confirmed(&app, "oublieuse@example.be").await;
    let token = form_token(&app, &cookie, ADDRESS).await;
    let r = file(
        &app,
        &cookie,
        ADDRESS,
        &token,
        "save",
        &valid_address(-3),
        &[("file.bail_ou_acte", "bail.pdf", PDF.to_vec())],
    )
    .await;
    assert_eq!(r.status(), 303);
    let key: String = sqlx::query_scalar("SELECT storage_key FROM attachment")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let day = 24 * 3_600_000;
    let keep = Retention {
        session_idle_ms: 30 * 60_000,
        session_max_ms: 12 * 3_600_000,
        mail_ms: 30 * day,
        draft_ms: 90 * day,
        request_ms: 3650 * day,
    };
    let now = app::backend::now_ms();
    let drafts = || count(&app, "SELECT COUNT(*) FROM request WHERE status = 'draft'");

    // 80 days on: nothing yet. 84 days on: she is told, once, of the day it goes.
    let purged = purge(&app.db, &app.config, now + 80 * day, keep)
        .await
        .unwrap();
    assert_eq!(purged.drafts_announced, 0);
    let purged = purge(&app.db, &app.config, now + 84 * day, keep)
        .await
        .unwrap();
    assert_eq!(purged.drafts_announced, 1);
    let purged = purge(&app.db, &app.config, now + 85 * day, keep)
        .await
        .unwrap();
    assert_eq!(purged.drafts_announced, 0, "told once");
    // (The purge ended her session, as it would after so long: she signs in again.)
    let cookie = session_cookie(&login(&app, "oublieuse@example.be", PASSWORD, None).await)
        .expect("signed in");
    let centre: Value = call(&app, "notifications", &[], &cookie)
        .await
        .json()
        .await
        .unwrap();
    let item = &centre["items"][0];
    assert_eq!(item["kind"], "draft_expiring", "{centre}");
    assert_eq!(item["link"], format!("/procedures/{ADDRESS}"));
    // Told on day 84, a week's notice: it goes on day 91.
    let gone_on = app::backend::time::brussels_day(now + 91 * day).unwrap();
    assert_eq!(item["date"], app::domain::calendar::format_day(gone_on));
    let mail = mails_to(&app, "oublieuse@example.be").await.pop().unwrap();
    assert_eq!(mail["template"], "draft_expiring");

    // 91 days on, a week after the notice: the draft goes, and its file's key is given back
    // for the storage.
    let purged = purge(&app.db, &app.config, now + 91 * day, keep)
        .await
        .unwrap();
    assert_eq!(purged.drafts, 1);
    assert_eq!(purged.draft_files, vec![key]);
    assert_eq!(drafts().await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM attachment").await, 0);
    assert_tally_matches(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saving_a_draft_again_starts_its_time_afresh() {
    use app::backend::retention::{purge, Retention};
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = confirmed(&app, "revenante@example.be").await;
    let token = form_token(&app, &cookie, ADDRESS).await;
    let fields = valid_address(-3);
    let save = |cookie: String| {
        let (app, token, fields) = (&app, token.clone(), fields.clone());
        async move { file(app, &cookie, ADDRESS, &token, "save", &fields, &[]).await }
    };
    assert_eq!(save(cookie.clone()).await.status(), 303);
    let day = 24 * 3_600_000;
    let keep = Retention {
        session_idle_ms: 30 * 60_000,
        session_max_ms: 12 * 3_600_000,
        mail_ms: 30 * day,
        draft_ms: 20 * day,
        request_ms: 3650 * day,
    };
    let now = app::backend::now_ms();
    let purged = purge(&app.db, &app.config, now + 14 * day, keep)
        .await
        .unwrap();
    assert_eq!(purged.drafts_announced, 1);
    // She comes back (signed in again) and saves it: the notice no longer holds, nothing
    // is deleted later.
    let cookie = session_cookie(&login(&app, "revenante@example.be", PASSWORD, None).await)
        .expect("signed in");
    assert_eq!(save(cookie).await.status(), 303);
    let purged = purge(&app.db, &app.config, now + 21 * day, keep)
        .await
        .unwrap();
    assert_eq!(purged.drafts, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM request WHERE status = 'draft'").await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decided_request_is_purged_with_its_documents_after_its_retention_time() {
    use app::backend::retention::{purge, Retention};
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let decided = file_address(&app, &anna).await;
    let open = file_address(&app, &anna).await;
    let agent = make_agent(&app, "agent@schaerbeek.be").await;
    let r = call(
        &app,
        "backoffice_status",
        &[
            ("reference", &decided),
            ("status", "accepted"),
            ("note", ""),
        ],
        &agent,
    )
    .await;
    assert!(location(&r).contains("changed=1"));
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT a.storage_key FROM attachment a JOIN request r ON r.id = a.request_id \
         WHERE r.reference = $1",
    )
    .bind(&decided)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(keys.len(), 1);
    let day = 24 * 3_600_000;
    let keep = Retention {
        session_idle_ms: 30 * 60_000,
        session_max_ms: 12 * 3_600_000,
        mail_ms: 30 * day,
        draft_ms: 90 * day,
        request_ms: 365 * day,
    };
    let now = app::backend::now_ms();
    let references = || async {
        sqlx::query_scalar::<_, String>("SELECT reference FROM request ORDER BY id")
            .fetch_all(&app.db)
            .await
            .unwrap()
    };
    // Within its time: kept.
    let purged = purge(&app.db, &app.config, now + 364 * day, keep)
        .await
        .unwrap();
    assert_eq!(purged.requests, 0);
    // Past it: the decided one goes with its document, history and notifications; the open
    // one, as old, stays.
    let purged = purge(&app.db, &app.config, now + 366 * day, keep)
        .await
        .unwrap();
    assert_eq!(purged.requests, 1);
    assert_eq!(purged.request_files, keys);
    assert_eq!(references().await, vec![open.clone()]);
    for (table, column) in [
        ("attachment", "request_id"),
        ("request_event", "request_id"),
    ] {
        let left: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table} t WHERE NOT EXISTS \
             (SELECT 1 FROM request r WHERE r.id = t.{column})"
        ))
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!(left, 0, "{table}");
    }
    let notes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notification WHERE link = $1")
        .bind(format!("/requests/{decided}"))
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(notes, 0);
    let notes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notification WHERE link = $1")
        .bind(format!("/requests/{open}"))
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(notes > 0);
    assert_tally_matches(&app).await;
}
