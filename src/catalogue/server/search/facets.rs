//! Facets with counts, by the usual faceted-search rule: values of one facet combine with
//! OR, facets combine with AND, and each facet's counts apply every other facet's selection
//! but not its own (so ticking "Forestry" does not zero the other sectors' counts).
//!
//! One pass over the text matches does it: a document failing no facet is a result and
//! counts toward every facet; a document failing exactly one facet counts toward that facet
//! only (ticking one of its values would bring it in); failing two, it counts nowhere.
//!
//! This is the server's half of `catalogue::facet`: for each facet, the values it lists
//! (`Snapshot::facet_values`) and the values a credential has today (`for_each_value`,
//! with `count` its per-facet loop).

use super::{DayAttrs, DayView, FacetRow, Snapshot};
use crate::catalogue::facet::Facet;
use crate::catalogue::query::ON;
use crate::catalogue::vocab::{CREDIT_BANDS, DELIVERY_MODES};

pub const FACETS: usize = Facet::ALL.len();

/// One value a facet lists: its URL key and label.
pub struct Listed {
    pub key: String,
    pub label: String,
}

impl Snapshot {
    /// The values `facet` lists, in display order; a value's position is its index in
    /// `for_each_value`.
    pub(super) fn facet_values(&self, facet: Facet) -> Vec<Listed> {
        let listed = |key: String, label: String| Listed { key, label };
        match facet {
            Facet::Sector => self
                .sectors
                .iter()
                .map(|s| listed(s.slug.clone(), s.name.clone()))
                .collect(),
            Facet::Level => self
                .levels
                .iter()
                .map(|l| listed(l.to_string(), format!("Level {l}")))
                .collect(),
            Facet::Credits => CREDIT_BANDS
                .iter()
                .map(|b| listed(b.0.to_owned(), b.3.to_owned()))
                .collect(),
            Facet::Mode => DELIVERY_MODES
                .iter()
                .map(|m| listed(m.0.to_owned(), m.1.to_owned()))
                .collect(),
            Facet::Region => self
                .regions
                .iter()
                .map(|r| listed(r.0.clone(), r.1.clone()))
                .collect(),
            Facet::Funded => vec![listed(ON.to_owned(), "Funding available today".to_owned())],
            Facet::Open => vec![listed(ON.to_owned(), "Open for enrolment now".to_owned())],
        }
    }
}

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

    pub fn select(&mut self, facet: Facet, value: usize) {
        if let Some(v) = self.selected[facet as usize].get_mut(value) {
            *v = true;
        }
    }

    pub fn is_selected(&self, facet: Facet, value: usize) -> bool {
        self.selected[facet as usize]
            .get(value)
            .copied()
            .unwrap_or(false)
    }

    fn active(&self) -> [bool; FACETS] {
        std::array::from_fn(|f| self.selected[f].iter().any(|s| *s))
    }
}

/// Calls `each` with every value index a credential has in `facet` today.
#[inline]
pub fn for_each_value(
    facet: Facet,
    row: &FacetRow,
    day: &DayAttrs,
    open_regions: &[u16],
    mut each: impl FnMut(usize),
) {
    match facet {
        Facet::Sector => each(row.sector as usize),
        Facet::Level => each(row.level_value as usize),
        Facet::Credits => each(row.band as usize),
        Facet::Mode => {
            let mut m = row.modes;
            while m != 0 {
                each(m.trailing_zeros() as usize);
                m &= m - 1;
            }
        }
        Facet::Region => day
            .open_regions(open_regions)
            .iter()
            .for_each(|r| each(*r as usize)),
        Facet::Funded => {
            if day.funded {
                each(0)
            }
        }
        Facet::Open => {
            if day.open_len > 0 {
                each(0)
            }
        }
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
    for f in Facet::ALL.into_iter().filter(|f| active[*f as usize]) {
        for (mask, &(ord, _)) in failed.iter_mut().zip(&hits) {
            let (row, day) = (&rows[ord as usize], &days.attrs[ord as usize]);
            let mut hit = false;
            for_each_value(f, row, day, regions, |v| hit |= selection.is_selected(f, v));
            if !hit {
                *mask |= 1 << f as usize;
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
        count(Facet::ALL[f], counted, rows, days, &mut c);
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
    facet: Facet,
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
        Facet::Sector => counted.for_each(|o| bump(c, rows[o].sector as usize)),
        Facet::Level => counted.for_each(|o| bump(c, rows[o].level_value as usize)),
        Facet::Credits => counted.for_each(|o| bump(c, rows[o].band as usize)),
        Facet::Mode => counted.for_each(|o| {
            let mut m = rows[o].modes;
            while m != 0 {
                bump(c, m.trailing_zeros() as usize);
                m &= m - 1;
            }
        }),
        Facet::Region => counted.for_each(|o| {
            for r in days.attrs[o].open_regions(&days.open_regions) {
                bump(c, *r as usize);
            }
        }),
        Facet::Funded => c[0] += counted.filter(|&o| days.attrs[o].funded).count() as u64,
        Facet::Open => c[0] += counted.filter(|&o| days.attrs[o].open_len > 0).count() as u64,
    }
}
