//! The catalogue's pages and their pieces: search page, facets, result card, page links
//! and the empty result, the detail page.

pub mod card;
pub mod detail;
pub mod filters;
pub mod live;
pub mod page;
pub mod pager;
pub mod routes;
