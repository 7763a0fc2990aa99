//! Coordinators' accounts: sign-in and sign-out, roles, and the session that carries them.
//! The server-only half (session store, password checks, the role guard every coordinator
//! server function calls first, throttling, the `user add` command) is in `server/`.

pub mod api;
pub mod types;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;
