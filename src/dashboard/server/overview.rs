//! The overview's figures, each one scoped query: counts over 7 and 30 days and by status,
//! registrations per week for 26 weeks, by sector, and the next intakes' seats.

use sqlx::AnyPool;
use time::{Duration, OffsetDateTime};

use crate::auth::server::guard::Scope;
use crate::dashboard::server::intakes::{intake_scope, SELECT};
use crate::dashboard::server::sql::{scoped, Binds, FROM};
use crate::dashboard::types::{Count, IntakeSummary, Overview, WEEKS};
use crate::error::AppError;
use crate::server::clock::{stamp, Clock};

#[derive(sqlx::FromRow)]
struct Tally {
    label: String,
    value: i64,
}

/// Counts from one pass over the scope's registrations (SUM is NULL over no rows).
#[derive(sqlx::FromRow)]
struct Counts {
    last_30: Option<i64>,
    last_7: Option<i64>,
    confirmed: Option<i64>,
    waitlisted: Option<i64>,
    cancelled: Option<i64>,
}

/// Most intakes the overview's seats chart shows.
const UPCOMING: usize = 12;

pub async fn overview(pool: &AnyPool, scope: Scope, clock: &Clock) -> Result<Overview, AppError> {
    let now = OffsetDateTime::now_utc();
    let since = |days: i64| stamp(now - Duration::days(days));
    let tally = |sql: String, extra: Vec<String>| async move {
        let mut binds = Binds::default();
        let mut sql = sql.replace("{scope}", &scoped(scope, &mut binds));
        for (n, v) in extra.into_iter().enumerate() {
            sql = sql.replace(&format!("{{{n}}}"), &binds.text(v));
        }
        let rows: Vec<Tally> = binds.to(sqlx::query_as(&sql)).fetch_all(pool).await?;
        Ok::<_, AppError>(rows)
    };
    // One pass for the status counts and the last 7 and 30 days.
    let mut binds = Binds::default();
    let scope_sql = scoped(scope, &mut binds);
    let (d30, d7) = (binds.text(since(30)), binds.text(since(7)));
    let sql = format!(
        "SELECT SUM(CASE WHEN r.created_at >= {d30} THEN 1 ELSE 0 END) AS last_30, \
           SUM(CASE WHEN r.created_at >= {d7} THEN 1 ELSE 0 END) AS last_7, \
           SUM(CASE WHEN r.status = 'confirmed' THEN 1 ELSE 0 END) AS confirmed, \
           SUM(CASE WHEN r.status = 'waitlisted' THEN 1 ELSE 0 END) AS waitlisted, \
           SUM(CASE WHEN r.status IN ('cancelled', 'withdrawn') THEN 1 ELSE 0 END) AS cancelled \
         {FROM} WHERE {scope_sql}"
    );
    let counts: Counts = binds.to(sqlx::query_as(&sql)).fetch_one(pool).await?;

    // Weeks start on Monday (New Zealand's week); counted by day, bucketed here.
    let today = clock.today();
    let this_monday = today - Duration::days(i64::from(today.weekday().number_days_from_monday()));
    let first_monday = this_monday - Duration::weeks(WEEKS as i64 - 1);
    let days = tally(
        format!(
            "SELECT SUBSTR(r.created_at, 1, 10) AS label, COUNT(*) AS value {FROM} \
             WHERE {{scope}} AND r.created_at >= {{0}} GROUP BY SUBSTR(r.created_at, 1, 10)"
        ),
        vec![first_monday.to_string()],
    )
    .await?;
    let mut weekly: Vec<Count> = (0..WEEKS)
        .map(|w| Count {
            label: (first_monday + Duration::weeks(w as i64)).to_string(),
            value: 0,
        })
        .collect();
    for d in days {
        let Ok(day) = time::Date::parse(
            &d.label,
            &time::macros::format_description!("[year]-[month]-[day]"),
        ) else {
            continue;
        };
        let week = ((day - first_monday).whole_days() / 7) as usize;
        if let Some(bucket) = weekly.get_mut(week) {
            bucket.value += d.value;
        }
    }
    let by_sector = tally(
        format!(
            "SELECT s.name AS label, COUNT(*) AS value {FROM} JOIN sectors s ON s.id = c.sector_id \
             WHERE {{scope}} GROUP BY s.name ORDER BY value DESC, s.name"
        ),
        vec![],
    )
    .await?
    .into_iter()
    .map(|t| Count {
        label: t.label,
        value: t.value,
    })
    .collect();
    Ok(Overview {
        last_7_days: counts.last_7.unwrap_or(0),
        last_30_days: counts.last_30.unwrap_or(0),
        confirmed: counts.confirmed.unwrap_or(0),
        waitlisted: counts.waitlisted.unwrap_or(0),
        cancelled: counts.cancelled.unwrap_or(0),
        weekly,
        by_sector,
        upcoming: upcoming(pool, scope, &today.to_string()).await?,
    })
}

/// The next intakes to start that the coordinator runs (or, for an employer, that their
/// staff are registered in).
async fn upcoming(
    pool: &AnyPool,
    scope: Scope,
    today: &str,
) -> Result<Vec<IntakeSummary>, AppError> {
    let mut binds = Binds::default();
    let which = match scope {
        Scope::EmployerOrg(org) => format!(
            "i.id IN (SELECT intake_id FROM registrations WHERE employer_org_id = {})",
            binds.int(org)
        ),
        other => intake_scope(other, &mut binds),
    };
    let sql = format!(
        "{SELECT} \
         WHERE {which} AND i.starts_on >= {} AND i.cancelled_at IS NULL \
         ORDER BY i.starts_on, c.title LIMIT {}",
        binds.text(today),
        binds.int(UPCOMING as i64)
    );
    crate::dashboard::server::intakes::rows(pool, &binds, &sql).await
}
