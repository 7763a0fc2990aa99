//! Group registration: an employer's coordinator enrols their staff in one intake from a
//! pasted or uploaded list. `parse` reads the list, `check` puts every row through the
//! learner's own validation (with phone and date of birth optional) and the server's
//! screen, `quota` holds each account to its rows per 24 hours, and `store` places the rows
//! in order under the intake's lock. `submit` turns one POST into the preview or the result,
//! and `routes` is that multipart POST.

pub mod parse;
pub mod quota;
pub mod routes;
pub mod store;
pub mod submit;

use std::collections::HashMap;

use crate::error::FieldError;
use crate::registration::server::screen::screen;
use crate::registration::types::RegistrationForm;
use crate::registration::validate::{validate_as, Required, ValidRegistration};
use crate::server::email::email_key;

pub use parse::{parse, GroupRow, ParseError, MAX_BYTES, MAX_ROWS};

/// One row and what the checks made of it.
#[derive(Debug, Clone)]
pub struct Checked {
    pub row: GroupRow,
    pub result: Result<ValidRegistration, Vec<FieldError>>,
}

/// Checks every row for intake `intake` on `today`; `employer` is the organisation the
/// coordinator enrols for, kept as each learner's employer.
pub fn check(rows: Vec<GroupRow>, intake: &str, employer: &str, today: &str) -> Vec<Checked> {
    let mut seen: HashMap<String, u64> = HashMap::new();
    rows.into_iter()
        .map(|row| {
            let form = RegistrationForm {
                intake: intake.to_owned(),
                given_name: row.given_name.clone(),
                family_name: row.family_name.clone(),
                email: row.email.clone(),
                phone: row.phone.clone(),
                employer: employer.to_owned(),
                region: row.region.clone(),
                nsn: row.nsn.clone(),
                date_of_birth: row.date_of_birth.clone(),
                // The coordinator attests each learner's consent for the whole group.
                consent: Some("on".to_owned()),
            };
            let validated = validate_as(&form, today, Required::GROUP);
            let mut errors = match &validated {
                Ok(v) => screen(v).err().unwrap_or_default(),
                Err(e) => e.clone(),
            };
            for (field, value) in [
                ("given_name", &row.given_name),
                ("family_name", &row.family_name),
            ] {
                if crate::format::runs_as_formula(value) && !errors.iter().any(|e| e.field == field)
                {
                    errors.push(FieldError {
                        field: field.to_owned(),
                        message: "A name cannot start with =, +, - or @ (a spreadsheet would \
                                  run it as a formula)."
                            .to_owned(),
                    });
                }
            }
            if !row.email.trim().is_empty() {
                let key = email_key(row.email.trim());
                match seen.get(&key) {
                    Some(first) => errors.push(FieldError {
                        field: "email".to_owned(),
                        message: format!("This email is also on line {first}: each person once."),
                    }),
                    None => {
                        seen.insert(key, row.line);
                    }
                }
            }
            let result = match errors.is_empty() {
                true => validated,
                false => Err(errors),
            };
            Checked { row, result }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, given: &str, email: &str) -> GroupRow {
        GroupRow {
            line,
            given_name: given.to_owned(),
            family_name: "Ngata".to_owned(),
            email: email.to_owned(),
            region: "Gisborne".to_owned(),
            ..GroupRow::default()
        }
    }

    #[test]
    fn each_row_gets_its_own_problems_and_good_rows_pass() {
        let checked = check(
            vec![
                row(2, "Tama", "tama@example.co.nz"),
                row(3, "=HYPERLINK(\"http://x\")", "x@example.co.nz"),
                row(4, "Hemi", "not-an-email"),
                row(5, "Tama", "TAMA@example.co.nz"),
            ],
            "A06",
            "Ngāti Porou Forestry",
            "2026-11-28",
        );
        let v = checked[0].result.as_ref().unwrap();
        assert_eq!(v.learner.employer.as_deref(), Some("Ngāti Porou Forestry"));
        assert_eq!(v.learner.phone, "");
        let fields = |i: usize| -> Vec<String> {
            checked[i]
                .result
                .as_ref()
                .unwrap_err()
                .iter()
                .map(|e| e.field.clone())
                .collect()
        };
        assert_eq!(fields(1), ["given_name"]);
        assert_eq!(fields(2), ["email"]);
        let dup = checked[3].result.as_ref().unwrap_err();
        assert!(dup[0].message.contains("line 2"), "{dup:?}");
    }
}
