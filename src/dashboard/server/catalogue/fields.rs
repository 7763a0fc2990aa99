//! Each record's form: its fields (what the page draws) and the conversion between the
//! form's text values and the catalogue file's record types, so the editor checks a record
//! with the import's own rules (`catalogue::server::seed::rules`) and the same words.

use std::collections::BTreeMap;

use crate::catalogue::server::seed::{
    CredentialSeed, FundingLinkSeed, FundingSchemeSeed, IntakeSeed, Problem, SectorSeed,
    UnitStandardSeed,
};
use crate::catalogue::vocab::{DELIVERY_MODES, STATUSES};
use crate::dashboard::types::{Choice, Control, FormField};

pub type Values = BTreeMap<String, String>;

/// A record of any kind, as the file format holds it (a credential without its intakes).
#[derive(Debug, Clone)]
pub enum Record {
    Sector(SectorSeed),
    UnitStandard(UnitStandardSeed),
    FundingScheme(FundingSchemeSeed),
    Credential(Box<CredentialSeed>),
    Intake(IntakeSeed),
}

fn field(name: &str, label: &str, hint: &str, control: Control) -> FormField {
    FormField {
        name: name.to_owned(),
        label: label.to_owned(),
        hint: hint.to_owned(),
        control,
        fixed: false,
    }
}

fn choices<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<Choice> {
    pairs
        .into_iter()
        .map(|(value, label)| Choice {
            value: value.to_owned(),
            label: label.to_owned(),
        })
        .collect()
}

/// The choices the forms offer from the catalogue itself.
#[derive(Debug, Default, Clone)]
pub struct Options {
    pub sectors: Vec<Choice>,
    pub schemes: Vec<Choice>,
    pub providers: Vec<Choice>,
}

pub fn sector_fields() -> Vec<FormField> {
    vec![
        field(
            "slug",
            "Slug",
            "Its address: lower-case letters, digits and hyphens. It cannot change later.",
            Control::Text,
        ),
        field("name", "Name", "", Control::Text),
    ]
}

pub fn unit_standard_fields() -> Vec<FormField> {
    vec![
        field(
            "number",
            "Standard number",
            "NZQA's number. It cannot change later.",
            Control::Number,
        ),
        field("version", "Version", "", Control::Number),
        field("title", "Title", "", Control::Text),
        field("level", "NZQCF level", "1 to 10", Control::Number),
        field("credits", "Credits", "", Control::Number),
        field("domain", "Domain", "", Control::Text),
        field(
            "source_url",
            "Source",
            "Web addresses of its public source, separated by spaces.",
            Control::Text,
        ),
    ]
}

pub fn funding_scheme_fields() -> Vec<FormField> {
    vec![
        field(
            "code",
            "Code",
            "Lower-case letters, digits and hyphens. It cannot change later.",
            Control::Text,
        ),
        field("name", "Name", "", Control::Text),
        field("description", "Description", "", Control::LongText),
        field("valid_from", "Open from", "", Control::Date),
        field(
            "valid_to",
            "Open until",
            "Leave empty for a scheme with no end date.",
            Control::Date,
        ),
        field(
            "source_url",
            "Source",
            "Web addresses of its public source, separated by spaces.",
            Control::Text,
        ),
    ]
}

