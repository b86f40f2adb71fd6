//! `GET /requests/{reference}/receipt.pdf?lang=…`: a request's acknowledgement of receipt,
//! for whoever may see the request (the members of the profile it was filed for), in the
//! language asked for (else the account's).
use crate::filing::{go, status_of, user_of};
use crate::pdf::{flow, render, Line};
use crate::state::AppState;
use app::backend::requests::{view, Viewer};
use app::domain::Lang;
use axum::extract::{Path, Query, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Asked {
    lang: Option<String>,
}

pub async fn download(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    Query(asked): Query<Asked>,
    request: Request,
) -> Response {
    let Some(user) = user_of(&request) else {
        return go(request.headers(), "/login");
    };
    let lang = asked
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(user.language);
    let found = view(
        &state.db,
        &state.server_config,
        &user,
        &reference,
        Viewer::Member,
        lang,
    )
    .await;
    match found {
        Ok(request_view) => {
            let printed = app::backend::time::brussels_time(app::backend::now_ms());
            let lines = app::receipt::lines(&request_view, lang, &printed)
                .into_iter()
                .map(|(size, bold, text)| Line::new(size, bold, text))
                .collect();
            (
                [
                    (header::CONTENT_TYPE, "application/pdf".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!(
                            "attachment; filename=\"accuse-de-reception-{}.pdf\"",
                            request_view.reference
                        ),
                    ),
                    (header::CACHE_CONTROL, "private, no-store".to_string()),
                ],
                render(&flow(lines)),
            )
                .into_response()
        }
        Err(error) => status_of(&error),
    }
}
