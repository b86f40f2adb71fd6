//! `server bench-seed`: a realistic dataset for the benchmark (BENCHMARKS.md) — 100,000
//! accounts, 20,000 organisations, 1,000,000 requests with their histories — written in
//! large batches into the database the configuration names. Every account's password is
//! `BENCH_PASSWORD`; `bench@example.be` has 200 requests of its own and is the administrator
//! of "Bench SA", which has 10,000, and of "Bench Archive SA", which has 100,000 (the
//! export's large case).
use crate::db::Db;

pub const BENCH_PASSWORD: &str = "benchmark password 2026";
pub const BENCH_EMAIL: &str = "bench@example.be";

#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    pub accounts: i64,
    pub organisations: i64,
    pub requests: i64,
}

impl Default for Sizes {
    fn default() -> Self {
        Sizes {
            accounts: 100_000,
            organisations: 20_000,
            requests: 1_000_000,
        }
    }
}

/// The service of a procedure of the catalogue (as `app/procedures/` says).
fn service_of(code: &str) -> &'static str {
    match code {
        "changement-adresse" | "composition-menage" => "population",
        "carte-stationnement-riverain" => "mobilite",
        "occupation-voie-publique" => "voirie",
        "reservation-salle" => "salles",
        "autorisation-evenement" => "evenements",
        "autorisation-enseigne" => "urbanisme",
        "autorisation-terrasse" => "economie",
        _ => "vie-associative",
    }
}

const PROCEDURES: [&str; 9] = [
    "changement-adresse",
    "carte-stationnement-riverain",
    "occupation-voie-publique",
    "reservation-salle",
    "autorisation-evenement",
    "composition-menage",
    "autorisation-enseigne",
    "autorisation-terrasse",
    "demande-subside",
];
const STATUSES: [&str; 6] = [
    "submitted",
    "in_treatment",
    "documents_requested",
    "accepted",
    "refused",
    "closed",
];
const STREETS: [&str; 6] = [
    "Avenue Louis Bertrand",
    "Chaussée de Haecht",
    "Rue Royale Sainte-Marie",
    "Place Colignon",
    "Boulevard Lambermont",
    "Rue des Palais",
];
const BATCH: i64 = 500;
/// The organisation whose 100,000 requests the export is measured on.
const ARCHIVE: &str = "Bench Archive SA";
const ARCHIVE_REQUESTS: i64 = 100_000;
const DAY_MS: i64 = 86_400_000;

/// A small deterministic generator: the same dataset every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: i64) -> i64 {
        (self.next() % n.max(1) as u64) as i64
    }
}

