//! Identification by eID: an OpenID Connect client (authorization code with PKCE, state and
//! nonce) against the federal authentication service (FAS/CSAM), or any provider configured
//! by `EID_*`. It is a step-up for a signed-in person, not a sign-in: the session that starts
//! the flow must be the one that finishes it.
//!
//! `POST /auth/eid/start` (or the filing form, when a procedure needs eID) sends the person
//! to the provider; `GET /auth/eid/callback` checks the answer — the ID token's signature,
//! issuer, audience, expiry and nonce (the `openidconnect` crate), then the `acr` the
//! provider vouched for (what was asked can be tampered with on the way) — fetches the
//! national register number from the user info, and applies it
//! (`app::backend::eid::identified`). Every refusal lands on `/identification?problem=…`
//! with its message and changes nothing.
//!
//! [`client`] speaks OpenID Connect with the provider; [`routes`] are the two axum handlers.
pub mod client;
pub mod routes;

pub use client::{nrn_hash, Eid, CALLBACK_PATH};
pub use routes::{callback, problem_page, start, start_location};
