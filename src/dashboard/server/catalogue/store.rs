//! The editor's reads and writes, one record at a time, by its natural key (an intake by
//! its id, within the coordinator's scope). A write runs inside the caller's transaction
//! after `claim` took the row at the version the form was read at.

use sqlx::{Any, AnyPool, Transaction};

use super::fields::Record;
use crate::auth::server::guard::Scope;
use crate::catalogue::server::export::one;
use crate::catalogue::server::import::{sync_funding, sync_standards};
use crate::catalogue::server::seed::{CredentialSeed, IntakeSeed};
use crate::dashboard::types::RecordKind;
use crate::error::AppError;

/// A stored record: its row, the version of the row, and the record.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: i64,
    pub version: i64,
    pub record: Record,
    /// An intake's: its credential's id, slug and title, and whether it was cancelled.
    pub intake: Option<IntakeOf>,
}

#[derive(Debug, Clone)]
pub struct IntakeOf {
    pub credential_id: i64,
    pub slug: String,
    pub title: String,
    pub cancelled: bool,
}

/// A row's id and how many times it was written.
#[derive(sqlx::FromRow)]
struct RowOf {
    id: i64,
    row_version: i64,
}

/// An intake's row, with what the editor shows beside its record.
#[derive(sqlx::FromRow)]
struct IntakeRow {
    id: i64,
    row_version: i64,
    credential_id: i64,
    slug: String,
    title: String,
    cancelled_at: Option<String>,
}

/// The record `key` of `kind`, within `scope` for an intake (another provider's: `None`).
pub async fn read<'e, E>(
    db: E,
    kind: RecordKind,
    key: &str,
    scope: Scope,
) -> Result<Option<Stored>, sqlx::Error>
where
    E: sqlx::Acquire<'e, Database = Any>,
{
    let mut conn = db.acquire().await?;
    let c = &mut *conn;
    if kind != RecordKind::Intake {
        let sql = format!(
            "SELECT id, row_version FROM {} WHERE {} = $1",
            table(kind),
            kind.key_field()
        );
        let q = sqlx::query_as::<_, RowOf>(&sql);
        let q = match kind {
            RecordKind::UnitStandard => match key.parse::<i64>() {
                Ok(n) => q.bind(n),
                Err(_) => return Ok(None),
            },
            _ => q.bind(key.to_owned()),
        };
        let Some(row) = q.fetch_optional(&mut *c).await? else {
            return Ok(None);
        };
        let record = match kind {
            RecordKind::Sector => one::sector(c, key).await?.map(Record::Sector),
            RecordKind::UnitStandard => one::unit_standard(c, key.parse().unwrap_or(0))
                .await?
                .map(Record::UnitStandard),
            RecordKind::FundingScheme => one::funding_scheme(c, key)
                .await?
                .map(Record::FundingScheme),
            _ => one::credential(c, key)
                .await?
                .map(|c| Record::Credential(Box::new(c))),
        };
        return Ok(record.map(|record| Stored {
            id: row.id,
            version: row.row_version,
            record,
            intake: None,
        }));
    }
    Ok(match kind {
        RecordKind::Intake => {
            let Ok(id) = key.parse::<i64>() else {
                return Ok(None);
            };
            let (org, scoped) = match scope {
                Scope::ProviderOrg(org) => (org, true),
                Scope::All => (0, false),
                // Employers never reach here (the guard), and see no intake if they did.
                Scope::EmployerOrg(_) => return Ok(None),
            };
            let Some(r) = sqlx::query_as::<_, IntakeRow>(
                "SELECT i.id, i.row_version, i.credential_id, c.slug, c.title, i.cancelled_at \
                 FROM intakes i JOIN credentials c ON c.id = i.credential_id \
                 WHERE i.id = $1 AND ($2 = 0 OR i.provider_org_id = $3)",
            )
            .bind(id)
            .bind(i64::from(scoped))
            .bind(org)
            .fetch_optional(&mut *c)
            .await?
            else {
                return Ok(None);
            };
            one::intake(c, r.id).await?.map(|record| Stored {
                id: r.id,
                version: r.row_version,
                intake: Some(IntakeOf {
                    credential_id: r.credential_id,
                    slug: r.slug,
                    title: r.title,
                    cancelled: r.cancelled_at.is_some(),
                }),
                record: Record::Intake(record),
            })
        }
        _ => None,
    })
}

/// The table a kind of record lives in.
pub fn table(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Sector => "sectors",
        RecordKind::UnitStandard => "unit_standards",
        RecordKind::FundingScheme => "funding_schemes",
        RecordKind::Credential => "credentials",
        RecordKind::Intake => "intakes",
    }
}

