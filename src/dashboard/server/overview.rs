//! The overview's figures, each one scoped query of the database's running tallies: counts
//! over 7 and 30 days and by status, registrations per week for 26 weeks, by sector, and the
//! next intakes' seats; and, scoped the same way, the group lists refused for the
//! coordinator's intakes because an employer's account went past its daily rows.

use sqlx::AnyPool;
use time::Duration;

use crate::auth::server::guard::Scope;
use crate::dashboard::server::intakes::{intake_scope, SELECT};
use crate::dashboard::server::sql::{scoped, scoped_on, Binds, FROM};
use crate::dashboard::types::{Count, GroupRefusal, IntakeSummary, Overview, WEEKS};
use crate::error::AppError;
use crate::server::clock::{self, Clock};

#[derive(sqlx::FromRow)]
struct Tally {
    label: String,
    value: i64,
}

/// Most intakes the overview's seats chart shows.
const UPCOMING: usize = 12;
/// Most lines of refused group lists the overview shows.
const REFUSALS: usize = 10;
/// How far back the overview looks for refused group lists.
const REFUSALS_SINCE: Duration = Duration::days(30);

/// Runs a `label, value` query whose `{scope}` is filled by `scope_sql` and whose `{0}`,
/// `{1}`… by `extra`.
async fn tallies(
    pool: &AnyPool,
    sql: &str,
    scope_sql: impl Fn(&mut Binds) -> String,
    extra: &[String],
) -> Result<Vec<Tally>, AppError> {
    let mut binds = Binds::default();
    let mut sql = sql.replace("{scope}", &scope_sql(&mut binds));
    for (n, v) in extra.iter().enumerate() {
        sql = sql.replace(&format!("{{{n}}}"), &binds.text(v.clone()));
    }
    Ok(binds.to(sqlx::query_as(&sql)).fetch_all(pool).await?)
}

/// Every figure is read from the running tallies the database keeps (registrations per day
/// and per intake and status), never by counting registrations, so the overview costs the
/// same at a million registrations as at ten.
pub async fn overview(pool: &AnyPool, scope: Scope, clock: &Clock) -> Result<Overview, AppError> {
    let today = clock.today();
    // Registered per UTC day over the chart's 26 weeks (the 7- and 30-day figures are the
    // last days of it). Weeks start on Monday (New Zealand's week), bucketed here.
    let this_monday = today - Duration::days(i64::from(today.weekday().number_days_from_monday()));
    let first_monday = this_monday - Duration::weeks(WEEKS as i64 - 1);
    let since = (today - Duration::days(29)).min(first_monday);
    let days = tallies(
        pool,
        "SELECT d.day AS label, CAST(SUM(d.tally) AS BIGINT) AS value \
         FROM registration_days d WHERE {scope} AND d.day >= {0} GROUP BY d.day",
        |b| scoped_on("d", scope, b),
        &[since.to_string()],
    )
    .await?;
    let mut weekly: Vec<Count> = (0..WEEKS)
        .map(|w| Count {
            label: (first_monday + Duration::weeks(w as i64)).to_string(),
            value: 0,
        })
        .collect();
    let (mut last_7_days, mut last_30_days) = (0, 0);
    for d in days {
        let Ok(day) = time::Date::parse(
            &d.label,
            &time::macros::format_description!("[year]-[month]-[day]"),
        ) else {
            continue;
        };
        let ago = (today - day).whole_days();
        if ago < 7 {
            last_7_days += d.value;
        }
        if ago < 30 {
            last_30_days += d.value;
        }
        if day >= first_monday {
            // A day after "today" (a fixed demo or test date, or clocks that disagree)
            // belongs to this week, as the 7-day count has it.
            let week = ((day - first_monday).whole_days() / 7) as usize;
            if let Some(bucket) = weekly.get_mut(week.min(WEEKS - 1)) {
                bucket.value += d.value;
            }
        }
    }
    let by_status = tallies(
        pool,
        "SELECT t.status AS label, CAST(SUM(t.tally) AS BIGINT) AS value FROM intake_tallies t \
         WHERE {scope} GROUP BY t.status",
        |b| scoped_on("t", scope, b),
        &[],
    )
    .await?;
    let status = |names: &[&str]| {
        by_status
            .iter()
            .filter(|t| names.contains(&t.label.as_str()))
            .map(|t| t.value)
            .sum::<i64>()
    };
    let by_sector = tallies(
        pool,
        "SELECT s.name AS label, CAST(SUM(t.tally) AS BIGINT) AS value FROM intake_tallies t \
         JOIN sectors s ON s.id = t.sector_id \
         WHERE {scope} GROUP BY s.name HAVING SUM(t.tally) > 0 ORDER BY value DESC, s.name",
        |b| scoped_on("t", scope, b),
        &[],
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
        group_refusals: group_refusals(pool, scope).await?,
        unreported_overdue: unreported_overdue(pool, scope, today).await?,
    })
}

/// Active credentials achieved more than two months before `today` and not yet reported.
async fn unreported_overdue(
    pool: &AnyPool,
    scope: Scope,
    today: time::Date,
) -> Result<i64, AppError> {
    if matches!(scope, Scope::EmployerOrg(_)) {
        return Ok(0);
    }
    let before = clock::months_before(today, 2).to_string();
    let mut binds = Binds::default();
    let sql = format!(
        "SELECT COUNT(*) {FROM} JOIN issued_credentials ic ON ic.registration_id = r.id \
         WHERE {} AND ic.status = 'active' AND ic.reported_at IS NULL \
           AND ic.achieved_on <> '' AND ic.achieved_on < {}",
        scoped(scope, &mut binds),
        binds.text(before)
    );
    Ok(binds
        .to_scalar(sqlx::query_scalar(&sql))
        .fetch_one(pool)
        .await?)
}

#[derive(sqlx::FromRow)]
struct Refused {
    employer: String,
    at: String,
    row_count: i64,
}

/// Group lists refused over an employer account's daily rows in the last 30 days that
/// targeted the coordinator's intakes (scoped in the query on the provider the intake had;
/// an employer sees its own), one line per employer and New Zealand day, newest first.
async fn group_refusals(pool: &AnyPool, scope: Scope) -> Result<Vec<GroupRefusal>, AppError> {
    let mut binds = Binds::default();
    let sql = format!(
        "SELECT o.name AS employer, g.at, g.row_count FROM group_submissions g \
         JOIN organisations o ON o.id = g.employer_org_id \
         WHERE {} AND g.refused = 1 AND g.at > {} ORDER BY g.at DESC, g.id DESC LIMIT {}",
        scoped_on("g", scope, &mut binds),
        binds.text(clock::from_now(-REFUSALS_SINCE)),
        binds.int(20 * REFUSALS as i64)
    );
    let rows: Vec<Refused> = binds.to(sqlx::query_as(&sql)).fetch_all(pool).await?;
    let mut out: Vec<GroupRefusal> = Vec::new();
    for r in rows {
        let on = clock::parse(&r.at)
            .map(|t| clock::new_zealand_date(t).to_string())
            .unwrap_or_else(|| r.at.get(..10).unwrap_or_default().to_owned());
        match out
            .iter_mut()
            .find(|g| g.employer == r.employer && g.on == on)
        {
            Some(g) => g.rows += r.row_count,
            None => out.push(GroupRefusal {
                employer: r.employer,
                rows: r.row_count,
                on,
            }),
        }
    }
    out.truncate(REFUSALS);
    Ok(out)
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
