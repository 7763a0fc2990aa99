//! Reads the listed catalogue out of the database in five queries (not one per credential),
//! in the shape the index is built from.

use std::collections::HashMap;

use sqlx::AnyPool;
use time::Date;

use crate::catalogue::server::detail::delivery_modes_of;
use crate::catalogue::types::Sector;

/// Days since the Julian epoch: dates compare and subtract as plain integers.
pub type Day = i32;

pub fn day_of(iso: &str) -> Option<Day> {
    Date::parse(
        iso,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
    .map(Date::to_julian_day)
}

pub fn iso_of(day: Day) -> String {
    Date::from_julian_day(day)
        .map(|d| d.to_string())
        .unwrap_or_default()
}

#[derive(Debug, Clone)]
pub struct SourceIntake {
    pub starts: Day,
    pub opens: Day,
    pub closes: Day,
    pub region: String,
    pub delivery_mode: String,
}

/// One listed credential with everything search, facets and cards need.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub purpose: String,
    pub outcomes: String,
    pub sector: usize,
    pub level: i64,
    pub credits: i64,
    pub delivery_modes: Vec<String>,
    /// Unit standard numbers and titles, in the credential's order.
    pub standards: Vec<(i64, String)>,
    pub intakes: Vec<SourceIntake>,
    /// Windows of the funding schemes it is eligible for: from, to (open-ended when `None`).
    pub funding: Vec<(Day, Option<Day>)>,
}

#[derive(Debug, Clone, Default)]
pub struct Source {
    pub revision: i64,
    pub sectors: Vec<Sector>,
    pub docs: Vec<SourceDoc>,
    /// Groups of terms that mean the same (`seed/synonyms.toml`).
    pub synonyms: Vec<Vec<String>>,
}

pub async fn revision(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT revision FROM catalogue_revision WHERE id = 1")
        .fetch_one(pool)
        .await
}

#[derive(sqlx::FromRow)]
struct SectorRow {
    slug: String,
    name: String,
}

#[derive(sqlx::FromRow)]
struct CredentialRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    purpose: String,
    outcomes: String,
    level: i64,
    credits: i64,
    delivery_modes: String,
    sector_slug: String,
}

#[derive(sqlx::FromRow)]
struct StandardRow {
    credential_id: i64,
    number: i64,
    title: String,
}

#[derive(sqlx::FromRow)]
struct IntakeRow {
    credential_id: i64,
    starts_on: String,
    enrolment_opens_on: String,
    enrolment_closes_on: String,
    region: String,
    delivery_mode: String,
}

#[derive(sqlx::FromRow)]
struct FundingRow {
    credential_id: i64,
    valid_from: String,
    valid_to: Option<String>,
}

/// The whole listed catalogue (discontinued credentials are not listed). The revision is
/// read first: a change landing during the read is caught by the next check.
pub async fn load(pool: &AnyPool) -> Result<Source, sqlx::Error> {
    let revision = revision(pool).await?;
    let sectors = sectors(pool).await?;
    let mut docs = credentials(pool, &sectors).await?;
    add_standards(pool, &mut docs).await?;
    add_intakes(pool, &mut docs).await?;
    add_funding(pool, &mut docs).await?;
    Ok(Source {
        revision,
        sectors,
        docs: docs.docs,
        synonyms: synonyms(pool).await?,
    })
}

/// The listed credentials, with where each one's id is among them.
struct Docs {
    docs: Vec<SourceDoc>,
    by_id: HashMap<i64, usize>,
}

impl Docs {
    fn get_mut(&mut self, credential_id: i64) -> Option<&mut SourceDoc> {
        let &i = self.by_id.get(&credential_id)?;
        self.docs.get_mut(i)
    }
}

async fn sectors(pool: &AnyPool) -> Result<Vec<Sector>, sqlx::Error> {
    let rows =
        sqlx::query_as::<_, SectorRow>("SELECT slug, name FROM sectors ORDER BY sort_order, name")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| Sector {
            slug: r.slug,
            name: r.name,
        })
        .collect())
}

