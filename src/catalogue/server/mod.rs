//! The catalogue's server side: detail reads, the in-memory search index, the seed file
//! format with its validation, the import that loads it, and the synthetic scale catalogue.

pub mod detail;
pub mod import;
pub mod search;
pub mod seed;
pub mod synthetic;
pub mod text;
