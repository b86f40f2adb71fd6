//! The axum server of the espace personnel: configuration, database, security headers,
//! operations endpoints, and the Leptos application's routes.
pub mod bench;
pub mod config;
pub mod db;
pub mod eid;
pub mod export;
pub mod filing;
pub mod health;
pub mod kbo;
pub mod letters;
pub mod mail;
pub mod mandates;
pub mod metrics;
pub mod outbox;
pub mod pdf;
pub mod proxies;
pub mod receipt;
pub mod security;
pub mod serve;
pub mod server_fns;
pub mod sessions;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod uploads;
pub mod xlsx;