pub fn credential_fields(o: &Options) -> Vec<FormField> {
    let statuses = choices(STATUSES.iter().map(|s| (*s, *s)));
    vec![
        field(
            "slug",
            "Slug",
            "Its address, /credentials/{slug}. It cannot change later.",
            Control::Text,
        ),
        field("title", "Title", "", Control::Text),
        field("sector", "Sector", "", Control::Select(o.sectors.clone())),
        field(
            "status",
            "NZQA status",
            "Expiring and discontinued micro-credentials take no new intakes.",
            Control::Select(statuses),
        ),
        field("level", "NZQCF level", "1 to 10", Control::Number),
        field("credits", "Credits", "1 to 40", Control::Number),
        field("nzqa_ref", "NZQA reference", "", Control::Number),
        field("nzqa_version", "NZQA version", "", Control::Number),
        field(
            "nzsced_code",
            "NZSCED field of study",
            "Six digits, such as 030101.",
            Control::Text,
        ),
        field("review_date", "Next NZQA review", "", Control::Date),
        field(
            "delivery_modes",
            "Delivery",
            "",
            Control::Checks(choices(DELIVERY_MODES)),
        ),
        field("developer", "Developer", "", Control::Text),
        field(
            "summary",
            "Summary",
            "One or two sentences for the search results.",
            Control::LongText,
        ),
        field("purpose", "Purpose statement", "", Control::LongText),
        field(
            "outcomes",
            "Outcomes (graduate profile)",
            "",
            Control::LongText,
        ),
        field(
            "education_pathway",
            "Education pathway",
            "",
            Control::LongText,
        ),
        field(
            "employment_pathway",
            "Employment and cultural pathway",
            "",
            Control::LongText,
        ),
        field(
            "entry_requirements",
            "Entry requirements",
            "",
            Control::LongText,
        ),
        field(
            "standards",
            "Unit standards",
            "Their numbers in order, separated by commas.",
            Control::Text,
        ),
        field(
            "standards_verified",
            "The unit standards are verified from a public source",
            "",
            Control::Check,
        ),
        field(
            "funding",
            "Funding",
            "",
            Control::Funding(o.schemes.clone()),
        ),
        field(
            "source_url",
            "Source",
            "Web addresses of its public source, separated by spaces.",
            Control::Text,
        ),
        field(
            "data_note",
            "Data note",
            "Which facts are sample data; the detail page shows it.",
            Control::LongText,
        ),
    ]
}

/// An intake's fields; `providers` is the choice an administrator has (a provider's
/// coordinator adds intakes for their own organisation only).
pub fn intake_fields(o: &Options, choose_provider: bool) -> Vec<FormField> {
    let mut fields = vec![
        field(
            "code",
            "Code",
            "Unique among this micro-credential's intakes. It cannot change later.",
            Control::Text,
        ),
        field("starts", "Starts", "", Control::Date),
        field("ends", "Ends", "", Control::Date),
        field("enrolment_opens", "Enrolment opens", "", Control::Date),
        field("enrolment_closes", "Enrolment closes", "", Control::Date),
        field(
            "region",
            "Region",
            "A town or region, or Online.",
            Control::Text,
        ),
        field(
            "delivery_mode",
            "Delivery",
            "",
            Control::Select(choices(DELIVERY_MODES)),
        ),
        field(
            "fee",
            "Fee (NZ$, GST inclusive)",
            "Dollars and cents, such as 1250.50.",
            Control::Text,
        ),
        field("capacity", "Seats", "", Control::Number),
        field("waitlist", "Waitlist places", "", Control::Number),
    ];
    let provider = field(
        "provider",
        "Provider",
        "",
        Control::Select(o.providers.clone()),
    );
    let mut provider = provider;
    provider.fixed = !choose_provider;
    fields.insert(1, provider);
    fields
}

