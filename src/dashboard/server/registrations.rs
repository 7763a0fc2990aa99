//! The registrations table: filtered, sorted, scoped by organisation in SQL, pages of 50,
//! and the filter choices this coordinator may pick from. The CSV export reads the same
//! filter and order (`where_clause`, `order`) a keyset page at a time.

use sqlx::AnyPool;

use crate::auth::server::guard::Scope;
use crate::dashboard::server::intakes::intake_scope;
use crate::dashboard::server::moment::moment;
use crate::dashboard::server::sql::{scoped, scoped_on, Binds, FROM};
use crate::dashboard::server::text::Text;
use crate::dashboard::types::{
    FilterChoice, FilterChoices, RegistrationRow, RegistrationsPage, RegistrationsQuery, Sort,
    REGISTRATIONS_PAGE,
};
use crate::error::AppError;
use crate::registration::types::RegistrationStatus;
use crate::server::clock::{new_zealand_day_start, parse_date};

/// A registration as the table and the export read it (the export as a JSON array of the
/// fields in this order).
#[derive(sqlx::FromRow, serde::Deserialize)]
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

/// The WHERE clause (scope first) for `query`, over the registration `r` alone, so the
/// rows can be found in the registrations' indexes before anything is joined to them.
pub fn where_clause(
    scope: Scope,
    query: &RegistrationsQuery,
    text: &Text,
    binds: &mut Binds,
) -> String {
    let mut clauses = vec![scoped(scope, binds)];
    clauses.extend(shared_filters("r", query, binds));
    clauses.extend(text.clause(binds));
    // The days are New Zealand's, as the table shows them; created_at is a fixed-width UTC
    // stamp, so the bounds (when each day began there) compare as text.
    if let Some(from) = new_zealand_day_start(&query.from) {
        clauses.push(format!("r.created_at >= {}", binds.text(from)));
    }
    let day_after = parse_date(&query.to).and_then(|d| d.next_day());
    if let Some(until) = day_after.and_then(|d| new_zealand_day_start(&d.to_string())) {
        clauses.push(format!("r.created_at < {}", binds.text(until)));
    }
    format!("WHERE {}", clauses.join(" AND "))
}

/// The filters a registration `r` and an intake tally `t` answer alike (they share the
/// columns' names), as conditions on `alias`.
fn shared_filters(alias: &str, query: &RegistrationsQuery, binds: &mut Binds) -> Vec<String> {
    let mut clauses = Vec::new();
    if let Some(status) = query.status {
        clauses.push(format!("{alias}.status = {}", binds.text(status.as_str())));
    }
    if !query.credential.is_empty() {
        clauses.push(format!(
            "{alias}.intake_id IN (SELECT ci.id FROM intakes ci JOIN credentials cc \
             ON cc.id = ci.credential_id WHERE cc.slug = {})",
            binds.text(query.credential.clone())
        ));
    }
    if let Some(intake) = query.intake {
        clauses.push(format!("{alias}.intake_id = {}", binds.int(intake)));
    }
    if let Some(employer) = query.employer {
        clauses.push(format!("{alias}.employer_org_id = {}", binds.int(employer)));
    }
    clauses
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

/// `ORDER BY`'s keys for `sort`. Newest and oldest order by the id alone, so the database
/// walks an index of the organisation's registrations by id.
fn keys(sort: Sort) -> String {
    let (a, b, desc) = order(sort);
    let dir = if desc { "DESC" } else { "ASC" };
    match sort {
        Sort::Newest | Sort::Oldest => format!("r.id {dir}"),
        Sort::Name | Sort::Starts => format!("{a} {dir}, {b} {dir}, r.id {dir}"),
    }
}

/// The registrations `where_sql` keeps, in `sort`'s order: only the intake joined (when the
/// order needs its start date), so a deep page skips index entries, not joined rows.
pub fn ids(where_sql: &str, sort: Sort) -> String {
    let from = match sort {
        Sort::Starts => "registrations r JOIN intakes i ON i.id = r.intake_id",
        _ => "registrations r",
    };
    format!(
        "SELECT r.id FROM {from} {where_sql} ORDER BY {}",
        keys(sort)
    )
}

/// `SELECT … ORDER BY` of the rows whose ids `ids_sql` chooses, with the sort keys selected
/// as `sort_a`, `sort_b`.
pub fn select(ids_sql: &str, sort: Sort) -> String {
    let (a, b, _) = order(sort);
    format!(
        "SELECT {COLUMNS}, {a} AS sort_a, {b} AS sort_b {FROM} WHERE r.id IN ({ids_sql}) \
         ORDER BY {}",
        keys(sort)
    )
}

/// `where_sql`'s rows in `sort`'s order, `limit` of them after skipping `offset` (both
/// placeholders).
pub fn select_page(where_sql: &str, sort: Sort, limit: &str, offset: &str) -> String {
    select(
        &format!("{} LIMIT {limit} OFFSET {offset}", ids(where_sql, sort)),
        sort,
    )
}

/// Most rows a filter with free text or dates is counted to; past it the table says "more
/// than" and pages on without a last page.
pub const COUNT_CAP: i64 = 1_000;

/// How many rows a query matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub rows: i64,
    /// `rows` is `COUNT_CAP`, and there are more.
    pub more: bool,
}

