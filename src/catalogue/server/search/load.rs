//! Reads the listed catalogue out of the database in five queries (not one per credential),
//! in the shape the index is built from.

use std::collections::HashMap;

use sqlx::{AnyPool, Row};
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
}

pub async fn revision(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT revision FROM catalogue_revision WHERE id = 1")
        .fetch_one(pool)
        .await
}

/// The whole listed catalogue (discontinued credentials are not listed). The revision is
/// read first: a change landing during the read is caught by the next check.
pub async fn load(pool: &AnyPool) -> Result<Source, sqlx::Error> {
    let revision = revision(pool).await?;
    let sectors: Vec<Sector> =
        sqlx::query("SELECT slug, name FROM sectors ORDER BY sort_order, name")
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                Ok(Sector {
                    slug: r.try_get(0)?,
                    name: r.try_get(1)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
    let sector_index: HashMap<&str, usize> = sectors
        .iter()
        .enumerate()
        .map(|(i, s)| (s.slug.as_str(), i))
        .collect();

    let mut docs = Vec::new();
    let mut by_id: HashMap<i64, usize> = HashMap::new();
    let rows = sqlx::query(
        "SELECT c.id, c.slug, c.title, c.summary, c.purpose, c.outcomes, c.level, c.credits, \
           c.delivery_modes, s.slug \
         FROM credentials c JOIN sectors s ON s.id = c.sector_id \
         WHERE c.status <> 'discontinued' ORDER BY c.id",
    )
    .fetch_all(pool)
    .await?;
    for r in &rows {
        let sector: String = r.try_get(9)?;
        let Some(&sector) = sector_index.get(sector.as_str()) else {
            continue;
        };
        let modes: String = r.try_get(8)?;
        by_id.insert(r.try_get(0)?, docs.len());
        docs.push(SourceDoc {
            slug: r.try_get(1)?,
            title: r.try_get(2)?,
            summary: r.try_get(3)?,
            purpose: r.try_get(4)?,
            outcomes: r.try_get(5)?,
            sector,
            level: r.try_get(6)?,
            credits: r.try_get(7)?,
            delivery_modes: delivery_modes_of(&modes),
            standards: Vec::new(),
            intakes: Vec::new(),
            funding: Vec::new(),
        });
    }
    drop(rows);

    let rows = sqlx::query(
        "SELECT cs.credential_id, u.number, u.title \
         FROM credential_standards cs JOIN unit_standards u ON u.id = cs.unit_standard_id \
         ORDER BY cs.credential_id, cs.position, u.number",
    )
    .fetch_all(pool)
    .await?;
    for r in &rows {
        if let Some(&i) = by_id.get(&r.try_get::<i64, _>(0)?) {
            docs[i].standards.push((r.try_get(1)?, r.try_get(2)?));
        }
    }
    drop(rows);

    let rows = sqlx::query(
        "SELECT credential_id, starts_on, enrolment_opens_on, enrolment_closes_on, region, \
           delivery_mode \
         FROM intakes ORDER BY credential_id, starts_on, id",
    )
    .fetch_all(pool)
    .await?;
    for r in &rows {
        let Some(&i) = by_id.get(&r.try_get::<i64, _>(0)?) else {
            continue;
        };
        let dates: (String, String, String) = (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
        if let (Some(starts), Some(opens), Some(closes)) =
            (day_of(&dates.0), day_of(&dates.1), day_of(&dates.2))
        {
            docs[i].intakes.push(SourceIntake {
                starts,
                opens,
                closes,
                region: r.try_get(4)?,
                delivery_mode: r.try_get(5)?,
            });
        }
    }
    drop(rows);

    let rows = sqlx::query(
        "SELECT cf.credential_id, f.valid_from, f.valid_to \
         FROM credential_funding cf JOIN funding_schemes f ON f.id = cf.funding_scheme_id \
         WHERE cf.eligible = 1",
    )
    .fetch_all(pool)
    .await?;
    for r in &rows {
        let Some(&i) = by_id.get(&r.try_get::<i64, _>(0)?) else {
            continue;
        };
        let from: String = r.try_get(1)?;
        let to: Option<String> = r.try_get(2)?;
        if let Some(from) = day_of(&from) {
            docs[i].funding.push((from, to.as_deref().and_then(day_of)));
        }
    }

    Ok(Source {
        revision,
        sectors,
        docs,
    })
}
