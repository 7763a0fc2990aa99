//! The registrations table: filtered, sorted, scoped by organisation in SQL, pages of 50,
//! and the filter choices this coordinator may pick from. The CSV export reads the same
//! filter and order (`where_clause`, `order`) a keyset page at a time.

use sqlx::AnyPool;

use crate::auth::server::guard::Scope;
use crate::dashboard::server::sql::{contains_pattern, scoped, Binds, FROM};
use crate::dashboard::types::{
    FilterChoice, FilterChoices, RegistrationRow, RegistrationsPage, RegistrationsQuery, Sort,
    REGISTRATIONS_PAGE,
};
use crate::error::AppError;
use crate::registration::types::RegistrationStatus;

/// A registration as the table and the export read it.
#[derive(sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub reference: String,
    pub status: String,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub phone: String,
    pub employer: Option<String>,
    pub region: String,
    pub credential_title: String,
    pub intake_code: String,
    pub starts_on: String,
    pub created_at: String,
    pub sort_a: String,
    pub sort_b: String,
}

impl Row {
    pub fn status(&self) -> RegistrationStatus {
        RegistrationStatus::parse(&self.status).unwrap_or(RegistrationStatus::Pending)
    }
}

pub const COLUMNS: &str = "r.id, r.reference, r.status, r.given_name, r.family_name, r.email, \
    r.phone, r.employer, r.region, c.title AS credential_title, i.code AS intake_code, \
    i.starts_on, r.created_at";

/// The WHERE clause (scope first) for `query`.
pub fn where_clause(scope: Scope, query: &RegistrationsQuery, binds: &mut Binds) -> String {
    let mut clauses = vec![scoped(scope, binds)];
    if let Some(status) = query.status {
        clauses.push(format!("r.status = {}", binds.text(status.as_str())));
    }
    if !query.q.is_empty() {
        let p = binds.text(contains_pattern(&query.q));
        clauses.push(format!(
            "(LOWER(r.given_name || ' ' || r.family_name) LIKE {p} ESCAPE '\\' \
             OR r.email_key LIKE {p} ESCAPE '\\' OR LOWER(r.reference) LIKE {p} ESCAPE '\\')"
        ));
    }
    if !query.credential.is_empty() {
        clauses.push(format!("c.slug = {}", binds.text(query.credential.clone())));
    }
    if let Some(intake) = query.intake {
        clauses.push(format!("i.id = {}", binds.int(intake)));
    }
    // created_at is an ISO-8601 UTC timestamp, so day bounds compare as text.
    if !query.from.is_empty() {
        clauses.push(format!(
            "r.created_at >= {}",
            binds.text(query.from.clone())
        ));
    }
    if !query.to.is_empty() {
        clauses.push(format!(
            "r.created_at < {}",
            binds.text(format!("{}T99", query.to))
        ));
    }
    if let Some(employer) = query.employer {
        clauses.push(format!("r.employer_org_id = {}", binds.int(employer)));
    }
    format!("WHERE {}", clauses.join(" AND "))
}

/// The order's two text keys (then `r.id`) and whether it runs downwards.
pub fn order(sort: Sort) -> (&'static str, &'static str, bool) {
    match sort {
        Sort::Newest => ("''", "''", true),
        Sort::Oldest => ("''", "''", false),
        Sort::Name => ("LOWER(r.family_name)", "LOWER(r.given_name)", false),
        Sort::Starts => ("i.starts_on", "''", false),
    }
}

/// `SELECT … ORDER BY` for `query`, with the sort keys selected as `sort_a`, `sort_b`.
/// Newest and oldest order by the id alone, so the database walks its primary key.
pub fn select(where_sql: &str, sort: Sort) -> String {
    let (a, b, desc) = order(sort);
    let dir = if desc { "DESC" } else { "ASC" };
    let keys = match sort {
        Sort::Newest | Sort::Oldest => format!("r.id {dir}"),
        Sort::Name | Sort::Starts => format!("{a} {dir}, {b} {dir}, r.id {dir}"),
    };
    format!("SELECT {COLUMNS}, {a} AS sort_a, {b} AS sort_b {FROM} {where_sql} ORDER BY {keys}")
}

