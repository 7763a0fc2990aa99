//! `tohu import FILE`: loads a catalogue file (TOML or JSON) into the database in one
//! transaction. Records are matched by their natural keys (sector slug, scheme code,
//! standard number, credential slug, intake code), so importing twice changes nothing and
//! importing an edited file updates rows in place. Credentials and intakes missing from the
//! file are kept: later they carry registrations, which an import must never delete. A
//! record edited in the dashboard after the revision the file was exported at (any edited
//! record, for a file with no revision) is left alone unless `overwrite_edited`, and listed
//! either way.

use sqlx::{Any, AnyPool, Transaction};
use time::Date;

use crate::catalogue::server::seed::{self, resolve_date, Format, Locator, Parsed, SeedError};
use crate::registration::server::seats::{self, CapacityError};
use crate::server::{db, organisations};

mod report;
mod synonyms;
mod upsert;

pub use report::ImportReport;

pub use synonyms::import_synonyms;

use upsert::{i, oi, ot, t, upsert, upsert_keyed, Change, V};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Seed(#[from] SeedError),
    #[error("{}intake {intake}: {confirmed} learners already hold a seat, so its capacity cannot be {capacity}", seed::line_prefix(*line))]
    Capacity {
        line: usize,
        intake: String,
        confirmed: i64,
        capacity: i64,
    },
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

/// How many times an import that conflicted with other writers is tried in all.
const TRIES: u32 = 5;

/// How an import treats what the dashboard changed.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Write the file's values over records edited in the dashboard after the file's
    /// revision (they are listed in `ImportReport::overwritten`).
    pub overwrite_edited: bool,
}

/// `import_as` for a TOML file, with the default options.
pub async fn import(pool: &AnyPool, text: &str, today: Date) -> Result<ImportReport, ImportError> {
    import_as(pool, text, Format::Toml, today, ImportOptions::default()).await
}

/// Validates `text`, then writes it; nothing is written when any record is invalid. A
/// conflict with other writers (SQLite busy past its timeout, a PostgreSQL deadlock or
/// serialization failure) rolls back and tries again, a few times.
pub async fn import_as(
    pool: &AnyPool,
    text: &str,
    format: Format,
    today: Date,
    options: ImportOptions,
) -> Result<ImportReport, ImportError> {
    let parsed = seed::parse(text, format)?;
    seed::validate(&parsed, text, today)?;
    let mut n = 1;
    loop {
        match write_all(pool, &parsed, text, today, options).await {
            Err(ImportError::Db(e)) if n < TRIES && db::retryable(&e) => {
                tracing::warn!(
                    attempt = n,
                    "import conflicted with another writer; trying again"
                );
                db::back_off(n).await;
                n += 1;
            }
            other => return other,
        }
    }
}

/// One try: the whole file in one write transaction (SQLite's write lock taken at its
/// start, so it cannot fail half-way for want of it).
async fn write_all(
    pool: &AnyPool,
    parsed: &Parsed,
    text: &str,
    today: Date,
    options: ImportOptions,
) -> Result<ImportReport, ImportError> {
    let mut tx = db::begin_write(pool).await?;
    let mut report = ImportReport::default();
    let mut ctx = Ctx {
        today,
        file_revision: parsed.file.revision,
        options,
        report: &mut report,
    };
    write(&mut tx, parsed, text, &mut ctx).await?;
    let mut changed = report.created + report.updated > 0;
    if !parsed.file.synonym_group.is_empty() {
        let groups = synonyms::check(&parsed.file.synonym_group)?;
        changed |= synonyms::replace(&mut tx, &groups).await?;
        report.synonym_groups = Some(groups.len());
    }
    if changed {
        // Every app instance watches this number and rebuilds its search index when it
        // moves; a file that changed nothing moves nothing.
        let revision = crate::catalogue::server::revision::bump(&mut tx).await?;
        audit(&mut tx, &report, parsed.file.revision, revision).await?;
    }
    tx.commit().await?;
    Ok(report)
}

