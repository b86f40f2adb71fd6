//! Where attachments are kept: the folder of one server, or an S3-compatible bucket (a real
//! S3 server: moto, which .ci/test starts and names in `TEST_S3_ENDPOINT`); and the sweep
//! that removes files whose database row never committed.
use crate::helpers::*;
use crate::requests::{confirmed, file_address};
use server::storage::Storage;

/// The document of a filed request: its id and storage key.
async fn document_of(app: &TestApp, reference: &str) -> (i64, String) {
    sqlx::query_as(
        "SELECT a.id, a.storage_key FROM attachment a JOIN request r ON r.id = a.request_id \
         WHERE r.reference = $1",
    )
    .bind(reference)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn download(app: &TestApp, cookie: &str, reference: &str, id: i64) -> reqwest::Response {
    app.get_with(
        &format!("/requests/{reference}/attachments/{id}"),
        &[("cookie", cookie)],
    )
    .await
}

/// Files a request, leaves an orphan beside it in `storage`, and checks what the sweep does:
/// a young orphan stays (its row may be about to commit), an old one goes, a named file
/// always stays.
async fn sweep_removes_only_old_orphans(app: &TestApp, storage: &Storage) {
    let cookie = confirmed(app, "sweep@example.be").await;
    let reference = file_address(app, &cookie).await;
    let (id, key) = document_of(app, &reference).await;
    let orphan = storage
        .put(
            "requests",
            b"%PDF-1.4 written, then the form was refused".to_vec(),
        )
        .await
        .unwrap();

    // Everything written before an hour ago: nothing yet.
    let an_hour_ago = server::outbox::now_ms() - 3_600_000;
    assert_eq!(storage.sweep(&app.db, an_hour_ago).await.unwrap(), 0);
    assert!(
        storage.get(&orphan.key).await.is_ok(),
        "a young orphan was removed"
    );

    // Everything written before a minute from now: the orphan, not the filed document.
    let later = server::outbox::now_ms() + 60_000;
    assert_eq!(storage.sweep(&app.db, later).await.unwrap(), 1);
    assert!(matches!(
        storage.get(&orphan.key).await,
        Err(object_store::Error::NotFound { .. })
    ));
    assert!(
        storage.get(&key).await.is_ok(),
        "the filed document was removed"
    );
    let r = download(app, &cookie, &reference, id).await;
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));
    // A second sweep finds nothing more.
    assert_eq!(storage.sweep(&app.db, later).await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_removes_old_orphans_from_the_folder() {
    let app = spawn_app_with(NO_WORKER).await;
    let storage = Storage::local(&app.data_dir.join("attachments")).unwrap();
    sweep_removes_only_old_orphans(&app, &storage).await;
}

/// The S3 server the tests use, and a new bucket on it; `None` outside CI when no S3 server
/// was started (CI always starts one: there, its absence fails the test).
async fn s3_bucket() -> Option<(String, String)> {
    let Ok(endpoint) = std::env::var("TEST_S3_ENDPOINT") else {
        assert!(
            std::env::var("CI").is_err(),
            "CI runs the S3 tests: set TEST_S3_ENDPOINT (.ci/test starts moto)"
        );
        eprintln!("TEST_S3_ENDPOINT is not set: the S3 test does not run");
        return None;
    };
    let bucket = format!(
        "espace-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let created = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .expect("the S3 server answers");
    assert!(created.status().is_success(), "{}", created.status());
    Some((endpoint, bucket))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_go_to_the_s3_bucket_and_come_back() {
    let Some((endpoint, bucket)) = s3_bucket().await else {
        return;
    };
    let s3_vars = [
        ("S3_BUCKET", bucket.as_str()),
        ("S3_ENDPOINT", endpoint.as_str()),
        ("S3_REGION", "eu-west-1"),
        ("S3_ACCESS_KEY_ID", "test"),
        ("S3_SECRET_ACCESS_KEY", "test-secret"),
    ];
    let mut vars = s3_vars.to_vec();
    vars.extend_from_slice(NO_WORKER);
    let app = spawn_app_with(&vars).await;
    // Nothing lands in the server's folder.
    let cookie = confirmed(&app, "s3@example.be").await;
    let reference = file_address(&app, &cookie).await;
    let (id, key) = document_of(&app, &reference).await;
    assert!(!app.data_dir.join("attachments").join(&key).exists());
    // The object is in the bucket, under its key, as the S3 API serves it.
    let object = reqwest::get(format!("{endpoint}/{bucket}/{key}"))
        .await
        .unwrap();
    assert_eq!(object.status(), 200);
    let stored = object.bytes().await.unwrap();
    let r = download(&app, &cookie, &reference, id).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap(), stored);

    let settings = server::config::Settings::from_lookup(|name| {
        s3_vars
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    })
    .unwrap();
    let storage = Storage::from_settings(&settings.storage).unwrap();
    sweep_removes_only_old_orphans(&app, &storage).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_bucket_fails_the_upload_cleanly() {
    // Nothing listens on port 9 (discard): the store cannot be reached.
    let vars = [
        ("S3_BUCKET", "espace-nowhere"),
        ("S3_ENDPOINT", "http://127.0.0.1:9"),
        ("S3_ACCESS_KEY_ID", "test"),
        ("S3_SECRET_ACCESS_KEY", "test-secret"),
        ("OUTBOX_INTERVAL_SECONDS", "0"),
    ];
    let app = spawn_app_with(&vars).await;
    let cookie = confirmed(&app, "nowhere@example.be").await;
    let token = crate::requests::form_token(&app, &cookie, crate::requests::ADDRESS).await;
    let r = crate::requests::file(
        &app,
        &cookie,
        crate::requests::ADDRESS,
        &token,
        "submit",
        &crate::requests::valid_address(-3),
        &[(
            "file.bail_ou_acte",
            "bail.pdf",
            crate::requests::PDF.to_vec(),
        )],
    )
    .await;
    // Not filed, and said so beside the field: the document could not be kept.
    assert_eq!(r.status(), 303);
    assert_eq!(
        crate::requests::errors_of(&r),
        vec!["bail_ou_acte:attachment.not_stored"]
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM request WHERE reference IS NOT NULL"
        )
        .await,
        0
    );
}
