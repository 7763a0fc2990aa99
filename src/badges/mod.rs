//! Verifiable completion: a learner who completes a micro-credential gets an Open Badges 3.0
//! credential (a W3C Verifiable Credential 2.0) signed by their provider, which anyone can
//! check offline, and this Tohu can revoke; `/verify` checks one here (docs/decisions/0020).

pub mod api;
pub mod types;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;
