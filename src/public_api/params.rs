//! Query parameters, declared once: each endpoint's table of [`Spec`]s is both what the
//! OpenAPI document says (`documented`) and what a request is checked against (`parse`), so
//! the two cannot drift. Anything the document does not allow gets a 400 naming the
//! parameter; nothing is clamped or silently dropped.

use std::collections::HashMap;

use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{Required, Schema};

use crate::public_api::problem::ParamError;

/// What one parameter's values may be.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Free text up to this many characters (control characters are dropped later, as the
    /// search page drops them; the document allows them, so they are not refused).
    Text(usize),
    /// A URL key: lower-case letters, digits and hyphens, 1 to 64 characters.
    Key,
    /// A whole number within bounds.
    Int(i64, i64),
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// `true` or `false`.
    Bool,
    /// An ISO date, `2027-02-01`.
    Date,
}

/// One query parameter.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub name: &'static str,
    pub kind: Kind,
    /// Given any number of times (`sector=a&sector=b`); otherwise at most once.
    pub repeated: bool,
    pub description: &'static str,
}

pub const KEY_PATTERN: &str = "^[a-z0-9-]{1,64}$";
/// The largest `per_page`.
pub const MAX_PER_PAGE: i64 = 100;
pub const DEFAULT_PER_PAGE: i64 = 20;
/// The deepest page one may ask for.
pub const MAX_PAGE: i64 = 10_000;

pub const PAGE: Spec = Spec {
    name: "page",
    kind: Kind::Int(1, MAX_PAGE),
    repeated: false,
    description: "The page, from 1 (default 1). Past the last page the list is empty.",
};
pub const PER_PAGE: Spec = Spec {
    name: "per_page",
    kind: Kind::Int(1, MAX_PER_PAGE),
    repeated: false,
    description: "Items a page, 1 to 100 (default 20).",
};

impl Spec {
    fn value_schema(&self) -> ObjectBuilder {
        let b = ObjectBuilder::new();
        match self.kind {
            Kind::Text(max) => b.schema_type(Type::String).max_length(Some(max)),
            Kind::Key => b.schema_type(Type::String).pattern(Some(KEY_PATTERN)),
            Kind::Int(lo, hi) => b
                .schema_type(Type::Integer)
                .minimum(Some(lo as f64))
                .maximum(Some(hi as f64)),
            Kind::OneOf(words) => b
                .schema_type(Type::String)
                .enum_values(Some(words.iter().copied())),
            Kind::Bool => b.schema_type(Type::Boolean),
            Kind::Date => b
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        }
    }

    /// The parameter as the OpenAPI document declares it.
    pub fn documented(&self) -> Parameter {
        let schema = match self.repeated {
            true => Schema::Array(ArrayBuilder::new().items(self.value_schema()).build()),
            false => Schema::Object(self.value_schema().build()),
        };
        ParameterBuilder::new()
            .name(self.name)
            .parameter_in(ParameterIn::Query)
            .required(Required::False)
            .description(Some(self.description))
            .style(Some(ParameterStyle::Form))
            .explode(Some(true))
            .schema(Some(schema))
            .build()
    }

    /// Checks one value; `Err` says why it is not valid.
    fn check(&self, value: &str) -> Result<(), String> {
        match self.kind {
            Kind::Text(max) if value.chars().count() > max => {
                Err(format!("at most {max} characters"))
            }
            Kind::Text(_) => Ok(()),
            Kind::Key => match !value.is_empty()
                && value.len() <= 64
                && value
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                true => Ok(()),
                false => Err("lower-case letters, digits and hyphens, 1 to 64".to_owned()),
            },
            Kind::Int(lo, hi) => match value.parse::<i64>() {
                Ok(n) if (lo..=hi).contains(&n) => Ok(()),
                _ => Err(format!("a whole number from {lo} to {hi}")),
            },
            Kind::OneOf(words) if words.contains(&value) => Ok(()),
            Kind::OneOf(words) => Err(format!("one of {}", words.join(", "))),
            Kind::Bool if value == "true" || value == "false" => Ok(()),
            Kind::Bool => Err("true or false".to_owned()),
            Kind::Date => match crate::server::clock::parse_date(value) {
                Some(_) => Ok(()),
                None => Err("a date such as 2027-02-01".to_owned()),
            },
        }
    }
}

/// The parameters an endpoint takes, as the OpenAPI document lists them.
pub fn documented(specs: &[Spec]) -> Vec<Parameter> {
    specs.iter().map(Spec::documented).collect()
}

/// A request's parameters, each checked against its spec.
#[derive(Debug, Default)]
pub struct Parsed {
    values: HashMap<&'static str, Vec<String>>,
}

impl Parsed {
    pub fn all(&self, name: &str) -> &[String] {
        self.values.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn one(&self, name: &str) -> Option<&str> {
        self.all(name).first().map(String::as_str)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.one(name).and_then(|v| v.parse().ok())
    }

    pub fn flag(&self, name: &str) -> bool {
        self.one(name) == Some("true")
    }

    /// `page` and `per_page`, their defaults filled in.
    pub fn paging(&self) -> (u32, u32) {
        (
            self.int(PAGE.name).unwrap_or(1) as u32,
            self.int(PER_PAGE.name).unwrap_or(DEFAULT_PER_PAGE) as u32,
        )
    }
}

/// Reads a raw query string against `specs`. Parameters not in the table are ignored (a
/// client may add its own, such as a cache-buster); every other problem is listed.
pub fn parse(raw: Option<&str>, specs: &[Spec]) -> Result<Parsed, Vec<ParamError>> {
    let pairs: Vec<(String, String)> = match serde_html_form::from_str(raw.unwrap_or("")) {
        Ok(pairs) => pairs,
        Err(_) => {
            return Err(vec![ParamError::new(
                "query",
                "the query string is not valid URL encoding",
            )])
        }
    };
    let mut parsed = Parsed::default();
    let mut errors = Vec::new();
    for (name, value) in pairs {
        let Some(spec) = specs.iter().find(|s| s.name == name) else {
            continue;
        };
        let values = parsed.values.entry(spec.name).or_default();
        if !spec.repeated && !values.is_empty() {
            errors.push(ParamError::new(spec.name, "give it at most once"));
            continue;
        }
        match spec.check(&value) {
            Ok(()) => values.push(value),
            Err(why) => errors.push(ParamError::new(spec.name, format!("expected {why}"))),
        }
    }
    match errors.is_empty() {
        true => Ok(parsed),
        false => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: [Spec; 3] = [
        PAGE,
        PER_PAGE,
        Spec {
            name: "sector",
            kind: Kind::Key,
            repeated: true,
            description: "",
        },
    ];

    #[test]
    fn values_are_checked_against_their_spec_never_clamped() {
        let ok = parse(Some("sector=a&sector=b-2&page=3&other=x"), &SPECS).expect("valid");
        assert_eq!(ok.all("sector"), ["a", "b-2"]);
        assert_eq!(ok.paging(), (3, 20));
        for bad in [
            "per_page=0",
            "per_page=101",
            "page=0",
            "page=-1",
            "page=x",
            "page=",
            "sector=Forestry",
            "page=1&page=2",
            "sector=",
        ] {
            let errors = parse(Some(bad), &SPECS).expect_err(bad);
            assert_eq!(errors.len(), 1, "{bad}");
        }
        assert_eq!(
            parse(Some("per_page=100"), &SPECS).unwrap().paging(),
            (1, 100)
        );
    }
}
