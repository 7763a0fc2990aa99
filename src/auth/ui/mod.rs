//! The account pages: sign in (the landing page after it is the dashboard overview).

pub mod sign_in;
