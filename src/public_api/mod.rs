//! The catalogue as open data: `/api/v1`, read-only, for employers' intranets, career
//! sites, funders and other providers. Its answers are its own types (`types.rs`), so the
//! pages can change without breaking a client; its OpenAPI 3.1 document is generated from
//! those types and the handlers' annotations (`openapi`), served at
//! `/api/v1/openapi.json` and committed as `docs/openapi.json`, where a test compares
//! the two. Server-only: nothing here reaches the browser's WASM.
//!
//! `params.rs` declares each endpoint's query parameters once, for the document and the
//! checks; `http.rs` wraps every answer (limit, CORS, caching); `problem.rs` is the one
//! error shape (RFC 9457).

mod credentials;
pub mod http;
mod intakes;
mod paging;
pub mod params;
pub mod problem;
mod reference;
mod store;
pub mod types;

use std::sync::OnceLock;

use axum::http::{header, HeaderValue};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::server::state::AppState;

/// Where the API is mounted.
pub const BASE: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tohu micro-credential catalogue",
        version = "1.0.0",
        description = "The catalogue of NZQA micro-credentials a training organisation \
            offers: credentials with their unit standards, intakes (seats left, enrolment) \
            and funding, as data. Read-only, no key needed. Stable within v1: changes are \
            additive; a removal means v2, announced with a `Sunset` header. NZQA's facts are \
            reused under NZQA's terms; a credential's `data_note` says which of its facts \
            are sample data.",
        license(name = "NZQA facts under NZQA's terms; sample data marked as sample")
    ),
    servers((url = "/api/v1", description = "This server")),
    tags(
        (name = "catalogue", description = "Search and read credentials"),
        (name = "intakes", description = "Intakes across the catalogue, also as a calendar"),
        (name = "reference", description = "Sectors, unit standards and funding schemes"),
    )
)]
struct ApiDoc;

fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(credentials::search))
        .routes(routes!(credentials::one))
        .routes(routes!(credentials::achievement))
        .routes(routes!(intakes::list))
        .routes(routes!(intakes::feed))
        .routes(routes!(reference::sectors))
        .routes(routes!(reference::standards))
        .routes(routes!(reference::standard_one))
        .routes(routes!(reference::schemes))
}

/// The OpenAPI document, as generated from the code.
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().split_for_parts().1
}

/// The document as served and committed: pretty JSON with a final newline.
pub fn openapi_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let mut json = openapi()
            .to_pretty_json()
            .unwrap_or_else(|_| "{}".to_owned());
        json.push('\n');
        json
    })
}

async fn document() -> Response {
    let mut res = openapi_json().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// `/api/v1` and everything under it.
pub fn routes(state: &AppState) -> Router<AppState> {
    let (api, _) = documented().split_for_parts();
    let api = api
        .route("/openapi.json", get(document))
        .fallback(|| async { problem::Problem::not_found("API resource") })
        .layer(from_fn_with_state(state.clone(), http::around));
    Router::new().nest(BASE, api)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMITTED: &str = "docs/openapi.json";

    /// An API change is a reviewed diff: the committed document must be what the code
    /// generates. `UPDATE_OPENAPI=1 cargo test --features ssr --lib openapi` rewrites it.
    #[test]
    fn the_committed_openapi_document_is_the_generated_one() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(COMMITTED);
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(&path, openapi_json()).expect("write docs/openapi.json");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == openapi_json(),
            "{COMMITTED} differs from the generated document: review the change, then run \
             UPDATE_OPENAPI=1 cargo test --features ssr --lib openapi"
        );
    }

    /// Walks every schema in the document; each must say its type or refer to one.
    fn untyped(at: &str, v: &serde_json::Value, found: &mut Vec<String>) {
        let Some(o) = v.as_object() else { return };
        let is_schema = |key: &str| {
            matches!(key, "schema" | "items" | "additionalProperties")
                || at.ends_with("/properties")
                || at.ends_with("/schemas")
                || at.ends_with("/allOf")
                || at.ends_with("/oneOf")
                || at.ends_with("/anyOf")
        };
        for (key, child) in o {
            let here = format!("{at}/{key}");
            if is_schema(key) && child.is_object() {
                let c = child.as_object().expect("object");
                let typed = ["type", "$ref", "allOf", "oneOf", "anyOf", "enum"]
                    .iter()
                    .any(|k| c.contains_key(*k));
                if !typed {
                    found.push(here.clone());
                }
            }
            if let Some(list) = child.as_array() {
                for (i, item) in list.iter().enumerate() {
                    if key == "allOf" || key == "oneOf" || key == "anyOf" {
                        let typed = item.get("type").is_some() || item.get("$ref").is_some();
                        if !typed {
                            found.push(format!("{here}/{i}"));
                        }
                    }
                    untyped(&format!("{here}/{i}"), item, found);
                }
            } else {
                untyped(&here, child, found);
            }
        }
    }

    #[test]
    fn every_schema_declares_its_type_or_refers_to_one() {
        let doc: serde_json::Value = serde_json::from_str(openapi_json()).expect("JSON");
        assert_eq!(doc["openapi"], "3.1.0");
        let mut found = Vec::new();
        untyped("", &doc, &mut found);
        assert!(
            found.is_empty(),
            "schemas without a type or $ref: {found:#?}"
        );
        // Every response property is listed as required or not on purpose: each object
        // schema with properties says which are required.
        for (name, schema) in doc["components"]["schemas"].as_object().expect("schemas") {
            if schema.get("properties").is_some() {
                assert!(schema.get("required").is_some(), "{name} lists no required");
            }
        }
    }

    #[test]
    fn paging_and_sort_declare_their_bounds_and_words() {
        let doc: serde_json::Value = serde_json::from_str(openapi_json()).expect("JSON");
        let params = doc["paths"]["/credentials"]["get"]["parameters"]
            .as_array()
            .expect("parameters");
        let find = |n: &str| {
            params
                .iter()
                .find(|p| p["name"] == n)
                .unwrap_or_else(|| panic!("{n}"))["schema"]
                .clone()
        };
        assert_eq!(find("per_page")["minimum"], 1);
        assert_eq!(find("per_page")["maximum"], 100);
        assert_eq!(find("page")["minimum"], 1);
        assert_eq!(
            find("sort")["enum"],
            serde_json::json!(["relevance", "title", "credits", "next-intake"])
        );
        for (path, item) in doc["paths"].as_object().expect("paths") {
            assert!(
                item["get"]["responses"]["429"].is_object(),
                "{path} declares no 429"
            );
        }
    }
}