/// Takes row `id` of `kind` for this transaction if it is still at `version` (the first
/// write of the transaction: PostgreSQL's row lock, SQLite's write lock), moving the
/// version on; `false` when someone saved it in between.
pub async fn claim(
    tx: &mut Transaction<'_, Any>,
    kind: RecordKind,
    id: i64,
    version: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "UPDATE {} SET row_version = row_version + 1 WHERE id = $1 AND row_version = $2",
        table(kind)
    );
    let done = sqlx::query(&sql)
        .bind(id)
        .bind(version)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks row `id` as edited in the dashboard at `revision`.
pub async fn mark(
    tx: &mut Transaction<'_, Any>,
    kind: RecordKind,
    id: i64,
    revision: i64,
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "UPDATE {} SET edited_revision = $1 WHERE id = $2",
        table(kind)
    );
    sqlx::query(&sql)
        .bind(revision)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether a record of `kind` with natural key `key` exists (for an intake, `key` is its
/// code on credential `credential_id`).
pub async fn exists(
    tx: &mut Transaction<'_, Any>,
    kind: RecordKind,
    key: &str,
    credential_id: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = match kind {
        RecordKind::UnitStandard => {
            sqlx::query_scalar("SELECT COUNT(*) FROM unit_standards WHERE number = $1")
                .bind(key.parse::<i64>().unwrap_or(-1))
                .fetch_one(&mut **tx)
                .await?
        }
        RecordKind::Intake => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM intakes WHERE credential_id = $1 AND code = $2",
            )
            .bind(credential_id)
            .bind(key.to_owned())
            .fetch_one(&mut **tx)
            .await?
        }
        other => {
            let sql = format!(
                "SELECT COUNT(*) FROM {} WHERE {} = $1",
                table(other),
                other.key_field()
            );
            sqlx::query_scalar(&sql)
                .bind(key.to_owned())
                .fetch_one(&mut **tx)
                .await?
        }
    };
    Ok(n > 0)
}

/// Writes a sector, standard, scheme or credential: a new row when `id` is `None`; the
/// row's id.
pub async fn write_listing(
    tx: &mut Transaction<'_, Any>,
    id: Option<i64>,
    record: &Record,
    today: &str,
) -> Result<i64, AppError> {
    let id = match record {
        Record::Sector(s) => match id {
            Some(id) => {
                sqlx::query("UPDATE sectors SET name = $1 WHERE id = $2")
                    .bind(s.name.clone())
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO sectors (slug, name, sort_order) VALUES ($1, $2, \
                       (SELECT COALESCE(MAX(sort_order), -1) + 1 FROM sectors)) RETURNING id",
                )
                .bind(s.slug.clone())
                .bind(s.name.clone())
                .fetch_one(&mut **tx)
                .await?
            }
        },
        Record::UnitStandard(u) => {
            let sql = match id {
                Some(_) => {
                    "UPDATE unit_standards SET version = $2, title = $3, level = $4, \
                     credits = $5, domain = $6, source_url = $7 WHERE number = $1 RETURNING id"
                }
                None => {
                    "INSERT INTO unit_standards (number, version, title, level, credits, \
                     domain, source_url) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
                }
            };
            sqlx::query_scalar(sql)
                .bind(u.number)
                .bind(u.version)
                .bind(u.title.clone())
                .bind(u.level)
                .bind(u.credits)
                .bind(u.domain.clone())
                .bind(u.source_url.clone())
                .fetch_one(&mut **tx)
                .await?
        }
        Record::FundingScheme(f) => {
            let sql = match id {
                Some(_) => {
                    "UPDATE funding_schemes SET name = $2, description = $3, valid_from = $4, \
                     valid_to = $5, source_url = $6 WHERE code = $1 RETURNING id"
                }
                None => {
                    "INSERT INTO funding_schemes (code, name, description, valid_from, \
                     valid_to, source_url) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
                }
            };
            sqlx::query_scalar(sql)
                .bind(f.code.clone())
                .bind(f.name.clone())
                .bind(f.description.clone())
                .bind(f.valid_from.clone())
                .bind(f.valid_to.clone())
                .bind(f.source_url.clone())
                .fetch_one(&mut **tx)
                .await?
        }
        Record::Credential(c) => write_credential(tx, id, c, today).await?,
        Record::Intake(_) => return Err(AppError::BadRequest),
    };
    Ok(id)
}

