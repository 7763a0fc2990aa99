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

use crate::catalogue::query::{slugify, CatalogueQuery, Sort, PAGE_SIZE};
use crate::catalogue::types::{
    CredentialCard, Facet, FacetValue, FundingBadge, NextIntake, SearchResults, Sector,
};
use crate::catalogue::vocab::{CREDIT_BANDS, DELIVERY_MODES};
use docs::{DayAttrs, DayView, Doc, DocIntake, FacetRow};
use facets::{Selection, FACETS};
pub use index::IndexError;
use index::TextIndex;
use load::{iso_of, Day, Source};

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

        let mut levels: Vec<u8> = source
            .docs
            .iter()
            .map(|d| d.level.clamp(1, 10) as u8)
            .collect();
        levels.sort_unstable();
        levels.dedup();
        let mut regions: Vec<(String, String)> = source
            .docs
            .iter()
            .flat_map(|d| d.intakes.iter().map(|i| i.region.clone()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|name| (slugify(&name), name))
            .collect();
        regions.sort_by_cached_key(|r| crate::catalogue::server::text::fold(&r.1));
        regions.dedup_by(|a, b| a.0 == b.0);
        let region_of = |name: &str| -> u16 {
            let slug = slugify(name);
            regions.iter().position(|r| r.0 == slug).unwrap_or(0) as u16
        };
        let mode_bit = |mode: &str| -> u8 {
            DELIVERY_MODES
                .iter()
                .position(|(m, _)| *m == mode)
                .map(|i| 1 << i)
                .unwrap_or(0)
        };
        let rows: Vec<FacetRow> = source
            .docs
            .iter()
            .map(|d| FacetRow {
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
            })
            .collect();
        let docs = source
            .docs
            .into_iter()
            .map(|d| Doc {
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
            })
            .collect();
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

    /// Value keys (URL form) per facet, in display order.
    fn facet_keys(&self) -> [Vec<String>; FACETS] {
        [
            self.sectors.iter().map(|s| s.slug.clone()).collect(),
            self.levels.iter().map(|l| l.to_string()).collect(),
            CREDIT_BANDS.iter().map(|b| b.0.to_owned()).collect(),
            DELIVERY_MODES.iter().map(|m| m.0.to_owned()).collect(),
            self.regions.iter().map(|r| r.0.clone()).collect(),
            vec!["1".to_owned()],
            vec!["1".to_owned()],
        ]
    }

    fn facet_labels(&self) -> [Vec<String>; FACETS] {
        [
            self.sectors.iter().map(|s| s.name.clone()).collect(),
            self.levels.iter().map(|l| format!("Level {l}")).collect(),
            CREDIT_BANDS.iter().map(|b| b.3.to_owned()).collect(),
            DELIVERY_MODES.iter().map(|m| m.1.to_owned()).collect(),
            self.regions.iter().map(|r| r.1.clone()).collect(),
            vec!["Funding available today".to_owned()],
            vec!["Open for enrolment now".to_owned()],
        ]
    }

    /// Answers one catalogue query for `today`.
    pub fn search(&self, query: &CatalogueQuery, today: Date) -> Result<SearchResults, IndexError> {
        let today = today.to_julian_day();
        let days = self.day_view(today);
        let keys = self.facet_keys();
        let mut selection = Selection::new(std::array::from_fn(|f| keys[f].len()));
        let wanted: [Vec<String>; FACETS] = [
            query.sectors.clone(),
            query.levels.clone(),
            query.credits.clone(),
            query.modes.clone(),
            query.regions.clone(),
            query.values("funded"),
            query.values("open"),
        ];
        for f in 0..FACETS {
            for w in &wanted[f] {
                if let Some(v) = keys[f].iter().position(|k| k == w) {
                    selection.select(f, v);
                }
            }
        }

        let words = self.text.words(&query.q);
        let mut partial = None;
        let tally = if words.is_empty() {
            let all = (0..self.docs.len() as u32).map(|o| (o, 0.0)).collect();
            facets::tally(all, &self.rows, &days, &selection)
        } else {
            let (tally, message) = self.matching(&query.q, &words, &days, &selection)?;
            partial = message;
            tally
        };

        let sort = match query.sort {
            Sort::Relevance if words.is_empty() => Sort::Title,
            s => s,
        };
        // Pack each sort key with the ordinal (title order breaks ties) into one u64.
        let mut order: Vec<u64> = tally
            .passing
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
        let total = order.len();
        let pages = total.div_ceil(PAGE_SIZE);
        let page = query.page as usize;
        let start = (page - 1).saturating_mul(PAGE_SIZE);
        let end = (start + PAGE_SIZE).min(total);
        // Without a search text the matches come in ordinal (title) order already.
        let in_order = sort == Sort::Title && words.is_empty();
        if start < total && !in_order {
            // Only this page's slice needs to be in order.
            if end < total {
                order.select_nth_unstable(end);
            }
            order.truncate(end);
            order.sort_unstable();
        }
        let items: Vec<CredentialCard> = if start < total {
            order[start..end]
                .iter()
                .map(|k| self.card((k & u64::from(u32::MAX)) as usize, &days))
                .collect()
        } else {
            Vec::new()
        };

        let labels = self.facet_labels();
        let params = [
            "sector", "level", "credits", "mode", "region", "funded", "open",
        ];
        let headings = [
            "Sector",
            "NZQCF level",
            "Credits",
            "Delivery",
            "Region of an open intake",
            "Funding",
            "Enrolment",
        ];
        let facets = (0..FACETS)
            .map(|f| Facet {
                param: params[f].to_owned(),
                label: headings[f].to_owned(),
                values: keys[f]
                    .iter()
                    .zip(&labels[f])
                    .enumerate()
                    .map(|(v, (key, label))| FacetValue {
                        value: key.clone(),
                        label: label.clone(),
                        count: tally.counts[f][v],
                        selected: selection.is_selected(f, v),
                    })
                    .collect(),
            })
            .collect();
        // "Did you mean" only for a text that itself finds something.
        let suggestion = match total == 0 && !words.is_empty() {
            true => self.text.suggest(&words).filter(|s| {
                let words = self.text.words(s);
                self.text.search(&words).is_ok_and(|hits| !hits.is_empty())
            }),
            false => None,
        };
        Ok(SearchResults {
            query: query.clone(),
            sort,
            total: total as u64,
            page: query.page,
            pages: pages as u32,
            items,
            facets,
            suggestion,
            partial,
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
