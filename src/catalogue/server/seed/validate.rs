//! Checks a parsed catalogue file against everything the database would reject and the
//! references between its records, so an import writes all of the file or none of it.
//! Each kind of record has its own rule (`sector`, `funding_scheme`, `unit_standard`,
//! `credential`, `intake`), callable on one record and returning every problem it has, so
//! the dashboard's editor checks what an administrator typed with the same rules and the
//! same words; `validate` runs them over a file, adds what only a file can say (a record
//! listed twice), and names the line (TOML) or the record (JSON) of the first problem.

use std::collections::HashSet;

use time::Date;

use super::{
    resolve_date, CredentialSeed, FundingSchemeSeed, IntakeSeed, Locator, Parsed, SectorSeed,
    SeedError, UnitStandardSeed,
};
use crate::catalogue::vocab::{DELIVERY_MODES, STATUSES};

/// What one rule found wrong with a record: the field, and why, in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

/// The problems a rule found, in field order.
#[derive(Default)]
struct Check(Vec<Problem>);

impl Check {
    fn add(&mut self, field: &'static str, message: impl Into<String>) {
        // One message per field: the first thing wrong with it.
        if !self.0.iter().any(|p| p.field == field) {
            self.0.push(Problem {
                field,
                message: message.into(),
            });
        }
    }

    fn slug(&mut self, field: &'static str, value: &str) {
        if !valid_slug(value) {
            self.add(
                field,
                "Use 1 to 80 lower-case letters, digits and hyphens, not starting or ending \
                 with a hyphen.",
            );
        }
    }

    fn text(&mut self, field: &'static str, label: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(field, format!("Enter the {label}."));
        }
        self.at_most(field, label, value, max);
    }

    fn at_most(&mut self, field: &'static str, label: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(
                field,
                format!("Keep the {label} to {max} characters or fewer."),
            );
        }
    }

    fn date(&mut self, field: &'static str, value: &str, today: Date) -> Option<Date> {
        resolve_date(value, today)
            .map_err(|m| self.add(field, format!("{m}.")))
            .ok()
    }

    fn url(&mut self, field: &'static str, value: &Option<String>) {
        if let Some(v) = value {
            let fine = v
                .split_whitespace()
                .all(|u| u.starts_with("https://") || u.starts_with("http://"));
            if v.trim().is_empty() || !fine || v.chars().count() > 1000 {
                self.add(
                    field,
                    "Enter web addresses starting with https://, separated by spaces.",
                );
            }
        }
    }

    fn done(self) -> Vec<Problem> {
        self.0
    }
}

/// The records a credential may refer to: the sectors, unit standards and funding schemes
/// of its file (or, for the editor, of the catalogue).
#[derive(Debug, Default, Clone)]
pub struct Known {
    pub sectors: HashSet<String>,
    pub standards: HashSet<i64>,
    pub schemes: HashSet<String>,
}

fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A sector: its slug and name.
pub fn sector(s: &SectorSeed) -> Vec<Problem> {
    let mut c = Check::default();
    c.slug("slug", &s.slug);
    c.text("name", "sector's name", &s.name, 80);
    c.done()
}

/// A funding scheme: its code, name and dates (`valid_to` not before `valid_from`).
pub fn funding_scheme(f: &FundingSchemeSeed, today: Date) -> Vec<Problem> {
    let mut c = Check::default();
    c.slug("code", &f.code);
    c.text("name", "scheme's name", &f.name, 200);
    c.at_most("description", "description", &f.description, 4000);
    let from = c.date("valid_from", &f.valid_from, today);
    if let Some(to) = &f.valid_to {
        let to = c.date("valid_to", to, today);
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                c.add("valid_to", "The scheme cannot end before it starts.");
            }
        }
    }
    c.url("source_url", &f.source_url);
    c.done()
}

