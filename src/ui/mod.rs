//! Small view pieces shared by several features: form messages and the error summary,
//! the not-found page, the tags search engines read (`seo`), the pages rendered on the
//! server only (`server_page`).

pub mod focus;
pub mod form;
pub mod lazy;
pub mod not_found;
pub mod seo;
pub mod server_page;
pub mod table;
