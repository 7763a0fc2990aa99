//! `GET /dashboard/registrations.csv?<the table's query>`: exactly the rows of the filtered
//! view, every page, in its order. Streamed a keyset page of 500 rows at a time, each page
//! on a connection borrowed only while it is read, so a long download holds no connection
//! and no more than one page in memory. RFC 4180 with every field quoted, UTF-8 with a BOM
//! (Excel then keeps macrons), ISO dates, formula cells neutralised (`server::csv`). Each
//! export is written to the audit log first: who, which view, how many rows.

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::stream::{self, StreamExt};
use sqlx::AnyPool;

use crate::auth::server::guard::{require_in, to_sign_in, AuthSession, Scope};
use crate::auth::types::Role;
use crate::dashboard::server::audit::{audit_log, csv_download};
use crate::dashboard::server::completions;
use crate::dashboard::server::moment::csv_time;
use crate::dashboard::server::registrations::{
    ids, order, select, total, where_clause, Row, Total,
};
use crate::dashboard::server::sql::Binds;
use crate::dashboard::server::text::Text;
use crate::dashboard::types::{RegistrationsQuery, Sort};
use crate::error::AppError;
use crate::server::csv::{encode, neutralise, writer};
use crate::server::db::Backend;
use crate::server::state::AppState;

/// The dashboard's plain routes (everything else is a page or a server function); the
/// guarded-endpoint test walks this list.
pub const ROUTES: &[&str] = &[CSV_PATH, completions::CSV_PATH];
pub const CSV_PATH: &str = "/dashboard/registrations.csv";
/// Rows per keyset page.
pub const CHUNK: i64 = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(CSV_PATH, get(export))
        .route(completions::CSV_PATH, get(completions::csv))
}

const HEADINGS: [&str; 12] = [
    "Reference",
    "Status",
    "Given name",
    "Family name",
    "Email",
    "Phone",
    "Employer",
    "Region",
    "Micro-credential",
    "Intake",
    "Intake starts",
    "Registered at (New Zealand time)",
];

async fn export(
    State(state): State<AppState>,
    mut auth: AuthSession,
    uri: Uri,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let user = match require_in(&mut auth, &[Role::Provider, Role::Employer]).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return to_sign_in(&uri),
        Err(e) => return e.into_response(),
    };
    let scope = match user.scope() {
        Ok(scope) => scope,
        Err(e) => return e.into_response(),
    };
    let query = RegistrationsQuery::from_params(|k| params.get(k).cloned());
    let pool = state.db.pool.clone();
    let text = match Text::plan(&pool, &query.q).await {
        Ok(text) => text,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = audit(&pool, user.id, scope, &query, &text).await {
        return e.into_response();
    }
    tracing::info!(user_id = user.id, "registrations exported");
    let filename = format!("registrations-{}.csv", state.clock().today_iso());
    let body = Body::from_stream(csv_stream(pool, scope, query, text));
    csv_download(body.into_response(), &filename)
}

/// Records the export before any row leaves: who, the view's query, how many rows.
async fn audit(
    pool: &AnyPool,
    user_id: i64,
    scope: Scope,
    query: &RegistrationsQuery,
    text: &Text,
) -> Result<(), AppError> {
    let count = match total(pool, scope, query, text).await? {
        Total { more: false, rows } => rows,
        Total { more: true, .. } => {
            let mut binds = Binds::default();
            let filter = where_clause(scope, query, text, &mut binds);
            let sql = format!("SELECT COUNT(*) FROM registrations r {filter}");
            binds
                .to_scalar(sqlx::query_scalar(&sql))
                .fetch_one(pool)
                .await?
        }
    };
    audit_log(
        pool,
        user_id,
        "export registrations",
        &query.csv_url(),
        count,
    )
    .await
}

/// Where the next keyset page starts: after this row's sort keys and id.
struct After {
    a: String,
    b: String,
    id: i64,
}

enum Next {
    Start,
    After(After),
    Done,
}

