//! What an import did, row by row: created, updated, unchanged, and the intakes a
//! coordinator's edits kept it away from.

use super::upsert::Change;

/// What an import did, row by row.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Intakes a coordinator has edited, named `slug code`: the import kept their seats,
    /// dates and state as the coordinator left them.
    pub left_alone: Vec<String>,
}

impl ImportReport {
    pub(super) fn count(&mut self, change: Change) {
        match change {
            Change::Created => self.created += 1,
            Change::Updated => self.updated += 1,
            Change::Unchanged => self.unchanged += 1,
        }
    }
}
