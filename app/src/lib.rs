//! Espace personnel: the Leptos application shared by the server (SSR) and the browser
//! (hydration).
//!
//! The modules are layers, and a layer imports only the layers below it (README,
//! Conventions; `architecture` checks it):
//!
//! - `app` (the routes and who may see them) → `pages` → `components`
//! - → `api`: the server functions, thin: who is asking, then one call to the backend
//! - → `backend` (server only): the database, sessions, the outbox → `mail`
//! - → `model`: the wire types the server functions take and give
//! - → `procedures` (the catalogue), `domain` (parsed types and enums), `error`, `language`.
#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod access;
pub mod api;
mod app;
#[cfg(test)]
mod architecture;
#[cfg(feature = "ssr")]
pub mod backend;
mod components;
pub mod domain;
pub mod error;
pub mod language;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod model;
mod pages;
pub mod procedures;
#[cfg(feature = "ssr")]
pub mod receipt;

pub use app::{shell, App};
