//! Registration form validation, written once: it runs in the browser for instant feedback
//! and again on the server, where it is the check that counts.

use crate::registration::types::{Learner, RegistrationForm, REGIONS};

pub use crate::error::FieldError;

/// A registration that passed every check, normalised for storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegistration {
    pub intake: String,
    pub learner: Learner,
}

/// Characters that can disguise text: controls, and bidirectional overrides/isolates.
fn is_disguising(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn name(field: &str, label: &str, value: &str, errors: &mut Vec<FieldError>) -> String {
    let v = value.trim();
    let err = |m: String| FieldError {
        field: field.to_owned(),
        message: m,
    };
    if v.is_empty() {
        errors.push(err(format!("Enter your {label}.")));
    } else if v.chars().count() > 100 {
        errors.push(err(format!(
            "Your {label} must be 100 characters or fewer."
        )));
    } else if v.chars().any(is_disguising) {
        errors.push(err(format!(
            "Your {label} contains a hidden or control character."
        )));
    } else if !v.chars().any(char::is_alphabetic) {
        errors.push(err(format!(
            "Your {label} must contain at least one letter."
        )));
    }
    v.to_owned()
}

/// A pragmatic email check: one @, a non-empty local part, a dotted domain, no spaces.
pub fn valid_email(v: &str) -> bool {
    let Some((local, domain)) = v.rsplit_once('@') else {
        return false;
    };
    v.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && !local.contains('@')
        && !local.chars().any(|c| "<>()[]\\,;:\"".contains(c))
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && v.chars()
            .all(|c| c.is_ascii_graphic() || (!c.is_ascii() && c.is_alphanumeric()))
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
}

/// Parses YYYY-MM-DD into (year, month, day) if it is a real calendar date.
pub fn parse_date(v: &str) -> Option<(i32, u32, u32)> {
    let mut p = v.split('-');
    let (y, m, d) = (p.next()?, p.next()?, p.next()?);
    if p.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some((y, m, d))
}

/// Which of the fields a learner must give may be left empty: a learner's own form needs
/// them all; an employer's group list needs only names, email and region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Required {
    pub phone: bool,
    pub date_of_birth: bool,
}

impl Required {
    pub const LEARNER: Self = Self {
        phone: true,
        date_of_birth: true,
    };
    pub const GROUP: Self = Self {
        phone: false,
        date_of_birth: false,
    };
}

/// Checks every field against `today` (YYYY-MM-DD) and returns all problems at once.
pub fn validate(
    form: &RegistrationForm,
    today: &str,
) -> Result<ValidRegistration, Vec<FieldError>> {
    validate_as(form, today, Required::LEARNER)
}

