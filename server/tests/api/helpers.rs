use serde_json::Value;
use server::config::Settings;
use server::db::Db;
use server::startup::Application;
use std::collections::HashMap;

pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub data_dir: std::path::PathBuf,
    pub client: reqwest::Client,
    /// What the server functions of this app know of its configuration.
    pub config: app::backend::ServerConfig,
    _database: TestDatabase,
}

/// A database that exists for one test only.
enum TestDatabase {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime: use a runtime of our own on a thread.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime to drop the test database");
                runtime.block_on(async {
                    sqlx::any::install_default_drivers();
                    if let Ok(admin) = sqlx::AnyPool::connect(&admin_url).await {
                        let _ = sqlx::query(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .execute(&admin)
                        .await;
                        admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

async fn fresh_database() -> (String, TestDatabase) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            sqlx::any::install_default_drivers();
            let name = format!("espace_test_{}", uuid::Uuid::new_v4().simple());
            let admin = sqlx::AnyPool::connect(&url)
                .await
                .expect("TEST_DATABASE_URL must reach a PostgreSQL server");
            sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                .execute(&admin)
                .await
                .expect("create the test database");
            admin.close().await;
            let mut test_url = url::Url::parse(&url).expect("TEST_DATABASE_URL is a URL");
            test_url.set_path(&name);
            (
                test_url.to_string(),
                TestDatabase::Postgres {
                    admin_url: url,
                    name,
                },
            )
        }
        _ => {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let url = format!("sqlite://{}", dir.path().join("espace.sqlite").display());
            (url, TestDatabase::Sqlite(dir))
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    spawn(extra, false).await
}

/// As a release build serves it: asset file names carry a hash of their content.
pub async fn spawn_app_with_hashed_assets() -> TestApp {
    spawn(&[], true).await
}

async fn spawn(extra: &[(&str, &str)], hash_files: bool) -> TestApp {
    let (database_url, database) = fresh_database().await;
    let data_dir = tempfile::tempdir().expect("a data directory").keep();
    let mut vars: HashMap<String, String> = HashMap::from([
        ("LISTEN_ADDR".into(), "127.0.0.1:0".into()),
        ("DATA_DIR".into(), data_dir.display().to_string()),
        ("DATABASE_URL".into(), database_url),
        ("LOG_LEVEL".into(), "warn".into()),
        ("LINK_KEY".into(), TEST_LINK_KEY.into()),
        // Every test's requests come from 127.0.0.1; the limit has a test of its own.
        ("SEND_LIMIT_PER_IP".into(), "100000".into()),
        ("SEND_LIMIT_TOTAL".into(), "100000".into()),
    ]);
    for (key, value) in extra {
        vars.insert((*key).into(), (*value).into());
    }
    let settings =
        Settings::from_lookup(|name| vars.get(name).cloned()).expect("valid test settings");
    let site_root = tempfile::tempdir().expect("a site root").keep();
    std::fs::create_dir_all(site_root.join("pkg")).expect("a pkg directory");
    std::fs::write(
        site_root.join("pkg/espace.test.css"),
        "body { color: #0b0c0c; }\n".repeat(100),
    )
    .expect("a stylesheet");
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("espace")
        .site_root(site_root.display().to_string())
        .site_pkg_dir("pkg")
        .hash_files(hash_files)
        .build();
    let app = Application::build(settings, leptos_options)
        .await
        .expect("the application starts");
    let address = format!("http://{}", app.local_addr());
    let db = app.db();
    let config = app.server_config();
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    TestApp {
        address,
        db,
        data_dir,
        client,
        config,
        _database: database,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the server answers")
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("the server answers")
    }
}

// What the account tests share: forms as browsers post them, the outbox, cookies.

pub const NO_WORKER: &[(&str, &str)] = &[("OUTBOX_INTERVAL_SECONDS", "0")];
/// Every service of the catalogue: an agent who sees every request.
pub const EVERY_SERVICE: &[&str] = &[
    "economie",
    "evenements",
    "mobilite",
    "population",
    "salles",
    "urbanisme",
    "vie-associative",
    "voirie",
];
pub const PASSWORD: &str = "vélo rouge sous la pluie de mars";

pub fn form(fields: &[(&str, &str)]) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in fields {
        serializer.append_pair(name, value);
    }
    serializer.finish()
}

pub async fn post(
    app: &TestApp,
    path: &str,
    body: String,
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

pub fn registration<'a>(
    email: &'a str,
    overrides: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("form[email]", email),
        ("form[first_name]", "Amélie"),
        ("form[last_name]", "Peeters"),
        ("form[language]", "fr"),
        ("form[password]", PASSWORD),
        ("form[password_confirm]", PASSWORD),
        ("form[terms]", "on"),
    ];
    for (name, value) in overrides {
        fields.retain(|(n, _)| n != name);
        if !value.is_empty() {
            fields.push((name, value));
        }
    }
    fields
}

pub async fn register(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    post(app, "/api/register", form(fields), None).await
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

/// The `LINK_KEY` of the servers the tests start.
pub const TEST_LINK_KEY: &str = "the link key of the HTTP tests, not a real one";

/// The e-mails queued for an address, as the outbox worker sends them: a link's token is put
/// in from the row's salt and the key, as the worker does (the row itself has no token).
pub async fn mails_to(app: &TestApp, email: &str) -> Vec<Value> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT payload, link_salt FROM outbox WHERE recipient = $1 ORDER BY id")
            .bind(email)
            .fetch_all(&app.db)
            .await
            .unwrap();
    let key = app::backend::LinkKey::new(TEST_LINK_KEY);
    rows.iter()
        .map(|(payload, salt)| {
            let sent = app::backend::outbox::with_token(payload, salt.as_deref(), &key);
            serde_json::from_str(&sent).unwrap()
        })
        .collect()
}

pub async fn verification_token(app: &TestApp, email: &str) -> String {
    let mails = mails_to(app, email).await;
    let link = mails
        .iter()
        .rev()
        .find(|m| m["template"] == "verify_email")
        .and_then(|m| m["link"].as_str())
        .expect("a verification e-mail");
    link.split("token=").nth(1).unwrap().to_string()
}

pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("espace_session=") && !v.starts_with("espace_session=;"))
        .map(|v| v.split(';').next().unwrap().to_string())
}

