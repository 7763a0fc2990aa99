//! Registration on the server: the store (register, find, cancel, promote under the intake
//! lock), the one submit flow both paths share, the emails it queues, and its own routes.

pub mod emails;
pub mod flow;
pub mod routes;
pub mod store;
pub mod tokens;
