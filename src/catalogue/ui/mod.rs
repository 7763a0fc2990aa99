//! The catalogue's pages and their pieces: search page (and, in the browser, what keeps
//! it live), facets, result card, page links and the empty result, the detail page.

pub mod card;
pub mod detail;
#[cfg(feature = "hydrate")]
pub mod enhance;
pub mod filters;
pub mod live;
pub mod page;
pub mod pager;