/// A unit standard: its number, title, level and credits.
pub fn unit_standard(u: &UnitStandardSeed) -> Vec<Problem> {
    let mut c = Check::default();
    if !(1..=999_999).contains(&u.number) {
        c.add("number", "Enter the standard's number, 1 to 999999.");
    }
    if u.version.is_some_and(|v| !(1..=999).contains(&v)) {
        c.add("version", "A version is a whole number from 1 to 999.");
    }
    c.text("title", "standard's title", &u.title, 300);
    if u.level.is_some_and(|l| !(1..=10).contains(&l)) {
        c.add("level", "NZQCF levels run from 1 to 10.");
    }
    if u.credits.is_some_and(|n| !(1..=999).contains(&n)) {
        c.add("credits", "Credits are a whole number from 1 to 999.");
    }
    c.at_most("domain", "domain", &u.domain, 200);
    c.url("source_url", &u.source_url);
    c.done()
}

/// A credential's own fields and what it refers to (its intakes are `intake`'s).
pub fn credential(cr: &CredentialSeed, known: &Known, today: Date) -> Vec<Problem> {
    let mut c = Check::default();
    c.slug("slug", &cr.slug);
    c.text("title", "title", &cr.title, 200);
    if cr.nzqa_ref.is_some_and(|n| !(1..=999_999).contains(&n)) {
        c.add(
            "nzqa_ref",
            "An NZQA reference is a whole number from 1 to 999999.",
        );
    }
    if cr.nzqa_version.is_some_and(|n| !(1..=999).contains(&n)) {
        c.add("nzqa_version", "A version is a whole number from 1 to 999.");
    }
    if !known.sectors.contains(cr.sector.as_str()) {
        c.add(
            "sector",
            format!("`{}` is not one of the catalogue's sectors.", cr.sector),
        );
    }
    if !(1..=10).contains(&cr.level) {
        c.add("level", "NZQCF levels run from 1 to 10.");
    }
    if !(1..=40).contains(&cr.credits) {
        c.add("credits", "A micro-credential has 1 to 40 credits.");
    }
    if !STATUSES.contains(&cr.status.as_str()) {
        c.add("status", "Choose current, expiring or discontinued.");
    }
    if let Some(code) = &cr.nzsced_code {
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            c.add(
                "nzsced_code",
                "An NZSCED field of study code is six digits, such as 030101.",
            );
        }
    }
    if let Some(d) = &cr.review_date {
        c.date("review_date", d, today);
    }
    if let Some(m) = cr
        .delivery_modes
        .iter()
        .find(|m| !DELIVERY_MODES.iter().any(|(v, _)| v == m))
    {
        c.add(
            "delivery_modes",
            format!("`{m}` is not one of on-job, workshop, online, blended."),
        );
    }
    c.at_most("developer", "developer", &cr.developer, 300);
    c.text("summary", "summary", &cr.summary, 4000);
    c.text("purpose", "purpose statement", &cr.purpose, 4000);
    c.text("outcomes", "outcomes", &cr.outcomes, 4000);
    c.at_most(
        "education_pathway",
        "education pathway",
        &cr.education_pathway,
        4000,
    );
    c.at_most(
        "employment_pathway",
        "employment pathway",
        &cr.employment_pathway,
        4000,
    );
    c.text(
        "entry_requirements",
        "entry requirements",
        &cr.entry_requirements,
        4000,
    );
    c.url("source_url", &cr.source_url);
    c.at_most("data_note", "data note", &cr.data_note, 4000);
    if let Some(n) = cr.standards.iter().find(|n| !known.standards.contains(n)) {
        c.add(
            "standards",
            format!("{n} is not one of the catalogue's unit standards."),
        );
    }
    let mut seen = HashSet::new();
    if let Some(n) = cr.standards.iter().find(|n| !seen.insert(**n)) {
        c.add("standards", format!("{n} is listed twice."));
    }
    if let Some(f) = cr
        .funding
        .iter()
        .find(|f| !known.schemes.contains(f.scheme.as_str()))
    {
        c.add(
            "funding",
            format!(
                "`{}` is not one of the catalogue's funding schemes.",
                f.scheme
            ),
        );
    }
    let mut seen = HashSet::new();
    if let Some(f) = cr.funding.iter().find(|f| !seen.insert(f.scheme.as_str())) {
        c.add("funding", format!("`{}` is listed twice.", f.scheme));
    }
    c.done()
}

