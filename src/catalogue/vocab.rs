//! The catalogue's fixed vocabularies, one table each: credit bands, delivery modes and
//! credential statuses. The seed validation, the search facets and the pages read these.

/// Credit bands of the credits facet: URL value, first and last credit value, label.
pub const CREDIT_BANDS: [(&str, i64, i64, &str); 3] = [
    ("5-10", 1, 10, "5 to 10 credits"),
    ("11-20", 11, 20, "11 to 20 credits"),
    ("21-40", 21, 40, "21 to 40 credits"),
];

/// Delivery modes: URL and seed value, and label, in display order (bit `i` of a search
/// document's mode set).
pub const DELIVERY_MODES: [(&str, &str); 4] = [
    ("on-job", "On the job"),
    ("workshop", "Workshops"),
    ("online", "Online"),
    ("blended", "Blended"),
];

/// The label of delivery mode `value` ("online" → "Online"); the value itself if unknown.
pub fn delivery_label(value: &str) -> &str {
    DELIVERY_MODES
        .iter()
        .find(|(v, _)| *v == value)
        .map_or(value, |(_, label)| label)
}

/// A credential's NZQA listing status, as the seed file writes it.
pub const STATUSES: [&str; 3] = ["current", "expiring", "discontinued"];
