//! The public API's reads that the catalogue's own server code does not already make: the
//! reference lists (sectors, unit standards, funding schemes), the intakes across the
//! catalogue, and a credential's funding with the schemes' dates. Listed credentials only
//! (a discontinued one is not listed); every query parameterised and paged in SQL.

use sqlx::AnyPool;

/// LIMIT and OFFSET of one page.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub page: u32,
    pub per_page: u32,
}

impl Window {
    fn limit(self) -> i64 {
        i64::from(self.per_page)
    }

    fn offset(self) -> i64 {
        i64::from(self.page.saturating_sub(1)) * i64::from(self.per_page)
    }
}

#[derive(Debug, sqlx::FromRow)]
pub struct SectorRow {
    pub slug: String,
    pub name: String,
    pub credentials: i64,
}

pub async fn sectors(pool: &AnyPool, w: Window) -> Result<(Vec<SectorRow>, i64), sqlx::Error> {
    let rows = sqlx::query_as(
        "SELECT s.slug, s.name, \
           (SELECT COUNT(*) FROM credentials c \
            WHERE c.sector_id = s.id AND c.status <> 'discontinued') AS credentials \
         FROM sectors s ORDER BY s.sort_order, s.name LIMIT $1 OFFSET $2",
    )
    .bind(w.limit())
    .bind(w.offset())
    .fetch_all(pool)
    .await?;
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM sectors")
        .fetch_one(pool)
        .await?;
    Ok((rows, total))
}

#[derive(Debug, sqlx::FromRow)]
pub struct StandardRow {
    pub number: i64,
    pub version: Option<i64>,
    pub title: String,
    pub level: Option<i64>,
    pub credits: Option<i64>,
    pub domain: String,
    pub source_url: Option<String>,
}

const STANDARD: &str = "SELECT number, version, title, level, credits, domain, source_url \
                        FROM unit_standards";

pub async fn standards(pool: &AnyPool, w: Window) -> Result<(Vec<StandardRow>, i64), sqlx::Error> {
    let rows = sqlx::query_as(&format!("{STANDARD} ORDER BY number LIMIT $1 OFFSET $2"))
        .bind(w.limit())
        .bind(w.offset())
        .fetch_all(pool)
        .await?;
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM unit_standards")
        .fetch_one(pool)
        .await?;
    Ok((rows, total))
}

pub async fn standard(pool: &AnyPool, number: i64) -> Result<Option<StandardRow>, sqlx::Error> {
    sqlx::query_as(&format!("{STANDARD} WHERE number = $1"))
        .bind(number)
        .fetch_optional(pool)
        .await
}

/// The listed credentials that use standard `number`: slug and title, by title.
pub async fn credentials_using(
    pool: &AnyPool,
    number: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.slug, c.title FROM credentials c \
           JOIN credential_standards cs ON cs.credential_id = c.id \
           JOIN unit_standards u ON u.id = cs.unit_standard_id \
         WHERE u.number = $1 AND c.status <> 'discontinued' ORDER BY c.title, c.slug",
    )
    .bind(number)
    .fetch_all(pool)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct SchemeRow {
    pub code: String,
    pub name: String,
    pub description: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub source_url: Option<String>,
    pub eligible_credentials: i64,
}

pub async fn schemes(pool: &AnyPool, w: Window) -> Result<(Vec<SchemeRow>, i64), sqlx::Error> {
    let rows = sqlx::query_as(
        "SELECT f.code, f.name, f.description, f.valid_from, f.valid_to, f.source_url, \
           (SELECT COUNT(*) FROM credential_funding cf \
              JOIN credentials c ON c.id = cf.credential_id \
            WHERE cf.funding_scheme_id = f.id AND cf.eligible = 1 \
              AND c.status <> 'discontinued') AS eligible_credentials \
         FROM funding_schemes f ORDER BY f.valid_from, f.code LIMIT $1 OFFSET $2",
    )
    .bind(w.limit())
    .bind(w.offset())
    .fetch_all(pool)
    .await?;
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM funding_schemes")
        .fetch_one(pool)
        .await?;
    Ok((rows, total))
}

