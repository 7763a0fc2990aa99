//! Facets with counts, by the usual faceted-search rule: values of one facet combine with
//! OR, facets combine with AND, and each facet's counts apply every other facet's selection
//! but not its own (so ticking "Forestry" does not zero the other sectors' counts).
//!
//! One pass over the text matches does it: a document failing no facet is a result and
//! counts toward every facet; a document failing exactly one facet counts toward that facet
//! only (ticking one of its values would bring it in); failing two, it counts nowhere.

use super::{DayAttrs, Doc};

/// The facets, in display order; the index of each is used throughout.
pub const SECTOR: usize = 0;
pub const LEVEL: usize = 1;
pub const CREDITS: usize = 2;
pub const MODE: usize = 3;
pub const REGION: usize = 4;
pub const FUNDED: usize = 5;
pub const OPEN: usize = 6;
pub const FACETS: usize = 7;

/// Selected value indices per facet; an empty facet selects nothing (no constraint).
#[derive(Debug, Default, Clone)]
pub struct Selection {
    pub selected: [Vec<bool>; FACETS],
}

impl Selection {
    pub fn new(sizes: [usize; FACETS]) -> Self {
        Self {
            selected: sizes.map(|n| vec![false; n]),
        }
    }

    pub fn select(&mut self, facet: usize, value: usize) {
        if let Some(v) = self.selected[facet].get_mut(value) {
            *v = true;
        }
    }

    pub fn is_selected(&self, facet: usize, value: usize) -> bool {
        self.selected[facet].get(value).copied().unwrap_or(false)
    }

    fn active(&self) -> [bool; FACETS] {
        std::array::from_fn(|f| self.selected[f].iter().any(|s| *s))
    }
}

/// Calls `each` with every value index `doc` has in `facet` today.
#[inline]
pub fn for_each_value(facet: usize, doc: &Doc, day: &DayAttrs, mut each: impl FnMut(usize)) {
    match facet {
        SECTOR => each(doc.sector as usize),
        LEVEL => each(doc.level_value as usize),
        CREDITS => each(doc.band as usize),
        MODE => {
            let mut m = doc.modes;
            while m != 0 {
                each(m.trailing_zeros() as usize);
                m &= m - 1;
            }
        }
        REGION => day.open_regions.iter().for_each(|r| each(*r as usize)),
        FUNDED if day.funded => each(0),
        OPEN if !day.open_regions.is_empty() => each(0),
        _ => {}
    }
}

/// Counts per facet value, plus the documents passing every facet.
pub struct Tally {
    pub counts: [Vec<u64>; FACETS],
    pub passing: Vec<(u32, f32)>,
}

pub fn tally(
    hits: impl Iterator<Item = (u32, f32)>,
    docs: &[Doc],
    days: &[DayAttrs],
    selection: &Selection,
) -> Tally {
    let active = selection.active();
    let mut counts: [Vec<u64>; FACETS] =
        std::array::from_fn(|f| vec![0; selection.selected[f].len()]);
    let mut passing = Vec::new();
    for (ord, score) in hits {
        let (doc, day) = (&docs[ord as usize], &days[ord as usize]);
        let mut failed = None;
        let mut failures = 0;
        for (f, _) in active.iter().enumerate().filter(|(_, on)| **on) {
            let mut hit = false;
            for_each_value(f, doc, day, |v| hit |= selection.is_selected(f, v));
            if !hit {
                failures += 1;
                failed = Some(f);
                if failures > 1 {
                    break;
                }
            }
        }
        match (failures, failed) {
            (0, _) => {
                passing.push((ord, score));
                for (f, c) in counts.iter_mut().enumerate() {
                    for_each_value(f, doc, day, |v| c[v] += 1);
                }
            }
            (1, Some(f)) => for_each_value(f, doc, day, |v| counts[f][v] += 1),
            _ => {}
        }
    }
    Tally { counts, passing }
}
