//! `tohu export`: the whole catalogue back out, in the import's format (TOML or JSON), so the
//! file and the database never drift apart. Everything is read in one transaction and
//! ordered in Rust by bytes (never by a database collation), so the same catalogue gives the
//! same bytes on SQLite and PostgreSQL, and exporting what an export imported gives the same
//! file again. Dates are absolute, fees to the cent; the file records the catalogue revision
//! it was taken at (`SeedFile::revision`), which an import compares with the dashboard's
//! edits.

use std::collections::BTreeMap;

use sqlx::{AnyConnection, AnyPool};

use crate::catalogue::server::seed::{
    CredentialSeed, Format, FundingLinkSeed, FundingSchemeSeed, IntakeSeed, ProviderSeed,
    SectorSeed, SeedFile, SynonymGroupSeed, UnitStandardSeed,
};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("could not write the file: {0}")]
    Encode(String),
}

#[derive(sqlx::FromRow)]
struct SectorRow {
    slug: String,
    name: String,
}

#[derive(sqlx::FromRow)]
struct ProviderRow {
    name: String,
    sample: i64,
}

#[derive(sqlx::FromRow)]
struct SchemeRow {
    code: String,
    name: String,
    description: String,
    valid_from: String,
    valid_to: Option<String>,
    source_url: Option<String>,
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
struct CredentialRow {
    id: i64,
    slug: String,
    title: String,
    nzqa_ref: Option<i64>,
    nzqa_version: Option<i64>,
    sector: String,
    level: i64,
    credits: i64,
    status: String,
    nzsced_code: Option<String>,
    review_on: Option<String>,
    delivery_modes: String,
    developer: String,
    summary: String,
    purpose: String,
    outcomes: String,
    education_pathway: String,
    employment_pathway: String,
    entry_requirements: String,
    source_url: Option<String>,
    data_note: String,
    standards_verified: i64,
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    credential_id: i64,
    number: i64,
}

#[derive(sqlx::FromRow)]
struct FundingRow {
    credential_id: i64,
    code: String,
    eligible: i64,
    note: String,
}

#[derive(sqlx::FromRow)]
struct IntakeRow {
    credential_id: i64,
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
    waitlist_capacity: i64,
    cancelled_at: Option<String>,
}

const INTAKE: &str = "SELECT credential_id, code, starts_on, ends_on, enrolment_opens_on, \
    enrolment_closes_on, region, delivery_mode, provider, fee_cents, capacity, \
    waitlist_capacity, cancelled_at FROM intakes";

impl From<IntakeRow> for IntakeSeed {
    fn from(i: IntakeRow) -> Self {
        IntakeSeed {
            code: i.code,
            starts: i.starts_on,
            ends: i.ends_on,
            enrolment_opens: i.enrolment_opens_on,
            enrolment_closes: i.enrolment_closes_on,
            region: i.region,
            delivery_mode: i.delivery_mode,
            provider: i.provider,
            fee: i.fee_cents as f64 / 100.0,
            capacity: i.capacity,
            waitlist: i.waitlist_capacity,
            // The day: a cancellation in the dashboard stores the moment.
            cancelled: i.cancelled_at.map(|at| at.chars().take(10).collect()),
        }
    }
}

#[derive(sqlx::FromRow)]
struct SynonymRow {
    group_no: i64,
    term: String,
}

/// The catalogue as one file, with its synonym groups, at one consistent moment.
pub async fn export(pool: &AnyPool) -> Result<SeedFile, ExportError> {
    let mut tx = pool.begin().await?;
    let file = read(&mut tx).await?;
    tx.commit().await?;
    Ok(file)
}

async fn read(tx: &mut AnyConnection) -> Result<SeedFile, sqlx::Error> {
    let revision: i64 = sqlx::query_scalar("SELECT revision FROM catalogue_revision WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let sector =
        sqlx::query_as::<_, SectorRow>("SELECT slug, name FROM sectors ORDER BY sort_order, id")
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|s| SectorSeed {
                slug: s.slug,
                name: s.name,
            })
            .collect();
    let mut provider: Vec<ProviderSeed> = sqlx::query_as::<_, ProviderRow>(
        "SELECT name, sample FROM organisations WHERE kind = 'provider'",
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|p| ProviderSeed {
        name: p.name,
        sample: p.sample != 0,
    })
    .collect();
    provider.sort_by(|a, b| a.name.cmp(&b.name));
    let mut funding_scheme = schemes(tx, None).await?;
    funding_scheme.sort_by(|a, b| a.code.cmp(&b.code));
    let unit_standard = standards(tx, None).await?;
    let credential = credentials(tx, None).await?;
    let mut groups: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for r in sqlx::query_as::<_, SynonymRow>("SELECT group_no, term FROM synonyms")
        .fetch_all(&mut *tx)
        .await?
    {
        groups.entry(r.group_no).or_default().push(r.term);
    }
    // Groups in their stored order (the file's), terms in byte order within each.
    let synonym_group: Vec<SynonymGroupSeed> = groups
        .into_values()
        .map(|mut terms| {
            terms.sort();
            SynonymGroupSeed { terms }
        })
        .collect();
    Ok(SeedFile {
        revision: Some(revision),
        sector,
        provider,
        funding_scheme,
        unit_standard,
        credential,
        synonym_group,
    })
}

/// The funding schemes (only the one coded `only`, when given).
async fn schemes(
    tx: &mut AnyConnection,
    only: Option<&str>,
) -> Result<Vec<FundingSchemeSeed>, sqlx::Error> {
    Ok(sqlx::query_as::<_, SchemeRow>(
        "SELECT code, name, description, valid_from, valid_to, source_url FROM funding_schemes \
         WHERE $1 = '' OR code = $1",
    )
    .bind(only.unwrap_or_default().to_owned())
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|f| FundingSchemeSeed {
        code: f.code,
        name: f.name,
        description: f.description,
        valid_from: f.valid_from,
        valid_to: f.valid_to,
        source_url: f.source_url,
    })
    .collect())
}