pub async fn login(
    app: &TestApp,
    email: &str,
    password: &str,
    cookie: Option<&str>,
) -> reqwest::Response {
    post(
        app,
        "/api/login",
        form(&[("email", email), ("password", password)]),
        cookie,
    )
    .await
}

// What the organisation, notification and data tests share.

/// A new account, its address confirmed, signed in: its session cookie.
pub async fn signed_in(app: &TestApp, email: &str) -> String {
    register(app, &registration(email, &[])).await;
    confirm_address(app, email).await;
    session_cookie(&login(app, email, PASSWORD, None).await).expect("signed in")
}

/// A new account whose address is not confirmed yet, signed in.
pub async fn signed_in_unverified(app: &TestApp, email: &str) -> String {
    register(app, &registration(email, &[])).await;
    session_cookie(&login(app, email, PASSWORD, None).await).expect("signed in")
}

/// Opens the link of the confirmation e-mail.
pub async fn confirm_address(app: &TestApp, email: &str) {
    let token = verification_token(app, email).await;
    let r = post(app, "/api/verify_email", form(&[("token", &token)]), None).await;
    assert!(r.status().as_u16() < 400, "{}", r.status());
}

pub async fn call(
    app: &TestApp,
    function: &str,
    fields: &[(&str, &str)],
    cookie: &str,
) -> reqwest::Response {
    post(app, &format!("/api/{function}"), form(fields), Some(cookie)).await
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

pub async fn codes(response: reqwest::Response) -> Vec<String> {
    let error: Value = response.json().await.unwrap();
    error["Validation"]
        .as_array()
        .unwrap_or_else(|| panic!("{error}"))
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["field"].as_str().unwrap(),
                e["code"].as_str().unwrap()
            )
        })
        .collect()
}

/// Asks for access to the organisation of `bce` (someone else's), as `function`.
pub async fn ask_access(app: &TestApp, cookie: &str, bce: &str, function: &str) {
    let r = call(
        app,
        "organisation_start",
        &[("kind", "entreprise"), ("bce", bce), ("terms", "on")],
        cookie,
    )
    .await;
    assert_eq!(location(&r), "/organisations/new/request");
    let r = call(
        app,
        "organisation_request_access",
        &[("function", function)],
        cookie,
    )
    .await;
    assert_eq!(location(&r), "/organisations/new/request?sent=1");
}

/// Steps 1 to 3 for a new number; returns the organisation's id.
pub async fn create_organisation(app: &TestApp, cookie: &str, bce: &str, name: &str) -> i64 {
    let r = call(
        app,
        "organisation_start",
        &[("kind", "entreprise"), ("bce", bce), ("terms", "on")],
        cookie,
    )
    .await;
    assert_eq!(
        location(&r),
        "/organisations/new/details",
        "{:?}",
        r.text().await
    );
    let r = call(
        app,
        "organisation_details",
        &[
            ("name", name),
            ("confirmed_kind", "entreprise"),
            ("vat_subject", "yes"),
        ],
        cookie,
    )
    .await;
    assert_eq!(location(&r), "/organisations/new/function");
    let r = call(
        app,
        "organisation_create",
        &[("function", "gérante")],
        cookie,
    )
    .await;
    let to = location(&r);
    let id: i64 = to
        .strip_prefix("/organisations/")
        .and_then(|rest| rest.strip_suffix("/contact?new=1"))
        .unwrap_or_else(|| panic!("unexpected {to}"))
        .parse()
        .unwrap();
    id
}

pub async fn current(app: &TestApp, cookie: &str) -> Value {
    post(app, "/api/current_user", String::new(), Some(cookie))
        .await
        .json()
        .await
        .unwrap()
}

/// The dashboard's tally (kept by triggers, issue 17) says what counting the requests says:
/// per profile (citizen: the account and 0; organisation: 0 and its id), status and procedure.
pub async fn assert_tally_matches(app: &TestApp) {
    type Line = (i64, i64, String, String, i64);
    let counted: Vec<Line> = sqlx::query_as(
        "SELECT CASE WHEN organisation_id IS NULL THEN COALESCE(account_id, 0) ELSE 0 END AS a, \
                COALESCE(organisation_id, 0) AS o, status, procedure_code, COUNT(*) AS n \
         FROM request GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let tally: Vec<Line> = sqlx::query_as(
        "SELECT account_id, organisation_id, status, procedure_code, n FROM request_tally \
         WHERE n <> 0 ORDER BY 1, 2, 3, 4",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(tally, counted);
}
