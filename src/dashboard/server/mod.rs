//! The dashboard on the server: scoped SQL for each view and action, and the CSV export.

pub mod actions;
pub mod audit;
pub mod completions;
pub mod detail;
pub mod export;
pub mod intakes;
pub mod overview;
pub mod registrations;
pub mod sql;
pub mod text;
pub mod users;
