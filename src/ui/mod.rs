//! Small view pieces shared by several features: form messages and the error summary,
//! the not-found page, the tags search engines read (`seo`), the learner's pages in islands
//! mode (`islands`).

pub mod focus;
pub mod form;
pub mod history;
pub mod hydrated;
pub mod islands;
pub mod lazy;
pub mod not_found;
pub mod seo;
pub mod table;