/// One line in the catalogue's change history for the whole import: what it did.
async fn audit(
    tx: &mut Transaction<'_, Any>,
    report: &ImportReport,
    file_revision: Option<i64>,
    revision: i64,
) -> Result<(), sqlx::Error> {
    let after = serde_json::json!({
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "left_alone": report.left_alone,
        "overwritten": report.overwritten,
        "file_revision": file_revision,
    });
    sqlx::query(
        "INSERT INTO catalogue_changes \
           (user_id, entity, record_key, action, before_json, after_json, revision, at) \
         VALUES (NULL, 'catalogue', 'import', 'imported', NULL, $1, $2, $3)",
    )
    .bind(after.to_string())
    .bind(revision)
    .bind(crate::server::clock::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What every record's write needs to know.
struct Ctx<'r> {
    today: Date,
    file_revision: Option<i64>,
    options: ImportOptions,
    report: &'r mut ImportReport,
}

impl Ctx<'_> {
    /// Whether the record `name`, last edited in the dashboard at `edited` (a catalogue
    /// revision), is to be left as it is; either way an edited record is listed.
    fn keeps(&mut self, edited: Option<i64>, name: String) -> bool {
        let after_file = match (edited, self.file_revision) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(e), Some(r)) => e > r,
        };
        match (after_file, self.options.overwrite_edited) {
            (false, _) => false,
            (true, true) => {
                self.report.overwritten.push(name);
                false
            }
            (true, false) => {
                self.report.left_alone.push(name);
                true
            }
        }
    }
}

/// The dashboard edit mark of the row of `table` whose `key` is `value`.
async fn edited_revision(
    tx: &mut Transaction<'_, Any>,
    table: &'static str,
    key: &'static str,
    value: V,
) -> Result<Option<i64>, sqlx::Error> {
    let sql = format!("SELECT edited_revision FROM {table} WHERE {key} = $1");
    let q = sqlx::query_scalar::<_, Option<i64>>(&sql);
    let q = match value {
        V::Int(n) => q.bind(n),
        V::Text(s) => q.bind(s),
    };
    Ok(q.fetch_optional(&mut **tx).await?.flatten())
}

/// Clears the edit mark of a record the file overwrote: it is the file's again.
async fn clear_edited(
    tx: &mut Transaction<'_, Any>,
    table: &'static str,
    id: i64,
) -> Result<(), sqlx::Error> {
    let sql = format!("UPDATE {table} SET edited_revision = NULL WHERE id = $1");
    sqlx::query(&sql).bind(id).execute(&mut **tx).await?;
    Ok(())
}

fn date(value: &str, today: Date) -> String {
    // Already validated; an unparseable value cannot reach here.
    resolve_date(value, today)
        .map(|d| d.to_string())
        .unwrap_or_else(|_| value.to_owned())
}