/// [`validate`], with the optional fields `required` says may be empty.
pub fn validate_as(
    form: &RegistrationForm,
    today: &str,
    required: Required,
) -> Result<ValidRegistration, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut err = |field: &str, message: &str| {
        errors.push(FieldError {
            field: field.to_owned(),
            message: message.to_owned(),
        })
    };
    let intake = form.intake.trim().to_owned();
    if intake.is_empty() || intake.len() > 40 {
        err("intake", "Choose an intake.");
    }
    let email = form.email.trim().to_owned();
    if email.is_empty() {
        err("email", "Enter your email address.");
    } else if !valid_email(&email) {
        err("email", "Enter an email address like name@example.co.nz.");
    }
    let phone = form.phone.trim().to_owned();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if phone.is_empty() {
        if required.phone {
            err("phone", "Enter a phone number.");
        }
    } else if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()".contains(c))
        || !(7..=15).contains(&digits)
    {
        err(
            "phone",
            "Enter a phone number of 7 to 15 digits, like 021 123 4567.",
        );
    }
    let employer = form.employer.trim().to_owned();
    if employer.chars().count() > 200 {
        err("employer", "Employer must be 200 characters or fewer.");
    } else if employer.chars().any(is_disguising) {
        err(
            "employer",
            "Employer contains a hidden or control character.",
        );
    }
    let region = form.region.trim().to_owned();
    if !REGIONS.contains(&region.as_str()) {
        err("region", "Choose your region.");
    }
    let nsn: String = form.nsn.chars().filter(|c| !c.is_whitespace()).collect();
    if !nsn.is_empty()
        && (!nsn.chars().all(|c| c.is_ascii_digit()) || !(6..=10).contains(&nsn.len()))
    {
        err(
            "nsn",
            "A National Student Number is 6 to 10 digits. Leave it empty if you don't know it.",
        );
    }
    let dob = form.date_of_birth.trim().to_owned();
    match (parse_date(&dob), parse_date(today)) {
        (None, _) if dob.is_empty() => {
            if required.date_of_birth {
                err("date_of_birth", "Enter your date of birth.");
            }
        }
        (None, _) => err(
            "date_of_birth",
            "Enter your date of birth as a real date, like 1990-04-23.",
        ),
        (Some(born), Some(now)) => {
            let age = now.0 - born.0 - i32::from((now.1, now.2) < (born.1, born.2));
            if !(14..=100).contains(&age) {
                err(
                    "date_of_birth",
                    "Learners must be between 14 and 100 years old.",
                );
            }
        }
        (Some(_), None) => {}
    }
    if form.consent.as_deref() != Some("on") {
        err("consent", "Tick the box to agree to the privacy statement.");
    }
    let given_name = name("given_name", "given name", &form.given_name, &mut errors);
    let family_name = name("family_name", "family name", &form.family_name, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidRegistration {
        intake,
        learner: Learner {
            given_name,
            family_name,
            email,
            phone,
            employer: (!employer.is_empty()).then_some(employer),
            region,
            nsn: (!nsn.is_empty()).then_some(nsn),
            date_of_birth: dob,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> RegistrationForm {
        RegistrationForm {
            intake: "A01".into(),
            given_name: "Māhina".into(),
            family_name: "Ngāti Tūhoe-Smith".into(),
            email: "mahina@example.co.nz".into(),
            phone: "021 123 4567".into(),
            employer: String::new(),
            region: "Bay of Plenty".into(),
            nsn: "123 456 789".into(),
            date_of_birth: "1990-04-23".into(),
            consent: Some("on".into()),
        }
    }

    #[test]
    fn macrons_and_optional_fields_pass() {
        let v = validate(&good(), "2026-11-28").unwrap();
        assert_eq!(v.learner.given_name, "Māhina");
        assert_eq!(v.learner.nsn.as_deref(), Some("123456789"));
        assert_eq!(v.learner.employer, None);
    }

    #[test]
    fn every_bad_field_is_reported_against_its_name() {
        let form = RegistrationForm {
            given_name: "\u{202E}evil".into(),
            family_name: "x".repeat(101),
            email: "not-an-email".into(),
            phone: "call me".into(),
            region: "Atlantis".into(),
            nsn: "12ab".into(),
            date_of_birth: "2023-02-30".into(),
            consent: None,
            ..Default::default()
        };
        let errors = validate(&form, "2026-11-28").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "intake",
            "given_name",
            "family_name",
            "email",
            "phone",
            "region",
            "nsn",
            "date_of_birth",
            "consent",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn emails() {
        assert!(valid_email("a.b+tag@example.co.nz"));
        assert!(!valid_email("a@b"));
        assert!(!valid_email("a b@example.com"));
        assert!(!valid_email("<script>@x.nz"));
        assert!(!valid_email("a@@example.com"));
    }

    #[test]
    fn age_limits_use_today() {
        let mut f = good();
        f.date_of_birth = "2013-11-29".into();
        assert!(validate(&f, "2026-11-28").is_err(), "12 years old");
        f.date_of_birth = "2012-11-28".into();
        assert!(validate(&f, "2026-11-28").is_ok(), "14 today");
    }
}
