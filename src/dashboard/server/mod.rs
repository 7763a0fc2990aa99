//! The dashboard's SQL, always scoped to the signed-in user's organisation.

pub mod registrations;
