//! "Consulté par le Service …": every read of a request and every download of its files by
//! an agent is recorded and shown to the person who filed it, by service, never by name;
//! it is in their data export too.
use crate::helpers::*;
use crate::requests::{confirmed, file_address, make_agent};
use serde_json::Value;

/// The request page's data: `request_view` (the requester's) or `backoffice_request`.
async fn page(app: &TestApp, function: &str, cookie: &str, reference: &str) -> Value {
    call(
        app,
        function,
        &[("lang", "fr"), ("reference", reference)],
        cookie,
    )
    .await
    .json()
    .await
    .unwrap()
}

async fn as_requester(app: &TestApp, cookie: &str, reference: &str) -> Value {
    page(app, "request_view", cookie, reference).await
}

async fn as_agent(app: &TestApp, cookie: &str, reference: &str) -> Value {
    page(app, "backoffice_request", cookie, reference).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_requester_sees_which_service_read_their_request_and_downloaded_which_file() {
    let app = spawn_app_with(NO_WORKER).await;
    let anna = confirmed(&app, "anna@example.be").await;
    let reference = file_address(&app, &anna).await;
    assert_eq!(
        as_requester(&app, &anna, &reference).await["accesses"],
        serde_json::json!([])
    );

    let agent = make_agent(&app, "marc.agent@schaerbeek.be").await;
    // Read twice in a row: one read.
    let seen = as_agent(&app, &agent, &reference).await;
    assert_eq!(
        seen["accesses"],
        serde_json::json!([]),
        "agents do not see the log"
    );
    as_agent(&app, &agent, &reference).await;
    let file = seen["attachments"][0]["id"].as_i64().unwrap();
    let r = app
        .get_with(
            &format!("/backoffice/requests/{reference}/attachments/{file}"),
            &[("cookie", &agent)],
        )
        .await;
    assert_eq!(r.status(), 200);
    // The requester's own download is not the administration's.
    let r = app
        .get_with(
            &format!("/requests/{reference}/attachments/{file}"),
            &[("cookie", &anna)],
        )
        .await;
    assert_eq!(r.status(), 200);

    let mine = as_requester(&app, &anna, &reference).await;
    let accesses = mine["accesses"].as_array().unwrap();
    assert_eq!(accesses.len(), 2, "{mine}");
    assert_eq!(accesses[0]["service"], "Service Population");
    assert_eq!(accesses[0]["file_name"], "bail.pdf");
    assert_eq!(accesses[1]["file_name"], Value::Null);
    let today = jiff::Zoned::now()
        .in_tz("Europe/Brussels")
        .unwrap()
        .strftime("%d/%m/%Y")
        .to_string();
    assert_eq!(accesses[1]["date"], today.as_str());
    // The agent stays "l'administration".
    let text = mine["accesses"].to_string();
    assert!(
        !text.contains("marc.agent") && !text.contains("Peeters"),
        "{text}"
    );

    // The page says it, and the export has it.
    let page = app
        .get_with(&format!("/requests/{reference}"), &[("cookie", &anna)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Consultée par le Service Population le")
            && page.contains("(pièce jointe téléchargée : bail.pdf)"),
        "{page}"
    );
    let export: Value = app
        .get_with("/account/data/export", &[("cookie", &anna)])
        .await
        .json()
        .await
        .unwrap();
    let reads = export["administration_reads"].as_array().unwrap();
    assert_eq!(reads.len(), 2, "{export}");
    assert_eq!(reads[0]["request"], reference.as_str());
    assert_eq!(reads[0]["what"], "viewed");
    assert_eq!(reads[1]["what"], "downloaded");
    assert_eq!(reads[1]["service"]["nl"], "Dienst Bevolking");
}
