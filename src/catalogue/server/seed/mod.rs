//! The catalogue file format (TOML, or the same records as JSON): its records, dates, and
//! errors that name a line (TOML) or a record (JSON). Loading never touches the database: a
//! file either parses and validates whole (`validate`), or the import stops with a message
//! naming where and which field. `tohu export` writes the same records back out.

mod validate;

pub use validate::{validate, Known, Problem};

/// The per-record rules, for the dashboard's editor: the same rules an import applies.
pub mod rules {
    pub use super::validate::{credential, funding_scheme, intake, sector, unit_standard};
}

use serde::{Deserialize, Serialize};
use time::{Date, Duration};
use toml::Spanned;

/// Which syntax a catalogue file is in: JSON when its name ends in `.json`, else TOML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    pub fn of_path(path: &std::path::Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Toml,
        }
    }
}

/// A whole catalogue file. Field order is the order an export writes them in.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFile {
    /// The catalogue revision an export was taken at: an import leaves alone records edited
    /// in the dashboard after it. Absent in a hand-written file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
    #[serde(default)]
    pub sector: Vec<SectorSeed>,
    #[serde(default)]
    pub provider: Vec<ProviderSeed>,
    #[serde(default)]
    pub funding_scheme: Vec<FundingSchemeSeed>,
    #[serde(default)]
    pub unit_standard: Vec<UnitStandardSeed>,
    #[serde(default)]
    pub credential: Vec<CredentialSeed>,
    /// Search synonyms, when the file carries them itself (an export to standard output);
    /// otherwise `synonyms.toml` beside the file holds them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonym_group: Vec<SynonymGroupSeed>,
}

/// The TOML file as parsed, each record with its place in the text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpannedFile {
    revision: Option<i64>,
    #[serde(default)]
    sector: Vec<Spanned<SectorSeed>>,
    #[serde(default)]
    funding_scheme: Vec<Spanned<FundingSchemeSeed>>,
    #[serde(default)]
    unit_standard: Vec<Spanned<UnitStandardSeed>>,
    #[serde(default)]
    credential: Vec<Spanned<CredentialSeed>>,
    #[serde(default)]
    provider: Vec<Spanned<ProviderSeed>>,
    #[serde(default)]
    synonym_group: Vec<SynonymGroupSeed>,
}

/// Where each record of a TOML file is (byte ranges), so errors can name its line.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    pub sector: Vec<std::ops::Range<usize>>,
    pub funding_scheme: Vec<std::ops::Range<usize>>,
    pub unit_standard: Vec<std::ops::Range<usize>>,
    pub credential: Vec<std::ops::Range<usize>>,
}

/// A parsed file: its records, and where they are when it was TOML.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub file: SeedFile,
    pub spans: Option<Spans>,
}

/// A group of search terms that mean the same (`seed/synonyms.toml`'s `[[group]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynonymGroupSeed {
    pub terms: Vec<String>,
}

/// A provider organisation named by intakes, with what the file says about it: whether it
/// is a sample provider for demonstration (its Open Badges issuer profile says so).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSeed {
    pub name: String,
    #[serde(default)]
    pub sample: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorSeed {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingSchemeSeed {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub valid_from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitStandardSeed {
    pub number: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<i64>,
    #[serde(default)]
    pub domain: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialSeed {
    pub slug: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nzqa_ref: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nzqa_version: Option<i64>,
    pub sector: String,
    pub level: i64,
    pub credits: i64,
    pub status: String,
    /// The NZSCED field of study: six digits (NZQA's listing rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nzsced_code: Option<String>,
    /// The date NZQA next reviews the listing, YYYY-MM-DD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_date: Option<String>,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingLinkSeed {
    pub scheme: String,
    pub eligible: bool,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// New Zealand dollars, GST inclusive, to the cent.
    pub fee: f64,
    pub capacity: i64,
    #[serde(default)]
    pub waitlist: i64,
    /// The day the provider cancelled it (written by an export; an import sets it only on
    /// an intake it creates: cancelling one with registrations is the dashboard's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled: Option<String>,
}

/// A problem in the seed file, with the line it is on.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{}{field}: {message}", line_prefix(*line))]
pub struct SeedError {
    /// The line, or 0 where there are no lines to name (a JSON file names the record in
    /// `field`).
    pub line: usize,
    pub field: String,
    pub message: String,
}

pub(crate) fn line_prefix(line: usize) -> String {
    match line {
        0 => String::new(),
        n => format!("line {n}: "),
    }
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

/// Parses a file in either syntax.
pub fn parse(text: &str, format: Format) -> Result<Parsed, SeedError> {
    match format {
        Format::Toml => parse_toml(text),
        Format::Json => parse_json(text),
    }
}

/// Parses TOML; syntax and type errors already carry their line.
pub fn parse_toml(text: &str) -> Result<Parsed, SeedError> {
    let f: SpannedFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or_default();
        SeedError {
            line,
            field: "file".into(),
            message: e.message().to_owned(),
        }
    })?;
    fn split<T>(v: Vec<Spanned<T>>) -> (Vec<T>, Vec<std::ops::Range<usize>>) {
        v.into_iter()
            .map(|s| (s.span(), s.into_inner()))
            .map(|(r, t)| (t, r))
            .unzip()
    }
    let (sector, sector_spans) = split(f.sector);
    let (funding_scheme, scheme_spans) = split(f.funding_scheme);
    let (unit_standard, standard_spans) = split(f.unit_standard);
    let (credential, credential_spans) = split(f.credential);
    let (provider, _) = split(f.provider);
    Ok(Parsed {
        file: SeedFile {
            revision: f.revision,
            sector,
            provider,
            funding_scheme,
            unit_standard,
            credential,
            synonym_group: f.synonym_group,
        },
        spans: Some(Spans {
            sector: sector_spans,
            funding_scheme: scheme_spans,
            unit_standard: standard_spans,
            credential: credential_spans,
        }),
    })
}

/// Parses JSON: the same records; an error names its line and column.
pub fn parse_json(text: &str) -> Result<Parsed, SeedError> {
    let file: SeedFile = serde_json::from_str(text).map_err(|e| SeedError {
        line: e.line(),
        field: "file".into(),
        message: e.to_string(),
    })?;
    Ok(Parsed { file, spans: None })
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
