//! The catalogue's search request and its URL codec: everything a learner chose lives in
//! the URL, so a filtered view is shareable, survives reload and renders without WASM.

use serde::{Deserialize, Serialize};

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
/// Facet values are URL-safe keys (slugs, numbers, band names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub sectors: Vec<String>,
    #[serde(default)]
    pub levels: Vec<String>,
    #[serde(default)]
    pub credits: Vec<String>,
    #[serde(default)]
    pub modes: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub funded: bool,
    #[serde(default)]
    pub open: bool,
    #[serde(default)]
    pub sort: Sort,
    #[serde(default = "first_page")]
    pub page: u32,
}

fn first_page() -> u32 {
    1
}

impl Default for CatalogueQuery {
    fn default() -> Self {
        Self {
            q: String::new(),
            sectors: Vec::new(),
            levels: Vec::new(),
            credits: Vec::new(),
            modes: Vec::new(),
            regions: Vec::new(),
            funded: false,
            open: false,
            sort: Sort::Relevance,
            page: 1,
        }
    }
}

/// The URL parameter names of the multi-valued facets, in display order.
pub const FACET_PARAMS: [&str; 5] = ["sector", "level", "credits", "mode", "region"];

impl CatalogueQuery {
    /// Builds a query from URL parameters (`all(name)` gives every value of one name),
    /// trimming and bounding them so that hostile or accidental input (10 kB strings,
    /// repeated parameters, unknown values) cannot cost the server much or fail a page.
    pub fn from_params(all: impl Fn(&str) -> Vec<String>) -> Self {
        let first = |name: &str| all(name).into_iter().next().unwrap_or_default();
        let flag = |name: &str| matches!(first(name).trim(), "1" | "true" | "on");
        let q: String = first("q")
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_QUERY_CHARS)
            .collect();
        Self {
            q: q.trim().to_owned(),
            sectors: clean_keys(all("sector")),
            levels: clean_keys(all("level")),
            credits: clean_keys(all("credits")),
            modes: clean_keys(all("mode")),
            regions: clean_keys(all("region")),
            funded: flag("funded"),
            open: flag("open"),
            sort: Sort::from_key(first("sort").trim()).unwrap_or_default(),
            page: first("page")
                .trim()
                .parse::<u64>()
                .map_or(1, |p| p.clamp(1, u64::from(MAX_PAGE)) as u32),
        }
    }

    /// The same query with every value re-checked, as the server receives it.
    pub fn normalised(&self) -> Self {
        let this = self.clone();
        Self::from_params(move |name| this.values(name))
    }

    /// The values of one URL parameter.
    pub fn values(&self, name: &str) -> Vec<String> {
        let flag = |on: bool| if on { vec!["1".to_owned()] } else { Vec::new() };
        match name {
            "q" if !self.q.is_empty() => vec![self.q.clone()],
            "sector" => self.sectors.clone(),
            "level" => self.levels.clone(),
            "credits" => self.credits.clone(),
            "mode" => self.modes.clone(),
            "region" => self.regions.clone(),
            "funded" => flag(self.funded),
            "open" => flag(self.open),
            "sort" if self.sort != Sort::Relevance => vec![self.sort.key().to_owned()],
            "page" if self.page > 1 => vec![self.page.to_string()],
            _ => Vec::new(),
        }
    }

    /// The selected values of a facet by its URL parameter name.
    pub fn facet_mut(&mut self, name: &str) -> Option<&mut Vec<String>> {
        match name {
            "sector" => Some(&mut self.sectors),
            "level" => Some(&mut self.levels),
            "credits" => Some(&mut self.credits),
            "mode" => Some(&mut self.modes),
            "region" => Some(&mut self.regions),
            _ => None,
        }
    }

    /// The same query, back on page 1, with one facet value (or the `funded` / `open`
    /// flag) switched on or off: what ticking a filter box or removing a chip asks for.
    pub fn toggled(&self, param: &str, value: &str, on: bool) -> Self {
        let mut next = Self {
            page: 1,
            ..self.clone()
        };
        match param {
            "funded" => next.funded = on,
            "open" => next.open = on,
            p => {
                if let Some(values) = next.facet_mut(p) {
                    values.retain(|x| x != value);
                    if on {
                        values.push(value.to_owned());
                    }
                }
            }
        }
        next.normalised()
    }

    /// Whether any facet value is selected.
    pub fn has_filters(&self) -> bool {
        FACET_PARAMS.iter().any(|p| !self.values(p).is_empty()) || self.funded || self.open
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

    /// The catalogue URL for this query; parameters in a fixed order, facets repeated once
    /// per selected value, defaults left out.
    pub fn to_url(&self) -> String {
        let mut parts = Vec::new();
        for name in [
            "q", "sector", "level", "credits", "mode", "region", "funded", "open", "sort", "page",
        ] {
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
        assert_eq!(q.sectors, vec!["forestry", "manufacturing"]);
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
    fn slugs_fold_macrons_and_drop_apostrophes() {
        assert_eq!(slugify("Manawatū-Whanganui"), "manawatu-whanganui");
        assert_eq!(slugify("Hawke's Bay"), "hawkes-bay");
        assert_eq!(slugify("  Online "), "online");
    }

    #[test]
    fn toggling_a_filter_adds_or_removes_one_value_and_returns_to_page_one() {
        let q = params(&[("q", "chainsaw"), ("sector", "forestry"), ("page", "3")]);
        let added = q.toggled("sector", "agriculture", true);
        assert_eq!(added.sectors, ["agriculture", "forestry"]);
        assert_eq!((added.page, added.q.as_str()), (1, "chainsaw"));
        let removed = added.toggled("sector", "forestry", false);
        assert_eq!(removed.sectors, ["agriculture"]);
        let funded = q.toggled("funded", "1", true);
        assert!(funded.funded);
        assert!(!funded.toggled("funded", "1", false).funded);
        assert_eq!(q.toggled("nonsense", "x", true).sectors, ["forestry"]);
    }
}
