//! Facets with counts, by the usual faceted-search rule: values of one facet combine with
//! OR, facets combine with AND, and each facet's counts apply every other facet's selection
//! but not its own (so ticking "Forestry" does not zero the other sectors' counts).
//!
//! One pass over the text matches does it: a document failing no facet is a result and
//! counts toward every facet; a document failing exactly one facet counts toward that facet
//! only (ticking one of its values would bring it in); failing two, it counts nowhere.

use super::{DayAttrs, DayView, FacetRow};

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

/// Calls `each` with every value index a credential has in `facet` today.
#[inline]
pub fn for_each_value(
    facet: usize,
    row: &FacetRow,
    day: &DayAttrs,
    open_regions: &[u16],
    mut each: impl FnMut(usize),
) {
    match facet {
        SECTOR => each(row.sector as usize),
        LEVEL => each(row.level_value as usize),
        CREDITS => each(row.band as usize),
        MODE => {
            let mut m = row.modes;
            while m != 0 {
                each(m.trailing_zeros() as usize);
                m &= m - 1;
            }
        }
        REGION => day
            .open_regions(open_regions)
            .iter()
            .for_each(|r| each(*r as usize)),
        FUNDED if day.funded => each(0),
        OPEN if day.open_len > 0 => each(0),
        _ => {}
    }
}

/// Counts per facet value, plus the documents passing every facet.
pub struct Tally {
    pub counts: [Vec<u64>; FACETS],
    pub passing: Vec<(u32, f32)>,
}

/// Two passes, each a tight loop over dense rows: first the facets a hit fails (a bit per
/// facet, only for facets with a selection), then, per facet, the counts from the hits that
/// fail no other facet.
pub fn tally(
    hits: Vec<(u32, f32)>,
    rows: &[FacetRow],
    days: &DayView,
    selection: &Selection,
) -> Tally {
    let regions = days.open_regions.as_slice();
    let active = selection.active();
    let mut failed: Vec<u8> = vec![0; hits.len()];
    for (f, _) in active.iter().enumerate().filter(|(_, on)| **on) {
        for (mask, &(ord, _)) in failed.iter_mut().zip(&hits) {
            let (row, day) = (&rows[ord as usize], &days.attrs[ord as usize]);
            let mut hit = false;
            for_each_value(f, row, day, regions, |v| hit |= selection.is_selected(f, v));
            if !hit {
                *mask |= 1 << f;
            }
        }
    }
    let counts: [Vec<u64>; FACETS] = std::array::from_fn(|f| {
        let mut c = vec![0u64; selection.selected[f].len()];
        let others = !(1u8 << f);
        let counted = hits
            .iter()
            .zip(&failed)
            .filter(|(_, mask)| *mask & others == 0)
            .map(|(&(ord, _), _)| ord as usize);
        count(f, counted, rows, days, &mut c);
        c
    });
    let passing = if active.iter().any(|a| *a) {
        hits.into_iter()
            .zip(failed)
            .filter(|(_, mask)| *mask == 0)
            .map(|(h, _)| h)
            .collect()
    } else {
        hits
    };
    Tally { counts, passing }
}

/// Adds one facet's values of the `counted` credentials to `c`; a loop per facet, so each
/// is a plain pass over dense rows.
fn count(
    facet: usize,
    counted: impl Iterator<Item = usize>,
    rows: &[FacetRow],
    days: &DayView,
    c: &mut [u64],
) {
    let bump = |c: &mut [u64], v: usize| {
        if let Some(n) = c.get_mut(v) {
            *n += 1;
        }
    };
    match facet {
        SECTOR => counted.for_each(|o| bump(c, rows[o].sector as usize)),
        LEVEL => counted.for_each(|o| bump(c, rows[o].level_value as usize)),
        CREDITS => counted.for_each(|o| bump(c, rows[o].band as usize)),
        MODE => counted.for_each(|o| {
            let mut m = rows[o].modes;
            while m != 0 {
                bump(c, m.trailing_zeros() as usize);
                m &= m - 1;
            }
        }),
        REGION => counted.for_each(|o| {
            for r in days.attrs[o].open_regions(&days.open_regions) {
                bump(c, *r as usize);
            }
        }),
        FUNDED => c[0] += counted.filter(|&o| days.attrs[o].funded).count() as u64,
        OPEN => c[0] += counted.filter(|&o| days.attrs[o].open_len > 0).count() as u64,
        _ => {}
    }
}