/// Every listed credential's own fields; standards, intakes and funding come after.
async fn credentials(pool: &AnyPool, sectors: &[Sector]) -> Result<Docs, sqlx::Error> {
    let sector_index: HashMap<&str, usize> = sectors
        .iter()
        .enumerate()
        .map(|(i, s)| (s.slug.as_str(), i))
        .collect();
    let rows = sqlx::query_as::<_, CredentialRow>(
        "SELECT c.id, c.slug, c.title, c.summary, c.purpose, c.outcomes, c.level, c.credits, \
           c.delivery_modes, s.slug AS sector_slug \
         FROM credentials c JOIN sectors s ON s.id = c.sector_id \
         WHERE c.status <> 'discontinued' ORDER BY c.id",
    )
    .fetch_all(pool)
    .await?;
    let mut docs = Docs {
        docs: Vec::with_capacity(rows.len()),
        by_id: HashMap::with_capacity(rows.len()),
    };
    for r in rows {
        let Some(&sector) = sector_index.get(r.sector_slug.as_str()) else {
            continue;
        };
        docs.by_id.insert(r.id, docs.docs.len());
        docs.docs.push(SourceDoc {
            slug: r.slug,
            title: r.title,
            summary: r.summary,
            purpose: r.purpose,
            outcomes: r.outcomes,
            sector,
            level: r.level,
            credits: r.credits,
            delivery_modes: delivery_modes_of(&r.delivery_modes),
            standards: Vec::new(),
            intakes: Vec::new(),
            funding: Vec::new(),
        });
    }
    Ok(docs)
}

async fn add_standards(pool: &AnyPool, docs: &mut Docs) -> Result<(), sqlx::Error> {
    let rows = sqlx::query_as::<_, StandardRow>(
        "SELECT cs.credential_id, u.number, u.title \
         FROM credential_standards cs JOIN unit_standards u ON u.id = cs.unit_standard_id \
         ORDER BY cs.credential_id, cs.position, u.number",
    )
    .fetch_all(pool)
    .await?;
    for r in rows {
        if let Some(d) = docs.get_mut(r.credential_id) {
            d.standards.push((r.number, r.title));
        }
    }
    Ok(())
}

/// Each credential's intakes; one with a date that does not read is left out.
async fn add_intakes(pool: &AnyPool, docs: &mut Docs) -> Result<(), sqlx::Error> {
    let rows = sqlx::query_as::<_, IntakeRow>(
        "SELECT credential_id, starts_on, enrolment_opens_on, enrolment_closes_on, region, \
           delivery_mode \
         FROM intakes ORDER BY credential_id, starts_on, id",
    )
    .fetch_all(pool)
    .await?;
    for r in rows {
        let Some(d) = docs.get_mut(r.credential_id) else {
            continue;
        };
        if let (Some(starts), Some(opens), Some(closes)) = (
            day_of(&r.starts_on),
            day_of(&r.enrolment_opens_on),
            day_of(&r.enrolment_closes_on),
        ) {
            d.intakes.push(SourceIntake {
                starts,
                opens,
                closes,
                region: r.region,
                delivery_mode: r.delivery_mode,
            });
        }
    }
    Ok(())
}

/// The windows of the schemes each credential is eligible for.
async fn add_funding(pool: &AnyPool, docs: &mut Docs) -> Result<(), sqlx::Error> {
    let rows = sqlx::query_as::<_, FundingRow>(
        "SELECT cf.credential_id, f.valid_from, f.valid_to \
         FROM credential_funding cf JOIN funding_schemes f ON f.id = cf.funding_scheme_id \
         WHERE cf.eligible = 1",
    )
    .fetch_all(pool)
    .await?;
    for r in rows {
        let Some(d) = docs.get_mut(r.credential_id) else {
            continue;
        };
        if let Some(from) = day_of(&r.valid_from) {
            d.funding
                .push((from, r.valid_to.as_deref().and_then(day_of)));
        }
    }
    Ok(())
}

/// The synonym groups, each a list of terms.
async fn synonyms(pool: &AnyPool) -> Result<Vec<Vec<String>>, sqlx::Error> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT group_no, term FROM synonyms ORDER BY group_no, term")
            .fetch_all(pool)
            .await?;
    let mut synonyms: Vec<Vec<String>> = Vec::new();
    let mut last = None;
    for (group, term) in rows {
        if last != Some(group) {
            synonyms.push(Vec::new());
            last = Some(group);
        }
        if let Some(g) = synonyms.last_mut() {
            g.push(term);
        }
    }
    Ok(synonyms)
}
