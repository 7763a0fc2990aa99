//! The catalogue editor (`/dashboard/catalogue`): administrators keep the listing (sectors,
//! unit standards, funding schemes, credentials); a provider's coordinators keep their own
//! organisation's intakes on current credentials. A save checks the record with the
//! import's own rules (`fields`, `catalogue::server::seed::rules`), refuses a copy someone
//! saved over since it was read (409, with the values now), writes it in one transaction
//! (`store`) with its history (`history`) and a new catalogue revision, and answers once
//! this instance's search shows it. Natural keys are fixed once created; nothing is
//! deleted (a credential is discontinued, an intake cancelled on its own page).

pub mod fields;
mod history;
pub mod routes;
mod store;

use std::collections::HashSet;

use sqlx::{Any, Transaction};

use crate::auth::server::backend::User;
use crate::auth::server::guard::Scope;
use crate::auth::types::Role;
use crate::catalogue::server::seed::{rules, IntakeSeed, Known, Problem};
use crate::dashboard::server::intakes::edit::{active_learners, capacity_refusal, notify, ACTIVE};
use crate::dashboard::types::{
    CatalogueList, Choice, FormField, RecordForm, RecordKind, RecordLink,
};
use crate::error::{AppError, FieldError};
use crate::format;
use crate::registration::server::invitation::Calendars;
use crate::registration::server::seats;
use crate::server::state::AppState;
use fields::{Options, Reader, Record, Values};
use store::Stored;

