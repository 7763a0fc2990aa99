//! What crawlers read before the pages: `/robots.txt` (the public pages may be indexed;
//! the dashboard, learners' own links and the API may not) and `/sitemap.xml` (the search
//! page and every credential's page, absolute on the configured public URL, each
//! with `<lastmod>`: the day the import last changed its listing).

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::server::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap))
}

async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /dashboard\nDisallow: /registrations/\n\
         Disallow: /api/\nDisallow: /reset-password\n\nSitemap: {}/sitemap.xml\n",
        state.public_url()
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

async fn sitemap(State(state): State<AppState>) -> Response {
    let slugs = sqlx::query_as::<_, (String, String)>(
        "SELECT slug, updated_on FROM credentials ORDER BY slug",
    )
    .fetch_all(&state.db.pool)
    .await;
    let slugs = match slugs {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "sitemap read failed");
            return (StatusCode::SERVICE_UNAVAILABLE, "Try again shortly.").into_response();
        }
    };
    let base = state.public_url();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |loc: String, lastmod: &str| {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape(&loc));
        xml.push_str("</loc>");
        if !lastmod.is_empty() {
            xml.push_str("<lastmod>");
            xml.push_str(&escape(lastmod));
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    };
    // The search page changes when any credential does.
    let newest = slugs
        .iter()
        .map(|(_, d)| d.as_str())
        .max()
        .unwrap_or_default();
    url(format!("{base}/"), newest);
    for (slug, updated) in &slugs {
        url(format!("{base}/credentials/{slug}"), updated);
    }
    xml.push_str("</urlset>\n");
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

/// XML text escaping for a URL (slugs are URL-safe already; this keeps it so).
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}
