//! Checks a parsed seed file against everything the database would reject and the
//! references between its records, so an import writes all of the file or none of it.
//! Each kind of record has its own rule (`sector`, `funding_scheme`, `unit_standard`,
//! `credential`, `intake`), callable on one record, so an editor can check what a
//! coordinator typed with the same rules; `validate` runs them over a file, adds what only
//! a file can say (a record listed twice), and names the line of each problem.

use std::collections::HashSet;

use time::Date;

use super::{
    resolve_date, CredentialSeed, FundingSchemeSeed, IntakeSeed, Locator, SectorSeed, SeedError,
    SeedFile, UnitStandardSeed,
};
use crate::catalogue::vocab::{DELIVERY_MODES, STATUSES};

/// What one rule found wrong with a record: the field, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> Problem {
    Problem {
        field,
        message: message.into(),
    }
}

/// The records a credential may refer to: the sectors, unit standards and funding schemes
/// of its file (or, for an editor, of the catalogue).
#[derive(Debug, Default)]
pub struct Known<'a> {
    pub sectors: HashSet<&'a str>,
    pub standards: HashSet<i64>,
    pub schemes: HashSet<&'a str>,
}

fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn slug(field: &'static str, value: &str) -> Result<(), Problem> {
    match valid_slug(value) {
        true => Ok(()),
        false => Err(problem(field, "use lower-case letters, digits and hyphens")),
    }
}