/// The unit standards by number (only `only`, when given).
async fn standards(
    tx: &mut AnyConnection,
    only: Option<i64>,
) -> Result<Vec<UnitStandardSeed>, sqlx::Error> {
    Ok(sqlx::query_as::<_, StandardRow>(
        "SELECT number, version, title, level, credits, domain, source_url \
         FROM unit_standards WHERE $1 = 0 OR number = $1 ORDER BY number",
    )
    .bind(only.unwrap_or(0))
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|u| UnitStandardSeed {
        number: u.number,
        version: u.version,
        title: u.title,
        level: u.level,
        credits: u.credits,
        domain: u.domain,
        source_url: u.source_url,
    })
    .collect())
}

/// One record as the file holds it, for the dashboard's editor (a credential with its
/// standards and funding, without its intakes).
pub mod one {
    use super::*;

    pub async fn sector(
        c: &mut AnyConnection,
        slug: &str,
    ) -> Result<Option<SectorSeed>, sqlx::Error> {
        Ok(
            sqlx::query_as::<_, SectorRow>("SELECT slug, name FROM sectors WHERE slug = $1")
                .bind(slug.to_owned())
                .fetch_optional(&mut *c)
                .await?
                .map(|s| SectorSeed {
                    slug: s.slug,
                    name: s.name,
                }),
        )
    }

    pub async fn unit_standard(
        c: &mut AnyConnection,
        number: i64,
    ) -> Result<Option<UnitStandardSeed>, sqlx::Error> {
        Ok(standards(c, Some(number)).await?.into_iter().next())
    }

    pub async fn funding_scheme(
        c: &mut AnyConnection,
        code: &str,
    ) -> Result<Option<FundingSchemeSeed>, sqlx::Error> {
        Ok(schemes(c, Some(code)).await?.into_iter().next())
    }

    /// The intake whose row is `id`.
    pub async fn intake(c: &mut AnyConnection, id: i64) -> Result<Option<IntakeSeed>, sqlx::Error> {
        Ok(
            sqlx::query_as::<_, IntakeRow>(&format!("{INTAKE} WHERE id = $1"))
                .bind(id)
                .fetch_optional(&mut *c)
                .await?
                .map(IntakeSeed::from),
        )
    }

    pub async fn credential(
        c: &mut AnyConnection,
        slug: &str,
    ) -> Result<Option<CredentialSeed>, sqlx::Error> {
        Ok(credentials(c, Some(slug))
            .await?
            .into_iter()
            .next()
            .map(|mut c| {
                c.intake.clear();
                c
            }))
    }
}