/// An intake: its code, dates in order (enrolment closes by the end), region, delivery
/// mode, fee and places.
pub fn intake(intake: &IntakeSeed, today: Date) -> Vec<Problem> {
    let mut c = Check::default();
    if intake.code.trim().is_empty() || intake.code.chars().count() > 40 {
        c.add("code", "Enter a code of 1 to 40 characters.");
    }
    let starts = c.date("starts", &intake.starts, today);
    let ends = c.date("ends", &intake.ends, today);
    let opens = c.date("enrolment_opens", &intake.enrolment_opens, today);
    let closes = c.date("enrolment_closes", &intake.enrolment_closes, today);
    if let (Some(s), Some(e)) = (starts, ends) {
        if e < s {
            c.add("ends", "The intake must end on or after the day it starts.");
        }
    }
    if let (Some(o), Some(cl)) = (opens, closes) {
        if cl < o {
            c.add(
                "enrolment_closes",
                "Enrolment cannot close before it opens.",
            );
        }
    }
    if let (Some(e), Some(cl)) = (ends, closes) {
        if cl > e {
            c.add(
                "enrolment_closes",
                "Enrolment must close by the day the intake ends.",
            );
        }
    }
    if intake.region.trim().is_empty() {
        c.add("region", "Name a region, or Online.");
    }
    c.at_most("region", "region", &intake.region, 80);
    if !DELIVERY_MODES
        .iter()
        .any(|(v, _)| *v == intake.delivery_mode)
    {
        c.add(
            "delivery_mode",
            "Choose on-job, workshop, online or blended.",
        );
    }
    if !intake.fee.is_finite() || intake.fee < 0.0 || intake.fee > 100_000.0 {
        c.add("fee", "Enter a fee from 0 to 100000 dollars.");
    } else if ((intake.fee * 100.0).round() - intake.fee * 100.0).abs() > 1e-6 {
        c.add(
            "fee",
            "Enter the fee in dollars and cents, such as 1250.50.",
        );
    }
    if !(0..=10_000).contains(&intake.capacity) {
        c.add(
            "capacity",
            "Enter the seats, a whole number from 0 to 10000.",
        );
    }
    if !(0..=10_000).contains(&intake.waitlist) {
        c.add(
            "waitlist",
            "Enter the waitlist places, a whole number from 0 to 10000.",
        );
    }
    if let Some(d) = &intake.cancelled {
        c.date("cancelled", d, today);
    }
    c.done()
}

/// Where a problem is: the line of a TOML record, or a JSON record's place in its list.
struct Where<'a> {
    loc: Locator<'a>,
    parsed: &'a Parsed,
}

impl Where<'_> {
    fn record(
        &self,
        kind: &str,
        spans: fn(&super::Spans) -> &Vec<std::ops::Range<usize>>,
        i: usize,
        p: Problem,
    ) -> SeedError {
        match &self.parsed.spans {
            Some(s) => self.loc.error(spans(s)[i].clone(), p.field, p.message),
            None => SeedError {
                line: 0,
                field: format!("{kind}[{i}].{}", p.field),
                message: p.message,
            },
        }
    }

    fn intake(&self, credential: usize, i: usize, p: Problem) -> SeedError {
        match &self.parsed.spans {
            Some(s) => self
                .loc
                .intake_error(&s.credential[credential], i, p.field, p.message),
            None => SeedError {
                line: 0,
                field: format!("credential[{credential}].intake[{i}].{}", p.field),
                message: p.message,
            },
        }
    }
}

fn first(problems: Vec<Problem>) -> Result<(), Problem> {
    problems.into_iter().next().map_or(Ok(()), Err)
}

fn twice(field: &'static str, message: &str) -> Problem {
    Problem {
        field,
        message: message.to_owned(),
    }
}

