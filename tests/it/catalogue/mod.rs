//! The catalogue feature: pages and server functions, search, import.

mod import;
mod pages;
mod search;
