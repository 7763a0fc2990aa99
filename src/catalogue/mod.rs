//! Browsing the catalogue: search with facets, result cards and the detail page. Its
//! server-only half (detail queries, the search index, the seed format and import) is in
//! `server/`, compiled only into the server binary.

pub mod api;
pub mod facet;
pub mod jsonld;
pub mod query;
pub mod types;
pub mod ui;
pub mod vocab;

#[cfg(feature = "ssr")]
pub mod server;
