//! The dashboard's pages.

pub mod registrations;
