//! Registering for an intake: the form, its shared validation, the confirmation page.

pub mod api;
pub mod confirmation;
pub mod form;
pub mod types;
pub mod validate;