#[derive(Debug, sqlx::FromRow)]
pub struct CredentialFundingRow {
    pub code: String,
    pub name: String,
    pub eligible: i64,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub note: String,
    pub source_url: Option<String>,
}

/// Every scheme a credential is listed against, eligible or not, with the scheme's dates.
pub async fn credential_funding(
    pool: &AnyPool,
    slug: &str,
) -> Result<Vec<CredentialFundingRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.code, f.name, CAST(cf.eligible AS BIGINT) AS eligible, f.valid_from, \
           f.valid_to, cf.note, f.source_url \
         FROM credential_funding cf \
           JOIN funding_schemes f ON f.id = cf.funding_scheme_id \
           JOIN credentials c ON c.id = cf.credential_id \
         WHERE c.slug = $1 ORDER BY f.valid_from, f.code",
    )
    .bind(slug.to_owned())
    .fetch_all(pool)
    .await
}

/// Which intakes a list or feed covers: starting within `from..=to` (ISO dates), in any of
/// `regions` (names) and `sectors` (slugs) when those are given.
#[derive(Debug, Clone, Default)]
pub struct IntakeFilter {
    pub from: String,
    pub to: Option<String>,
    pub regions: Vec<String>,
    pub sectors: Vec<String>,
}

#[derive(Debug, sqlx::FromRow)]
pub struct IntakeRow {
    pub credential_slug: String,
    pub credential_title: String,
    pub sector_slug: String,
    pub sector_name: String,
    pub code: String,
    pub starts_on: String,
    pub ends_on: String,
    pub enrolment_opens_on: String,
    pub enrolment_closes_on: String,
    pub region: String,
    pub delivery_mode: String,
    pub provider: String,
    pub fee_cents: i64,
    pub capacity: i64,
    pub seats_taken: i64,
}

/// The WHERE clause of `f` and its values, numbered from `$1`.
fn intake_where(f: &IntakeFilter) -> (String, Vec<String>) {
    let mut binds = vec![f.from.clone()];
    let mut sql = "c.status <> 'discontinued' AND i.starts_on >= $1".to_owned();
    if let Some(to) = &f.to {
        binds.push(to.clone());
        sql.push_str(&format!(" AND i.starts_on <= ${}", binds.len()));
    }
    for (column, values) in [("i.region", &f.regions), ("s.slug", &f.sectors)] {
        if values.is_empty() {
            continue;
        }
        let mut marks = Vec::new();
        for v in values {
            binds.push(v.clone());
            marks.push(format!("${}", binds.len()));
        }
        sql.push_str(&format!(" AND {column} IN ({})", marks.join(", ")));
    }
    (sql, binds)
}

const INTAKE_FROM: &str = "FROM intakes i JOIN credentials c ON c.id = i.credential_id \
                           JOIN sectors s ON s.id = c.sector_id";

/// One page of the intakes `f` covers, soonest first, and how many it covers.
pub async fn intakes(
    pool: &AnyPool,
    f: &IntakeFilter,
    w: Window,
) -> Result<(Vec<IntakeRow>, i64), sqlx::Error> {
    let (filter, binds) = intake_where(f);
    let n = binds.len();
    let sql = format!(
        "SELECT c.slug AS credential_slug, c.title AS credential_title, \
           s.slug AS sector_slug, s.name AS sector_name, i.code, i.starts_on, i.ends_on, \
           i.enrolment_opens_on, i.enrolment_closes_on, i.region, i.delivery_mode, \
           i.provider, i.fee_cents, i.capacity, i.seats_taken \
         {INTAKE_FROM} WHERE {filter} ORDER BY i.starts_on, c.slug, i.code \
         LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut q = sqlx::query_as(&sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    let rows = q.bind(w.limit()).bind(w.offset()).fetch_all(pool).await?;
    let count = format!("SELECT COUNT(*) {INTAKE_FROM} WHERE {filter}");
    let mut q = sqlx::query_scalar(&count);
    for b in &binds {
        q = q.bind(b.clone());
    }
    Ok((rows, q.fetch_one(pool).await?))
}

/// Every intake region's name, for matching the URL keys of `region=`.
pub async fn region_names(pool: &AnyPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT DISTINCT region FROM intakes ORDER BY region")
        .fetch_all(pool)
        .await
}
