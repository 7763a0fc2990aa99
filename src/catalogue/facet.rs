//! The search facets by name: each one's URL parameter, heading and whether it is a single
//! on/off flag. The browser and the server share this list; the server's half (which values
//! a facet lists, which values a credential has) is `catalogue::server::search::facets`.
//!
//! Adding a facet: a variant here (in display order) with its arms below, its field in
//! `query::Filters`, its two arms in the server's half, and a test in
//! `tests/it/catalogue/search.rs`.

use serde::{Deserialize, Serialize};

/// One dimension a learner narrows the catalogue by. Serialised as its URL parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Facet {
    Sector,
    Level,
    Credits,
    Mode,
    Region,
    Funded,
    Open,
}

impl Facet {
    /// Every facet, in display order; `facet as usize` is its position here.
    pub const ALL: [Facet; 7] = [
        Facet::Sector,
        Facet::Level,
        Facet::Credits,
        Facet::Mode,
        Facet::Region,
        Facet::Funded,
        Facet::Open,
    ];

    /// The URL parameter (`?sector=forestry&open=1`) and the checkboxes' `name`.
    pub fn param(self) -> &'static str {
        match self {
            Facet::Sector => "sector",
            Facet::Level => "level",
            Facet::Credits => "credits",
            Facet::Mode => "mode",
            Facet::Region => "region",
            Facet::Funded => "funded",
            Facet::Open => "open",
        }
    }

    /// The heading of its group of checkboxes.
    pub fn heading(self) -> &'static str {
        match self {
            Facet::Sector => "Sector",
            Facet::Level => "NZQCF level",
            Facet::Credits => "Credits",
            Facet::Mode => "Delivery",
            Facet::Region => "Region of an open intake",
            Facet::Funded => "Funding",
            Facet::Open => "Enrolment",
        }
    }

    /// A flag has one value, on or off (`funded=1`); the others take any number of keys.
    pub fn is_flag(self) -> bool {
        matches!(self, Facet::Funded | Facet::Open)
    }

    pub fn from_param(param: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.param() == param)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_params_and_serde_names_agree() {
        for (i, f) in Facet::ALL.into_iter().enumerate() {
            assert_eq!(f as usize, i, "{f:?} is listed out of declaration order");
            assert_eq!(Facet::from_param(f.param()), Some(f));
            let json = serde_json::to_string(&f).expect("a facet serialises");
            assert_eq!(json, format!("\"{}\"", f.param()));
        }
        assert_eq!(Facet::from_param("price"), None);
    }
}
