//! Catalogue reads: the search behind the catalogue page and the detail page's credential.
//! Every value reaches SQL as a bound parameter; only placeholder numbers are formatted in.

use sqlx::{AnyPool, Row};

use crate::catalogue::types::{
    CatalogueQuery, CredentialCard, CredentialDetail, EnrolmentState, Funding, FundingBadge,
    FundingStatus, Intake, NextIntake, SearchResults, Sector, UnitStandard,
};
use crate::server::text::{like_contains, query_terms};

/// Most words of a query that are matched; the rest are ignored.
const MAX_TERMS: usize = 8;
/// Most cards one search returns (pagination comes with ranked search).
const MAX_RESULTS: i64 = 200;

pub async fn sectors(pool: &AnyPool) -> Result<Vec<Sector>, sqlx::Error> {
    let rows = sqlx::query("SELECT slug, name FROM sectors ORDER BY sort_order, name")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Sector {
                slug: r.try_get(0)?,
                name: r.try_get(1)?,
            })
        })
        .collect()
}

/// Credentials matching every word of the query (anywhere in their searchable text) and any
/// of the selected sectors, in title order. Discontinued credentials are not listed.
pub async fn search(
    pool: &AnyPool,
    query: &CatalogueQuery,
    today: &str,
) -> Result<SearchResults, sqlx::Error> {
    let terms = query_terms(&query.q, MAX_TERMS);
    let mut sql = String::from(
        "SELECT c.slug, c.title, c.summary, c.level, c.credits, s.slug, s.name, \
           (SELECT COUNT(*) FROM credential_standards cs WHERE cs.credential_id = c.id), \
           (SELECT i.starts_on FROM intakes i WHERE i.credential_id = c.id AND i.starts_on >= $1 \
              ORDER BY i.starts_on, i.id LIMIT 1), \
           (SELECT i.region FROM intakes i WHERE i.credential_id = c.id AND i.starts_on >= $1 \
              ORDER BY i.starts_on, i.id LIMIT 1), \
           CASE WHEN EXISTS (SELECT 1 FROM credential_funding cf \
              JOIN funding_schemes f ON f.id = cf.funding_scheme_id \
              WHERE cf.credential_id = c.id AND cf.eligible = 1 AND f.valid_from <= $1 \
              AND (f.valid_to IS NULL OR f.valid_to >= $1)) THEN 1 ELSE 0 END \
         FROM credentials c JOIN sectors s ON s.id = c.sector_id \
         WHERE c.status <> 'discontinued'",
    );
    let mut n = 1;
    for _ in &terms {
        n += 1;
        sql.push_str(&format!(" AND c.search_text LIKE ${n} ESCAPE '\\'"));
    }
    if !query.sectors.is_empty() {
        let placeholders: Vec<String> = query
            .sectors
            .iter()
            .map(|_| {
                n += 1;
                format!("${n}")
            })
            .collect();
        sql.push_str(&format!(" AND s.slug IN ({})", placeholders.join(", ")));
    }
    n += 1;
    sql.push_str(&format!(" ORDER BY c.title, c.id LIMIT ${n}"));

    let mut q = sqlx::query(&sql).bind(today.to_owned());
    for t in &terms {
        q = q.bind(like_contains(t));
    }
    for s in &query.sectors {
        q = q.bind(s.clone());
    }
    let rows = q.bind(MAX_RESULTS).fetch_all(pool).await?;

    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        let starts_on: Option<String> = r.try_get(8)?;
        let region: Option<String> = r.try_get(9)?;
        let funded: i64 = r.try_get(10)?;
        items.push(CredentialCard {
            slug: r.try_get(0)?,
            title: r.try_get(1)?,
            summary: r.try_get(2)?,
            level: r.try_get(3)?,
            credits: r.try_get(4)?,
            sector: Sector {
                slug: r.try_get(5)?,
                name: r.try_get(6)?,
            },
            standards_count: r.try_get(7)?,
            next_intake: starts_on.map(|starts_on| NextIntake {
                starts_on,
                region: region.unwrap_or_default(),
            }),
            funding: if funded == 1 {
                FundingBadge::Available
            } else {
                FundingBadge::None
            },
        });
    }
    Ok(SearchResults {
        query: query.clone(),
        total: items.len() as i64,
        items,
    })
}

