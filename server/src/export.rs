//! `GET /account/data/export`: the download of "Mes données", a JSON file of everything the
//! espace keeps about the signed-in person. (Signed-out visitors are sent to /login by the
//! session layer, as for every page under /account.)
use crate::state::AppState;
use app::backend::session::CurrentUser;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

pub const PATH: &str = "/account/data/export";
const FILE_NAME: &str = "espace-personnel-mes-donnees.json";

pub async fn download(State(state): State<AppState>, request: Request) -> Response {
    let Some(user) = request.extensions().get::<CurrentUser>() else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response();
    };
    match app::backend::data::export(&state.db, user).await {
        Ok(document) => {
            let body = serde_json::to_string_pretty(&document).unwrap_or_default();
            (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/json; charset=utf-8".to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{FILE_NAME}\""),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
                body,
            )
                .into_response()
        }
        Err(error) => {
            tracing::error!(?error, "cannot export the account's data");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
        }
    }
}
