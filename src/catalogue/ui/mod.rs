//! The catalogue's pages and their pieces: search page, its results (`results`)
//! and its island (what keeps it live), facets, result card, live seat figures, page links and the empty result, the detail page.

pub mod card;
pub mod detail;
pub mod filters;
pub mod page;
pub mod pager;
pub mod results;
pub mod search;
pub mod seats;
