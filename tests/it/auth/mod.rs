//! Coordinator accounts: sign-in, sessions in the database, sign-out, throttling, expiry,
//! the role guard; on SQLite and PostgreSQL.

mod password;
mod sessions;
mod sign_in;
