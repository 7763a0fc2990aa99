//! The built assets under `/pkg`: with hashed names they are cached for a year and never
//! revalidated, and a precompressed copy is served as it is to a browser that accepts it.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use tower::ServiceExt;

async fn fetch(
    options: &LeptosOptions,
    path: &str,
    encoding: Option<&str>,
) -> (StatusCode, Option<String>, Option<String>, Vec<u8>) {
    let mut req = Request::get(path);
    if let Some(e) = encoding {
        req = req.header(header::ACCEPT_ENCODING, e);
    }
    let res = tohu::server::routes::assets(options)
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("answers");
    let header = |name| {
        res.headers()
            .get(name)
            .map(|v: &header::HeaderValue| v.to_str().expect("ascii").to_owned())
    };
    let (cache, encoding) = (
        header(header::CACHE_CONTROL),
        header(header::CONTENT_ENCODING),
    );
    let status = res.status();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, cache, encoding, body.to_vec())
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_served_precompressed() {
    let site = tempfile::tempdir().expect("temp dir");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    std::fs::write(pkg.join("tohu.0123abcd.js"), b"export default 1;").expect("js");
    std::fs::write(pkg.join("tohu.0123abcd.js.br"), b"brotli bytes").expect("br");
    std::fs::write(pkg.join("tohu.0123abcd.js.gz"), b"gzip bytes").expect("gz");
    let options = LeptosOptions::builder()
        .output_name("tohu")
        .site_root(site.path().to_string_lossy().into_owned())
        .hash_files(true)
        .build();

    let (status, cache, encoding, body) =
        fetch(&options, "/tohu.0123abcd.js", Some("br, gzip")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        cache.as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(encoding.as_deref(), Some("br"));
    assert_eq!(body, b"brotli bytes");

    let (_, _, encoding, body) = fetch(&options, "/tohu.0123abcd.js", Some("gzip")).await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(body, b"gzip bytes");

    let (_, _, encoding, body) = fetch(&options, "/tohu.0123abcd.js", None).await;
    assert_eq!(encoding, None);
    assert_eq!(body, b"export default 1;");

    let (status, ..) = fetch(&options, "/missing.js", Some("br")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Names without a hash must be revalidated.
    let unhashed = LeptosOptions::builder()
        .output_name("tohu")
        .site_root(site.path().to_string_lossy().into_owned())
        .hash_files(false)
        .build();
    let (_, cache, ..) = fetch(&unhashed, "/tohu.0123abcd.js", None).await;
    assert_eq!(cache.as_deref(), Some("no-cache"));
}
