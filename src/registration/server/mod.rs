//! Registration on the server: register (store), cancel and promote, the confirmation
//! page's read (lookup), the one submit flow both paths share, the emails it queues, and
//! its own routes.

pub mod cancel;
pub mod emails;
pub mod flow;
pub mod group;
pub mod lookup;
pub mod place;
pub mod privacy;
pub mod routes;
pub mod screen;
pub mod seats;
pub mod store;
pub mod tokens;
