//! The server half of verifiable completion: keys, canonical form, proofs, the credential
//! and its achievement, status lists, issuer profiles and `/verify`. Only the dashboard's
//! completion (`issue`) and the public API's achievement (`achievement`) reach in from
//! other features (ARCHITECTURE.md, Boundaries).

pub mod achievement;
pub mod canon;
pub mod credential;
pub mod issue;
pub mod issuer;
pub mod keys;
pub mod proof;
pub mod routes;
pub mod status;
pub mod svg;
pub mod verify;
