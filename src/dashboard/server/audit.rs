//! What the dashboard's downloads share: each is written to the audit log first (who, which
//! view, how many rows) and answered as a CSV file to save, never cached.

use axum::http::{header, HeaderValue};
use axum::response::Response;
use sqlx::AnyPool;

use crate::error::AppError;
use crate::server::clock;

/// `res` as a CSV file named `filename` to save, never cached (both of the dashboard's
/// downloads hold learners' details).
pub fn csv_download(mut res: Response, filename: &str) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// One line of the audit log: who did `action` to which view (`detail`), how many rows.
pub async fn audit_log(
    pool: &AnyPool,
    user_id: i64,
    action: &str,
    detail: &str,
    rows: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (user_id, action, detail, row_count, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(action.to_owned())
    .bind(detail.to_owned())
    .bind(rows)
    .bind(clock::now())
    .execute(pool)
    .await?;
    Ok(())
}