fn opt_text(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn opt_num(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// A fee in cents as the form writes it: dollars, with cents when there are any.
pub fn fee_text(fee: f64) -> String {
    let cents = (fee * 100.0).round() as i64;
    match cents % 100 {
        0 => (cents / 100).to_string(),
        c => format!("{}.{c:02}", cents / 100),
    }
}

/// The record as the form's text values.
pub fn values_of(record: &Record) -> Values {
    let mut v = Values::new();
    let mut put = |k: &str, s: String| {
        v.insert(k.to_owned(), s);
    };
    match record {
        Record::Sector(s) => {
            put("slug", s.slug.clone());
            put("name", s.name.clone());
        }
        Record::UnitStandard(u) => {
            put("number", u.number.to_string());
            put("version", opt_num(u.version));
            put("title", u.title.clone());
            put("level", opt_num(u.level));
            put("credits", opt_num(u.credits));
            put("domain", u.domain.clone());
            put("source_url", opt_text(&u.source_url));
        }
        Record::FundingScheme(f) => {
            put("code", f.code.clone());
            put("name", f.name.clone());
            put("description", f.description.clone());
            put("valid_from", f.valid_from.clone());
            put("valid_to", opt_text(&f.valid_to));
            put("source_url", opt_text(&f.source_url));
        }
        Record::Credential(c) => {
            for (k, s) in [
                ("slug", &c.slug),
                ("title", &c.title),
                ("sector", &c.sector),
                ("status", &c.status),
                ("developer", &c.developer),
                ("summary", &c.summary),
                ("purpose", &c.purpose),
                ("outcomes", &c.outcomes),
                ("education_pathway", &c.education_pathway),
                ("employment_pathway", &c.employment_pathway),
                ("entry_requirements", &c.entry_requirements),
                ("data_note", &c.data_note),
            ] {
                put(k, s.clone());
            }
            put("level", c.level.to_string());
            put("credits", c.credits.to_string());
            put("nzqa_ref", opt_num(c.nzqa_ref));
            put("nzqa_version", opt_num(c.nzqa_version));
            put("nzsced_code", opt_text(&c.nzsced_code));
            put("review_date", opt_text(&c.review_date));
            put("source_url", opt_text(&c.source_url));
            for m in &c.delivery_modes {
                put(&format!("delivery_modes.{m}"), "on".into());
            }
            let standards: Vec<String> = c.standards.iter().map(i64::to_string).collect();
            put("standards", standards.join(", "));
            if c.standards_verified {
                put("standards_verified", "on".into());
            }
            for f in &c.funding {
                let eligible = if f.eligible {
                    "eligible"
                } else {
                    "not-eligible"
                };
                put(&format!("funding.{}", f.scheme), eligible.into());
                put(&format!("funding_note.{}", f.scheme), f.note.clone());
            }
        }
        Record::Intake(i) => {
            for (k, s) in [
                ("code", &i.code),
                ("provider", &i.provider),
                ("starts", &i.starts),
                ("ends", &i.ends),
                ("enrolment_opens", &i.enrolment_opens),
                ("enrolment_closes", &i.enrolment_closes),
                ("region", &i.region),
                ("delivery_mode", &i.delivery_mode),
            ] {
                put(k, s.clone());
            }
            put("fee", fee_text(i.fee));
            put("capacity", i.capacity.to_string());
            put("waitlist", i.waitlist.to_string());
        }
    }
    v
}

/// Reads the form's text values; problems of form (a number that is not one) are the
/// reader's, everything else the rules'.
pub struct Reader<'a> {
    values: &'a Values,
    pub problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    pub fn new(values: &'a Values) -> Self {
        Self {
            values,
            problems: Vec::new(),
        }
    }

    fn raw(&self, name: &str) -> &str {
        self.values.get(name).map(|s| s.trim()).unwrap_or_default()
    }

    pub fn text(&self, name: &str) -> String {
        self.raw(name).to_owned()
    }

    pub fn opt_text(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|s| !s.is_empty())
    }

    pub fn flag(&self, name: &str) -> bool {
        !self.raw(name).is_empty()
    }

    pub fn opt_num(&mut self, name: &'static str) -> Option<i64> {
        let raw = self.raw(name);
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.problems.push(Problem {
                    field: name,
                    message: "Enter a whole number.".to_owned(),
                });
                None
            }
        }
    }

    /// A number the record must have; 0 stands in for a missing one, whose problem is
    /// already noted.
    pub fn num(&mut self, name: &'static str) -> i64 {
        if self.raw(name).is_empty() {
            self.problems.push(Problem {
                field: name,
                message: "Enter a whole number.".to_owned(),
            });
            return 0;
        }
        self.opt_num(name).unwrap_or(0)
    }

    /// Dollars and cents; -1 stands in for what is not an amount (the rules refuse it).
    pub fn money(&mut self, name: &'static str) -> f64 {
        let raw = self.raw(name).trim_start_matches('$').replace(',', "");
        match raw.parse::<f64>() {
            Ok(n) if !raw.is_empty() => n,
            _ => {
                self.problems.push(Problem {
                    field: name,
                    message: "Enter the fee in dollars and cents, such as 1250.50.".to_owned(),
                });
                -1.0
            }
        }
    }

    /// The values `{prefix}.{x}` set, as `(x, value)`.
    pub fn group(&self, prefix: &str) -> Vec<(String, String)> {
        let start = format!("{prefix}.");
        self.values
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix(&start)
                    .map(|x| (x.to_owned(), v.trim().to_owned()))
            })
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }

    /// A list of whole numbers separated by commas or spaces.
    pub fn numbers(&mut self, name: &'static str) -> Vec<i64> {
        let mut out = Vec::new();
        let raw = self.raw(name).to_owned();
        for part in raw.split([',', ' ', ';']).filter(|p| !p.is_empty()) {
            match part.parse::<i64>() {
                Ok(n) => out.push(n),
                Err(_) => {
                    self.problems.push(Problem {
                        field: name,
                        message: format!("`{part}` is not a standard number."),
                    });
                }
            }
        }
        out
    }
}

