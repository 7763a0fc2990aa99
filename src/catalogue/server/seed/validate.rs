//! Checks a parsed seed file against everything the database would reject and the
//! references between its records, so an import writes all of the file or none of it.

use std::collections::HashSet;
use std::ops::Range;

use time::Date;

use super::{resolve_date, CredentialSeed, Locator, SeedError, SeedFile};
use crate::catalogue::vocab::{DELIVERY_MODES, STATUSES};

fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 80
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn require_text(
    loc: &Locator,
    span: &Range<usize>,
    field: &str,
    value: &str,
    max: usize,
) -> Result<(), SeedError> {
    if value.trim().is_empty() {
        return Err(loc.error(span.clone(), field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(loc.error(
            span.clone(),
            field,
            format!("is longer than {max} characters"),
        ));
    }
    Ok(())
}

/// Checks every record; the first problem found is returned with its line.
pub fn validate(file: &SeedFile, text: &str, today: Date) -> Result<(), SeedError> {
    let loc = Locator::new(text);
    let mut sectors = HashSet::new();
    for s in &file.sector {
        let span = s.span();
        if !valid_slug(&s.get_ref().slug) {
            return Err(loc.error(span, "slug", "use lower-case letters, digits and hyphens"));
        }
        require_text(&loc, &span, "name", &s.get_ref().name, 80)?;
        if !sectors.insert(s.get_ref().slug.as_str()) {
            return Err(loc.error(span, "slug", "this sector is listed twice"));
        }
    }
    let mut schemes = HashSet::new();
    for f in &file.funding_scheme {
        let (span, f) = (f.span(), f.get_ref());
        if !valid_slug(&f.code) {
            return Err(loc.error(span, "code", "use lower-case letters, digits and hyphens"));
        }
        require_text(&loc, &span, "name", &f.name, 200)?;
        let from = resolve_date(&f.valid_from, today)
            .map_err(|m| loc.error(span.clone(), "valid_from", m))?;
        if let Some(to) = &f.valid_to {
            let to = resolve_date(to, today).map_err(|m| loc.error(span.clone(), "valid_to", m))?;
            if to < from {
                return Err(loc.error(span, "valid_to", "is before valid_from"));
            }
        }
        if !schemes.insert(f.code.as_str()) {
            return Err(loc.error(span, "code", "this scheme is listed twice"));
        }
    }
    let mut standards = HashSet::new();
    for u in &file.unit_standard {
        let (span, u) = (u.span(), u.get_ref());
        if !(1..=999_999).contains(&u.number) {
            return Err(loc.error(span, "number", "must be a positive standard number"));
        }
        require_text(&loc, &span, "title", &u.title, 300)?;
        if u.level.is_some_and(|l| !(1..=10).contains(&l)) {
            return Err(loc.error(span, "level", "NZQCF levels run from 1 to 10"));
        }
        if u.credits.is_some_and(|c| c < 1) {
            return Err(loc.error(span, "credits", "must be at least 1"));
        }
        if !standards.insert(u.number) {
            return Err(loc.error(span, "number", "this standard is listed twice"));
        }
    }
    let mut slugs = HashSet::new();
    for c in &file.credential {
        let (span, c) = (c.span(), c.get_ref());
        if !valid_slug(&c.slug) {
            return Err(loc.error(span, "slug", "use lower-case letters, digits and hyphens"));
        }
        if !slugs.insert(c.slug.as_str()) {
            return Err(loc.error(span, "slug", "this slug is used by another credential"));
        }
        require_text(&loc, &span, "title", &c.title, 200)?;
        for (field, value) in [
            ("summary", &c.summary),
            ("purpose", &c.purpose),
            ("outcomes", &c.outcomes),
            ("entry_requirements", &c.entry_requirements),
        ] {
            require_text(&loc, &span, field, value, 4000)?;
        }
        if !sectors.contains(c.sector.as_str()) {
            return Err(loc.error(
                span,
                "sector",
                format!("`{}` is not a [[sector]] in this file", c.sector),
            ));
        }
        if !(1..=10).contains(&c.level) {
            return Err(loc.error(span, "level", "NZQCF levels run from 1 to 10"));
        }
        if !(1..=40).contains(&c.credits) {
            return Err(loc.error(span, "credits", "a micro-credential has 1 to 40 credits"));
        }
        if !STATUSES.contains(&c.status.as_str()) {
            return Err(loc.error(span, "status", "must be current, expiring or discontinued"));
        }
        if let Some(m) = c
            .delivery_modes
            .iter()
            .find(|m| !DELIVERY_MODES.iter().any(|(v, _)| v == m))
        {
            return Err(loc.error(
                span,
                "delivery_modes",
                format!("`{m}` is not one of on-job, workshop, online, blended"),
            ));
        }
        if let Some(n) = c.standards.iter().find(|n| !standards.contains(n)) {
            return Err(loc.error(
                span,
                "standards",
                format!("{n} is not a [[unit_standard]] in this file"),
            ));
        }
        if let Some(f) = c
            .funding
            .iter()
            .find(|f| !schemes.contains(f.scheme.as_str()))
        {
            return Err(loc.error(
                span,
                "funding",
                format!("`{}` is not a [[funding_scheme]] in this file", f.scheme),
            ));
        }
        validate_intakes(&loc, &span, c, today)?;
    }
    Ok(())
}

fn validate_intakes(
    loc: &Locator,
    span: &Range<usize>,
    c: &CredentialSeed,
    today: Date,
) -> Result<(), SeedError> {
    let mut codes = HashSet::new();
    for (i, intake) in c.intake.iter().enumerate() {
        let err = |field: &str, m: String| loc.intake_error(span, i, field, m);
        if intake.code.trim().is_empty() || intake.code.len() > 40 {
            return Err(err("code", "must be 1 to 40 characters".into()));
        }
        if !codes.insert(intake.code.as_str()) {
            return Err(err(
                "code",
                format!("`{}` is used by another intake", intake.code),
            ));
        }
        let starts = resolve_date(&intake.starts, today).map_err(|m| err("starts", m))?;
        let ends = resolve_date(&intake.ends, today).map_err(|m| err("ends", m))?;
        let opens =
            resolve_date(&intake.enrolment_opens, today).map_err(|m| err("enrolment_opens", m))?;
        let closes = resolve_date(&intake.enrolment_closes, today)
            .map_err(|m| err("enrolment_closes", m))?;
        if ends < starts {
            return Err(err("ends", "is before the start".into()));
        }
        if closes < opens {
            return Err(err("enrolment_closes", "is before enrolment opens".into()));
        }
        if closes > ends {
            return Err(err("enrolment_closes", "is after the intake ends".into()));
        }
        if intake.region.trim().is_empty() {
            return Err(err("region", "name a region, or Online".into()));
        }
        if !DELIVERY_MODES
            .iter()
            .any(|(v, _)| *v == intake.delivery_mode)
        {
            return Err(err(
                "delivery_mode",
                "must be on-job, workshop, online or blended".into(),
            ));
        }
        if !intake.fee.is_finite() || intake.fee < 0.0 || intake.fee > 100_000.0 {
            return Err(err("fee", "must be between 0 and 100000 dollars".into()));
        }
        if !(0..=10_000).contains(&intake.capacity) {
            return Err(err("capacity", "must be between 0 and 10000 seats".into()));
        }
        if !(0..=10_000).contains(&intake.waitlist) {
            return Err(err("waitlist", "must be between 0 and 10000 places".into()));
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
    fn type_errors_name_their_line() {
        let text = GOOD.replace("level = 2", "level = \"two\"");
        let e = parse(&text).unwrap_err();
        assert_eq!(e.line, 10);
    }
}
