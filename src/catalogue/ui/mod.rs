//! The catalogue's pages and their pieces: search page, result card, page links and the
//! empty result, the detail page.

pub mod card;
pub mod detail;
pub mod page;
pub mod pager;
