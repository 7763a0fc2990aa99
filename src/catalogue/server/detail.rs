//! Catalogue reads for the detail page (search lives in `search/`). Rows are read by
//! column name into the row types below.
//! Every value reaches SQL as a bound parameter; only placeholder numbers are formatted in.

use sqlx::AnyPool;

use crate::catalogue::types::{
    CredentialDetail, EnrolmentState, Funding, FundingStatus, Intake, Sector, UnitStandard,
};

/// One credential with its sector, as the detail query reads it.
#[derive(sqlx::FromRow)]
struct CredentialRow {
    id: i64,
    slug: String,
    nzqa_ref: Option<i64>,
    nzqa_version: Option<i64>,
    title: String,
    summary: String,
    purpose: String,
    outcomes: String,
    education_pathway: String,
    employment_pathway: String,
    entry_requirements: String,
    level: i64,
    credits: i64,
    status: String,
    nzsced_code: Option<String>,
    review_on: Option<String>,
    delivery_modes: String,
    developer: String,
    source_url: Option<String>,
    data_note: String,
    sector_slug: String,
    sector_name: String,
}

#[derive(sqlx::FromRow)]
struct StandardRow {
    number: i64,
    version: Option<i64>,
    title: String,
    level: Option<i64>,
    credits: Option<i64>,
    domain: String,
    source_url: Option<String>,
}

#[derive(sqlx::FromRow)]
struct IntakeRow {
    code: String,
    starts_on: String,
    ends_on: String,
    enrolment_opens_on: String,
    enrolment_closes_on: String,
    region: String,
    delivery_mode: String,
    provider: String,
    fee_cents: i64,
    capacity: i64,
    seats_taken: i64,
}

#[derive(sqlx::FromRow)]
struct FundingRow {
    name: String,
    description: String,
    valid_from: String,
    valid_to: Option<String>,
    source_url: Option<String>,
    eligible: i64,
    note: String,
}

/// The whole credential behind `/credentials/{slug}`, in four queries; `None` if unknown.
pub async fn detail(
    pool: &AnyPool,
    slug: &str,
    today: &str,
) -> Result<Option<CredentialDetail>, sqlx::Error> {
    let Some(c) = sqlx::query_as::<_, CredentialRow>(
        "SELECT c.id, c.slug, c.nzqa_ref, c.nzqa_version, c.title, c.summary, c.purpose, \
           c.outcomes, c.education_pathway, c.employment_pathway, c.entry_requirements, c.level, \
           c.credits, c.status, c.nzsced_code, c.review_on, c.delivery_modes, c.developer, \
           c.source_url, c.data_note, s.slug AS sector_slug, s.name AS sector_name \
         FROM credentials c JOIN sectors s ON s.id = c.sector_id WHERE c.slug = $1",
    )
    .bind(slug.to_owned())
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };

    let standards = sqlx::query_as::<_, StandardRow>(
        "SELECT u.number, u.version, u.title, u.level, u.credits, u.domain, u.source_url \
         FROM credential_standards cs JOIN unit_standards u ON u.id = cs.unit_standard_id \
         WHERE cs.credential_id = $1 ORDER BY cs.position, u.number",
    )
    .bind(c.id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|u| UnitStandard {
        number: u.number,
        version: u.version,
        title: u.title,
        level: u.level,
        credits: u.credits,
        domain: u.domain,
        source_url: u.source_url,
    })
    .collect();

    let intakes = sqlx::query_as::<_, IntakeRow>(
        "SELECT code, starts_on, ends_on, enrolment_opens_on, enrolment_closes_on, region, \
           delivery_mode, provider, fee_cents, capacity, seats_taken \
         FROM intakes WHERE credential_id = $1 AND ends_on >= $2 ORDER BY starts_on, id",
    )
    .bind(c.id)
    .bind(today.to_owned())
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|i| Intake {
        enrolment: enrolment_state(&i.enrolment_opens_on, &i.enrolment_closes_on, today),
        seats_left: (i.capacity - i.seats_taken).max(0),
        code: i.code,
        starts_on: i.starts_on,
        ends_on: i.ends_on,
        enrolment_opens_on: i.enrolment_opens_on,
        enrolment_closes_on: i.enrolment_closes_on,
        region: i.region,
        delivery_mode: i.delivery_mode,
        provider: i.provider,
        fee_cents: i.fee_cents,
        capacity: i.capacity,
    })
    .collect();

    let funding = sqlx::query_as::<_, FundingRow>(
        "SELECT f.name, f.description, f.valid_from, f.valid_to, f.source_url, cf.eligible, \
           cf.note \
         FROM credential_funding cf JOIN funding_schemes f ON f.id = cf.funding_scheme_id \
         WHERE cf.credential_id = $1 ORDER BY f.valid_from DESC, f.name",
    )
    .bind(c.id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|f| Funding {
        status: funding_status(f.eligible == 1, &f.valid_from, f.valid_to.as_deref(), today),
        scheme: f.name,
        description: f.description,
        source_url: f.source_url,
        note: f.note,
    })
    .collect();

    Ok(Some(CredentialDetail {
        delivery_modes: delivery_modes_of(&c.delivery_modes),
        slug: c.slug,
        nzqa_ref: c.nzqa_ref,
        nzqa_version: c.nzqa_version,
        title: c.title,
        summary: c.summary,
        purpose: c.purpose,
        outcomes: c.outcomes,
        education_pathway: c.education_pathway,
        employment_pathway: c.employment_pathway,
        entry_requirements: c.entry_requirements,
        level: c.level,
        credits: c.credits,
        status: c.status,
        nzsced_code: c.nzsced_code,
        review_date: c.review_on,
        developer: c.developer,
        source_url: c.source_url,
        data_note: c.data_note,
        sector: Sector {
            slug: c.sector_slug,
            name: c.sector_name,
        },
        standards,
        intakes,
        funding,
    }))
}

/// The stored comma-separated delivery modes as a list.
pub fn delivery_modes_of(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .collect()
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