impl From<Row> for RegistrationRow {
    fn from(r: Row) -> Self {
        RegistrationRow {
            status: r.status(),
            reference: r.reference,
            given_name: r.given_name,
            family_name: r.family_name,
            email: r.email,
            credential_title: r.credential_title,
            intake_code: r.intake_code,
            starts_on: r.starts_on,
            registered_at: r.created_at,
        }
    }
}

/// The page of `query` that `scope` may see, with the total for page links.
pub async fn page(
    pool: &AnyPool,
    scope: Scope,
    query: &RegistrationsQuery,
) -> Result<RegistrationsPage, AppError> {
    let mut binds = Binds::default();
    let filter = where_clause(scope, query, &mut binds);
    let total: i64 = binds
        .to_scalar(sqlx::query_scalar(&format!(
            "SELECT COUNT(*) {FROM} {filter}"
        )))
        .fetch_one(pool)
        .await?;
    let pages = ((total + REGISTRATIONS_PAGE - 1) / REGISTRATIONS_PAGE).max(1);
    let page = query.page.clamp(1, pages);
    let mut page_binds = binds.clone();
    let limit = page_binds.int(REGISTRATIONS_PAGE);
    let offset = page_binds.int((page - 1) * REGISTRATIONS_PAGE);
    let sql = format!(
        "{} LIMIT {limit} OFFSET {offset}",
        select(&filter, query.sort)
    );
    let rows: Vec<Row> = page_binds.to(sqlx::query_as(&sql)).fetch_all(pool).await?;
    Ok(RegistrationsPage {
        rows: rows.into_iter().map(RegistrationRow::from).collect(),
        total,
        page,
        pages,
        choices: choices(pool, scope, &query.credential).await?,
    })
}

#[derive(sqlx::FromRow)]
struct Choice {
    value: String,
    label: String,
}

/// Most choices one filter offers.
const MAX_CHOICES: i64 = 500;

/// The credentials and employers this coordinator's registrations involve, and the intakes
/// of the chosen credential.
async fn choices(
    pool: &AnyPool,
    scope: Scope,
    credential: &str,
) -> Result<FilterChoices, AppError> {
    let list = |sql: String| async move {
        let mut binds = Binds::default();
        let sql = sql.replace("{scope}", &scoped(scope, &mut binds));
        let sql = match sql.contains("{credential}") {
            true => sql.replace("{credential}", &binds.text(credential)),
            false => sql,
        };
        let sql = format!("{sql} LIMIT {}", binds.int(MAX_CHOICES));
        let rows: Vec<Choice> = binds.to(sqlx::query_as(&sql)).fetch_all(pool).await?;
        Ok::<_, AppError>(
            rows.into_iter()
                .map(|c| FilterChoice {
                    value: c.value,
                    label: c.label,
                })
                .collect(),
        )
    };
    // Intakes and credentials come from the intakes this scope may see, registrations or not.
    let intake_scope = match scope {
        Scope::EmployerOrg(_) => {
            "i.id IN (SELECT r.intake_id FROM registrations r WHERE {scope})".to_owned()
        }
        _ => "{scope}".to_owned(),
    };
    Ok(FilterChoices {
        credentials: list(format!(
            "SELECT DISTINCT c.slug AS value, c.title AS label FROM intakes i \
             JOIN credentials c ON c.id = i.credential_id WHERE {intake_scope} ORDER BY label"
        ))
        .await?,
        intakes: match credential.is_empty() {
            true => Vec::new(),
            false => list(format!(
            "SELECT CAST(i.id AS TEXT) AS value, c.title || ', ' || i.code || ' (' || i.starts_on || ')' AS label \
             FROM intakes i JOIN credentials c ON c.id = i.credential_id \
             WHERE {intake_scope} AND c.slug = {{credential}} ORDER BY i.starts_on, label"
            ))
            .await?,
        },
        // One probe per employer organisation (registrations_employer_org index), not a
        // scan of every registration.
        employers: list(
            "SELECT CAST(o.id AS TEXT) AS value, o.name AS label FROM organisations o \
             WHERE o.kind = 'employer' AND EXISTS (SELECT 1 FROM registrations r \
               JOIN intakes i ON i.id = r.intake_id WHERE r.employer_org_id = o.id AND {scope}) \
             ORDER BY label"
                .to_owned(),
        )
        .await?,
    })
}
