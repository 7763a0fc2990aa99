//! The catalogue feature: pages and server functions, search, import.

mod crawl;
mod import;
mod pages;
mod search;
