//! Catalogue search: an immutable snapshot of the listed catalogue (a tantivy text index plus
//! compact per-credential facts) answers every search without touching the database, so
//! search behaves the same on SQLite and PostgreSQL and stays fast at 100,000 credentials.
//!
//! A snapshot is built at start-up and again whenever the catalogue revision in the database
//! moves (every import bumps it; each app instance polls it). Building happens beside the
//! running snapshot; readers keep answering from the old one until the new one replaces it
//! in a single pointer swap.
//!
//! Date-dependent facts (open intakes, funding today, next intake) are computed per day and
//! cached in the snapshot, so a search never walks intake lists.

mod docs;
mod expand;
mod facets;
mod index;
pub mod load;
mod partial;
mod service;

pub use service::SearchService;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use time::Date;

use crate::catalogue::facet::Facet;
use crate::catalogue::query::{slugify, CatalogueQuery, Sort, PAGE_SIZE};
use crate::catalogue::types::{
    CredentialCard, FacetCounts, FacetValue, FundingBadge, NextIntake, SearchResults, Sector,
};
use crate::catalogue::vocab::{CREDIT_BANDS, DELIVERY_MODES};
use docs::{DayAttrs, DayView, Doc, DocIntake, FacetRow};
use facets::{Listed, Selection};
pub use index::IndexError;
use index::TextIndex;
use load::{iso_of, Day, Source, SourceDoc};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("index build stopped: {0}")]
    Join(#[from] tokio::task::JoinError),
}

/// One catalogue revision, ready to search.
#[derive(Debug)]
pub struct Snapshot {
    pub revision: i64,
    text: TextIndex,
    docs: Vec<Doc>,
    rows: Vec<FacetRow>,
    sectors: Vec<Sector>,
    /// NZQCF levels present in the catalogue, ascending.
    levels: Vec<u8>,
    /// Intake regions: URL value and name, by name.
    regions: Vec<(String, String)>,
    day: Mutex<Option<(Day, Arc<DayView>)>>,
    /// How long the build took (loading from the database not included).
    pub build_time: Duration,
}

