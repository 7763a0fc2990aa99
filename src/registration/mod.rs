//! Registering for an intake: the form, its shared validation, the confirmation page, and
//! an employer's group registration (`group`). Its server-only half (seat allocation, the
//! submit flow, emails, the no-JavaScript POST routes) is in `server/`.

pub mod api;
pub mod events;
pub mod group;
pub mod types;
pub mod ui;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod server;