/// The whole credential behind `/credentials/{slug}`, in four queries; `None` if unknown.
pub async fn detail(
    pool: &AnyPool,
    slug: &str,
    today: &str,
) -> Result<Option<CredentialDetail>, sqlx::Error> {
    let Some(r) = sqlx::query(
        "SELECT c.id, c.slug, c.nzqa_ref, c.nzqa_version, c.title, c.summary, c.purpose, \
           c.outcomes, c.education_pathway, c.employment_pathway, c.entry_requirements, c.level, \
           c.credits, c.status, c.delivery_modes, c.developer, c.source_url, c.data_note, \
           s.slug, s.name \
         FROM credentials c JOIN sectors s ON s.id = c.sector_id WHERE c.slug = $1",
    )
    .bind(slug.to_owned())
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let id: i64 = r.try_get(0)?;
    let delivery_modes: String = r.try_get(14)?;

    let standards = sqlx::query(
        "SELECT u.number, u.version, u.title, u.level, u.credits, u.domain, u.source_url \
         FROM credential_standards cs JOIN unit_standards u ON u.id = cs.unit_standard_id \
         WHERE cs.credential_id = $1 ORDER BY cs.position, u.number",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|u| {
        Ok(UnitStandard {
            number: u.try_get(0)?,
            version: u.try_get(1)?,
            title: u.try_get(2)?,
            level: u.try_get(3)?,
            credits: u.try_get(4)?,
            domain: u.try_get(5)?,
            source_url: u.try_get(6)?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;

    let intakes = sqlx::query(
        "SELECT code, starts_on, ends_on, enrolment_opens_on, enrolment_closes_on, region, \
           delivery_mode, provider, fee_cents, capacity, seats_taken \
         FROM intakes WHERE credential_id = $1 AND ends_on >= $2 ORDER BY starts_on, id",
    )
    .bind(id)
    .bind(today.to_owned())
    .fetch_all(pool)
    .await?
    .iter()
    .map(|i| {
        let opens: String = i.try_get(3)?;
        let closes: String = i.try_get(4)?;
        let capacity: i64 = i.try_get(9)?;
        let taken: i64 = i.try_get(10)?;
        Ok(Intake {
            code: i.try_get(0)?,
            starts_on: i.try_get(1)?,
            ends_on: i.try_get(2)?,
            enrolment: enrolment_state(&opens, &closes, today),
            enrolment_opens_on: opens,
            enrolment_closes_on: closes,
            region: i.try_get(5)?,
            delivery_mode: i.try_get(6)?,
            provider: i.try_get(7)?,
            fee_cents: i.try_get(8)?,
            capacity,
            seats_left: (capacity - taken).max(0),
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;

    let funding = sqlx::query(
        "SELECT f.name, f.description, f.valid_from, f.valid_to, f.source_url, cf.eligible, cf.note \
         FROM credential_funding cf JOIN funding_schemes f ON f.id = cf.funding_scheme_id \
         WHERE cf.credential_id = $1 ORDER BY f.valid_from DESC, f.name",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|f| {
        let from: String = f.try_get(2)?;
        let to: Option<String> = f.try_get(3)?;
        let eligible: i64 = f.try_get(5)?;
        Ok(Funding {
            scheme: f.try_get(0)?,
            description: f.try_get(1)?,
            status: funding_status(eligible == 1, &from, to.as_deref(), today),
            source_url: f.try_get(4)?,
            note: f.try_get(6)?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;

    Ok(Some(CredentialDetail {
        slug: r.try_get(1)?,
        nzqa_ref: r.try_get(2)?,
        nzqa_version: r.try_get(3)?,
        title: r.try_get(4)?,
        summary: r.try_get(5)?,
        purpose: r.try_get(6)?,
        outcomes: r.try_get(7)?,
        education_pathway: r.try_get(8)?,
        employment_pathway: r.try_get(9)?,
        entry_requirements: r.try_get(10)?,
        level: r.try_get(11)?,
        credits: r.try_get(12)?,
        status: r.try_get(13)?,
        delivery_modes: delivery_modes
            .split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_owned)
            .collect(),
        developer: r.try_get(15)?,
        source_url: r.try_get(16)?,
        data_note: r.try_get(17)?,
        sector: Sector {
            slug: r.try_get(18)?,
            name: r.try_get(19)?,
        },
        standards,
        intakes,
        funding,
    }))
}

/// ISO dates compare correctly as text.
pub fn enrolment_state(opens: &str, closes: &str, today: &str) -> EnrolmentState {
    if today < opens {
        EnrolmentState::NotYetOpen
    } else if today > closes {
        EnrolmentState::Closed
    } else {
        EnrolmentState::Open
    }
}

pub fn funding_status(eligible: bool, from: &str, to: Option<&str>, today: &str) -> FundingStatus {
    match to {
        Some(to) if today > to => FundingStatus::SchemeEnded(to.to_owned()),
        _ if !eligible => FundingStatus::NotEligible,
        _ if today < from => FundingStatus::OpensOn(from.to_owned()),
        Some(to) => FundingStatus::EligibleUntil(to.to_owned()),
        None => FundingStatus::EligibleOngoing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttaf_reads_as_ended_after_2022() {
        assert_eq!(
            funding_status(true, "2020-07-01", Some("2022-12-31"), "2026-11-28"),
            FundingStatus::SchemeEnded("2022-12-31".into())
        );
        assert_eq!(
            funding_status(true, "2020-07-01", Some("2022-12-31"), "2021-03-01"),
            FundingStatus::EligibleUntil("2022-12-31".into())
        );
        assert_eq!(
            funding_status(false, "2020-07-01", Some("2022-12-31"), "2021-03-01"),
            FundingStatus::NotEligible
        );
        assert_eq!(
            funding_status(true, "2027-01-01", None, "2026-11-28"),
            FundingStatus::OpensOn("2027-01-01".into())
        );
    }

    #[test]
    fn enrolment_window_is_inclusive() {
        assert_eq!(
            enrolment_state("2026-01-01", "2026-02-01", "2026-01-01"),
            EnrolmentState::Open
        );
        assert_eq!(
            enrolment_state("2026-01-01", "2026-02-01", "2026-02-01"),
            EnrolmentState::Open
        );
        assert_eq!(
            enrolment_state("2026-01-01", "2026-02-01", "2026-02-02"),
            EnrolmentState::Closed
        );
        assert_eq!(
            enrolment_state("2026-01-01", "2026-02-01", "2025-12-31"),
            EnrolmentState::NotYetOpen
        );
    }
}
