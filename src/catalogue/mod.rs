//! Browsing the catalogue: search, sector filter, result cards and the detail page.

pub mod api;
pub mod card;
pub mod detail;
pub mod page;
pub mod pager;
pub mod types;
