//! The catalogue's search request and its URL codec: everything a learner chose lives in
//! the URL, so a filtered view is shareable, survives reload and renders without WASM.

use serde::{Deserialize, Serialize};

pub use crate::catalogue::facet::Facet;

/// Longest search text we act on; anything longer is cut, never rejected, so a pasted
/// paragraph still searches for its start instead of failing.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most values one facet parameter may carry; more are ignored.
pub const MAX_FACET_VALUES: usize = 32;
/// Results per page.
pub const PAGE_SIZE: usize = 20;
/// Highest page number we accept; deeper links are clamped to it.
pub const MAX_PAGE: u32 = 10_000;

/// The order of results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sort {
    /// Best match first when there is a search text; title order otherwise.
    #[default]
    Relevance,
    Title,
    Credits,
    NextIntake,
}

impl Sort {
    pub const ALL: [Sort; 4] = [
        Sort::Relevance,
        Sort::Title,
        Sort::Credits,
        Sort::NextIntake,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Title => "title",
            Sort::Credits => "credits",
            Sort::NextIntake => "next-intake",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Relevance => "Best match",
            Sort::Title => "Title (A to Z)",
            Sort::Credits => "Credits (fewest first)",
            Sort::NextIntake => "Next intake (soonest first)",
        }
    }

    pub fn from_key(key: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// What a learner asked the catalogue for; mirrors the URL, e.g.
/// `?q=chainsaw&sector=forestry&sector=primary-industries&level=3&open=1&sort=credits&page=2`.
/// Facet values are URL-safe keys (slugs, numbers, band names); a flag facet that is on
/// holds `"1"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueQuery {
    #[serde(default)]
    pub q: String,
    /// Selected values per facet.
    #[serde(default)]
    pub filters: Filters,
    #[serde(default)]
    pub sort: Sort,
    #[serde(default = "first_page")]
    pub page: u32,
}

fn first_page() -> u32 {
    1
}

/// The selected values of each facet, in a field each. Fields rather than a map keyed by
/// `Facet`: the learner's WASM decodes this on every search, and a map's generic code cost
/// 3.4 kB of its first load (end2end/budget.json).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    #[serde(default)]
    sector: Vec<String>,
    #[serde(default)]
    level: Vec<String>,
    #[serde(default)]
    credits: Vec<String>,
    #[serde(default)]
    mode: Vec<String>,
    #[serde(default)]
    region: Vec<String>,
    #[serde(default)]
    funded: Vec<String>,
    #[serde(default)]
    open: Vec<String>,
}

impl Filters {
    pub fn get(&self, facet: Facet) -> &Vec<String> {
        match facet {
            Facet::Sector => &self.sector,
            Facet::Level => &self.level,
            Facet::Credits => &self.credits,
            Facet::Mode => &self.mode,
            Facet::Region => &self.region,
            Facet::Funded => &self.funded,
            Facet::Open => &self.open,
        }
    }

    pub fn get_mut(&mut self, facet: Facet) -> &mut Vec<String> {
        match facet {
            Facet::Sector => &mut self.sector,
            Facet::Level => &mut self.level,
            Facet::Credits => &mut self.credits,
            Facet::Mode => &mut self.mode,
            Facet::Region => &mut self.region,
            Facet::Funded => &mut self.funded,
            Facet::Open => &mut self.open,
        }
    }
}

impl Default for CatalogueQuery {
    fn default() -> Self {
        Self {
            q: String::new(),
            filters: Filters::default(),
            sort: Sort::Relevance,
            page: 1,
        }
    }
}

