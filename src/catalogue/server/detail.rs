//! Catalogue reads for the detail page (search lives in `server::search`).
//! Every value reaches SQL as a bound parameter; only placeholder numbers are formatted in.

use sqlx::{AnyPool, Row};

use crate::catalogue::types::{
    CredentialDetail, EnrolmentState, Funding, FundingStatus, Intake, Sector, UnitStandard,
};

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
        delivery_modes: delivery_modes_of(&delivery_modes),
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
