//! The account pages: sign in, and the signed-in coordinator's landing page.

pub mod account;
pub mod sign_in;