async fn write_credential(
    tx: &mut Transaction<'_, Any>,
    id: Option<i64>,
    c: &CredentialSeed,
    today: &str,
) -> Result<i64, AppError> {
    let sector_id: i64 = sqlx::query_scalar("SELECT id FROM sectors WHERE slug = $1")
        .bind(c.sector.clone())
        .fetch_one(&mut **tx)
        .await?;
    let sql = match id {
        Some(_) => {
            "UPDATE credentials SET nzqa_ref = $2, nzqa_version = $3, title = $4, summary = $5, \
             purpose = $6, outcomes = $7, education_pathway = $8, employment_pathway = $9, \
             entry_requirements = $10, level = $11, credits = $12, status = $13, \
             delivery_modes = $14, developer = $15, source_url = $16, data_note = $17, \
             standards_verified = $18, sector_id = $19, nzsced_code = $20, review_on = $21, \
             updated_on = $22 WHERE slug = $1 RETURNING id"
        }
        None => {
            "INSERT INTO credentials (slug, nzqa_ref, nzqa_version, title, summary, purpose, \
             outcomes, education_pathway, employment_pathway, entry_requirements, level, \
             credits, status, delivery_modes, developer, source_url, data_note, \
             standards_verified, sector_id, nzsced_code, review_on, updated_on) VALUES ($1, \
             $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
             $20, $21, $22) RETURNING id"
        }
    };
    let id: i64 = sqlx::query_scalar(sql)
        .bind(c.slug.clone())
        .bind(c.nzqa_ref)
        .bind(c.nzqa_version)
        .bind(c.title.clone())
        .bind(c.summary.clone())
        .bind(c.purpose.clone())
        .bind(c.outcomes.clone())
        .bind(c.education_pathway.clone())
        .bind(c.employment_pathway.clone())
        .bind(c.entry_requirements.clone())
        .bind(c.level)
        .bind(c.credits)
        .bind(c.status.clone())
        .bind(c.delivery_modes.join(","))
        .bind(c.developer.clone())
        .bind(c.source_url.clone())
        .bind(c.data_note.clone())
        .bind(i64::from(c.standards_verified))
        .bind(sector_id)
        .bind(c.nzsced_code.clone())
        .bind(c.review_date.clone())
        .bind(today.to_owned())
        .fetch_one(&mut **tx)
        .await?;
    let db = |e: crate::catalogue::server::import::ImportError| match e {
        crate::catalogue::server::import::ImportError::Db(e) => AppError::from(e),
        _ => AppError::Internal,
    };
    sync_standards(tx, id, &c.standards).await.map_err(db)?;
    sync_funding(tx, id, &c.funding).await.map_err(db)?;
    Ok(id)
}

/// The intake columns an editor's save writes (capacity is `seats::set_capacity`'s).
pub async fn write_intake(
    tx: &mut Transaction<'_, Any>,
    id: Option<i64>,
    credential_id: i64,
    i: &IntakeSeed,
    provider_org_id: Option<i64>,
) -> Result<i64, sqlx::Error> {
    let fee_cents = (i.fee * 100.0).round() as i64;
    let id = match id {
        Some(id) => {
            sqlx::query(
                "UPDATE intakes SET starts_on = $1, ends_on = $2, enrolment_opens_on = $3, \
                 enrolment_closes_on = $4, region = $5, delivery_mode = $6, fee_cents = $7, \
                 waitlist_capacity = $8, edited_at = $9 WHERE id = $10",
            )
            .bind(i.starts.clone())
            .bind(i.ends.clone())
            .bind(i.enrolment_opens.clone())
            .bind(i.enrolment_closes.clone())
            .bind(i.region.clone())
            .bind(i.delivery_mode.clone())
            .bind(fee_cents)
            .bind(i.waitlist)
            .bind(crate::server::clock::now())
            .bind(id)
            .execute(&mut **tx)
            .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO intakes (credential_id, code, starts_on, ends_on, \
                 enrolment_opens_on, enrolment_closes_on, region, delivery_mode, provider, \
                 provider_org_id, fee_cents, capacity, waitlist_capacity, edited_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                 RETURNING id",
            )
            .bind(credential_id)
            .bind(i.code.clone())
            .bind(i.starts.clone())
            .bind(i.ends.clone())
            .bind(i.enrolment_opens.clone())
            .bind(i.enrolment_closes.clone())
            .bind(i.region.clone())
            .bind(i.delivery_mode.clone())
            .bind(i.provider.clone())
            .bind(provider_org_id)
            .bind(fee_cents)
            .bind(i.capacity)
            .bind(i.waitlist)
            .bind(crate::server::clock::now())
            .fetch_one(&mut **tx)
            .await?
        }
    };
    Ok(id)
}

/// Everything the editor's lists show, in one read each: `(key, label, detail)` rows.
pub async fn names(
    pool: &AnyPool,
    sql: &str,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    read_names(pool, sql, &[]).await
}

/// `names` of a query with bound ids (`$1`, `$2`…).
pub async fn names_of(
    pool: &AnyPool,
    sql: &str,
    ids: &[i64],
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    read_names(pool, sql, ids).await
}

async fn read_names(
    pool: &AnyPool,
    sql: &str,
    ids: &[i64],
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        key: String,
        label: String,
        detail: String,
    }
    let mut q = sqlx::query_as::<_, Row>(sql);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| (r.key, r.label, r.detail))
        .collect())
}
