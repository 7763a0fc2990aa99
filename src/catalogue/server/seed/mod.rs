//! The seed catalogue file format (TOML): its records, dates, and errors that name a line.
//! Loading never touches the database: a file either parses and validates whole
//! (`validate`), or the import stops with a message naming the line and the field.

mod validate;

pub use validate::validate;

use serde::Deserialize;
use time::{Date, Duration};
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFile {
    #[serde(default)]
    pub sector: Vec<Spanned<SectorSeed>>,
    #[serde(default)]
    pub funding_scheme: Vec<Spanned<FundingSchemeSeed>>,
    #[serde(default)]
    pub unit_standard: Vec<Spanned<UnitStandardSeed>>,
    #[serde(default)]
    pub credential: Vec<Spanned<CredentialSeed>>,
    #[serde(default)]
    pub provider: Vec<Spanned<ProviderSeed>>,
}

/// A provider organisation named by intakes, with what the file says about it: whether it
/// is a sample provider for demonstration (its Open Badges issuer profile says so).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSeed {
    pub name: String,
    #[serde(default)]
    pub sample: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorSeed {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingSchemeSeed {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub source_url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitStandardSeed {
    pub number: i64,
    pub version: Option<i64>,
    pub title: String,
    pub level: Option<i64>,
    pub credits: Option<i64>,
    #[serde(default)]
    pub domain: String,
    pub source_url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialSeed {
    pub slug: String,
    pub title: String,
    pub nzqa_ref: Option<i64>,
    pub nzqa_version: Option<i64>,
    pub sector: String,
    pub level: i64,
    pub credits: i64,
    pub status: String,
    #[serde(default)]
    pub delivery_modes: Vec<String>,
    #[serde(default)]
    pub developer: String,
    pub summary: String,
    pub purpose: String,
    pub outcomes: String,
    #[serde(default)]
    pub education_pathway: String,
    #[serde(default)]
    pub employment_pathway: String,
    pub entry_requirements: String,
    pub source_url: Option<String>,
    #[serde(default)]
    pub data_note: String,
    #[serde(default)]
    pub standards: Vec<i64>,
    /// Whether the links to `standards` are verified from a public source; otherwise they
    /// are sample data, and a completion's Open Badges credential leaves them out.
    #[serde(default)]
    pub standards_verified: bool,
    #[serde(default)]
    pub funding: Vec<FundingLinkSeed>,
    #[serde(default)]
    pub intake: Vec<IntakeSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingLinkSeed {
    pub scheme: String,
    pub eligible: bool,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeSeed {
    pub code: String,
    pub starts: String,
    pub ends: String,
    pub enrolment_opens: String,
    pub enrolment_closes: String,
    pub region: String,
    pub delivery_mode: String,
    #[serde(default)]
    pub provider: String,
    /// New Zealand dollars, GST inclusive.
    pub fee: f64,
    pub capacity: i64,
    #[serde(default)]
    pub waitlist: i64,
}

/// A problem in the seed file, with the line it is on.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("line {line}: {field}: {message}")]
pub struct SeedError {
    pub line: usize,
    pub field: String,
    pub message: String,
}

/// Resolves a seed date: `YYYY-MM-DD`, or an offset from `today` such as `+35d`, `-2w`, so
/// that sample intakes stay upcoming whenever the demo is imported.
pub fn resolve_date(value: &str, today: Date) -> Result<Date, String> {
    let v = value.trim();
    if let Some(rest) = v.strip_prefix('+').or_else(|| v.strip_prefix('-')) {
        let sign = if v.starts_with('-') { -1 } else { 1 };
        let offset = || format!("`{value}` is not a date offset such as +35d or -2w");
        // The unit is the last character, whatever its width (`+5é` is refused, not split
        // inside a character).
        let unit = rest.chars().last().ok_or_else(offset)?;
        let num = &rest[..rest.len() - unit.len_utf8()];
        if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
            return Err(offset());
        }
        // Digits only, so the one way to fail is a number too large for i64.
        let n: i64 = num
            .parse()
            .map_err(|_| format!("`{value}` is more than ten years away"))?;
        let days = match unit {
            'd' => n,
            'w' => n.saturating_mul(7),
            _ => return Err(format!("`{value}` must end in d (days) or w (weeks)")),
        };
        if days > 3650 {
            return Err(format!("`{value}` is more than ten years away"));
        }
        return today
            .checked_add(Duration::days(sign * days))
            .ok_or_else(|| format!("`{value}` is outside the calendar"));
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(v, &fmt).map_err(|_| format!("`{value}` is not a date (YYYY-MM-DD or +35d)"))
}

/// Parses the file; TOML syntax and type errors already carry their line.
pub fn parse(text: &str) -> Result<SeedFile, SeedError> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or_default();
        SeedError {
            line,
            field: "file".into(),
            message: e.message().to_owned(),
        }
    })
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Builds errors that point at a field inside one record: the line of `field =` within the
/// record's span, or the record's first line when the field is absent.
pub struct Locator<'a> {
    text: &'a str,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { text }
    }

    pub fn error(
        &self,
        span: std::ops::Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> SeedError {
        let start = span.start.min(self.text.len());
        let end = span.end.min(self.text.len()).max(start);
        let record = &self.text[start..end];
        let key = field.split(['[', '.']).next().unwrap_or(field);
        let mut offset = start;
        for line in record.split_inclusive('\n') {
            let t = line.trim_start();
            if t.starts_with(key) && t[key.len()..].trim_start().starts_with('=') {
                break;
            }
            offset += line.len();
        }
        if offset >= end {
            offset = start;
        }
        SeedError {
            line: line_of(self.text, offset),
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// The line of `field =` in the `index`th `[[credential.intake]]` table of the credential
    /// starting at `span` (its tables follow its own span, up to the next `[[credential]]`),
    /// or of that table's header when the field is absent.
    pub fn intake_line(&self, span: &std::ops::Range<usize>, index: usize, field: &str) -> usize {
        let start = span.start.min(self.text.len());
        let mut offset = start;
        let (mut tables, mut header) = (0, None);
        for line in self.text[start..].split_inclusive('\n') {
            let t = line.trim_start();
            if t.starts_with("[[credential]]") && offset > start {
                break;
            }
            if t.starts_with("[[") {
                if header.is_some() {
                    break;
                }
                if t.starts_with("[[credential.intake]]") {
                    tables += 1;
                    if tables == index + 1 {
                        header = Some(offset);
                    }
                }
            } else if header.is_some()
                && t.starts_with(field)
                && t[field.len()..].trim_start().starts_with('=')
            {
                return line_of(self.text, offset);
            }
            offset += line.len();
        }
        line_of(self.text, header.unwrap_or(start))
    }

    /// An error at `field` of the `index`th intake of the credential at `span`.
    pub fn intake_error(
        &self,
        span: &std::ops::Range<usize>,
        index: usize,
        field: &str,
        message: impl Into<String>,
    ) -> SeedError {
        SeedError {
            line: self.intake_line(span, index, field),
            field: format!("intake[{index}].{field}"),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 28);

    #[test]
    fn relative_dates_follow_today() {
        assert_eq!(resolve_date("+35d", TODAY), Ok(date!(2027 - 01 - 02)));
        assert_eq!(resolve_date("-2w", TODAY), Ok(date!(2026 - 11 - 14)));
        assert_eq!(resolve_date("2022-12-31", TODAY), Ok(date!(2022 - 12 - 31)));
        assert!(resolve_date("+3m", TODAY).is_err());
        assert!(resolve_date("31/12/2022", TODAY).is_err());
    }

    #[test]
    fn no_offset_panics_or_overflows() {
        for bad in [
            "+5é",
            "+é",
            "+",
            "-",
            "+d",
            "+-5d",
            "++5d",
            "+ 5d",
            "+99999999d",
            "+99999999w",
            "+9999999999999999999999d",
            "-99999999999w",
            "+3651d",
            "+٣d",
        ] {
            assert!(resolve_date(bad, TODAY).is_err(), "{bad}");
        }
        let last = date!(9999 - 12 - 30);
        assert!(resolve_date("+10d", last).is_err());
        assert_eq!(resolve_date("+1d", last), Ok(date!(9999 - 12 - 31)));
    }

    #[test]
    fn intake_lines_point_into_their_own_table() {
        let text = "[[credential]]\nslug = \"a\"\n\n[[credential.intake]]\ncode = \"x\"\ncapacity = 5\n\n[[credential.intake]]\ncode = \"y\"\ncapacity = 6\n\n[[credential]]\nslug = \"b\"\n[[credential.intake]]\ncapacity = 7\n";
        let loc = Locator::new(text);
        // The credential's own span ends before its tables.
        let span = 0..28;
        assert_eq!(loc.intake_line(&span, 0, "capacity"), 6);
        assert_eq!(loc.intake_line(&span, 1, "capacity"), 10);
        assert_eq!(loc.intake_line(&span, 1, "waitlist"), 8);
        // No third intake: not the next credential's.
        assert_eq!(loc.intake_line(&span, 2, "capacity"), 1);
    }
}