/// A credential from its form; its intakes are not part of it.
pub fn credential_from(r: &mut Reader<'_>) -> CredentialSeed {
    let delivery_modes = DELIVERY_MODES
        .iter()
        .map(|(m, _)| *m)
        .filter(|m| r.flag(&format!("delivery_modes.{m}")))
        .map(str::to_owned)
        .collect();
    let notes: BTreeMap<String, String> = r.group("funding_note").into_iter().collect();
    let funding = r
        .group("funding")
        .into_iter()
        .map(|(scheme, choice)| FundingLinkSeed {
            note: notes.get(&scheme).cloned().unwrap_or_default(),
            eligible: choice == "eligible",
            scheme,
        })
        .collect();
    CredentialSeed {
        slug: r.text("slug"),
        title: r.text("title"),
        nzqa_ref: r.opt_num("nzqa_ref"),
        nzqa_version: r.opt_num("nzqa_version"),
        sector: r.text("sector"),
        level: r.num("level"),
        credits: r.num("credits"),
        status: r.text("status"),
        nzsced_code: r.opt_text("nzsced_code"),
        review_date: r.opt_text("review_date"),
        delivery_modes,
        developer: r.text("developer"),
        summary: r.text("summary"),
        purpose: r.text("purpose"),
        outcomes: r.text("outcomes"),
        education_pathway: r.text("education_pathway"),
        employment_pathway: r.text("employment_pathway"),
        entry_requirements: r.text("entry_requirements"),
        source_url: r.opt_text("source_url"),
        data_note: r.text("data_note"),
        standards: r.numbers("standards"),
        standards_verified: r.flag("standards_verified"),
        funding,
        intake: Vec::new(),
    }
}

pub fn intake_from(r: &mut Reader<'_>) -> IntakeSeed {
    IntakeSeed {
        code: r.text("code"),
        starts: r.text("starts"),
        ends: r.text("ends"),
        enrolment_opens: r.text("enrolment_opens"),
        enrolment_closes: r.text("enrolment_closes"),
        region: r.text("region"),
        delivery_mode: r.text("delivery_mode"),
        provider: r.text("provider"),
        fee: r.money("fee"),
        capacity: r.num("capacity"),
        waitlist: r.opt_num("waitlist").unwrap_or(0),
        cancelled: None,
    }
}

pub fn unit_standard_from(r: &mut Reader<'_>) -> UnitStandardSeed {
    UnitStandardSeed {
        number: r.num("number"),
        version: r.opt_num("version"),
        title: r.text("title"),
        level: r.opt_num("level"),
        credits: r.opt_num("credits"),
        domain: r.text("domain"),
        source_url: r.opt_text("source_url"),
    }
}

pub fn funding_scheme_from(r: &mut Reader<'_>) -> FundingSchemeSeed {
    FundingSchemeSeed {
        code: r.text("code"),
        name: r.text("name"),
        description: r.text("description"),
        valid_from: r.text("valid_from"),
        valid_to: r.opt_text("valid_to"),
        source_url: r.opt_text("source_url"),
    }
}

pub fn sector_from(r: &mut Reader<'_>) -> SectorSeed {
    SectorSeed {
        slug: r.text("slug"),
        name: r.text("name"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_read_back_to_the_cent() {
        for fee in [0.0, 12.5, 1250.05, 99999.99] {
            let mut v = Values::new();
            v.insert("fee".into(), fee_text(fee));
            let mut r = Reader::new(&v);
            assert_eq!(
                ((r.money("fee") * 100.0).round()),
                (fee * 100.0_f64).round()
            );
            assert!(r.problems.is_empty());
        }
        assert_eq!(fee_text(1250.5), "1250.50");
    }

    #[test]
    fn a_credential_survives_its_form() {
        let text = include_str!("../../../../seed/catalogue.toml");
        let file = crate::catalogue::server::seed::parse_toml(text)
            .unwrap()
            .file;
        for c in file.credential.iter().take(10) {
            let mut c = c.clone();
            c.intake.clear();
            c.funding.sort_by(|a, b| a.scheme.cmp(&b.scheme));
            let order = |m: &String| DELIVERY_MODES.iter().position(|(v, _)| v == m);
            c.delivery_modes.sort_by_key(order);
            let v = values_of(&Record::Credential(Box::new(c.clone())));
            let mut r = Reader::new(&v);
            let back = credential_from(&mut r);
            assert!(r.problems.is_empty(), "{:?}", r.problems);
            assert_eq!(format!("{back:?}"), format!("{c:?}"));
        }
    }
}
