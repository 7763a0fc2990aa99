//! The Open Badges `Achievement` of a micro-credential, and the snapshot it is built from.
//!
//! A completion stores the snapshot (the listing as it was then, and the issuer's name), so
//! the credential a learner downloads years later is the one they were given, byte for byte,
//! however the catalogue changed since. The same builder serves the current listing at
//! `/api/v1/credentials/{slug}/achievement`.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

/// The listing facts a credential states, as they were at completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// What a learner must show: the listing's outcomes.
    pub criteria: String,
    pub credits: i64,
    pub level: i64,
    pub nzqa_ref: Option<i64>,
    pub nzqa_version: Option<i64>,
    pub sector: String,
    /// Which of the listing's facts are sample data; empty when none is.
    pub data_note: String,
    /// The unit standards, in the listing's order; empty where the links are sample data.
    pub standards: Vec<Standard>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Standard {
    pub number: i64,
    pub version: Option<i64>,
    pub title: String,
}

#[derive(sqlx::FromRow)]
struct ListingRow {
    id: i64,
    slug: String,
    title: String,
    summary: String,
    outcomes: String,
    credits: i64,
    level: i64,
    nzqa_ref: Option<i64>,
    nzqa_version: Option<i64>,
    data_note: String,
    standards_verified: i64,
    sector: String,
}

/// Where a credential's listing is read from: by its row id or its slug.
pub enum Listing<'a> {
    Id(i64),
    Slug(&'a str),
}

/// The credential's listing as it is now; `None` when there is no such credential.
pub async fn current(
    db: &mut AnyConnection,
    which: Listing<'_>,
) -> Result<Option<Snapshot>, sqlx::Error> {
    const SELECT: &str = "SELECT c.id, c.slug, c.title, c.summary, c.outcomes, c.credits, \
         c.level, c.nzqa_ref, c.nzqa_version, c.data_note, c.standards_verified, \
         s.name AS sector FROM credentials c JOIN sectors s ON s.id = c.sector_id";
    let row: Option<ListingRow> = match which {
        Listing::Id(id) => {
            sqlx::query_as(&format!("{SELECT} WHERE c.id = $1"))
                .bind(id)
                .fetch_optional(&mut *db)
                .await?
        }
        Listing::Slug(slug) => {
            sqlx::query_as(&format!("{SELECT} WHERE c.slug = $1"))
                .bind(slug.to_owned())
                .fetch_optional(&mut *db)
                .await?
        }
    };
    let Some(row) = row else {
        return Ok(None);
    };
    let id = row.id;
    let standards = match row.standards_verified {
        0 => Vec::new(),
        _ => {
            sqlx::query_as(
                "SELECT u.number, u.version, u.title FROM credential_standards cs \
                 JOIN unit_standards u ON u.id = cs.unit_standard_id \
                 WHERE cs.credential_id = $1 ORDER BY cs.position, u.number",
            )
            .bind(id)
            .fetch_all(&mut *db)
            .await?
        }
    };
    Ok(Some(Snapshot {
        slug: row.slug,
        title: row.title,
        summary: row.summary,
        criteria: row.outcomes,
        credits: row.credits,
        level: row.level,
        nzqa_ref: row.nzqa_ref,
        nzqa_version: row.nzqa_version,
        sector: row.sector,
        data_note: row.data_note,
        standards,
    }))
}

/// What a reader of any credential should know: NZQA's record is the official one.
pub const OFFICIAL_RECORD: &str = "NZQA's Record of Achievement is the official record of \
     New Zealand micro-credentials and unit standards; this credential is the provider's \
     portable statement of it.";

impl Snapshot {
    /// The achievement's id: where its current listing is served as JSON.
    pub fn id(&self, base: &str) -> String {
        format!("{base}/api/v1/credentials/{}/achievement", self.slug)
    }

    /// The description: the summary, and the data note where the listing holds sample data.
    pub fn description(&self) -> String {
        match self.data_note.trim() {
            "" => self.summary.clone(),
            note => format!("{} Data note: {note}", self.summary),
        }
    }

    /// The OB 3.0 `Achievement` (`achievementType: MicroCredential`), one alignment per
    /// verified unit standard.
    pub fn achievement(&self, base: &str) -> Achievement {
        Achievement {
            id: self.id(base),
            kind: vec!["Achievement".to_owned()],
            achievement_type: "MicroCredential".to_owned(),
            name: self.title.clone(),
            description: self.description(),
            criteria: Criteria {
                id: format!("{base}/credentials/{}", self.slug),
                narrative: self.criteria.clone(),
            },
            credits_available: self.credits,
            field_of_study: self.sector.clone(),
            tag: vec![
                format!("NZQF level {}", self.level),
                format!("{} credits", self.credits),
            ],
            human_code: self.nzqa_ref.map(|n| format!("NZQA {n}")),
            version: self.nzqa_version.map(|v| v.to_string()),
            alignment: self
                .standards
                .iter()
                .map(|s| Alignment {
                    kind: vec!["Alignment".to_owned()],
                    target_code: s.number.to_string(),
                    target_name: format!("Unit standard {}: {}", s.number, s.title),
                    target_framework: FRAMEWORK.to_owned(),
                    target_url: format!("{base}/api/v1/unit-standards/{}", s.number),
                })
                .collect(),
        }
    }
}

/// The framework a unit standard belongs to.
const FRAMEWORK: &str = "NZQA Directory of Assessment and Skill Standards";

/// An Open Badges 3.0 `Achievement`: what a micro-credential is, as a credential states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Achievement {
    /// Where this achievement's current listing is served.
    pub id: String,
    /// Always `["Achievement"]`.
    #[serde(rename = "type")]
    pub kind: Vec<String>,
    /// Always `MicroCredential`.
    pub achievement_type: String,
    pub name: String,
    /// The summary, with the listing's data note where it holds sample data.
    pub description: String,
    pub criteria: Criteria,
    pub credits_available: i64,
    /// The sector.
    pub field_of_study: String,
    /// The NZQF level and the credits, as words.
    pub tag: Vec<String>,
    /// `NZQA` and the NZQA listing number, where the listing has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub human_code: Option<String>,
    /// The NZQA listing's version, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// One per unit standard, where the links are verified (none where they are sample).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alignment: Vec<Alignment>,
}

/// What a learner must show: the listing's outcomes, and the page that lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Criteria {
    pub id: String,
    pub narrative: String,
}

/// A unit standard the micro-credential is made of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Alignment {
    /// Always `["Alignment"]`.
    #[serde(rename = "type")]
    pub kind: Vec<String>,
    /// The unit standard's number.
    pub target_code: String,
    pub target_name: String,
    pub target_framework: String,
    /// The unit standard in this API.
    pub target_url: String,
}
