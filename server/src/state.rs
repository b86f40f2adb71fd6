//! What every handler and server function can reach: the state the router is built with.
//! It sits at the bottom of the server: handlers import it, it imports no handler.
use crate::config::Settings;
use crate::db::Db;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// What every handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<Settings>,
    pub server_config: app::backend::ServerConfig,
    /// Where attachments are kept.
    pub storage: crate::storage::Storage,
    /// The OpenID Connect client of the eID identification, when configured.
    pub eid: Option<crate::eid::client::Eid>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
