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
    let by_status = tally(
        format!(
            "SELECT r.status AS label, COUNT(*) AS value {FROM} WHERE {{scope}} GROUP BY r.status"
        ),
        vec![],
    )
    .await?;
    let status = |names: &[&str]| {
        by_status
            .iter()
            .filter(|t| names.contains(&t.label.as_str()))
            .map(|t| t.value)
            .sum::<i64>()
    };
    let recent = tally(
        format!(
            "SELECT CASE WHEN r.created_at >= {{1}} THEN '7' ELSE '30' END AS label, \
               COUNT(*) AS value {FROM} WHERE {{scope}} AND r.created_at >= {{0}} GROUP BY 1"
        ),
        vec![since(30), since(7)],
    )
    .await?;
    let last_7_days = recent
        .iter()
        .filter(|t| t.label == "7")
        .map(|t| t.value)
        .sum();
    let last_30_days = recent.iter().map(|t| t.value).sum();

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
        last_7_days,
        last_30_days,
        confirmed: status(&["confirmed"]),
        waitlisted: status(&["waitlisted"]),
        cancelled: status(&["cancelled", "withdrawn"]),
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
