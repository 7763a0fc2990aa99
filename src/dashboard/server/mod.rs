//! The dashboard on the server: scoped SQL for each view and action, the CSV export, and
//! the catalogue editor.

pub mod actions;
pub mod audit;
pub mod catalogue;
pub mod completions;
pub mod detail;
pub mod export;
pub mod intakes;
pub mod moment;
pub mod overview;
pub mod registrations;
pub mod sql;
pub mod text;
pub mod users;
