//! A provider's intakes as the dashboard reads them: the list with seats and waitlist, one
//! intake, always within the coordinator's scope. The edits are in `edit`.

pub(crate) mod edit;

pub use edit::{edit, Edit};

use sqlx::{Any, AnyPool};

use crate::auth::server::guard::Scope;
use crate::dashboard::server::sql::Binds;
use crate::dashboard::types::IntakeSummary;
use crate::error::AppError;

#[derive(sqlx::FromRow)]
struct IntakeRow {
    id: i64,
    credential_title: String,
    code: String,
    region: String,
    starts_on: String,
    ends_on: String,
    enrolment_opens_on: String,
    enrolment_closes_on: String,
    capacity: i64,
    seats_taken: i64,
    waitlisted: i64,
    waitlist_capacity: i64,
    cancelled_at: Option<String>,
    edited_at: Option<String>,
}

impl From<IntakeRow> for IntakeSummary {
    fn from(r: IntakeRow) -> Self {
        IntakeSummary {
            id: r.id,
            credential_title: r.credential_title,
            code: r.code,
            region: r.region,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            enrolment_opens_on: r.enrolment_opens_on,
            enrolment_closes_on: r.enrolment_closes_on,
            capacity: r.capacity,
            seats_taken: r.seats_taken,
            waitlisted: r.waitlisted,
            waitlist_capacity: r.waitlist_capacity,
            cancelled: r.cancelled_at.is_some(),
            edited: r.edited_at.is_some(),
        }
    }
}

pub const SELECT: &str =
    "SELECT i.id, c.title AS credential_title, i.code, i.region, i.starts_on, \
    i.ends_on, i.enrolment_opens_on, i.enrolment_closes_on, i.capacity, i.seats_taken, \
    (SELECT COUNT(*) FROM registrations w WHERE w.intake_id = i.id AND w.status = 'waitlisted') \
      AS waitlisted, i.waitlist_capacity, i.cancelled_at, i.edited_at \
    FROM intakes i JOIN credentials c ON c.id = i.credential_id";

/// The intakes `scope` may run: a provider's own, all for an admin, none for an employer.
pub fn intake_scope(scope: Scope, binds: &mut Binds) -> String {
    match scope {
        Scope::All => "1 = 1".to_owned(),
        Scope::ProviderOrg(org) => format!("i.provider_org_id = {}", binds.int(org)),
        Scope::EmployerOrg(_) => "1 = 0".to_owned(),
    }
}

/// Most intakes the list shows.
const MAX_LIST: i64 = 500;

/// The intakes `scope` runs, those still to start first.
pub async fn list(pool: &AnyPool, scope: Scope) -> Result<Vec<IntakeSummary>, AppError> {
    let mut binds = Binds::default();
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY i.starts_on, c.title, i.code LIMIT {}",
        intake_scope(scope, &mut binds),
        binds.int(MAX_LIST)
    );
    rows(pool, &binds, &sql).await
}

/// Intakes read with `sql` (this module's columns) and `binds`.
pub async fn rows(
    pool: &AnyPool,
    binds: &Binds,
    sql: &str,
) -> Result<Vec<IntakeSummary>, AppError> {
    let rows: Vec<IntakeRow> = binds.to(sqlx::query_as(sql)).fetch_all(pool).await?;
    Ok(rows.into_iter().map(IntakeSummary::from).collect())
}

/// Intake `id` if `scope` runs it.
pub async fn one(pool: &AnyPool, scope: Scope, id: i64) -> Result<IntakeSummary, AppError> {
    find(pool, scope, id).await?.ok_or(AppError::NotFound)
}

async fn find<'e, E>(db: E, scope: Scope, id: i64) -> Result<Option<IntakeSummary>, AppError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let mut binds = Binds::default();
    let sql = format!(
        "{SELECT} WHERE {} AND i.id = {}",
        intake_scope(scope, &mut binds),
        binds.int(id)
    );
    let row: Option<IntakeRow> = binds.to(sqlx::query_as(&sql)).fetch_optional(db).await?;
    Ok(row.map(IntakeSummary::from))
}
