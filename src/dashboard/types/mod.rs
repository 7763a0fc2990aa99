//! Dashboard types that cross the wire: the registrations table and its URL state, one
//! registration's detail and actions, intakes, the overview's figures, and the catalogue
//! editor's forms.

mod catalogue;
mod completions;
mod detail;
mod intakes;
mod moment;
mod overview;
mod table;
mod users;

pub use catalogue::*;
pub use completions::*;
pub use detail::*;
pub use intakes::*;
pub use moment::*;
pub use overview::*;
pub use table::*;
pub use users::*;
