//! The coordinators' dashboard: registrations of their organisation, filtered in the URL.
//! Every server function checks the role first and every query is scoped to the
//! organisation in SQL (`server/`).

pub mod api;
pub mod types;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;