impl CatalogueQuery {
    /// Builds a query from URL parameters (`all(name)` gives every value of one name),
    /// trimming and bounding them so that hostile or accidental input (10 kB strings,
    /// repeated parameters, unknown values) cannot cost the server much or fail a page.
    pub fn from_params(all: impl Fn(&str) -> Vec<String>) -> Self {
        let first = |name: &str| all(name).into_iter().next().unwrap_or_default();
        let q: String = first("q")
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_QUERY_CHARS)
            .collect();
        let mut filters = Filters::default();
        for f in Facet::ALL {
            *filters.get_mut(f) = match f.is_flag() {
                true if matches!(first(f.param()).trim(), "1" | "true" | "on") => {
                    vec![ON.to_owned()]
                }
                true => Vec::new(),
                false => clean_keys(all(f.param())),
            };
        }
        Self {
            q: q.trim().to_owned(),
            filters,
            sort: Sort::from_key(first("sort").trim()).unwrap_or_default(),
            page: match first("page").trim().parse::<u64>() {
                Ok(p) => p.clamp(1, u64::from(MAX_PAGE)) as u32,
                Err(_) => 1,
            },
        }
    }

    /// The same query with every value re-checked, as the server receives it.
    pub fn normalised(&self) -> Self {
        let this = self.clone();
        Self::from_params(move |name| this.values(name))
    }

    /// The selected values of one facet.
    pub fn selected(&self, facet: Facet) -> &[String] {
        self.filters.get(facet)
    }

    /// Whether a flag facet (`funded`, `open`) is on.
    pub fn is_on(&self, facet: Facet) -> bool {
        !self.selected(facet).is_empty()
    }

    /// The same query with `facet` set to `values` (a flag: `["1"]` for on), normalised.
    pub fn with<S: Into<String>>(&self, facet: Facet, values: impl IntoIterator<Item = S>) -> Self {
        let mut next = self.clone();
        *next.filters.get_mut(facet) = values.into_iter().map(Into::into).collect();
        next.normalised()
    }

    /// The values of one URL parameter.
    pub fn values(&self, name: &str) -> Vec<String> {
        match name {
            "q" if !self.q.is_empty() => vec![self.q.clone()],
            "sort" if self.sort != Sort::Relevance => vec![self.sort.key().to_owned()],
            "page" if self.page > 1 => vec![self.page.to_string()],
            name => Facet::from_param(name).map_or_else(Vec::new, |f| self.selected(f).to_vec()),
        }
    }

    /// The same query, back on page 1, with one facet value (or a flag) switched on or
    /// off: what ticking a filter box or removing a chip asks for.
    pub fn toggled(&self, facet: Facet, value: &str, on: bool) -> Self {
        let mut values = self.selected(facet).to_vec();
        values.retain(|x| x != value);
        if on {
            values.push(value.to_owned());
        }
        Self {
            page: 1,
            ..self.with(facet, values)
        }
    }

    /// Whether any facet value is selected.
    pub fn has_filters(&self) -> bool {
        Facet::ALL.iter().any(|f| !self.filters.get(*f).is_empty())
    }

    pub fn is_empty(&self) -> bool {
        self.q.is_empty() && !self.has_filters()
    }

    /// The same search text and order without any facet selected.
    pub fn without_filters(&self) -> Self {
        Self {
            q: self.q.clone(),
            sort: self.sort,
            ..Self::default()
        }
    }

    /// The same query on another page.
    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }

    /// The catalogue URL for this query; parameters in a fixed order (the text, the facets
    /// in display order, sort, page), facets repeated once per selected value, defaults
    /// left out.
    pub fn to_url(&self) -> String {
        let names = std::iter::once("q")
            .chain(Facet::ALL.map(Facet::param))
            .chain(["sort", "page"]);
        let mut parts = Vec::new();
        for name in names {
            for v in self.values(name) {
                parts.push(format!("{name}={}", encode_component(&v)));
            }
        }
        if parts.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{}", parts.join("&"))
        }
    }
}

/// The value of a flag facet that is on.
pub const ON: &str = "1";

/// Keeps URL-safe keys (lower-case letters, digits, hyphens), each once, sorted, bounded.
fn clean_keys(values: Vec<String>) -> Vec<String> {
    let mut clean: Vec<String> = Vec::new();
    for s in values {
        let s = s.trim();
        let valid = !s.is_empty()
            && s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if valid && !clean.iter().any(|c| c == s) && clean.len() < MAX_FACET_VALUES {
            clean.push(s.to_owned());
        }
    }
    clean.sort();
    clean
}

