//! The catalogue feature: pages and server functions, search, import and export.

mod crawl;
mod export;
mod import;
mod judged;
mod live;
mod pages;
mod search;
mod words;
