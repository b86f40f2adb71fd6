use app::backend::requests::AgentChange;
use server::config::Settings;
use server::startup::Application;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    // A `.env` file beside the working directory, when present, fills unset variables.
    let _ = dotenvy::dotenv();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("espace: {error}");
            return ExitCode::from(2);
        }
    };
    server::telemetry::init(&settings);
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("serve") => {}
        Some("migrate") => return migrate(&settings).await,
        Some("import-kbo") => return import_kbo(&settings, args.get(1)).await,
        Some("agent") => return agent(&settings, &args[1..]).await,
        Some("bench-seed") => return bench_seed(&settings, args.get(1)).await,
        Some("bench-page") => return bench_page(&settings, args.get(1)).await,
        Some("bench-driver") => return bench_driver(&settings).await,
        Some(other) => {
            eprintln!(
                "espace: unknown command {other:?}; expected `serve`, `migrate`, `import-kbo <folder>` \
                 `agent add <email> <service>…`, `agent remove <email>`, `bench-seed [small]`, `bench-page <n>` or `bench-driver`"
            );
            return ExitCode::from(2);
        }
    }
    let leptos_options = match server::config::leptos_options(&settings) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("espace: {error}");
            return ExitCode::from(2);
        }
    };
    let app = match Application::build(settings, leptos_options).await {
        Ok(app) => app,
        Err(error) => {
            tracing::error!(%error, "the server could not start");
            eprintln!("espace: {error}");
            return ExitCode::FAILURE;
        }
    };
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the server stopped with an error");
            ExitCode::FAILURE
        }
    }
}

