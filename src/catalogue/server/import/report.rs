//! What an import did, row by row: created, updated, unchanged, and the records the
//! dashboard's edits kept it away from (or that it overwrote, when told to).

use super::upsert::Change;

/// What an import did, row by row.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Records edited in the dashboard after the file's revision, named by kind and key
    /// (`intake chainsaw-use A01`): the import left them as the dashboard left them.
    pub left_alone: Vec<String>,
    /// The same, written over because the import was told to (`--overwrite-edited`).
    pub overwritten: Vec<String>,
    /// The synonym groups the file itself carried, when it did.
    pub synonym_groups: Option<usize>,
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
