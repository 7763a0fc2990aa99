//! The catalogue's pages and their pieces: the search page (`page`), its answer as drawn by
//! the server and the search island alike (`results`), the island that keeps it live
//! (`search`), facets and active-filter chips (`filters`), a result `card`, page links and
//! the empty result (`pager`), the credential's page (`detail`), and the live seat figures
//! (`seats`, also on the registration form).

pub mod card;
pub mod detail;
pub mod filters;
pub mod page;
pub mod pager;
pub mod results;
pub mod search;
pub mod seats;