fn text(field: &'static str, value: &str, max: usize) -> Result<(), Problem> {
    if value.trim().is_empty() {
        return Err(problem(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(problem(field, format!("is longer than {max} characters")));
    }
    Ok(())
}

fn date(field: &'static str, value: &str, today: Date) -> Result<Date, Problem> {
    resolve_date(value, today).map_err(|m| problem(field, m))
}

/// A sector: its slug and name.
pub fn sector(s: &SectorSeed) -> Result<(), Problem> {
    slug("slug", &s.slug)?;
    text("name", &s.name, 80)
}

/// A funding scheme: its code, name and dates (`valid_to` not before `valid_from`).
pub fn funding_scheme(f: &FundingSchemeSeed, today: Date) -> Result<(), Problem> {
    slug("code", &f.code)?;
    text("name", &f.name, 200)?;
    let from = date("valid_from", &f.valid_from, today)?;
    if let Some(to) = &f.valid_to {
        if date("valid_to", to, today)? < from {
            return Err(problem("valid_to", "is before valid_from"));
        }
    }
    Ok(())
}

/// A unit standard: its number, title, level and credits.
pub fn unit_standard(u: &UnitStandardSeed) -> Result<(), Problem> {
    if !(1..=999_999).contains(&u.number) {
        return Err(problem("number", "must be a positive standard number"));
    }
    text("title", &u.title, 300)?;
    if u.level.is_some_and(|l| !(1..=10).contains(&l)) {
        return Err(problem("level", "NZQCF levels run from 1 to 10"));
    }
    if u.credits.is_some_and(|c| c < 1) {
        return Err(problem("credits", "must be at least 1"));
    }
    Ok(())
}

/// A credential's own fields and what it refers to (its intakes are `intake`'s).
pub fn credential(c: &CredentialSeed, known: &Known<'_>) -> Result<(), Problem> {
    slug("slug", &c.slug)?;
    text("title", &c.title, 200)?;
    text("summary", &c.summary, 4000)?;
    text("purpose", &c.purpose, 4000)?;
    text("outcomes", &c.outcomes, 4000)?;
    text("entry_requirements", &c.entry_requirements, 4000)?;
    if !known.sectors.contains(c.sector.as_str()) {
        return Err(problem(
            "sector",
            format!("`{}` is not a [[sector]] in this file", c.sector),
        ));
    }
    if !(1..=10).contains(&c.level) {
        return Err(problem("level", "NZQCF levels run from 1 to 10"));
    }
    if !(1..=40).contains(&c.credits) {
        return Err(problem("credits", "a micro-credential has 1 to 40 credits"));
    }
    if !STATUSES.contains(&c.status.as_str()) {
        return Err(problem(
            "status",
            "must be current, expiring or discontinued",
        ));
    }
    if let Some(m) = c
        .delivery_modes
        .iter()
        .find(|m| !DELIVERY_MODES.iter().any(|(v, _)| v == m))
    {
        return Err(problem(
            "delivery_modes",
            format!("`{m}` is not one of on-job, workshop, online, blended"),
        ));
    }
    if let Some(n) = c.standards.iter().find(|n| !known.standards.contains(n)) {
        return Err(problem(
            "standards",
            format!("{n} is not a [[unit_standard]] in this file"),
        ));
    }
    if let Some(f) = c
        .funding
        .iter()
        .find(|f| !known.schemes.contains(f.scheme.as_str()))
    {
        return Err(problem(
            "funding",
            format!("`{}` is not a [[funding_scheme]] in this file", f.scheme),
        ));
    }
    Ok(())
}

fn intake_code(code: &str) -> Result<(), Problem> {
    match code.trim().is_empty() || code.len() > 40 {
        true => Err(problem("code", "must be 1 to 40 characters")),
        false => Ok(()),
    }
}

/// An intake: its code, dates in order (enrolment closes by the end), region, delivery
/// mode, fee and places.
pub fn intake(intake: &IntakeSeed, today: Date) -> Result<(), Problem> {
    intake_code(&intake.code)?;
    let starts = date("starts", &intake.starts, today)?;
    let ends = date("ends", &intake.ends, today)?;
    let opens = date("enrolment_opens", &intake.enrolment_opens, today)?;
    let closes = date("enrolment_closes", &intake.enrolment_closes, today)?;
    if ends < starts {
        return Err(problem("ends", "is before the start"));
    }
    if closes < opens {
        return Err(problem("enrolment_closes", "is before enrolment opens"));
    }
    if closes > ends {
        return Err(problem("enrolment_closes", "is after the intake ends"));
    }
    if intake.region.trim().is_empty() {
        return Err(problem("region", "name a region, or Online"));
    }
    if !DELIVERY_MODES
        .iter()
        .any(|(v, _)| *v == intake.delivery_mode)
    {
        return Err(problem(
            "delivery_mode",
            "must be on-job, workshop, online or blended",
        ));
    }
    if !intake.fee.is_finite() || intake.fee < 0.0 || intake.fee > 100_000.0 {
        return Err(problem("fee", "must be between 0 and 100000 dollars"));
    }
    if !(0..=10_000).contains(&intake.capacity) {
        return Err(problem("capacity", "must be between 0 and 10000 seats"));
    }
    if !(0..=10_000).contains(&intake.waitlist) {
        return Err(problem("waitlist", "must be between 0 and 10000 places"));
    }
    Ok(())
}

/// Checks every record; the first problem found is returned with its line.
pub fn validate(file: &SeedFile, text: &str, today: Date) -> Result<(), SeedError> {
    let loc = Locator::new(text);
    let loc = &loc;
    let at = |span: std::ops::Range<usize>| move |p: Problem| loc.error(span, p.field, p.message);
    let mut known = Known::default();
    for s in &file.sector {
        let (span, s) = (s.span(), s.get_ref());
        sector(s).map_err(at(span.clone()))?;
        if !known.sectors.insert(s.slug.as_str()) {
            return Err(loc.error(span, "slug", "this sector is listed twice"));
        }
    }
    for f in &file.funding_scheme {
        let (span, f) = (f.span(), f.get_ref());
        funding_scheme(f, today).map_err(at(span.clone()))?;
        if !known.schemes.insert(f.code.as_str()) {
            return Err(loc.error(span, "code", "this scheme is listed twice"));
        }
    }
    for u in &file.unit_standard {
        let (span, u) = (u.span(), u.get_ref());
        unit_standard(u).map_err(at(span.clone()))?;
        if !known.standards.insert(u.number) {
            return Err(loc.error(span, "number", "this standard is listed twice"));
        }
    }
    let mut slugs = HashSet::new();
    for c in &file.credential {
        let (span, c) = (c.span(), c.get_ref());
        slug("slug", &c.slug).map_err(at(span.clone()))?;
        if !slugs.insert(c.slug.as_str()) {
            return Err(loc.error(span, "slug", "this slug is used by another credential"));
        }
        credential(c, &known).map_err(at(span.clone()))?;
        let mut codes = HashSet::new();
        for (i, one) in c.intake.iter().enumerate() {
            let err = |field: &str, m: String| loc.intake_error(&span, i, field, m);
            intake(one, today).map_err(|p| err(p.field, p.message))?;
            if !codes.insert(one.code.as_str()) {
                return Err(err(
                    "code",
                    format!("`{}` is used by another intake", one.code),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::server::seed::parse;
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
        let text = GOOD.replace("sector = \"forestry\"", "sector = \"fishing\"");
        let e = validate(&parse(&text).unwrap(), &text, TODAY).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (9, "sector"));
    }

    #[test]
    fn one_record_is_checked_alone() {
        let f = parse(GOOD).unwrap();
        let c = f.credential[0].get_ref();
        let mut known = Known::default();
        assert_eq!(credential(c, &known).unwrap_err().field, "sector");
        known.sectors.insert("forestry");
        assert_eq!(credential(c, &known), Ok(()));
        let text = GOOD.replace("slug = \"forestry\"", "slug = \"Forestry\"");
        let bad = parse(&text).unwrap();
        assert_eq!(sector(bad.sector[0].get_ref()).unwrap_err().field, "slug");
    }

    #[test]
    fn type_errors_name_their_line() {
        let text = GOOD.replace("level = 2", "level = \"two\"");
        let e = parse(&text).unwrap_err();
        assert_eq!(e.line, 10);
    }
}
