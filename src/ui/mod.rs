//! Small view pieces shared by several features: form messages and the error summary,
//! the not-found page.

pub mod focus;
pub mod form;
pub mod lazy;
pub mod not_found;
pub mod table;
