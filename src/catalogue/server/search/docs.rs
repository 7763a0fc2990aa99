//! What the search keeps per credential: the card's facts (`Doc`), the dense facet row read
//! by every search, and the facts that depend on the day (`DayAttrs`, `DayView`).

use super::load::Day;

/// What a result card needs of one credential; ordinal = title order.
#[derive(Debug)]
pub struct Doc {
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) level: u8,
    pub(super) standards_count: u32,
    pub(super) intakes: Vec<DocIntake>,
    pub(super) funding: Vec<(Day, Option<Day>)>,
}

/// A credential's fixed facet values, kept apart from `Doc` in a small dense array: a
/// search over every credential reads these rows in order and nothing else.
#[derive(Debug, Clone, Copy)]
pub struct FacetRow {
    pub(super) sector: u16,
    /// Index into `Snapshot::levels`.
    pub(super) level_value: u8,
    pub(super) band: u8,
    pub(super) credits: u8,
    /// Bit per `DELIVERY_MODES` entry: the credential's modes and its intakes'.
    pub(super) modes: u8,
}

#[derive(Debug)]
pub struct DocIntake {
    pub(super) starts: Day,
    pub(super) opens: Day,
    pub(super) closes: Day,
    pub(super) region: u16,
}

/// A credential's date-dependent facts for one day; plain values, no pointers.
#[derive(Debug, Default, Clone, Copy)]
pub struct DayAttrs {
    /// Its regions with an intake open for enrolment today, as a range of
    /// `DayView::open_regions` (empty: no open intake).
    pub(super) open_start: u32,
    pub(super) open_len: u16,
    pub(super) funded: bool,
    /// First intake starting today or later: its start and region.
    pub(super) next: Option<(Day, u16)>,
}

impl DayAttrs {
    pub(super) fn open_regions<'a>(&self, all: &'a [u16]) -> &'a [u16] {
        let start = self.open_start as usize;
        &all[start..start + self.open_len as usize]
    }
}

/// Every credential's facts for one day.
#[derive(Debug, Default)]
pub struct DayView {
    pub(super) attrs: Vec<DayAttrs>,
    pub(super) open_regions: Vec<u16>,
}
