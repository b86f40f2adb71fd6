//! The server functions: each one reads who is asking, calls the backend once, and sets
//! what the response needs (cookies). Their types are in `model`.
pub mod account;
pub mod auth;
pub mod language;
pub mod notifications;
pub mod organisations;
pub mod requests;
