//! The registration pages: the form, an employer's group form, and the confirmation behind
//! the learner's link.

pub mod confirmation;
#[cfg(feature = "hydrate")]
pub mod enhance;
pub mod form;
pub mod group;
