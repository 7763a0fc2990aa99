//! Building the dashboard's statements: values are always bound, only placeholder numbers
//! are formatted into the SQL, and every statement that reads registrations goes through
//! `scoped`, so no query can forget the organisation.

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::Any;

use crate::auth::server::guard::Scope;

/// A bound value.
#[derive(Debug, Clone)]
pub enum Bind {
    Int(i64),
    Text(String),
}

/// The values of a statement, in placeholder order.
#[derive(Debug, Default, Clone)]
pub struct Binds(Vec<Bind>);

impl Binds {
    /// Adds `b` and returns its placeholder (`$3`).
    pub fn push(&mut self, b: Bind) -> String {
        self.0.push(b);
        format!("${}", self.0.len())
    }

    pub fn int(&mut self, v: i64) -> String {
        self.push(Bind::Int(v))
    }

    pub fn text(&mut self, v: impl Into<String>) -> String {
        self.push(Bind::Text(v.into()))
    }

    pub fn to<'q, O>(
        &self,
        mut q: QueryAs<'q, Any, O, AnyArguments<'q>>,
    ) -> QueryAs<'q, Any, O, AnyArguments<'q>> {
        for b in &self.0 {
            q = match b {
                Bind::Int(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.clone()),
            };
        }
        q
    }

    pub fn to_query<'q>(
        &self,
        mut q: Query<'q, Any, AnyArguments<'q>>,
    ) -> Query<'q, Any, AnyArguments<'q>> {
        for b in &self.0 {
            q = match b {
                Bind::Int(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.clone()),
            };
        }
        q
    }

    pub fn to_scalar<'q, O>(
        &self,
        mut q: QueryScalar<'q, Any, O, AnyArguments<'q>>,
    ) -> QueryScalar<'q, Any, O, AnyArguments<'q>> {
        for b in &self.0 {
            q = match b {
                Bind::Int(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.clone()),
            };
        }
        q
    }
}

/// Registrations `r` joined to their intake `i` and credential `c`.
pub const FROM: &str = "FROM registrations r JOIN intakes i ON i.id = r.intake_id \
                        JOIN credentials c ON c.id = i.credential_id";

/// The condition that keeps a query of registrations `r` to what `scope` may see, on the
/// registration's own columns (its provider is kept equal to its intake's by the database);
/// `1 = 1` for an admin.
pub fn scoped(scope: Scope, binds: &mut Binds) -> String {
    scoped_on("r", scope, binds)
}

/// The same for any table `alias` with the registrations' `provider_org_id` and
/// `employer_org_id` columns (the intake tallies `t`, the daily counts `d`).
pub fn scoped_on(alias: &str, scope: Scope, binds: &mut Binds) -> String {
    match scope {
        Scope::All => "1 = 1".to_owned(),
        Scope::ProviderOrg(org) => format!("{alias}.provider_org_id = {}", binds.int(org)),
        Scope::EmployerOrg(org) => format!("{alias}.employer_org_id = {}", binds.int(org)),
    }
}

/// `text` as a `LIKE` pattern that matches it anywhere, its wildcards escaped (use with
/// `ESCAPE '\'`).
pub fn contains_pattern(text: &str) -> String {
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
