//! View pieces shared by several features: form messages, the error summary and what a
//! refused plain POST sent (`form`), focus after a re-render (`focus`), the scrolling data
//! `table`, the not-found page, the tags search engines read (`seo`); the learner's pages
//! in islands mode (`islands`, with the islands router `islands_routing.js`) and an island's
//! history entries (`history`); the app's lazy areas (`lazy`); and the `data-hydrated` mark
//! the end-to-end tests wait for (`hydrated`).

pub mod focus;
pub mod form;
pub mod history;
pub mod hydrated;
pub mod islands;
pub mod lazy;
pub mod not_found;
pub mod seo;
pub mod table;