/// The rows `query` matches in `scope`. Filters the intake tallies can answer (status,
/// credential, intake, employer) are summed from them exactly, without reading a
/// registration; free text and dates are counted to `COUNT_CAP` (twenty pages), which a
/// search that many match reaches after testing a few thousand rows.
pub async fn total(
    pool: &AnyPool,
    scope: Scope,
    query: &RegistrationsQuery,
    text: &Text,
) -> Result<Total, AppError> {
    let mut binds = Binds::default();
    if *text == Text::Any && query.from.is_empty() && query.to.is_empty() {
        let mut clauses = vec![scoped_on("t", scope, &mut binds)];
        clauses.extend(shared_filters("t", query, &mut binds));
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(t.tally), 0) AS BIGINT) FROM intake_tallies t WHERE {}",
            clauses.join(" AND ")
        );
        let rows: i64 = binds
            .to_scalar(sqlx::query_scalar(&sql))
            .fetch_one(pool)
            .await?;
        return Ok(Total { rows, more: false });
    }
    let filter = where_clause(scope, query, text, &mut binds);
    // In id order the database walks an index by id, where matches lie spread out, not one
    // in name order, where a search for one family name would pass every name before it.
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM registrations r {filter} ORDER BY r.id LIMIT {}) x",
        binds.int(COUNT_CAP + 1)
    );
    let rows: i64 = binds
        .to_scalar(sqlx::query_scalar(&sql))
        .fetch_one(pool)
        .await?;
    Ok(Total {
        rows: rows.min(COUNT_CAP),
        more: rows > COUNT_CAP,
    })
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
            registered_at: moment(&r.created_at),
        }
    }
}

/// The furthest page one may ask for (20,000,000 rows in).
const MAX_PAGE: i64 = 400_000;

/// The page of `query` that `scope` may see, with the total for page links.
pub async fn page(
    pool: &AnyPool,
    scope: Scope,
    query: &RegistrationsQuery,
) -> Result<RegistrationsPage, AppError> {
    let text = Text::plan(pool, &query.q).await?;
    // The count, the asked-for page and the filter choices are independent reads: run at
    // once, on connections of their own.
    let asked = query.page.clamp(1, MAX_PAGE);
    let (total, found, choices) = futures::try_join!(
        total(pool, scope, query, &text),
        rows(pool, scope, query, &text, asked),
        choices(pool, scope, &query.credential),
    )?;
    let pages = ((total.rows + REGISTRATIONS_PAGE - 1) / REGISTRATIONS_PAGE).max(1);
    // Past the cap the last page is unknown: any page may be asked for (an empty one says
    // so). Below it, a page past the end shows the last.
    let (page, rows) = match total.more || asked <= pages {
        true => (asked, found),
        false => (pages, rows(pool, scope, query, &text, pages).await?),
    };
    Ok(RegistrationsPage {
        rows: rows.into_iter().map(RegistrationRow::from).collect(),
        total: total.rows,
        more: total.more,
        page,
        pages,
        choices,
        // The server function fills in what the coordinator's role may change.
        actions: Vec::new(),
    })
}

/// Page `page` of `query`'s rows.
async fn rows(
    pool: &AnyPool,
    scope: Scope,
    query: &RegistrationsQuery,
    text: &Text,
    page: i64,
) -> Result<Vec<Row>, AppError> {
    let mut binds = Binds::default();
    let filter = where_clause(scope, query, text, &mut binds);
    let limit = binds.int(REGISTRATIONS_PAGE);
    let offset = binds.int((page - 1) * REGISTRATIONS_PAGE);
    let sql = select_page(&filter, query.sort, &limit, &offset);
    Ok(binds.to(sqlx::query_as(&sql)).fetch_all(pool).await?)
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
        let sql = sql.replace("{intakes}", &intake_scope(scope, &mut binds));
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
        _ => "{intakes}".to_owned(),
    };
    Ok(FilterChoices {
        // Credentials in title order, each with one probe for an intake in scope.
        credentials: list(format!(
            "SELECT c.slug AS value, c.title AS label FROM credentials c WHERE EXISTS \
             (SELECT 1 FROM intakes i WHERE i.credential_id = c.id AND {intake_scope}) \
             ORDER BY c.title, c.slug"
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
               WHERE r.employer_org_id = o.id AND {scope}) \
             ORDER BY label"
                .to_owned(),
        )
        .await?,
    })
}
