//! One pool type for SQLite and PostgreSQL, chosen by `DATABASE_URL`; migrations per
//! backend, run at start. Queries use the SQL both backends understand (`$1` placeholders,
//! `RETURNING`, `ON CONFLICT`).
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Connection, Executor};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// The database pool handed to every handler and server function.
pub use app::backend::Db;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL is neither sqlite:… nor postgres://…")]
    UnknownBackend,
    #[error("cannot create the directory {path} for the SQLite database: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The pool's size: SQLite's connections each run on a thread of their own; PostgreSQL's
/// are the server's processes.
pub const SQLITE_CONNECTIONS: u32 = 8;
pub const POSTGRES_CONNECTIONS: u32 = 16;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Connects (creating the SQLite file and its directory when needed) and migrates.
pub async fn connect_and_migrate(url: &str) -> Result<Db, DbError> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url).ok_or(DbError::UnknownBackend)?;
    let url = match backend {
        Backend::Sqlite => prepare_sqlite_url(url)?,
        Backend::Postgres => url.to_string(),
    };
    let options = AnyConnectOptions::from_str(&url).map_err(DbError::Connect)?;
    let pool = AnyPoolOptions::new()
        .max_connections(match backend {
            Backend::Sqlite => SQLITE_CONNECTIONS,
            Backend::Postgres => POSTGRES_CONNECTIONS,
        })
        .acquire_timeout(Duration::from_secs(5))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // WAL lets readers work while one writer writes; foreign keys are off by
                    // default in SQLite; wait rather than fail when the database is busy.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(DbError::Connect)?;
    match backend {
        Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
        Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
    }
    Ok(pool)
}

/// Makes sure the SQLite file can be created: its directory exists and the URL asks for
/// read-write-create.
fn prepare_sqlite_url(url: &str) -> Result<String, DbError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" && !path.is_empty() {
        if let Some(parent) = Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|source| DbError::CreateDir {
                path: parent.display().to_string(),
                source,
            })?;
        }
    }
    Ok(if query.contains("mode=") {
        url.to_string()
    } else if query.is_empty() {
        format!("{url}?mode=rwc")
    } else {
        format!("{url}&mode=rwc")
    })
}

/// Whether the database answers, within `timeout`.
pub async fn ping(db: &Db, timeout: Duration) -> bool {
    let check = async {
        let mut conn = db.acquire().await?;
        conn.ping().await
    };
    matches!(tokio::time::timeout(timeout, check).await, Ok(Ok(())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_from_url() {
        assert_eq!(
            Backend::of_url("sqlite://data/x.sqlite"),
            Some(Backend::Sqlite)
        );
        assert_eq!(Backend::of_url("sqlite::memory:"), Some(Backend::Sqlite));
        assert_eq!(
            Backend::of_url("postgres://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::of_url("postgresql://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of_url("mysql://u@h/db"), None);
    }

    #[tokio::test]
    async fn sqlite_file_is_created_in_wal_mode_with_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/espace.sqlite");
        let db = connect_and_migrate(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        assert!(path.exists());
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(foreign_keys, 1);
        let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(timeout, 5000);
        assert!(ping(&db, Duration::from_secs(1)).await);
        db.close().await;
        assert!(!ping(&db, Duration::from_secs(1)).await);
    }
}
