//! The account pages: sign in (the landing page after it is the dashboard overview).

pub mod password;
pub mod routes;
pub mod sign_in;
