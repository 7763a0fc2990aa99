//! The catalogue feature: pages and server functions, search, import.

mod crawl;
mod import;
mod live;
mod pages;
mod search;
