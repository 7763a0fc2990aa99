//! The NZQA reporting worksheet (issue 31): a provider owes NZQA each completion (the
//! learner's NSN, the micro-credential's listing and the date of achievement) within about
//! two months. The page and `GET /dashboard/completions.csv` list the active credentials of
//! the coordinator's scope not yet marked reported, the listing as the credential states it;
//! rows that lack an NSN or an NZQA listing number are listed apart with what is missing,
//! never dropped. The CSV is audited like the registrations export and injection-safe;
//! "mark reported" stamps the chosen rows, in scope only.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use sqlx::AnyPool;

use crate::auth::server::guard::{require_in, to_sign_in, AuthSession, Scope};
use crate::auth::types::Role;
use crate::dashboard::server::audit::{audit_log, csv_download};
use crate::dashboard::server::sql::{scoped, Binds, FROM};
use crate::dashboard::types::{Completion, Completions, MAX_BULK};
use crate::error::AppError;
use crate::server::clock;
use crate::server::csv::{neutralise, writer};
use crate::server::state::AppState;

pub const CSV_PATH: &str = "/dashboard/completions.csv";
/// Most rows the worksheet lists.
const MOST: i64 = 10_000;

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    reference: String,
    nsn: Option<String>,
    given_name: String,
    family_name: String,
    date_of_birth: String,
    achievement: String,
    achieved_on: String,
}

#[derive(serde::Deserialize)]
struct Stated {
    title: String,
    nzqa_ref: Option<i64>,
    nzqa_version: Option<i64>,
}

/// The unreported completions `scope` may see, oldest achievement first.
pub async fn list(pool: &AnyPool, scope: Scope) -> Result<Completions, AppError> {
    let mut binds = Binds::default();
    let sql = format!(
        "SELECT ic.id, r.reference, r.nsn, r.given_name, r.family_name, r.date_of_birth, \
           ic.achievement, ic.achieved_on \
         {FROM} JOIN issued_credentials ic ON ic.registration_id = r.id \
         WHERE {} AND ic.status = 'active' AND ic.reported_at IS NULL AND ic.achievement <> '' \
         ORDER BY ic.achieved_on, r.reference LIMIT {MOST}",
        scoped(scope, &mut binds)
    );
    let rows: Vec<Row> = binds.to(sqlx::query_as(&sql)).fetch_all(pool).await?;
    let mut out = Completions::default();
    for row in rows {
        let stated = serde_json::from_str::<Stated>(&row.achievement).unwrap_or_else(|_| {
            tracing::error!("a stored achievement does not read back");
            Stated {
                title: String::new(),
                nzqa_ref: None,
                nzqa_version: None,
            }
        });
        let nsn = row.nsn.filter(|n| !n.trim().is_empty());
        let mut missing = Vec::new();
        if nsn.is_none() {
            missing.push("National Student Number".to_owned());
        }
        if stated.nzqa_ref.is_none() {
            missing.push("NZQA listing number".to_owned());
        }
        let c = Completion {
            id: row.id,
            reference: row.reference,
            nsn,
            given_name: row.given_name,
            family_name: row.family_name,
            date_of_birth: row.date_of_birth,
            nzqa_ref: stated.nzqa_ref,
            nzqa_version: stated.nzqa_version,
            title: stated.title,
            achieved_on: row.achieved_on,
            missing,
        };
        match c.missing.is_empty() {
            true => out.ready.push(c),
            false => out.incomplete.push(c),
        }
    }
    Ok(out)
}

/// Marks credentials `ids` (of `scope`) reported to NZQA now; how many were.
pub async fn mark_reported(
    pool: &AnyPool,
    scope: Scope,
    user_id: i64,
    ids: &[String],
) -> Result<u64, AppError> {
    if ids.is_empty() {
        return Err(AppError::field("ids", "Select at least one completion."));
    }
    if ids.len() > MAX_BULK {
        return Err(AppError::field(
            "ids",
            format!("Select at most {MAX_BULK} completions at a time."),
        ));
    }
    let mut binds = Binds::default();
    let now = binds.text(clock::now());
    let wanted: Vec<String> = ids.iter().map(|id| binds.text(id.clone())).collect();
    let sql = format!(
        "UPDATE issued_credentials SET reported_at = {now} WHERE reported_at IS NULL \
           AND status = 'active' AND id IN ({}) AND registration_id IN (SELECT r.id {FROM} \
           WHERE {})",
        wanted.join(", "),
        scoped(scope, &mut binds)
    );
    let marked = binds
        .to_query(sqlx::query(&sql))
        .execute(pool)
        .await?
        .rows_affected();
    audit_log(
        pool,
        user_id,
        "mark reported to NZQA",
        CSV_PATH,
        marked as i64,
    )
    .await?;
    Ok(marked)
}

const HEADINGS: [&str; 10] = [
    "NSN",
    "Given name",
    "Family name",
    "Date of birth",
    "NZQA listing number",
    "Listing version",
    "Micro-credential",
    "Date of achievement",
    "Reference",
    "Missing",
];

fn record(c: &Completion) -> [String; 10] {
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    [
        c.nsn.clone().unwrap_or_default(),
        c.given_name.clone(),
        c.family_name.clone(),
        c.date_of_birth.clone(),
        number(c.nzqa_ref),
        number(c.nzqa_version),
        c.title.clone(),
        c.achieved_on.clone(),
        c.reference.clone(),
        c.missing.join("; "),
    ]
}

/// `GET /dashboard/completions.csv`: the worksheet, ready rows first, then those missing
/// something (the last column says what). Provider coordinators and administrators only.
pub async fn csv(State(state): State<AppState>, mut auth: AuthSession, uri: Uri) -> Response {
    let user = match require_in(&mut auth, &[Role::Provider]).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return to_sign_in(&uri),
        Err(e) => return e.into_response(),
    };
    let answer = async {
        let scope = user.scope()?;
        let sheet = list(&state.db.pool, scope).await?;
        let rows = sheet.ready.len() + sheet.incomplete.len();
        audit_log(
            &state.db.pool,
            user.id,
            "export completions",
            CSV_PATH,
            rows as i64,
        )
        .await?;
        let mut w = writer(b"\xEF\xBB\xBF".to_vec());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(HEADINGS);
        for c in sheet.ready.iter().chain(&sheet.incomplete) {
            let _ = w.write_record(record(c).iter().map(|cell| neutralise(cell)));
        }
        Ok::<_, AppError>(w.into_inner().unwrap_or_default())
    };
    match answer.await {
        Ok(body) => {
            let file = format!("nzqa-completions-{}.csv", state.clock().today_iso());
            csv_download(body.into_response(), &file)
        }
        Err(e) => e.into_response(),
    }
}