/// `server migrate`: brings the database's schema up to date, then stops. A deployment runs
/// it once before starting the servers of a new version (each server also migrates at
/// start; on PostgreSQL concurrent starts wait for one another).
async fn migrate(settings: &Settings) -> ExitCode {
    match server::db::connect_and_migrate(&settings.database_url).await {
        Ok(db) => {
            db.close().await;
            println!("the database is up to date");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("espace: migrate: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `server import-kbo <folder>`: loads the company register's open-data files into the
/// database the configuration names (migrating it first), then says what it did.
async fn import_kbo(settings: &Settings, folder: Option<&String>) -> ExitCode {
    let Some(folder) = folder else {
        eprintln!(
            "espace: usage: server import-kbo <folder with enterprise.csv and denomination.csv>"
        );
        return ExitCode::from(2);
    };
    let db = match server::db::connect_and_migrate(&settings.database_url).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("espace: {error}");
            return ExitCode::FAILURE;
        }
    };
    let started = std::time::Instant::now();
    match server::kbo::import(&db, std::path::Path::new(folder)).await {
        Ok(report) => {
            for line in &report.skipped {
                eprintln!("skipped {line}");
            }
            println!(
                "imported {} enterprises, {} names, {} addresses in {:.1} s; {} lines skipped",
                report.enterprises,
                report.denominations,
                report.addresses,
                started.elapsed().as_secs_f64(),
                report.skipped_total
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("espace: import-kbo: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `server agent add <email> <service>…`: makes the account an agent of those services
/// (replacing the ones it had); `server agent remove <email>`: takes the back office away.
async fn agent(settings: &Settings, args: &[String]) -> ExitCode {
    const USAGE: &str =
        "espace: usage: server agent add <email> <service>… | server agent remove <email>";
    let catalogue = match app::procedures::Catalogue::load_dir(&settings.procedures_dir) {
        Ok(catalogue) => catalogue,
        Err(error) => {
            eprintln!("espace: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut known: Vec<&str> = catalogue
        .all()
        .iter()
        .map(|procedure| procedure.service.code.as_str())
        .collect();
    known.sort_unstable();
    known.dedup();
    let (grant, email, services): (bool, &String, Vec<&str>) = match args {
        [action, email, services @ ..] if action == "add" && !services.is_empty() => {
            (true, email, services.iter().map(String::as_str).collect())
        }
        [action, email] if action == "remove" => (false, email, Vec::new()),
        _ => {
            eprintln!("{USAGE}\nservices: {}", known.join(", "));
            return ExitCode::from(2);
        }
    };
    if let Some(unknown) = services.iter().find(|service| !known.contains(service)) {
        eprintln!(
            "espace: no service {unknown:?}; services: {}",
            known.join(", ")
        );
        return ExitCode::from(2);
    }
    let db = match server::db::connect_and_migrate(&settings.database_url).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("espace: {error}");
            return ExitCode::FAILURE;
        }
    };
    match app::backend::requests::set_agent(&db, email, &services).await {
        Ok(AgentChange::Done) => {
            if grant {
                println!("{email} is now an agent of {}", services.join(", "));
            } else {
                println!("{email} no longer has the agent role");
            }
            ExitCode::SUCCESS
        }
        Ok(AgentChange::NoAccount) => {
            eprintln!("espace: no account with the address {email}");
            ExitCode::FAILURE
        }
        Ok(AgentChange::AddressNotVerified) => {
            eprintln!(
                "espace: the address {email} is not confirmed: its owner must open the link \
                 of the confirmation e-mail first"
            );
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("espace: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `server bench-seed [small]`: fills an empty database with the benchmark's dataset
/// (BENCHMARKS.md); `small` makes a hundredth of it.
async fn bench_seed(settings: &Settings, size: Option<&String>) -> ExitCode {
    // 100,000 accounts with one known password must never land in a real database by a
    // slip of the keyboard: the command runs only when the environment says it may.
    if std::env::var("ALLOW_BENCH_SEED").as_deref() != Ok("true") {
        eprintln!(
            "espace: bench-seed fills the database with test accounts that share a known \
             password; it runs only with ALLOW_BENCH_SEED=true (never in production)"
        );
        return ExitCode::from(2);
    }
    let db = match server::db::connect_and_migrate(&settings.database_url).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("espace: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut sizes = server::bench::Sizes::default();
    if size.map(String::as_str) == Some("small") {
        sizes = server::bench::Sizes {
            accounts: 1_000,
            organisations: 200,
            requests: 20_000,
        };
    }
    let started = std::time::Instant::now();
    let postgres = settings.database_url.starts_with("postgres");
    let result = server::bench::seed(&db, postgres, sizes, |step| {
        println!("{:>6.1} s  {step}", started.elapsed().as_secs_f64());
    })
    .await;
    match result {
        Ok(()) => {
            println!(
                "seeded {} accounts, {} organisations, {} requests in {:.1} s",
                sizes.accounts,
                sizes.organisations,
                sizes.requests,
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("espace: bench-seed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `server bench-driver`: the list statement of the dashboard through the `Any` pool and
/// through a pool of the backend's own type, 5 s each from 100 tasks (BENCHMARKS.md).
async fn bench_driver(settings: &Settings) -> ExitCode {
    let db = match server::db::connect_and_migrate(&settings.database_url).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("espace: {error}");
            return ExitCode::FAILURE;
        }
    };
    match server::bench::driver(&db, &settings.database_url, 5.0, 100).await {
        Ok(rates) => {
            println!(
                "statements/s: Any {:.0}, typed {:.0} (typed/Any = {:.2})",
                rates.any,
                rates.typed,
                rates.typed / rates.any
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("espace: bench-driver: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `server bench-page <n>`: prints Bench SA's id, the query string of its dashboard's page n
/// and Bench Archive SA's id.
async fn bench_page(settings: &Settings, page: Option<&String>) -> ExitCode {
    let Some(page) = page.and_then(|p| p.parse::<i64>().ok()).filter(|p| *p > 1) else {
        eprintln!("espace: usage: server bench-page <page number, 2 or more>");
        return ExitCode::from(2);
    };
    let db = match server::db::connect_and_migrate(&settings.database_url).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("espace: {error}");
            return ExitCode::FAILURE;
        }
    };
    match (
        server::bench::bench_organisation(&db).await,
        server::bench::page_query(&db, page).await,
        server::bench::archive_organisation(&db).await,
    ) {
        (Ok(org), Ok(query), Ok(archive)) => {
            println!("{org} {query} {archive}");
            ExitCode::SUCCESS
        }
        (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => {
            eprintln!("espace: bench-page: {error}");
            ExitCode::FAILURE
        }
    }
}
