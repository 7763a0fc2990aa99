//! Accounts on the server: the session store, the password backend for axum-login, the
//! role guard, sign-in throttling and the device cookie that spares the owner from it,
//! the sign-in and sign-out routes, user creation, and the bound on password work.

pub mod argon;
pub mod backend;
pub mod device;
pub mod guard;
pub mod password;
pub mod routes;
pub mod sessions;
pub mod throttle;
pub mod users;
pub mod work;
