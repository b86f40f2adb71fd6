//! Who in the administration looked at a request: each read of its page and each download
//! of an attachment by an agent is recorded, and the person who filed it sees the service
//! and the time ("Consulté par le Service Urbanisme le …"), never the agent's name.
use crate::backend::session::CurrentUser;
use crate::backend::time::{brussels_clock, brussels_date, now_ms};
use crate::backend::{Db, ServerConfig};
use crate::domain::Lang;
use crate::error::AppError;
use crate::model::requests::AccessView;
use crate::procedures::Localized;

/// Reading the same request again within this time is the same read (a reload, the page
/// coming back after a change of status).
const SAME_READ_MS: i64 = 10 * 60 * 1000;

/// What an agent did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Access<'a> {
    Viewed,
    Downloaded(&'a str),
}

/// Records an agent's read or download of the request `request_id` (of `procedure_code`).
pub(super) async fn record(
    db: &Db,
    config: &ServerConfig,
    agent: &CurrentUser,
    request_id: i64,
    procedure_code: &str,
    access: Access<'_>,
) -> Result<(), AppError> {
    let now = now_ms();
    if access == Access::Viewed {
        let recent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM request_access WHERE request_id = $1 AND agent_account_id = $2 \
             AND kind = 'viewed' AND created_at > $3",
        )
        .bind(request_id)
        .bind(agent.account_id)
        .bind(now - SAME_READ_MS)
        .fetch_one(db)
        .await?;
        if recent > 0 {
            return Ok(());
        }
    }
    let service = config
        .catalogue
        .get(procedure_code)
        .map(|procedure| procedure.service.name())
        .unwrap_or_default();
    let (kind, file_name) = match access {
        Access::Viewed => ("viewed", None),
        Access::Downloaded(name) => ("downloaded", Some(name)),
    };
    sqlx::query(
        "INSERT INTO request_access (request_id, agent_account_id, service, kind, file_name, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(request_id)
    .bind(agent.account_id)
    .bind(serde_json::to_string(&service).map_err(crate::backend::internal)?)
    .bind(kind)
    .bind(file_name)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    service: String,
    file_name: Option<String>,
    created_at: i64,
}

impl Row {
    fn view(self, lang: Lang) -> AccessView {
        let service: Localized = serde_json::from_str(&self.service).unwrap_or_default();
        AccessView {
            service: service.get(lang).to_string(),
            date: brussels_date(self.created_at),
            time: brussels_clock(self.created_at),
            file_name: self.file_name,
        }
    }
}

/// The reads and downloads of a request, newest first, as its requester sees them.
pub(super) async fn of_request(
    db: &Db,
    request_id: i64,
    lang: Lang,
) -> Result<Vec<AccessView>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT service, file_name, created_at FROM request_access WHERE request_id = $1 \
         ORDER BY id DESC LIMIT 200",
    )
    .bind(request_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|row| row.view(lang)).collect())
}

/// Every read of the account's requests, for "Mes données": reference, time (ISO),
/// service (in French, Dutch and English), and the file downloaded.
pub async fn of_account(db: &Db, account_id: i64) -> Result<Vec<serde_json::Value>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Export {
        reference: Option<String>,
        service: String,
        kind: String,
        file_name: Option<String>,
        created_at: i64,
    }
    let rows: Vec<Export> = sqlx::query_as(
        "SELECT r.reference, a.service, a.kind, a.file_name, a.created_at \
         FROM request_access a JOIN request r ON r.id = a.request_id \
         WHERE r.account_id = $1 ORDER BY a.id",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            serde_json::json!({
                "request": row.reference,
                "at": jiff::Timestamp::from_millisecond(row.created_at)
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                "service": serde_json::from_str::<serde_json::Value>(&row.service)
                    .unwrap_or_default(),
                "what": row.kind,
                "file": row.file_name,
            })
        })
        .collect())
}