/// The URL key of a display name: folded to plain lower-case letters and digits, words
/// joined by hyphens ("Manawatū-Whanganui" → "manawatu-whanganui").
pub fn slugify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = match c {
            'ā' | 'Ā' => 'a',
            'ē' | 'Ē' => 'e',
            'ī' | 'Ī' => 'i',
            'ō' | 'Ō' => 'o',
            'ū' | 'Ū' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '’' && !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Percent-encodes a URL query component (RFC 3986 unreserved characters pass through).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> CatalogueQuery {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        CatalogueQuery::from_params(|name| {
            pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect()
        })
    }

    #[test]
    fn query_is_trimmed_bounded_and_deduplicated() {
        let long = "a".repeat(10_000);
        let q = params(&[
            ("q", &long),
            ("sector", "forestry"),
            ("sector", "forestry"),
            ("sector", "Forestry'; DROP"),
            ("sector", "manufacturing"),
            ("page", "-3"),
            ("sort", "price"),
        ]);
        assert_eq!(q.q.chars().count(), MAX_QUERY_CHARS);
        assert_eq!(q.selected(Facet::Sector), ["forestry", "manufacturing"]);
        assert_eq!(q.page, 1);
        assert_eq!(q.sort, Sort::Relevance);
        assert_eq!(params(&[("page", "99999999999")]).page, MAX_PAGE);
    }

    #[test]
    fn url_round_trips_every_parameter() {
        let q = params(&[("q", " Māori & co "), ("sector", "forestry")]);
        assert_eq!(q.to_url(), "/?q=M%C4%81ori+%26+co&sector=forestry");
        assert_eq!(CatalogueQuery::default().to_url(), "/");
        let full = params(&[
            ("q", "saw"),
            ("sector", "b"),
            ("sector", "a"),
            ("level", "3"),
            ("credits", "5-10"),
            ("mode", "online"),
            ("region", "otago"),
            ("funded", "1"),
            ("open", "on"),
            ("sort", "next-intake"),
            ("page", "2"),
        ]);
        let url = full.to_url();
        assert_eq!(
            url,
            "/?q=saw&sector=a&sector=b&level=3&credits=5-10&mode=online&region=otago&funded=1&open=1&sort=next-intake&page=2"
        );
        assert_eq!(full.normalised(), full);
        assert_eq!(full.without_filters().to_url(), "/?q=saw&sort=next-intake");
    }

    #[test]
    fn the_search_functions_url_encoding_round_trips_a_query() {
        // `search_catalogue` is a GET server function: its argument travels as serde_qs.
        let q = params(&[
            ("q", "saw"),
            ("sector", "a"),
            ("sector", "b"),
            ("open", "1"),
        ]);
        let encoded = serde_qs::to_string(&q).expect("a query encodes");
        assert!(encoded.contains("filters[sector][0]=a"), "{encoded}");
        let back: CatalogueQuery = serde_qs::from_str(&encoded).expect("and decodes");
        assert_eq!(back, q);
    }

    #[test]
    fn slugs_fold_macrons_and_drop_apostrophes() {
        assert_eq!(slugify("Manawatū-Whanganui"), "manawatu-whanganui");
        assert_eq!(slugify("Hawke's Bay"), "hawkes-bay");
        assert_eq!(slugify("  Online "), "online");
    }

    #[test]
    fn toggling_a_filter_adds_or_removes_one_value_and_returns_to_page_one() {
        let q = params(&[("q", "chainsaw"), ("sector", "forestry"), ("page", "3")]);
        let added = q.toggled(Facet::Sector, "agriculture", true);
        assert_eq!(added.selected(Facet::Sector), ["agriculture", "forestry"]);
        assert_eq!((added.page, added.q.as_str()), (1, "chainsaw"));
        let removed = added.toggled(Facet::Sector, "forestry", false);
        assert_eq!(removed.selected(Facet::Sector), ["agriculture"]);
        let funded = q.toggled(Facet::Funded, ON, true);
        assert!(funded.is_on(Facet::Funded));
        assert!(!funded
            .toggled(Facet::Funded, ON, false)
            .is_on(Facet::Funded));
        assert!(!q.with(Facet::Open, ["yes"]).is_on(Facet::Open));
    }
}
