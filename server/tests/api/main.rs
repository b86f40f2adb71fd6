//! HTTP tests against the real router, served on a free port, each test with a fresh
//! database: SQLite by default, PostgreSQL when `TEST_DATABASE_URL=postgres://…` is set.
#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on anything it did not expect"
)]
mod access_log;
mod accounts;
mod authorisation;
mod data;
mod disputes;
mod eid;
mod hardening;
mod helpers;
mod kbo;
mod links;
mod notifications;
mod organisations;
mod outbox;
mod pages;
mod platform;
mod representatives;
mod requests;
mod review;
mod security;
mod storage;
mod times;
mod trust;