/// Checks every record; the first problem found is returned with where it is.
pub fn validate(parsed: &Parsed, text: &str, today: Date) -> Result<(), SeedError> {
    let w = Where {
        loc: Locator::new(text),
        parsed,
    };
    let file = &parsed.file;
    let mut known = Known::default();
    for (i, s) in file.sector.iter().enumerate() {
        let at = |p| w.record("sector", |s| &s.sector, i, p);
        first(sector(s)).map_err(at)?;
        if !known.sectors.insert(s.slug.clone()) {
            return Err(at(twice("slug", "This sector is listed twice.")));
        }
    }
    for (i, f) in file.funding_scheme.iter().enumerate() {
        let at = |p| w.record("funding_scheme", |s| &s.funding_scheme, i, p);
        first(funding_scheme(f, today)).map_err(at)?;
        if !known.schemes.insert(f.code.clone()) {
            return Err(at(twice("code", "This scheme is listed twice.")));
        }
    }
    for (i, u) in file.unit_standard.iter().enumerate() {
        let at = |p| w.record("unit_standard", |s| &s.unit_standard, i, p);
        first(unit_standard(u)).map_err(at)?;
        if !known.standards.insert(u.number) {
            return Err(at(twice("number", "This standard is listed twice.")));
        }
    }
    let mut slugs = HashSet::new();
    for (n, c) in file.credential.iter().enumerate() {
        let at = |p| w.record("credential", |s| &s.credential, n, p);
        if !slugs.insert(c.slug.as_str()) {
            return Err(at(twice(
                "slug",
                "This slug is used by another credential.",
            )));
        }
        first(credential(c, &known, today)).map_err(at)?;
        let mut codes = HashSet::new();
        for (i, one) in c.intake.iter().enumerate() {
            first(intake(one, today)).map_err(|p| w.intake(n, i, p))?;
            if !codes.insert(one.code.as_str()) {
                return Err(w.intake(
                    n,
                    i,
                    Problem {
                        field: "code",
                        message: format!("`{}` is used by another intake.", one.code),
                    },
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::server::seed::parse_toml as parse;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 28);

    const GOOD: &str = r#"
[[sector]]
slug = "forestry"
name = "Forestry"

[[credential]]
slug = "chainsaw"
title = "Chainsaw"
sector = "forestry"
level = 2
credits = 12
status = "current"
summary = "s"
purpose = "p"
outcomes = "o"
entry_requirements = "none"
"#;

    #[test]
    fn a_valid_file_passes() {
        let f = parse(GOOD).unwrap();
        assert_eq!(validate(&f, GOOD, TODAY), Ok(()));
    }

    #[test]
    fn bad_field_names_its_line() {
        let text = GOOD.replace("credits = 12", "credits = 45");
        let f = parse(&text).unwrap();
        let e = validate(&f, &text, TODAY).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (11, "credits"));
        assert_eq!(e.message, "A micro-credential has 1 to 40 credits.");
        let text = GOOD.replace("sector = \"forestry\"", "sector = \"fishing\"");
        let e = validate(&parse(&text).unwrap(), &text, TODAY).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (9, "sector"));
    }

    #[test]
    fn one_record_is_checked_alone() {
        let f = parse(GOOD).unwrap();
        let c = &f.file.credential[0];
        let mut known = Known::default();
        assert_eq!(credential(c, &known, TODAY)[0].field, "sector");
        known.sectors.insert("forestry".into());
        assert_eq!(credential(c, &known, TODAY), vec![]);
        let text = GOOD.replace("slug = \"forestry\"", "slug = \"Forestry\"");
        let bad = parse(&text).unwrap();
        assert_eq!(sector(&bad.file.sector[0])[0].field, "slug");
    }

    #[test]
    fn type_errors_name_their_line() {
        let text = GOOD.replace("level = 2", "level = \"two\"");
        let e = parse(&text).unwrap_err();
        assert_eq!(e.line, 10);
    }
}
