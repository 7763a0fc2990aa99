//! Small view pieces shared by several features.

pub mod not_found;
