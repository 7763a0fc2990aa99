//! The registration pages: the form, an employer's group form, and the confirmation behind
//! the learner's link.

pub mod confirmation;
pub mod form;
pub mod group;
