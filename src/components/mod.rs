//! Small view pieces shared by several pages.

pub mod not_found;