/// A valid BCE number from a serial (check digits = 97 − n mod 97).
fn bce(serial: i64) -> String {
    let base = 20_000_000 + serial;
    format!("0{base}{:02}", 97 - base % 97)
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

async fn exec(db: &Db, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::query(sql).execute(db).await.map(|_| ())
}

pub async fn seed(
    db: &Db,
    postgres: bool,
    sizes: Sizes,
    mut progress: impl FnMut(&str),
) -> Result<(), sqlx::Error> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM request")
        .fetch_one(db)
        .await?;
    if existing > 0 {
        return Err(sqlx::Error::Protocol(
            "the database already holds requests: seed an empty one".into(),
        ));
    }
    let hash = password_auth::generate_hash(BENCH_PASSWORD);
    let now = app::backend::now_ms();
    let mut rng = Rng(0x5eed_2026);

    progress("accounts");
    let first_account: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM account")
        .fetch_one(db)
        .await?;
    for start in (0..sizes.accounts).step_by(BATCH as usize) {
        let end = (start + BATCH).min(sizes.accounts);
        let mut accounts = String::from(
            "INSERT INTO account (id, email, password_hash, language, email_verified_at, created_at) VALUES ",
        );
        let mut profiles = String::from(
            "INSERT INTO citizen_profile (account_id, first_name, last_name, updated_at) VALUES ",
        );
        for i in start..end {
            let id = first_account + i;
            let email = if i == 0 {
                BENCH_EMAIL.to_string()
            } else {
                format!("habitant{i}@example.be")
            };
            let lang = ["fr", "nl", "fr", "en"][(i % 4) as usize];
            if i > start {
                accounts.push(',');
                profiles.push(',');
            }
            accounts.push_str(&format!(
                "({id}, {}, {}, '{lang}', {now}, {now})",
                quote(&email),
                quote(&hash)
            ));
            profiles.push_str(&format!("({id}, 'Prénom{i}', 'Nom{i}', {now})"));
        }
        let mut tx = app::backend::begin(db).await?;
        sqlx::query(&accounts).execute(&mut *tx).await?;
        sqlx::query(&profiles).execute(&mut *tx).await?;
        tx.commit().await?;
    }

    progress("organisations");
    let first_org: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM organisation")
        .fetch_one(db)
        .await?;
    for start in (0..sizes.organisations).step_by(BATCH as usize) {
        let end = (start + BATCH).min(sizes.organisations);
        let mut orgs = String::from(
            "INSERT INTO organisation (id, bce, name, kind, vat_subject, created_at, created_by) VALUES ",
        );
        let mut members = String::from(
            "INSERT INTO membership (organisation_id, account_id, function, role, status, created_at, since) VALUES ",
        );
        for i in start..end {
            let id = first_org + i;
            // Organisations 0 and 1 are Bench SA and Bench Archive SA, run by the bench
            // account; the others by someone.
            let admin = if i < 2 {
                first_account
            } else {
                first_account + 1 + (i * 7) % (sizes.accounts - 1).max(1)
            };
            let kind = if i % 3 == 0 {
                "association"
            } else {
                "entreprise"
            };
            let name = if i == 0 {
                "Bench SA".to_string()
            } else if i == 1 {
                ARCHIVE.to_string()
            } else {
                format!("Organisation {i}")
            };
            if i > start {
                orgs.push(',');
                members.push(',');
            }
            orgs.push_str(&format!(
                "({id}, '{}', {}, '{kind}', 1, {now}, {admin})",
                bce(i),
                quote(&name)
            ));
            members.push_str(&format!(
                "({id}, {admin}, 'gérant', 'admin', 'active', {now}, {now})"
            ));
        }
        let mut tx = app::backend::begin(db).await?;
        sqlx::query(&orgs).execute(&mut *tx).await?;
        sqlx::query(&members).execute(&mut *tx).await?;
        tx.commit().await?;
    }

    progress("requests and their histories");
    let first_request: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM request")
        .fetch_one(db)
        .await?;
    let year_start = now - 330 * DAY_MS;
    for start in (0..sizes.requests).step_by(BATCH as usize) {
        let end = (start + BATCH).min(sizes.requests);
        let mut requests = String::from(
            "INSERT INTO request (id, reference, token, procedure_code, account_id, organisation_id, \
             status, data, assurance, search_text, created_at, submitted_at, updated_at, service) VALUES ",
        );
        let mut events = String::from(
            "INSERT INTO request_event (request_id, status, note, actor_account_id, by_agent, created_at) VALUES ",
        );
        let mut first_event = true;
        for i in start..end {
            let id = first_request + i;
            // The first 200: the bench account's own; the next 10,000: Bench SA's; the next
            // 100,000 (when the dataset is that large): Bench Archive SA's.
            let (account, organisation) = if i < 200 {
                (first_account, None)
            } else if i < 10_200 {
                (first_account, Some(first_org))
            } else if i < 10_200 + ARCHIVE_REQUESTS
                && sizes.requests >= 10_200 + 2 * ARCHIVE_REQUESTS
                && sizes.organisations > 1
            {
                (first_account, Some(first_org + 1))
            } else if rng.below(5) == 0 && sizes.organisations > 1 {
                let org = 1 + rng.below(sizes.organisations - 1);
                (
                    first_account + 1 + (org * 7) % (sizes.accounts - 1).max(1),
                    Some(first_org + org),
                )
            } else {
                (first_account + 1 + rng.below(sizes.accounts - 1), None)
            };
            let code = PROCEDURES[rng.below(PROCEDURES.len() as i64) as usize];
            let status = STATUSES[rng.below(STATUSES.len() as i64) as usize];
            let submitted =
                year_start + (i * 330 * DAY_MS) / sizes.requests.max(1) + rng.below(3_600_000);
            let updated = submitted + rng.below(20) * DAY_MS / 2;
            let reference = format!("2026-{:06}", i + 1);
            let street = STREETS[rng.below(STREETS.len() as i64) as usize];
            let data = format!(
                "{{\"adresse.street\":\"{street}\",\"adresse.number\":\"{}\",\"adresse.postal_code\":\"1030\",\"adresse.city\":\"Schaerbeek\"}}",
                1 + rng.below(200)
            );
            let search = format!("{reference} {code} {street}").to_lowercase();
            if i > start {
                requests.push(',');
            }
            requests.push_str(&format!(
                "({id}, '{reference}', 'bench-{id}', '{code}', {account}, {}, '{status}', {}, 'basic', {}, {submitted}, {submitted}, {updated}, '{}')",
                organisation.map_or("NULL".to_string(), |o| o.to_string()),
                quote(&data),
                quote(&search),
                service_of(code)
            ));
            let mut history = vec![("submitted", submitted, account, 0)];
            if status != "submitted" {
                history.push((status, updated, first_account + 1, 1));
            }
            for (event_status, at, actor, agent) in history {
                if !first_event {
                    events.push(',');
                }
                first_event = false;
                events.push_str(&format!(
                    "({id}, '{event_status}', NULL, {actor}, {agent}, {at})"
                ));
            }
        }
        let mut tx = app::backend::begin(db).await?;
        sqlx::query(&requests).execute(&mut *tx).await?;
        sqlx::query(&events).execute(&mut *tx).await?;
        tx.commit().await?;
        if (end % 100_000) == 0 {
            progress(&format!("{end} requests"));
        }
    }
    exec(db, "INSERT INTO reference_counter (year, last) VALUES (2026, 1000000) ON CONFLICT (year) DO NOTHING").await?;
    // PostgreSQL: the sequences follow the explicit ids; both: fresh statistics.
    if postgres {
        for table in [
            "account",
            "organisation",
            "membership",
            "request",
            "request_event",
        ] {
            exec(
                db,
                &format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"),
            )
            .await?;
        }
        exec(db, "ANALYZE").await?;
    } else {
        exec(db, "ANALYZE").await?;
    }
    Ok(())
}

