//! Server-only platform code, no feature logic: command line, state, clock, database,
//! router assembly, security headers, API status mapping, the email outbox, and the
//! service contract (start-up, health, metrics, request log, backups). Each
//! feature's own server code lives in that feature's `server/` folder.

pub mod api_status;
pub mod backup;
pub mod cli;
pub mod client;
pub mod clock;
pub mod commands;
pub mod config;
pub mod csv;
pub mod db;
pub mod email;
pub mod health;
pub mod ical;
pub mod limits;
pub mod links;
pub mod metrics;
pub mod organisations;
pub mod outbox;
pub mod rerender;
pub mod routes;
pub mod security;
pub mod serve;
pub mod start;
pub mod state;
pub mod trace;
