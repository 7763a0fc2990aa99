//! The registrations table: filtered, scoped by organisation in SQL, newest first, pages of
//! 50. Only placeholder numbers are formatted into the statement; every value is bound.

use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::{Any, AnyPool};

use crate::auth::server::guard::Scope;
use crate::dashboard::types::{
    RegistrationRow, RegistrationsPage, RegistrationsQuery, REGISTRATIONS_PAGE,
};
use crate::error::AppError;
use crate::registration::types::RegistrationStatus;

#[derive(sqlx::FromRow)]
struct Row {
    reference: String,
    status: String,
    given_name: String,
    family_name: String,
    email: String,
    credential_title: String,
    intake_code: String,
    starts_on: String,
    created_at: String,
}

/// A bound value of the filter.
enum Bind {
    Int(i64),
    Text(String),
}

/// The WHERE clause for `scope` and `query`, and its values in placeholder order.
fn filter(scope: Scope, query: &RegistrationsQuery) -> (String, Vec<Bind>) {
    let mut clauses = Vec::new();
    let mut binds = Vec::new();
    let next = |b: Bind, binds: &mut Vec<Bind>| {
        binds.push(b);
        format!("${}", binds.len())
    };
    match scope {
        Scope::All => {}
        Scope::ProviderOrg(org) => {
            let p = next(Bind::Int(org), &mut binds);
            clauses.push(format!("i.provider_org_id = {p}"));
        }
        Scope::EmployerOrg(org) => {
            let p = next(Bind::Int(org), &mut binds);
            clauses.push(format!("r.employer_org_id = {p}"));
        }
    }
    if let Some(status) = query.status {
        let p = next(Bind::Text(status.as_str().to_owned()), &mut binds);
        clauses.push(format!("r.status = {p}"));
    }
    if !query.q.is_empty() {
        let escaped = query
            .q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let p = next(Bind::Text(format!("%{escaped}%")), &mut binds);
        clauses.push(format!(
            "(LOWER(r.given_name || ' ' || r.family_name) LIKE {p} ESCAPE '\\' \
             OR r.email_key LIKE {p} ESCAPE '\\' OR LOWER(r.reference) LIKE {p} ESCAPE '\\')"
        ));
    }
    let sql = match clauses.is_empty() {
        true => String::new(),
        false => format!("WHERE {}", clauses.join(" AND ")),
    };
    (sql, binds)
}

fn bind_all<'q, O>(
    mut q: QueryAs<'q, Any, O, AnyArguments<'q>>,
    binds: &[Bind],
) -> QueryAs<'q, Any, O, AnyArguments<'q>> {
    for b in binds {
        q = match b {
            Bind::Int(v) => q.bind(*v),
            Bind::Text(v) => q.bind(v.clone()),
        };
    }
    q
}

const FROM: &str = "FROM registrations r JOIN intakes i ON i.id = r.intake_id \
                    JOIN credentials c ON c.id = i.credential_id";

/// The page of `query` that `scope` may see, with the total for page links.
pub async fn page(
    pool: &AnyPool,
    scope: Scope,
    query: &RegistrationsQuery,
) -> Result<RegistrationsPage, AppError> {
    let (filter, binds) = filter(scope, query);
    let count_sql = format!("SELECT COUNT(*) {FROM} {filter}");
    let (total,): (i64,) = bind_all(sqlx::query_as(&count_sql), &binds)
        .fetch_one(pool)
        .await?;
    let pages = ((total + REGISTRATIONS_PAGE - 1) / REGISTRATIONS_PAGE).max(1);
    let page = query.page.clamp(1, pages);
    let n = binds.len();
    let rows_sql = format!(
        "SELECT r.reference, r.status, r.given_name, r.family_name, r.email, \
           c.title AS credential_title, i.code AS intake_code, i.starts_on, r.created_at \
         {FROM} {filter} ORDER BY r.id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let rows: Vec<Row> = bind_all(sqlx::query_as(&rows_sql), &binds)
        .bind(REGISTRATIONS_PAGE)
        .bind((page - 1) * REGISTRATIONS_PAGE)
        .fetch_all(pool)
        .await?;
    Ok(RegistrationsPage {
        rows: rows
            .into_iter()
            .map(|r| RegistrationRow {
                status: RegistrationStatus::parse(&r.status).unwrap_or(RegistrationStatus::Pending),
                reference: r.reference,
                given_name: r.given_name,
                family_name: r.family_name,
                email: r.email,
                credential_title: r.credential_title,
                intake_code: r.intake_code,
                starts_on: r.starts_on,
                registered_at: r.created_at,
            })
            .collect(),
        total,
        page,
        pages,
    })
}
