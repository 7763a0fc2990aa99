//! Server-only code: configuration, state, database, import, HTTP plumbing.

pub mod api_status;
pub mod catalogue;
pub mod cli;
pub mod clock_text;
pub mod db;
pub mod import;
pub mod mail;
pub mod registration;
pub mod registration_flow;
pub mod routes;
pub mod search;
pub mod security;
pub mod seed;
pub mod state;
pub mod synthetic;
pub mod text;
