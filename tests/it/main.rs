//! Integration tests, one binary: the real router over SQLite and PostgreSQL, the importer,
//! email through an SMTP sink, and the server binary under load. One folder per feature,
//! named as in `src/`. One binary links once, which keeps a cold CI build's time and disk
//! down.

mod assets;
mod auth;
mod badges;
mod catalogue;
mod common;
mod dashboard;
mod platform;
mod public_api;
mod registration;
