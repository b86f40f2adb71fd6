//! The wire types: what the server functions take and give, and what the pages show. The
//! backend fills them; nothing here reaches up to a server function.
pub mod account;
pub mod auth;
pub mod disputes;
pub mod notifications;
pub mod organisations;
pub mod requests;
