//! Espace personnel: the Leptos application shared by the server (SSR) and the browser
//! (hydration): pages, components, server functions and domain types.
#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod account;
mod app;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod backend;
mod components;
pub mod domain;
pub mod eid;
pub mod error;
pub mod language;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod notifications;
pub mod organisations;
mod pages;
pub mod procedures;
pub mod requests;

pub use app::{access, shell, App};