/// The CSV body: the BOM and headings, then one chunk per keyset page.
pub fn csv_stream(
    pool: AnyPool,
    scope: Scope,
    query: RegistrationsQuery,
    text: Text,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> {
    // Fused: a layer may poll again after the end (the compression layer does), and a bare
    // `unfold` panics then.
    stream::unfold(Next::Start, move |next| {
        let (pool, query, text) = (pool.clone(), query.clone(), text.clone());
        async move {
            let (head, after) = match next {
                Next::Done => return None,
                Next::Start => {
                    let mut head = b"\xEF\xBB\xBF".to_vec();
                    head.extend(encode(&[HEADINGS.map(str::to_owned).to_vec()]));
                    (head, None)
                }
                Next::After(after) => (Vec::new(), Some(after)),
            };
            let rows = page(&pool, scope, &query, &text, after.as_ref()).await;
            Some(chunk(head, rows))
        }
    })
    .fuse()
}

/// `head` followed by the encoded `rows`, and where to go next.
fn chunk(head: Vec<u8>, rows: Result<Vec<Row>, AppError>) -> (Result<Bytes, std::io::Error>, Next) {
    match rows {
        Ok(rows) => {
            let next = match rows.last() {
                Some(last) if rows.len() as i64 == CHUNK => Next::After(After {
                    a: last.sort_a.clone(),
                    b: last.sort_b.clone(),
                    id: last.id,
                }),
                _ => Next::Done,
            };
            let mut w = writer(head);
            for row in &rows {
                // Writing to a Vec cannot fail.
                let _ = w.write_record(record(row).iter().map(|c| neutralise(c)));
            }
            (Ok(Bytes::from(w.into_inner().unwrap_or_default())), next)
        }
        // The status line has gone; ending the stream with an error makes the client see a
        // broken download instead of a short file that looks complete.
        Err(_) => (Err(std::io::Error::other("export interrupted")), Next::Done),
    }
}

async fn page(
    pool: &AnyPool,
    scope: Scope,
    query: &RegistrationsQuery,
    text: &Text,
    after: Option<&After>,
) -> Result<Vec<Row>, AppError> {
    let mut binds = Binds::default();
    let mut filter = where_clause(scope, query, text, &mut binds);
    if let Some(after) = after {
        let (a, b, desc) = order(query.sort);
        let cmp = if desc { "<" } else { ">" };
        match query.sort {
            // By id alone: the primary key answers it without a sort.
            Sort::Newest | Sort::Oldest => {
                filter.push_str(&format!(" AND r.id {cmp} {}", binds.int(after.id)));
            }
            Sort::Name | Sort::Starts => {
                let (pa, pb, pid) = (
                    binds.text(after.a.clone()),
                    binds.text(after.b.clone()),
                    binds.int(after.id),
                );
                filter.push_str(&format!(" AND ({a}, {b}, r.id) {cmp} ({pa}, {pb}, {pid})"));
            }
        }
    }
    let first = format!("{} LIMIT {}", ids(&filter, query.sort), binds.int(CHUNK));
    let rows = select(&first, query.sort);
    // The page comes back as one value, a JSON array of its rows in order: the database
    // driver hands rows from its thread one at a time, and that hand-off, not the query,
    // was most of an export's time (docs/decisions/0011).
    let (_, _, desc) = order(query.sort);
    let dir = if desc { "DESC" } else { "ASC" };
    let values = PACKED.map(|c| format!("p.{c}")).join(", ");
    let by = format!("ORDER BY p.sort_a {dir}, p.sort_b {dir}, p.id {dir}");
    let sql = match Backend::of(pool) {
        Backend::Sqlite => {
            format!("SELECT json_group_array(json_array({values}) {by}) FROM ({rows}) p")
        }
        Backend::Postgres => format!(
            "SELECT CAST(json_agg(json_build_array({values}) {by}) AS TEXT) FROM ({rows}) p"
        ),
    };
    let packed: Option<String> = binds
        .to_scalar(sqlx::query_scalar(&sql))
        .fetch_one(pool)
        .await?;
    match packed {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str(&json).map_err(|e| {
            tracing::error!(error = %e, "export page unreadable");
            AppError::Internal
        }),
    }
}

/// `Row`'s fields in its declaration order, which a JSON array of them deserialises by.
const PACKED: [&str; 15] = [
    "id",
    "reference",
    "status",
    "given_name",
    "family_name",
    "email",
    "phone",
    "employer",
    "region",
    "credential_title",
    "intake_code",
    "starts_on",
    "created_at",
    "sort_a",
    "sort_b",
];

/// A row's cells, in `HEADINGS`' order.
fn record(r: &Row) -> [String; 12] {
    [
        r.reference.clone(),
        crate::dashboard::types::status_label(r.status()).to_owned(),
        r.given_name.clone(),
        r.family_name.clone(),
        r.email.clone(),
        r.phone.clone(),
        r.employer.clone().unwrap_or_default(),
        r.region.clone(),
        r.credential_title.clone(),
        r.intake_code.clone(),
        r.starts_on.clone(),
        csv_time(&r.created_at),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyset_follows_the_sort() {
        assert!(order(Sort::Newest).2);
        assert_eq!(order(Sort::Name).0, "LOWER(r.family_name)");
    }
}