impl Snapshot {
    /// Builds the index and facts from what `load` read. CPU-bound: run it off the async
    /// executor.
    pub fn build(mut source: Source) -> Result<Self, IndexError> {
        let started = Instant::now();
        // Title order is the documents' order, so sorting by title costs nothing.
        source.docs.sort_by_cached_key(|d| {
            (
                crate::catalogue::server::text::fold(&d.title),
                d.slug.clone(),
            )
        });
        let sector_names: Vec<String> = source.sectors.iter().map(|s| s.name.clone()).collect();
        let text = TextIndex::build(&source.docs, &sector_names, &source.synonyms)?;

        let levels = levels_of(&source.docs);
        let regions = regions_of(&source.docs);
        let rows = source.docs.iter().map(|d| facet_row(d, &levels)).collect();
        let docs = source.docs.into_iter().map(|d| doc(d, &regions)).collect();
        Ok(Self {
            revision: source.revision,
            text,
            docs,
            rows,
            sectors: source.sectors,
            levels,
            regions,
            day: Mutex::new(None),
            build_time: started.elapsed(),
        })
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Every credential's facts for `today`, computed once per day.
    fn day_view(&self, today: Day) -> Arc<DayView> {
        let mut cached = self.day.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((day, view)) = cached.as_ref() {
            if *day == today {
                return view.clone();
            }
        }
        let mut view = DayView {
            attrs: Vec::with_capacity(self.docs.len()),
            open_regions: Vec::new(),
        };
        for d in &self.docs {
            let start = view.open_regions.len();
            for i in d
                .intakes
                .iter()
                .filter(|i| i.opens <= today && today <= i.closes)
            {
                if !view.open_regions[start..].contains(&i.region) {
                    view.open_regions.push(i.region);
                }
            }
            view.attrs.push(DayAttrs {
                open_start: start as u32,
                open_len: (view.open_regions.len() - start) as u16,
                funded: d
                    .funding
                    .iter()
                    .any(|(from, to)| *from <= today && to.is_none_or(|to| today <= to)),
                next: d
                    .intakes
                    .iter()
                    .filter(|i| i.starts >= today)
                    .min_by_key(|i| i.starts)
                    .map(|i| (i.starts, i.region)),
            });
        }
        let view = Arc::new(view);
        *cached = Some((today, view.clone()));
        view
    }

    /// Answers one catalogue query for `today`: the text match, the facets' tally, one
    /// page of cards in the asked order, the counts, and a suggestion when nothing matched.
    pub fn search(&self, query: &CatalogueQuery, today: Date) -> Result<SearchResults, IndexError> {
        self.search_paged(query, today, PAGE_SIZE)
    }

    /// [`Snapshot::search`] with `per_page` results a page (the public API's choice).
    pub fn search_paged(
        &self,
        query: &CatalogueQuery,
        today: Date,
        per_page: usize,
    ) -> Result<SearchResults, IndexError> {
        let per_page = per_page.max(1);
        let days = self.day_view(today.to_julian_day());
        let listed: Vec<Vec<Listed>> = Facet::ALL.map(|f| self.facet_values(f)).into();
        let selection = selection(query, &listed);

        let words = self.text.words(&query.q);
        let (tally, partial) = if words.is_empty() {
            let all = (0..self.docs.len() as u32).map(|o| (o, 0.0)).collect();
            (facets::tally(all, &self.rows, &days, &selection), None)
        } else {
            self.matching(&query.q, &words, &days, &selection)?
        };
        let sort = match query.sort {
            Sort::Relevance if words.is_empty() => Sort::Title,
            s => s,
        };
        let total = tally.passing.len();
        let in_title_order = sort == Sort::Title && words.is_empty();
        let items = self.page_of(
            &tally.passing,
            sort,
            in_title_order,
            (query.page, per_page),
            &days,
        );
        let suggestion = match total == 0 && !words.is_empty() {
            true => self.suggestion(&words),
            false => None,
        };
        Ok(SearchResults {
            query: query.clone(),
            sort,
            total: total as u64,
            page: query.page,
            pages: total.div_ceil(per_page) as u32,
            items,
            facets: facet_counts(listed, &tally, &selection),
            suggestion,
            partial,
        })
    }

    /// The cards of one page of `passing`, in `sort` order (the title order breaks ties).
    /// Only this page's slice is put in order; `in_title_order` says the matches already
    /// are (ordinals are title order).
    fn page_of(
        &self,
        passing: &[(u32, f32)],
        sort: Sort,
        in_title_order: bool,
        (page, per_page): (u32, usize),
        days: &DayView,
    ) -> Vec<CredentialCard> {
        let total = passing.len();
        let start = (page.max(1) as usize - 1).saturating_mul(per_page);
        let end = start.saturating_add(per_page).min(total);
        if start >= total {
            return Vec::new();
        }
        // Each sort key packed with the ordinal into one u64.
        let mut order: Vec<u64> = passing
            .iter()
            .map(|&(ord, score)| {
                let key: u64 = match sort {
                    Sort::Relevance => u64::from(u32::MAX - score.max(0.0).to_bits()),
                    Sort::Title => 0,
                    Sort::Credits => u64::from(self.rows[ord as usize].credits),
                    Sort::NextIntake => days.attrs[ord as usize]
                        .next
                        .map(|(d, _)| (i64::from(d) - i64::from(i32::MIN)) as u64)
                        .unwrap_or(u64::from(u32::MAX)),
                };
                (key << 32) | u64::from(ord)
            })
            .collect();
        if !in_title_order {
            if end < total {
                order.select_nth_unstable(end);
            }
            order.truncate(end);
            order.sort_unstable();
        }
        order[start..end]
            .iter()
            .map(|k| self.card((k & u64::from(u32::MAX)) as usize, days))
            .collect()
    }

    /// "Did you mean": only a spelling that itself finds something.
    fn suggestion(&self, words: &[String]) -> Option<String> {
        self.text.suggest(words).filter(|s| {
            let words = self.text.words(s);
            self.text.search(&words).is_ok_and(|hits| !hits.is_empty())
        })
    }

    fn card(&self, ord: usize, days: &DayView) -> CredentialCard {
        let d = &self.docs[ord];
        let day = &days.attrs[ord];
        CredentialCard {
            slug: d.slug.clone(),
            title: d.title.clone(),
            summary: d.summary.clone(),
            sector: self.sectors[self.rows[ord].sector as usize].clone(),
            level: i64::from(d.level),
            credits: i64::from(self.rows[ord].credits),
            standards_count: i64::from(d.standards_count),
            next_intake: day.next.map(|(starts, region)| NextIntake {
                starts_on: iso_of(starts),
                region: self
                    .regions
                    .get(region as usize)
                    .map(|r| r.1.clone())
                    .unwrap_or_default(),
            }),
            funding: if day.funded {
                FundingBadge::Available
            } else {
                FundingBadge::None
            },
        }
    }
}

/// The query's values as positions in each facet's list; unknown values select nothing.
fn selection(query: &CatalogueQuery, listed: &[Vec<Listed>]) -> Selection {
    let mut selection = Selection::new(std::array::from_fn(|f| listed[f].len()));
    for f in Facet::ALL {
        for wanted in query.selected(f) {
            if let Some(v) = listed[f as usize].iter().position(|l| &l.key == wanted) {
                selection.select(f, v);
            }
        }
    }
    selection
}

/// Every facet with each listed value's count and whether it is selected.
fn facet_counts(
    listed: Vec<Vec<Listed>>,
    tally: &facets::Tally,
    selection: &Selection,
) -> Vec<FacetCounts> {
    Facet::ALL
        .into_iter()
        .zip(listed)
        .map(|(facet, values)| FacetCounts {
            facet,
            values: values
                .into_iter()
                .enumerate()
                .map(|(v, l)| FacetValue {
                    value: l.key,
                    label: l.label,
                    count: tally.counts[facet as usize][v],
                    selected: selection.is_selected(facet, v),
                })
                .collect(),
        })
        .collect()
}

/// The NZQCF levels present, ascending.
fn levels_of(docs: &[SourceDoc]) -> Vec<u8> {
    let mut levels: Vec<u8> = docs.iter().map(|d| d.level.clamp(1, 10) as u8).collect();
    levels.sort_unstable();
    levels.dedup();
    levels
}

/// The intake regions present, as URL key and name, in folded name order, one per key.
fn regions_of(docs: &[SourceDoc]) -> Vec<(String, String)> {
    let mut regions: Vec<(String, String)> = docs
        .iter()
        .flat_map(|d| d.intakes.iter().map(|i| i.region.clone()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|name| (slugify(&name), name))
        .collect();
    regions.sort_by_cached_key(|r| crate::catalogue::server::text::fold(&r.1));
    regions.dedup_by(|a, b| a.0 == b.0);
    regions
}

/// A credential's fixed facet values as positions in each facet's list.
fn facet_row(d: &SourceDoc, levels: &[u8]) -> FacetRow {
    let mode_bit = |mode: &str| -> u8 {
        DELIVERY_MODES
            .iter()
            .position(|(m, _)| *m == mode)
            .map_or(0, |i| 1 << i)
    };
    FacetRow {
        sector: d.sector as u16,
        level_value: levels
            .iter()
            .position(|l| i64::from(*l) == d.level.clamp(1, 10))
            .unwrap_or(0) as u8,
        band: CREDIT_BANDS
            .iter()
            .position(|(_, lo, hi, _)| (*lo..=*hi).contains(&d.credits))
            .unwrap_or(CREDIT_BANDS.len() - 1) as u8,
        credits: d.credits.clamp(0, 255) as u8,
        modes: d
            .delivery_modes
            .iter()
            .map(String::as_str)
            .chain(d.intakes.iter().map(|i| i.delivery_mode.as_str()))
            .fold(0u8, |m, mode| m | mode_bit(mode)),
    }
}

/// What a card and the day's facts need of a credential, its regions as positions.
fn doc(d: SourceDoc, regions: &[(String, String)]) -> Doc {
    let region_of = |name: &str| -> u16 {
        let slug = slugify(name);
        regions.iter().position(|r| r.0 == slug).unwrap_or(0) as u16
    };
    Doc {
        level: d.level.clamp(1, 10) as u8,
        standards_count: d.standards.len() as u32,
        intakes: d
            .intakes
            .iter()
            .map(|i| DocIntake {
                starts: i.starts,
                opens: i.opens,
                closes: i.closes,
                region: region_of(&i.region),
            })
            .collect(),
        funding: d.funding,
        slug: d.slug,
        title: d.title,
        summary: d.summary,
    }
}
