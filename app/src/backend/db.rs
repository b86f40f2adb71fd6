//! The database pool, write transactions, and how a database error reaches the user.
use crate::error::AppError;

/// The database pool: SQLite or PostgreSQL, chosen by `DATABASE_URL`.
pub type Db = sqlx::AnyPool;

/// Starts a transaction that will write.
///
/// On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a deferred transaction that
/// reads, then writes after another connection committed, fails at once with "database is
/// locked" (its snapshot is stale; the busy timeout does not apply), which a user would see as
/// an error under load. On PostgreSQL it is a plain `BEGIN`.
pub async fn begin(db: &Db) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    if db.connect_options().database_url.scheme() == "sqlite" {
        db.begin_with("BEGIN IMMEDIATE").await
    } else {
        db.begin().await
    }
}

/// Logs a database error and hides it from the user.
pub fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "internal error");
    AppError::Internal
}

/// A stored code read back into its type (`RequestStatus::parse`, …). A value this version
/// cannot read is an error, logged and answered as one, never silently replaced by a
/// default.
pub fn decode<T>(
    column: &str,
    value: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, sqlx::Error> {
    parse(value).ok_or_else(|| sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: format!("unknown value {value:?}").into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RequestStatus;

    #[test]
    fn a_stored_code_reads_back_or_is_an_error_never_a_default() {
        assert_eq!(
            decode("status", "accepted", RequestStatus::parse).unwrap(),
            RequestStatus::Accepted
        );
        let error = decode("status", "acceptee", RequestStatus::parse).unwrap_err();
        assert!(
            matches!(&error, sqlx::Error::ColumnDecode { index, .. } if index == "status"),
            "{error:?}"
        );
        assert_eq!(AppError::from(error), AppError::Internal);
    }
}