/// The query string of page `page` (1-based) of Bench SA's dashboard, newest first, as its
/// pager links it: counted at the moment of the last filing.
pub async fn page_query(db: &Db, page: i64) -> Result<String, sqlx::Error> {
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(r.submitted_at) FROM request r JOIN organisation o ON o.id = r.organisation_id \
         WHERE o.name = 'Bench SA' AND r.status <> 'draft'",
    )
    .fetch_one(db)
    .await?;
    Ok(format!("page={page}&as_of={}", at.unwrap_or_default()))
}

/// Bench SA's id (the profile to act for).
pub async fn bench_organisation(db: &Db) -> Result<i64, sqlx::Error> {
    organisation_named(db, "Bench SA").await
}

/// Bench Archive SA's id: the profile with 100,000 requests, for the export.
pub async fn archive_organisation(db: &Db) -> Result<i64, sqlx::Error> {
    organisation_named(db, ARCHIVE).await
}

async fn organisation_named(db: &Db, name: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM organisation WHERE name = $1")
        .bind(name)
        .fetch_one(db)
        .await
}

/// What `server bench-driver` measured: the same statement through the pool the server uses
/// (sqlx's `Any` driver) and through a pool of the backend's own type, statements per second.
#[derive(Clone, Copy, Debug)]
pub struct DriverRates {
    pub any: f64,
    pub typed: f64,
}

/// The dashboard's list statement of the bench account (20 lines of 200), decoded into the
/// same columns, for `seconds` each, from `tasks` concurrent tasks: once through `db` (the
/// `Any` pool), once through a pool of SQLite's or PostgreSQL's own type with the same size
/// and settings. The decision between the two (BENCHMARKS.md) is made from these figures.
pub async fn driver(
    db: &Db,
    url: &str,
    seconds: f64,
    tasks: usize,
) -> Result<DriverRates, sqlx::Error> {
    use sqlx::postgres::PgPoolOptions;
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    use std::str::FromStr;
    type Line = (String, String, String, i64, i64, String);
    const LIST: &str = "SELECT r.reference, r.procedure_code, r.status, r.submitted_at, \
                        r.updated_at, r.data FROM request r \
                        WHERE r.account_id = $1 AND r.organisation_id IS NULL \
                        AND r.status <> 'draft' \
                        ORDER BY r.submitted_at DESC, r.id DESC LIMIT 20";
    let account: i64 = sqlx::query_scalar("SELECT id FROM account WHERE email = $1")
        .bind(BENCH_EMAIL)
        .fetch_one(db)
        .await?;
    // The same loop over any pool: a pool of each type is another type.
    macro_rules! list_rate {
        ($pool:expr) => {{
            let pool = $pool;
            rate(seconds, tasks, move || {
                let pool = pool.clone();
                async move {
                    let lines: Vec<Line> =
                        sqlx::query_as(LIST).bind(account).fetch_all(&pool).await?;
                    Ok(lines.len())
                }
            })
            .await?
        }};
    }
    let any = list_rate!(db.clone());
    let typed = if url.starts_with("sqlite:") {
        let options = SqliteConnectOptions::from_str(url)?
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(5))
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
        list_rate!(
            SqlitePoolOptions::new()
                .max_connections(crate::db::SQLITE_CONNECTIONS)
                .connect_with(options)
                .await?
        )
    } else {
        list_rate!(
            PgPoolOptions::new()
                .max_connections(crate::db::POSTGRES_CONNECTIONS)
                .connect(url)
                .await?
        )
    };
    Ok(DriverRates { any, typed })
}

/// Runs `statement` in a loop from `tasks` tasks for `seconds`; statements per second. Each
/// must return 20 lines (the bench account's dataset), else the figures would be of
/// something else.
async fn rate<F, Fut>(seconds: f64, tasks: usize, statement: F) -> Result<f64, sqlx::Error>
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<usize, sqlx::Error>> + Send,
{
    let started = std::time::Instant::now();
    let deadline = started + std::time::Duration::from_secs_f64(seconds);
    let mut running = Vec::new();
    for _ in 0..tasks {
        let statement = statement.clone();
        running.push(tokio::spawn(async move {
            let mut done = 0u64;
            while std::time::Instant::now() < deadline {
                let lines = statement().await?;
                if lines != 20 {
                    return Err(sqlx::Error::Protocol(format!(
                        "expected 20 lines, got {lines}: is this the bench dataset?"
                    )));
                }
                done += 1;
            }
            Ok(done)
        }));
    }
    let mut total = 0u64;
    for task in running {
        total += task
            .await
            .map_err(|error| sqlx::Error::Protocol(error.to_string()))??;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}