async fn write(
    tx: &mut Transaction<'_, Any>,
    parsed: &Parsed,
    text: &str,
    ctx: &mut Ctx<'_>,
) -> Result<(), ImportError> {
    let (file, today) = (&parsed.file, ctx.today);
    for (pos, s) in file.sector.iter().enumerate() {
        let edited = edited_revision(tx, "sectors", "slug", t(&s.slug)).await?;
        if ctx.keeps(edited, format!("sector {}", s.slug)) {
            continue;
        }
        let (change, id) = upsert(
            tx,
            "sectors",
            ("slug", t(&s.slug)),
            &[("name", t(&s.name)), ("sort_order", i(pos as i64))],
        )
        .await?;
        if edited.is_some() {
            clear_edited(tx, "sectors", id).await?;
        }
        ctx.report.count(change);
    }
    for f in &file.funding_scheme {
        let edited = edited_revision(tx, "funding_schemes", "code", t(&f.code)).await?;
        if ctx.keeps(edited, format!("funding scheme {}", f.code)) {
            continue;
        }
        let (change, id) = upsert(
            tx,
            "funding_schemes",
            ("code", t(&f.code)),
            &[
                ("name", t(&f.name)),
                ("description", t(&f.description)),
                ("valid_from", t(&date(&f.valid_from, today))),
                (
                    "valid_to",
                    V::Text(f.valid_to.as_ref().map(|d| date(d, today))),
                ),
                ("source_url", ot(&f.source_url)),
            ],
        )
        .await?;
        if edited.is_some() {
            clear_edited(tx, "funding_schemes", id).await?;
        }
        ctx.report.count(change);
    }
    for u in &file.unit_standard {
        let edited = edited_revision(tx, "unit_standards", "number", i(u.number)).await?;
        if ctx.keeps(edited, format!("unit standard {}", u.number)) {
            continue;
        }
        let (change, id) = upsert(
            tx,
            "unit_standards",
            ("number", i(u.number)),
            &[
                ("version", oi(u.version)),
                ("title", t(&u.title)),
                ("level", oi(u.level)),
                ("credits", oi(u.credits)),
                ("domain", t(&u.domain)),
                ("source_url", ot(&u.source_url)),
            ],
        )
        .await?;
        if edited.is_some() {
            clear_edited(tx, "unit_standards", id).await?;
        }
        ctx.report.count(change);
    }
    for p in &file.provider {
        let change = write_provider(tx, p).await?;
        ctx.report.count(change);
    }
    let loc = Locator::new(text);
    for (n, c) in file.credential.iter().enumerate() {
        write_credential(tx, c, ctx).await.map_err(|e| match e {
            ImportError::Capacity {
                line: index,
                intake,
                confirmed,
                capacity,
            } => ImportError::Capacity {
                line: match &parsed.spans {
                    Some(spans) => loc.intake_line(&spans.credential[n], index, "capacity"),
                    None => 0,
                },
                intake,
                confirmed,
                capacity,
            },
            other => other,
        })?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct StandardLink {
    unit_standard_id: i64,
    position: i64,
}

#[derive(sqlx::FromRow)]
struct FundingLink {
    funding_scheme_id: i64,
    eligible: i64,
    note: String,
}

async fn write_credential(
    tx: &mut Transaction<'_, Any>,
    c: &seed::CredentialSeed,
    ctx: &mut Ctx<'_>,
) -> Result<(), ImportError> {
    let edited = edited_revision(tx, "credentials", "slug", t(&c.slug)).await?;
    let mut changed = false;
    let id = match ctx.keeps(edited, format!("credential {}", c.slug)) {
        true => {
            sqlx::query_scalar::<_, i64>("SELECT id FROM credentials WHERE slug = $1")
                .bind(c.slug.clone())
                .fetch_one(&mut **tx)
                .await?
        }
        false => {
            let (change, id) = credential_row(tx, c).await?;
            let standards_changed = sync_standards(tx, id, &c.standards).await?;
            let funding_changed = sync_funding(tx, id, &c.funding).await?;
            let change = match (change, standards_changed || funding_changed) {
                (Change::Unchanged, true) => Change::Updated,
                (change, _) => change,
            };
            if edited.is_some() {
                clear_edited(tx, "credentials", id).await?;
            }
            ctx.report.count(change);
            changed = !matches!(change, Change::Unchanged);
            id
        }
    };
    for (index, intake) in c.intake.iter().enumerate() {
        let change = write_intake(tx, c, id, index, intake, ctx).await?;
        changed |= !matches!(change, Change::Unchanged);
        ctx.report.count(change);
    }
    // The sitemap's <lastmod>: only a real change moves it, so re-importing the same file
    // tells crawlers nothing new.
    if changed {
        sqlx::query("UPDATE credentials SET updated_on = $1 WHERE id = $2")
            .bind(ctx.today.to_string())
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The credential's own row, inserted or updated by its slug: the change and its id.
async fn credential_row(
    tx: &mut Transaction<'_, Any>,
    c: &seed::CredentialSeed,
) -> Result<(Change, i64), ImportError> {
    let sector_id: i64 = sqlx::query_scalar("SELECT id FROM sectors WHERE slug = $1")
        .bind(c.sector.clone())
        .fetch_one(&mut **tx)
        .await?;
    let written = upsert(
        tx,
        "credentials",
        ("slug", t(&c.slug)),
        &[
            ("nzqa_ref", oi(c.nzqa_ref)),
            ("nzqa_version", oi(c.nzqa_version)),
            ("title", t(&c.title)),
            ("summary", t(&c.summary)),
            ("purpose", t(&c.purpose)),
            ("outcomes", t(&c.outcomes)),
            ("education_pathway", t(&c.education_pathway)),
            ("employment_pathway", t(&c.employment_pathway)),
            ("entry_requirements", t(&c.entry_requirements)),
            ("level", i(c.level)),
            ("credits", i(c.credits)),
            ("status", t(&c.status)),
            ("nzsced_code", ot(&c.nzsced_code)),
            ("review_on", ot(&c.review_date)),
            ("delivery_modes", t(&c.delivery_modes.join(","))),
            ("developer", t(&c.developer)),
            ("source_url", ot(&c.source_url)),
            ("data_note", t(&c.data_note)),
            ("standards_verified", i(c.standards_verified as i64)),
            ("sector_id", i(sector_id)),
        ],
    )
    .await?;
    Ok(written)
}

/// A provider the file describes: made if new, its sample flag set.
async fn write_provider(
    tx: &mut Transaction<'_, Any>,
    p: &seed::ProviderSeed,
) -> Result<Change, ImportError> {
    let before: Option<i64> = sqlx::query_scalar(
        "SELECT sample FROM organisations WHERE kind = 'provider' AND name_key = $1",
    )
    .bind(organisations::name_key(&p.name))
    .fetch_optional(&mut **tx)
    .await?;
    let id = organisations::ensure(tx, "provider", &p.name).await?;
    let sample = p.sample as i64;
    sqlx::query("UPDATE organisations SET sample = $1 WHERE id = $2")
        .bind(sample)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(match before {
        None => Change::Created,
        Some(s) if s != sample => Change::Updated,
        Some(_) => Change::Unchanged,
    })
}

/// Makes the credential's stored unit standards, set and order, equal to the file's;
/// whether anything changed.
pub async fn sync_standards(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    standards: &[i64],
) -> Result<bool, ImportError> {
    let wanted: Vec<(i64, i64)> = {
        let mut v = Vec::new();
        for (pos, number) in standards.iter().enumerate() {
            let uid: i64 = sqlx::query_scalar("SELECT id FROM unit_standards WHERE number = $1")
                .bind(*number)
                .fetch_one(&mut **tx)
                .await?;
            v.push((uid, pos as i64));
        }
        v
    };
    let current: Vec<(i64, i64)> = sqlx::query_as::<_, StandardLink>(
        "SELECT unit_standard_id, position FROM credential_standards \
         WHERE credential_id = $1 ORDER BY position, unit_standard_id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| (r.unit_standard_id, r.position))
    .collect();
    if current == wanted {
        return Ok(false);
    }
    {
        sqlx::query("DELETE FROM credential_standards WHERE credential_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        for (uid, pos) in &wanted {
            sqlx::query(
                "INSERT INTO credential_standards (credential_id, unit_standard_id, position) \
                 VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(*uid)
            .bind(*pos)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(true)
}

/// Makes the credential's stored funding eligibility equal to the file's; whether
/// anything changed.
pub async fn sync_funding(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    funding: &[seed::FundingLinkSeed],
) -> Result<bool, ImportError> {
    let mut wanted = Vec::new();
    for f in funding {
        let sid: i64 = sqlx::query_scalar("SELECT id FROM funding_schemes WHERE code = $1")
            .bind(f.scheme.clone())
            .fetch_one(&mut **tx)
            .await?;
        wanted.push((sid, i64::from(f.eligible), f.note.clone()));
    }
    wanted.sort();
    let current: Vec<(i64, i64, String)> = sqlx::query_as::<_, FundingLink>(
        "SELECT funding_scheme_id, eligible, note FROM credential_funding \
         WHERE credential_id = $1 ORDER BY funding_scheme_id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .map(|r| (r.funding_scheme_id, r.eligible, r.note))
    .collect();
    if current == wanted {
        return Ok(false);
    }
    {
        sqlx::query("DELETE FROM credential_funding WHERE credential_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        for (sid, eligible, note) in &wanted {
            sqlx::query(
                "INSERT INTO credential_funding (credential_id, funding_scheme_id, eligible, note) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(*sid)
            .bind(*eligible)
            .bind(note.clone())
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(true)
}

/// One intake of credential `id` (the `index`th of `c`'s): inserted, or updated unless the
/// dashboard edited it after the file's revision (`Ctx::keeps`); a capacity change goes
/// through `seats`. A cancellation is the dashboard's (it cancels registrations): the file's
/// `cancelled` is written only on an intake it creates.
async fn write_intake(
    tx: &mut Transaction<'_, Any>,
    c: &seed::CredentialSeed,
    id: i64,
    index: usize,
    intake: &seed::IntakeSeed,
    ctx: &mut Ctx<'_>,
) -> Result<Change, ImportError> {
    let today = ctx.today;
    let fee_cents = (intake.fee * 100.0).round() as i64;
    let provider = intake.provider.trim();
    let provider_org_id = match provider.is_empty() {
        true => None,
        false => Some(organisations::ensure(tx, "provider", provider).await?),
    };
    let keys = [("credential_id", i(id)), ("code", t(&intake.code))];
    let cols = [
        ("region", t(&intake.region)),
        ("delivery_mode", t(&intake.delivery_mode)),
        ("provider", t(&intake.provider)),
        ("provider_org_id", oi(provider_org_id)),
        ("fee_cents", i(fee_cents)),
        ("starts_on", t(&date(&intake.starts, today))),
        ("ends_on", t(&date(&intake.ends, today))),
        (
            "enrolment_opens_on",
            t(&date(&intake.enrolment_opens, today)),
        ),
        (
            "enrolment_closes_on",
            t(&date(&intake.enrolment_closes, today)),
        ),
        ("waitlist_capacity", i(intake.waitlist)),
    ];
    let existing: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, edited_revision FROM intakes WHERE credential_id = $1 AND code = $2",
    )
    .bind(id)
    .bind(intake.code.clone())
    .fetch_optional(&mut **tx)
    .await?;
    let change = match existing {
        None => {
            let mut cols = cols.to_vec();
            cols.push(("capacity", i(intake.capacity)));
            cols.push((
                "cancelled_at",
                V::Text(intake.cancelled.as_ref().map(|d| date(d, today))),
            ));
            upsert_keyed(tx, "intakes", &keys, &cols).await?.0
        }
        Some((_, edited)) if ctx.keeps(edited, format!("intake {} {}", c.slug, intake.code)) => {
            Change::Unchanged
        }
        Some((intake_id, edited)) => {
            let (change, _) = upsert_keyed(tx, "intakes", &keys, &cols).await?;
            if edited.is_some() {
                clear_edited(tx, "intakes", intake_id).await?;
            }
            let before: i64 = sqlx::query_scalar("SELECT capacity FROM intakes WHERE id = $1")
                .bind(intake_id)
                .fetch_one(&mut **tx)
                .await?;
            // Every capacity change goes through the one function, under the intake's
            // lock: a rise promotes the waitlist, a cut below the seats taken is refused.
            seats::set_capacity(tx, intake_id, intake.capacity, &today.to_string())
                .await
                .map_err(|e| match e {
                    // The intake's index here; `write` turns it into the file's line.
                    CapacityError::BelowConfirmed { confirmed } => ImportError::Capacity {
                        line: index,
                        intake: format!("{} {}", c.slug, intake.code),
                        confirmed,
                        capacity: intake.capacity,
                    },
                    CapacityError::Db(e) => ImportError::Db(e),
                    other => ImportError::Db(sqlx::Error::Protocol(other.to_string())),
                })?;
            match (change, before == intake.capacity) {
                (Change::Unchanged, false) => Change::Updated,
                (change, _) => change,
            }
        }
    };
    Ok(change)
}
