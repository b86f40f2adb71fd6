//! "Mes données": the summary, the download, and the deletion of the account.
use crate::helpers::*;
use serde_json::Value;

const BCE: &str = "0123.456.749";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_download_holds_what_is_kept_and_no_secret() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = signed_in(&app, "amelie@example.be").await;
    create_organisation(&app, &cookie, BCE, "Boulangerie Peeters").await;

    let page = app.get_with("/account/data", &[("cookie", &cookie)]).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Mes données") && page.contains("Ce que nous conservons"));
    assert!(page.contains("amelie@example.be, créé le"), "{page}");
    assert!(page.contains("href=\"/account/data/export\""));

    let r = app
        .get_with("/account/data/export", &[("cookie", &cookie)])
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"espace-personnel-mes-donnees.json\""
    );
    assert_eq!(r.headers()["cache-control"], "no-store");
    let text = r.text().await.unwrap();
    let document: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(document["account"]["email"], "amelie@example.be");
    assert_eq!(document["citizen_profile"]["first_name"], "Amélie");
    assert_eq!(
        document["organisations"][0]["organisation"],
        "Boulangerie Peeters"
    );
    assert_eq!(document["organisations"][0]["role"], "admin");
    assert!(document["sessions"].as_array().unwrap().len() == 1);
    assert!(document["security_events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "login"));
    // No password hash, no token.
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM account")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!text.contains(&hash) && !text.contains("argon2"));
    assert!(!text.contains(cookie.trim_start_matches("espace_session=")));

    // Signed out: to the sign-in page, nothing downloaded.
    let r = app.get("/account/data/export").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/login?next=%2Faccount%2Fdata%2Fexport");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_zip_holds_the_data_and_a_copy_of_each_document_the_person_sent() {
    use crate::requests::{confirmed, file_address, PDF};
    use std::io::Read;
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = confirmed(&app, "anna@example.be").await;
    let reference = file_address(&app, &cookie).await;
    // Someone else's documents are not hers.
    let other = confirmed(&app, "bert@example.be").await;
    file_address(&app, &other).await;

    let r = app
        .get_with("/account/data/export.zip", &[("cookie", &cookie)])
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/zip");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"espace-personnel-mes-donnees.zip\""
    );
    assert_eq!(r.headers()["cache-control"], "no-store");
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut names: Vec<String> = archive
        .file_names()
        .map(|name| name.unwrap().to_string())
        .collect();
    names.sort();
    let id: i64 = sqlx::query_scalar(
        "SELECT a.id FROM attachment a JOIN request r ON r.id = a.request_id \
         WHERE r.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let document = format!("documents/{reference}/{id}-bail.pdf");
    assert_eq!(
        names,
        vec![document.clone(), "mes-donnees.json".to_string()]
    );
    let mut json = String::new();
    archive
        .by_name("mes-donnees.json")
        .unwrap()
        .read_to_string(&mut json)
        .unwrap();
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["account"]["email"], "anna@example.be");
    let mut copy = Vec::new();
    archive
        .by_name(&document)
        .unwrap()
        .read_to_end(&mut copy)
        .unwrap();
    assert_eq!(copy, PDF);

    // Signed out: to the sign-in page, nothing downloaded.
    let r = app.get("/account/data/export.zip").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/login?next=%2Faccount%2Fdata%2Fexport.zip");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_the_account_asks_the_password_and_a_ticked_box_then_erases_it() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = signed_in(&app, "amelie@example.be").await;
    let accounts = || count(&app, "SELECT COUNT(*) FROM account");
    assert_eq!(accounts().await, 1);

    let r = call(
        &app,
        "delete_account",
        &[("delete_password", PASSWORD)],
        &cookie,
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(codes(r).await, vec!["confirm:delete.confirm_required"]);
    let r = call(
        &app,
        "delete_account",
        &[
            ("delete_password", "pas le bon mot de passe"),
            ("confirm", "on"),
        ],
        &cookie,
    )
    .await;
    assert_eq!(
        codes(r).await,
        vec!["delete_password:current_password.wrong"]
    );
    assert_eq!(accounts().await, 1);

    let r = call(
        &app,
        "delete_account",
        &[("delete_password", PASSWORD), ("confirm", "on")],
        &cookie,
    )
    .await;
    assert_eq!(location(&r), "/?account_deleted=1");
    assert!(r
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("espace_session=;")));
    assert_eq!(accounts().await, 0);
    for table in [
        "citizen_profile",
        "session",
        "security_event WHERE account_id IS NOT NULL",
    ] {
        assert_eq!(
            count(&app, &format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
    assert!(mails_to(&app, "amelie@example.be")
        .await
        .iter()
        .any(|m| m["template"] == "account_deleted"));
    // The old cookie no longer opens anything; the address is free again.
    let r = app.get_with("/account/data", &[("cookie", &cookie)]).await;
    assert_eq!(location(&r), "/login?next=%2Faccount%2Fdata&ended=1");
    let home = app.get("/?account_deleted=1").await.text().await.unwrap();
    assert!(home.contains("Votre compte a été supprimé."));
    let again = signed_in(&app, "amelie@example.be").await;
    assert!(!again.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_administrator_of_an_organisation_cannot_delete_the_account() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = signed_in(&app, "amelie@example.be").await;
    create_organisation(&app, &cookie, BCE, "Boulangerie Peeters").await;
    let r = call(
        &app,
        "delete_account",
        &[("delete_password", PASSWORD), ("confirm", "on")],
        &cookie,
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(codes(r).await, vec!["delete_password:delete.last_admin"]);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM account").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM membership WHERE status = 'active'"
        )
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_administrators_deleting_their_accounts_at_once_leave_one() {
    let app = spawn_app_with(NO_WORKER).await;
    let first = signed_in(&app, "amelie@example.be").await;
    let id = create_organisation(&app, &first, BCE, "Boulangerie Peeters")
        .await
        .to_string();
    let second = signed_in(&app, "bruno@example.be").await;
    call(
        &app,
        "organisation_start",
        &[("kind", "entreprise"), ("bce", BCE), ("terms", "on")],
        &second,
    )
    .await;
    call(
        &app,
        "organisation_request_access",
        &[("function", "associé")],
        &second,
    )
    .await;
    let membership: i64 = sqlx::query_scalar("SELECT id FROM membership WHERE status = 'pending'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    for action in ["accept", "make_admin"] {
        let r = call(
            &app,
            "organisation_member_action",
            &[
                ("id", &id),
                ("membership", &membership.to_string()),
                ("action", action),
            ],
            &first,
        )
        .await;
        assert_eq!(r.status(), 200, "{action}");
    }
    // Both at the same moment: never both.
    let delete = |cookie: String| {
        let app = &app;
        async move {
            call(
                app,
                "delete_account",
                &[("delete_password", PASSWORD), ("confirm", "on")],
                &cookie,
            )
            .await
            .status()
            .as_u16()
        }
    };
    // On PostgreSQL the two are made to overlap for sure: a third transaction holds both
    // accounts until both deletions wait for a lock, then lets them go together.
    let postgres = std::env::var("TEST_DATABASE_URL").is_ok_and(|url| url.starts_with("postgres"));
    let hold = if postgres {
        let mut tx = app.db.begin().await.unwrap();
        sqlx::query("SELECT id FROM account ORDER BY id FOR UPDATE")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
        Some(tx)
    } else {
        None
    };
    let release = async {
        let Some(tx) = hold else { return };
        for _ in 0..300 {
            let waiting: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
            )
            .fetch_one(&app.db)
            .await
            .unwrap();
            if waiting >= 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        tx.commit().await.unwrap();
    };
    let (a, b, ()) = tokio::join!(delete(first), delete(second), release);
    let mut answers = [a, b];
    answers.sort_unstable();
    assert_eq!(answers[1], 400, "one is refused: {answers:?}");
    assert!(answers[0] < 400, "the other goes: {answers:?}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM account").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM membership WHERE status = 'active' AND role = 'admin'"
        )
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_account_takes_its_drafts_and_their_files_and_leaves_its_filed_requests() {
    use crate::requests::{
        confirmed, file, file_address, form_token, stored_files, valid_address, PDF,
    };
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = confirmed(&app, "partante@example.be").await;
    let reference = file_address(&app, &cookie).await;
    let token = form_token(&app, &cookie, "changement-adresse").await;
    let r = file(
        &app,
        &cookie,
        "changement-adresse",
        &token,
        "save",
        &valid_address(-3),
        &[("file.bail_ou_acte", "brouillon.pdf", PDF.to_vec())],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        stored_files(&app).len(),
        2,
        "the filed request's file and the draft's"
    );

    let r = call(
        &app,
        "delete_account",
        &[("delete_password", PASSWORD), ("confirm", "on")],
        &cookie,
    )
    .await;
    assert_eq!(location(&r), "/?account_deleted=1");
    // The draft is gone with its file; the filed request is an administrative record: it
    // stays, detached from the account, with its file.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM request WHERE status = 'draft'").await,
        0
    );
    assert_eq!(stored_files(&app).len(), 1);
    let kept: (String, Option<i64>) =
        sqlx::query_as("SELECT reference, account_id FROM request WHERE status <> 'draft'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(kept, (reference, None));
    assert_tally_matches(&app).await;
}