/// Every credential (only `only`, when given) with its standards (in their order),
/// funding links and intakes.
async fn credentials(
    tx: &mut AnyConnection,
    only: Option<&str>,
) -> Result<Vec<CredentialSeed>, sqlx::Error> {
    let only = only.unwrap_or_default().to_owned();
    let rows = sqlx::query_as::<_, CredentialRow>(
        "SELECT c.id, c.slug, c.title, c.nzqa_ref, c.nzqa_version, s.slug AS sector, c.level, \
           c.credits, c.status, c.nzsced_code, c.review_on, c.delivery_modes, c.developer, \
           c.summary, c.purpose, c.outcomes, c.education_pathway, c.employment_pathway, \
           c.entry_requirements, c.source_url, c.data_note, \
           CAST(c.standards_verified AS BIGINT) AS standards_verified \
         FROM credentials c JOIN sectors s ON s.id = c.sector_id WHERE $1 = '' OR c.slug = $1",
    )
    .bind(only.clone())
    .fetch_all(&mut *tx)
    .await?;
    let mut standards: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for l in sqlx::query_as::<_, LinkRow>(
        "SELECT cs.credential_id, u.number FROM credential_standards cs \
         JOIN unit_standards u ON u.id = cs.unit_standard_id \
         JOIN credentials c ON c.id = cs.credential_id WHERE $1 = '' OR c.slug = $1 \
         ORDER BY cs.credential_id, cs.position, u.number",
    )
    .bind(only.clone())
    .fetch_all(&mut *tx)
    .await?
    {
        standards.entry(l.credential_id).or_default().push(l.number);
    }
    let mut funding: BTreeMap<i64, Vec<FundingLinkSeed>> = BTreeMap::new();
    for f in sqlx::query_as::<_, FundingRow>(
        "SELECT cf.credential_id, f.code, CAST(cf.eligible AS BIGINT) AS eligible, cf.note \
         FROM credential_funding cf JOIN funding_schemes f ON f.id = cf.funding_scheme_id \
         JOIN credentials c ON c.id = cf.credential_id WHERE $1 = '' OR c.slug = $1",
    )
    .bind(only.clone())
    .fetch_all(&mut *tx)
    .await?
    {
        funding
            .entry(f.credential_id)
            .or_default()
            .push(FundingLinkSeed {
                scheme: f.code,
                eligible: f.eligible != 0,
                note: f.note,
            });
    }
    let mut intakes: BTreeMap<i64, Vec<IntakeSeed>> = BTreeMap::new();
    for i in sqlx::query_as::<_, IntakeRow>(&format!(
        "{INTAKE} WHERE $1 = '' OR credential_id IN (SELECT id FROM credentials WHERE slug = $1)"
    ))
    .bind(only)
    .fetch_all(&mut *tx)
    .await?
    {
        intakes.entry(i.credential_id).or_default().push(i.into());
    }
    let mut out: Vec<CredentialSeed> = rows
        .into_iter()
        .map(|c| {
            let mut funding = funding.remove(&c.id).unwrap_or_default();
            funding.sort_by(|a, b| a.scheme.cmp(&b.scheme));
            let mut intake = intakes.remove(&c.id).unwrap_or_default();
            intake.sort_by(|a, b| a.code.cmp(&b.code));
            CredentialSeed {
                standards: standards.remove(&c.id).unwrap_or_default(),
                slug: c.slug,
                title: c.title,
                nzqa_ref: c.nzqa_ref,
                nzqa_version: c.nzqa_version,
                sector: c.sector,
                level: c.level,
                credits: c.credits,
                status: c.status,
                nzsced_code: c.nzsced_code,
                review_date: c.review_on,
                delivery_modes: c
                    .delivery_modes
                    .split(',')
                    .filter(|m| !m.is_empty())
                    .map(str::to_owned)
                    .collect(),
                developer: c.developer,
                summary: c.summary,
                purpose: c.purpose,
                outcomes: c.outcomes,
                education_pathway: c.education_pathway,
                employment_pathway: c.employment_pathway,
                entry_requirements: c.entry_requirements,
                source_url: c.source_url,
                data_note: c.data_note,
                standards_verified: c.standards_verified != 0,
                funding,
                intake,
            }
        })
        .collect();
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(out)
}

/// The file's text in `format`: TOML, or pretty JSON ending in a newline.
pub fn encode(file: &SeedFile, format: Format) -> Result<String, ExportError> {
    match format {
        Format::Toml => toml::to_string(file).map_err(|e| ExportError::Encode(e.to_string())),
        Format::Json => serde_json::to_string_pretty(file)
            .map(|s| s + "\n")
            .map_err(|e| ExportError::Encode(e.to_string())),
    }
}

/// `synonyms.toml`'s text for the file's groups (`[[group]] terms = […]`).
pub fn encode_synonyms(groups: &[SynonymGroupSeed]) -> Result<String, ExportError> {
    #[derive(serde::Serialize)]
    struct Synonyms<'a> {
        group: &'a [SynonymGroupSeed],
    }
    toml::to_string(&Synonyms { group: groups }).map_err(|e| ExportError::Encode(e.to_string()))
}
