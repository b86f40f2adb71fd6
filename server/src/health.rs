//! Operations endpoints: `/healthz` (the process answers) and `/readyz` (and so does the
//! database).
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use std::time::Duration;

pub async fn healthz() -> (StatusCode, &'static str) {
    (StatusCode::OK, "ok\n")
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if crate::db::ping(&state.db, Duration::from_secs(2)).await {
        (StatusCode::OK, "ready\n")
    } else {
        tracing::warn!("readiness check failed: the database does not answer");
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
    }
}
