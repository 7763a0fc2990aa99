//! The catalogue's server side: detail reads, the in-memory search index, the seed file
//! format with its validation, the import that loads it and the export that writes it back, the synthetic scale catalogue, and
//! robots.txt and the sitemap for crawlers, the live seats stream.

pub mod crawl;
pub mod detail;
pub mod export;
pub mod import;
pub mod live;
pub mod revision;
pub mod search;
pub mod seed;
pub mod synthetic;
pub mod text;
