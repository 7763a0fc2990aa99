//! The catalogue feature: pages and server functions, search, import.

mod crawl;
mod import;
mod judged;
mod live;
mod pages;
mod search;
mod words;