/// Administrators keep the listing; intakes are also their providers' coordinators'.
pub fn may_edit(user: &User, kind: RecordKind) -> Result<(), AppError> {
    match (user.role, kind) {
        (Role::Admin, _) | (Role::Provider, RecordKind::Intake) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

async fn options(state: &AppState, scope: Scope) -> Result<Options, AppError> {
    let pool = &state.db.pool;
    let pairs = |rows: Vec<(String, String, String)>| {
        rows.into_iter()
            .map(|(value, label, _)| Choice { value, label })
            .collect::<Vec<_>>()
    };
    let sectors = store::names(
        pool,
        "SELECT slug AS key, name AS label, '' AS detail FROM sectors ORDER BY sort_order, id",
    )
    .await?;
    let mut schemes = pairs(
        store::names(
            pool,
            "SELECT code AS key, name AS label, '' AS detail FROM funding_schemes",
        )
        .await?,
    );
    schemes.sort_by(|a, b| a.value.cmp(&b.value));
    let mut providers = pairs(
        store::names_of(
            pool,
            "SELECT name AS key, name AS label, '' AS detail FROM organisations \
             WHERE kind = 'provider' AND ($1 = 0 OR id = $1)",
            &[provider_of(scope)],
        )
        .await?,
    );
    providers.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(Options {
        sectors: pairs(sectors),
        schemes,
        providers,
    })
}

/// The provider organisation a scope is held to, or 0 for every one (an administrator).
fn provider_of(scope: Scope) -> i64 {
    match scope {
        Scope::ProviderOrg(org) => org,
        // Employers never get this far (`may_edit`); -1 matches no organisation.
        Scope::EmployerOrg(_) => -1,
        Scope::All => 0,
    }
}

/// `/dashboard/catalogue`: the records the coordinator may open.
pub async fn list(state: &AppState, user: &User) -> Result<CatalogueList, AppError> {
    let pool = &state.db.pool;
    let admin = user.role == Role::Admin;
    let links = |kind: RecordKind, rows: Vec<(String, String, String)>| {
        rows.into_iter()
            .map(|(key, label, detail)| RecordLink {
                label,
                detail,
                href: kind.href(&key),
            })
            .collect::<Vec<_>>()
    };
    let read = |sql: &'static str| store::names(pool, sql);
    let (sectors, unit_standards, funding_schemes) = match admin {
        true => (
            read("SELECT slug AS key, name AS label, slug AS detail FROM sectors ORDER BY sort_order, id").await?,
            read("SELECT CAST(number AS TEXT) AS key, title AS label, CAST(number AS TEXT) AS detail FROM unit_standards ORDER BY number").await?,
            read("SELECT code AS key, name AS label, code AS detail FROM funding_schemes ORDER BY code").await?,
        ),
        false => Default::default(),
    };
    // A provider's coordinators see the current credentials, to add intakes to.
    let credentials = store::names_of(
        pool,
        "SELECT c.slug AS key, c.title AS label, s.name || ', ' || c.status AS detail \
         FROM credentials c JOIN sectors s ON s.id = c.sector_id \
         WHERE $1 = 1 OR c.status = 'current' ORDER BY c.title, c.slug",
        &[i64::from(admin)],
    )
    .await?;
    let intakes = store::names_of(
        pool,
        "SELECT CAST(i.id AS TEXT) AS key, c.title || ' ' || i.code AS label, \
           i.region || ', starts ' || i.starts_on AS detail \
         FROM intakes i JOIN credentials c ON c.id = i.credential_id \
         WHERE $1 = 0 OR i.provider_org_id = $1 \
         ORDER BY i.starts_on DESC, i.id DESC LIMIT 500",
        &[provider_of(user.scope()?)],
    )
    .await?;
    Ok(CatalogueList {
        admin,
        sectors: links(RecordKind::Sector, sectors),
        unit_standards: links(RecordKind::UnitStandard, unit_standards),
        funding_schemes: links(RecordKind::FundingScheme, funding_schemes),
        credentials: links(RecordKind::Credential, credentials),
        intakes: links(RecordKind::Intake, intakes),
    })
}

fn form_fields(kind: RecordKind, o: &Options, user: &User) -> Vec<FormField> {
    match kind {
        RecordKind::Sector => fields::sector_fields(),
        RecordKind::UnitStandard => fields::unit_standard_fields(),
        RecordKind::FundingScheme => fields::funding_scheme_fields(),
        RecordKind::Credential => fields::credential_fields(o),
        RecordKind::Intake => fields::intake_fields(o, user.role == Role::Admin),
    }
}

/// The credential a new intake is for: it must exist, and be current.
#[derive(sqlx::FromRow)]
struct ForCredential {
    id: i64,
    title: String,
    status: String,
}

async fn credential_for_intake(state: &AppState, slug: &str) -> Result<ForCredential, AppError> {
    let c = sqlx::query_as::<_, ForCredential>(
        "SELECT id, title, status FROM credentials WHERE slug = $1",
    )
    .bind(slug.to_owned())
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    if c.status != "current" {
        return Err(AppError::form(format!(
            "{} is {}: it takes no new intakes.",
            c.title, c.status
        )));
    }
    Ok(c)
}

/// The history's name for a record: its natural key (an intake's with its credential's
/// slug, since codes repeat across credentials).
fn history_key(record: &Record, intake_slug: &str) -> String {
    match record {
        Record::Sector(s) => s.slug.clone(),
        Record::UnitStandard(u) => u.number.to_string(),
        Record::FundingScheme(f) => f.code.clone(),
        Record::Credential(c) => c.slug.clone(),
        Record::Intake(i) => format!("{intake_slug} {}", i.code),
    }
}

/// A record's edit page: its form, filled; "new" for an empty one (a new intake names its
/// credential).
pub async fn form(
    state: &AppState,
    user: &User,
    kind: RecordKind,
    key: &str,
    credential: &str,
) -> Result<RecordForm, AppError> {
    may_edit(user, kind)?;
    let scope = user.scope()?;
    let options = options(state, scope).await?;
    let mut fields = form_fields(kind, &options, user);
    let mut links = Vec::new();
    let mut note = String::new();
    if key == "new" {
        let mut values = Values::new();
        let mut heading = format!("New {}", kind.label());
        if kind == RecordKind::Intake {
            let c = credential_for_intake(state, credential).await?;
            heading = format!("New intake of {}", c.title);
            if let Some(p) = options
                .providers
                .first()
                .filter(|_| user.role != Role::Admin)
            {
                values.insert("provider".into(), p.value.clone());
            }
            values.insert("waitlist".into(), "0".into());
        }
        if kind == RecordKind::Credential {
            values.insert("status".into(), "current".into());
        }
        return Ok(RecordForm {
            kind,
            key: key.to_owned(),
            heading,
            version: 0,
            credential: credential.to_owned(),
            fields,
            values,
            note,
            links,
            history: Vec::new(),
        });
    }
    let stored = store::read(&state.db.pool, kind, key, scope)
        .await?
        .ok_or(AppError::NotFound)?;
    for f in fields.iter_mut() {
        // The natural key, and an intake's provider (its registrations are the provider's).
        if f.name == kind.key_field() || (kind == RecordKind::Intake && f.name == "provider") {
            f.fixed = true;
        }
    }
    let slug = stored
        .intake
        .as_ref()
        .map(|i| i.slug.clone())
        .unwrap_or_default();
    let heading = match (&stored.record, &stored.intake) {
        (Record::Sector(s), _) => s.name.clone(),
        (Record::UnitStandard(u), _) => format!("{} {}", u.number, u.title),
        (Record::FundingScheme(f), _) => f.name.clone(),
        (Record::Credential(c), _) => c.title.clone(),
        (Record::Intake(i), Some(of)) => format!("{} {}", of.title, i.code),
        (Record::Intake(i), None) => i.code.clone(),
    };
    match (&stored.record, &stored.intake) {
        (Record::Credential(c), _) => {
            for (id, label, detail) in store::names_of(
                &state.db.pool,
                "SELECT CAST(i.id AS TEXT) AS key, i.code AS label, \
                   i.region || ', starts ' || i.starts_on AS detail \
                 FROM intakes i WHERE i.credential_id = $2 \
                   AND ($1 = 0 OR i.provider_org_id = $1) ORDER BY i.starts_on, i.code",
                &[provider_of(scope), stored.id],
            )
            .await?
            {
                links.push(RecordLink {
                    label: format!("Intake {label}"),
                    detail,
                    href: RecordKind::Intake.href(&id),
                });
            }
            if c.status == "current" {
                links.push(RecordLink {
                    label: "Add an intake".into(),
                    detail: String::new(),
                    href: format!("{}?credential={}", RecordKind::Intake.href("new"), c.slug),
                });
            }
        }
        (Record::Intake(_), Some(of)) => {
            note = "Learners already registered are emailed when the dates, fee, region or \
                    delivery change. Closing enrolment and cancelling are on the intake's \
                    seats page."
                .into();
            if of.cancelled {
                note = "This intake was cancelled, so it can no longer be changed.".into();
            }
            links.push(RecordLink {
                label: "Seats, closing enrolment, cancelling".into(),
                detail: String::new(),
                href: format!("/dashboard/intakes/{}", stored.id),
            });
            links.push(RecordLink {
                label: "Registrations for this intake".into(),
                detail: String::new(),
                href: format!("/dashboard/registrations?intake={}", stored.id),
            });
        }
        _ => {}
    }
    let history = match user.role {
        Role::Admin => {
            history::of(&state.db.pool, kind, &history_key(&stored.record, &slug)).await?
        }
        _ => Vec::new(),
    };
    Ok(RecordForm {
        kind,
        key: key.to_owned(),
        heading,
        version: stored.version,
        credential: slug,
        fields,
        values: fields::values_of(&stored.record),
        note,
        links,
        history,
    })
}

/// The credential references a credential's rules check against: the catalogue's.
async fn known(state: &AppState) -> Result<Known, AppError> {
    let pool = &state.db.pool;
    let sectors: Vec<String> = sqlx::query_scalar("SELECT slug FROM sectors")
        .fetch_all(pool)
        .await?;
    let standards: Vec<i64> = sqlx::query_scalar("SELECT number FROM unit_standards")
        .fetch_all(pool)
        .await?;
    let schemes: Vec<String> = sqlx::query_scalar("SELECT code FROM funding_schemes")
        .fetch_all(pool)
        .await?;
    Ok(Known {
        sectors: sectors.into_iter().collect(),
        standards: standards.into_iter().collect(),
        schemes: schemes.into_iter().collect::<HashSet<_>>(),
    })
}

fn refused(problems: Vec<Problem>) -> AppError {
    AppError::Refused {
        errors: problems
            .into_iter()
            .map(|p| FieldError {
                field: p.field.to_owned(),
                message: p.message,
            })
            .collect(),
        message: None,
    }
}

/// Reads and checks the form: the record, or every problem with it (the reader's first,
/// then the rules', one per field).
async fn checked(state: &AppState, kind: RecordKind, values: &Values) -> Result<Record, AppError> {
    let today = state.clock().today();
    let mut r = Reader::new(values);
    let (record, mut problems) = match kind {
        RecordKind::Sector => {
            let s = fields::sector_from(&mut r);
            let p = rules::sector(&s);
            (Record::Sector(s), p)
        }
        RecordKind::UnitStandard => {
            let u = fields::unit_standard_from(&mut r);
            let p = rules::unit_standard(&u);
            (Record::UnitStandard(u), p)
        }
        RecordKind::FundingScheme => {
            let f = fields::funding_scheme_from(&mut r);
            let p = rules::funding_scheme(&f, today);
            (Record::FundingScheme(f), p)
        }
        RecordKind::Credential => {
            let c = fields::credential_from(&mut r);
            let p = rules::credential(&c, &known(state).await?, today);
            (Record::Credential(Box::new(c)), p)
        }
        RecordKind::Intake => {
            let i = fields::intake_from(&mut r);
            let p = rules::intake(&i, today);
            (Record::Intake(i), p)
        }
    };
    let mut all = std::mem::take(&mut r.problems);
    problems.retain(|p| !all.iter().any(|q| q.field == p.field));
    all.append(&mut problems);
    match all.is_empty() {
        true => Ok(record),
        false => Err(refused(all)),
    }
}

/// Saves the form of `kind`'s record `key` ("new" to create one) read at `version`; the
/// address of the record's page.
#[allow(clippy::too_many_arguments)]
pub async fn save(
    state: &AppState,
    user: &User,
    kind: RecordKind,
    key: &str,
    credential: &str,
    version: i64,
    mut values: Values,
) -> Result<String, AppError> {
    may_edit(user, kind)?;
    let scope = user.scope()?;
    let stored = match key {
        "new" => None,
        _ => Some(
            store::read(&state.db.pool, kind, key, scope)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
    };
    // A natural key is fixed once created, whatever the form sent.
    if let Some(s) = &stored {
        let was = fields::values_of(&s.record);
        values.insert(
            kind.key_field().to_owned(),
            was.get(kind.key_field()).cloned().unwrap_or_default(),
        );
        if kind == RecordKind::Intake {
            // The provider of an intake with registrations is the intake's; capacity the
            // seats page's as much as this form's.
            values.insert(
                "provider".into(),
                was.get("provider").cloned().unwrap_or_default(),
            );
        }
    }
    let new_intake_of = match (kind, &stored) {
        (RecordKind::Intake, None) => Some(credential_for_intake(state, credential).await?),
        _ => None,
    };
    let provider_org_id = match (kind, &stored) {
        (RecordKind::Intake, None) => {
            let options = options(state, scope).await?;
            let chosen = values.get("provider").cloned().unwrap_or_default();
            let provider = match user.role {
                Role::Admin => options.providers.iter().find(|p| p.value == chosen),
                _ => options.providers.first(),
            };
            let Some(provider) = provider else {
                return Err(AppError::field("provider", "Choose the intake's provider."));
            };
            values.insert("provider".into(), provider.value.clone());
            Some(provider_id(state, &provider.value).await?)
        }
        _ => None,
    };
    let record = checked(state, kind, &values).await?;
    let mut tx = crate::server::db::begin_write(&state.db.pool).await?;
    let result = write(
        &mut tx,
        state,
        user,
        kind,
        stored.as_ref(),
        new_intake_of.as_ref().map(|c| c.id),
        provider_org_id,
        version,
        &record,
    )
    .await;
    let href = match result {
        Ok(href) => {
            tx.commit().await?;
            href
        }
        Err(AppError::Stale { .. }) => {
            let _ = tx.rollback().await;
            // The values as they are now, and the version to save over them.
            let now = store::read(&state.db.pool, kind, key, scope)
                .await?
                .ok_or(AppError::NotFound)?;
            return Err(AppError::Stale {
                current: fields::values_of(&now.record)
                    .into_iter()
                    .map(|(field, message)| FieldError { field, message })
                    .collect(),
                version: now.version,
            });
        }
        Err(e) => {
            let _ = tx.rollback().await;
            return Err(e);
        }
    };
    // This instance's search shows the change before the save answers; the others follow
    // the new revision within their poll interval.
    if let Err(e) = state.search.refresh(&state.db).await {
        tracing::error!(error = %e, "search index rebuild after a catalogue edit");
    }
    Ok(href)
}

async fn provider_id(state: &AppState, name: &str) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM organisations WHERE kind = 'provider' AND name = $1")
            .bind(name.to_owned())
            .fetch_one(&state.db.pool)
            .await?,
    )
}

#[allow(clippy::too_many_arguments)]
async fn write(
    tx: &mut Transaction<'_, Any>,
    state: &AppState,
    user: &User,
    kind: RecordKind,
    stored: Option<&Stored>,
    new_intake_credential: Option<i64>,
    provider_org_id: Option<i64>,
    version: i64,
    record: &Record,
) -> Result<String, AppError> {
    let today = state.clock().today_iso();
    let key_field = kind.key_field();
    let after = fields::values_of(record);
    let key = after.get(key_field).cloned().unwrap_or_default();
    if let Some(s) = stored {
        if !store::claim(tx, kind, s.id, version).await? {
            return Err(AppError::Stale {
                current: Default::default(),
                version: 0,
            });
        }
    }
    let (id, history_key, href) = match (record, stored) {
        (Record::Intake(i), Some(s)) => {
            let of = s.intake.as_ref().ok_or(AppError::NotFound)?;
            if of.cancelled {
                return Err(AppError::form(
                    "This intake was cancelled, so it cannot be changed.",
                ));
            }
            let Record::Intake(before) = &s.record else {
                return Err(AppError::BadRequest);
            };
            seats::set_capacity(tx, s.id, i.capacity, &today)
                .await
                .map_err(capacity_refusal)?;
            store::write_intake(tx, Some(s.id), of.credential_id, i, None).await?;
            tell_learners(tx, s.id, before, i).await?;
            (
                s.id,
                format!("{} {}", of.slug, i.code),
                RecordKind::Intake.href(&s.id.to_string()),
            )
        }
        (Record::Intake(i), None) => {
            let credential_id = new_intake_credential.ok_or(AppError::NotFound)?;
            if store::exists(tx, kind, &i.code, credential_id).await? {
                return Err(AppError::field(
                    "code",
                    "Another intake of this micro-credential already uses this code.",
                ));
            }
            let id = store::write_intake(tx, None, credential_id, i, provider_org_id).await?;
            let slug: String = sqlx::query_scalar("SELECT slug FROM credentials WHERE id = $1")
                .bind(credential_id)
                .fetch_one(&mut **tx)
                .await?;
            (
                id,
                format!("{slug} {}", i.code),
                RecordKind::Intake.href(&id.to_string()),
            )
        }
        (record, stored) => {
            if stored.is_none() && store::exists(tx, kind, &key, 0).await? {
                return Err(AppError::field(
                    key_field,
                    format!("A {} with this {key_field} already exists.", kind.label()),
                ));
            }
            let id = store::write_listing(tx, stored.map(|s| s.id), record, &today).await?;
            (id, key.clone(), kind.href(&key))
        }
    };
    let revision = crate::catalogue::server::revision::bump(tx).await?;
    store::mark(tx, kind, id, revision).await?;
    let before = stored.map(|s| fields::values_of(&s.record));
    history::record(
        tx,
        user.id,
        kind,
        &history_key,
        before.as_ref(),
        &after,
        revision,
    )
    .await?;
    Ok(href)
}

/// Emails the intake's learners what changed that they would plan around: dates, fee,
/// region, delivery.
async fn tell_learners(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    before: &IntakeSeed,
    after: &IntakeSeed,
) -> Result<(), AppError> {
    let mut what = Vec::new();
    let moved = (&before.starts, &before.ends) != (&after.starts, &after.ends);
    let placed = before.region != after.region;
    let delivered = before.delivery_mode != after.delivery_mode;
    // The fee is not in a calendar; the rest is.
    let calendars = match moved || placed || delivered {
        true => Calendars::Update,
        false => Calendars::Unchanged,
    };
    if moved {
        what.push(format!(
            "It now runs from {} to {}.",
            format::long_date(&after.starts),
            format::long_date(&after.ends)
        ));
    }
    if (before.fee * 100.0).round() != (after.fee * 100.0).round() {
        what.push(format!(
            "Its fee is now ${} (GST inclusive).",
            fields::fee_text(after.fee)
        ));
    }
    if placed {
        what.push(format!("It is now held in {}.", after.region));
    }
    if delivered {
        let mode = crate::catalogue::vocab::delivery_label(&after.delivery_mode);
        what.push(format!("It is now delivered as: {mode}."));
    }
    if what.is_empty() {
        return Ok(());
    }
    let key = format!(
        "details:{}:{}:{}:{}:{}",
        after.starts,
        after.ends,
        (after.fee * 100.0).round() as i64,
        after.region,
        after.delivery_mode
    );
    let learners = active_learners(tx, id, ACTIVE).await?;
    notify(tx, id, learners, (&key, &what.join(" ")), calendars).await
}
