//! The catalogue as a learner meets it, through the real router over SQLite and PostgreSQL.

use crate::common::{backends, TestApp};
use axum::http::StatusCode;
use tohu::catalogue::query::Facet;
use tohu::catalogue::types::SearchResults;

#[tokio::test]
async fn chainsaw_finds_both_chainsaw_credentials() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let page = app.get("/?q=chainsaw").await;
        assert_eq!(page.status, StatusCode::OK, "{backend:?}");
        let text = page.text();
        assert!(text.contains("Chainsaw use"), "{backend:?}");
        assert!(
            text.contains("Demonstrate basic chainsaw operation"),
            "{backend:?}"
        );
        assert!(
            !text.contains("Digital Skills for Manufacturing"),
            "{backend:?}"
        );
        // Case and macrons do not matter: "MĀORI" finds te reo credentials.
        let page = app.get("/?q=CHAINSAW").await;
        assert!(page.text().contains("Chainsaw use"), "{backend:?}");
        let page = app.get("/?q=p%C4%81taka").await;
        assert!(page.text().contains("He Pātaka Reo"), "{backend:?}");
        let page = app.get("/?q=pataka").await;
        assert!(page.text().contains("He Pātaka Reo"), "{backend:?}");
        app.finish().await;
    }
}

#[tokio::test]
async fn unit_standard_number_finds_its_credential() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let page = app.get("/?q=6917").await;
        assert_eq!(page.result_count(), 1, "{backend:?}");
        assert!(page.text().contains("Demonstrate basic chainsaw operation"));
        app.finish().await;
    }
}

#[tokio::test]
async fn sector_filter_narrows_and_combines_with_the_query() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let all = app.get("/").await.result_count();
        let forestry = app.get("/?sector=forestry").await;
        let manufacturing = app.get("/?sector=manufacturing").await;
        let (f, m) = (forestry.result_count(), manufacturing.result_count());
        assert!(
            f > 0 && m > 0 && f + m < all,
            "{backend:?}: {f} + {m} of {all}"
        );
        assert!(forestry.text().contains("Chainsaw use"));
        assert!(!forestry.text().contains("Digital Skills for Manufacturing"));
        assert!(manufacturing
            .text()
            .contains("Digital Skills for Manufacturing"));
        assert!(!manufacturing.text().contains("Chainsaw use"));

        // Two sectors: either one (OR within the filter).
        let both = app.get("/?sector=forestry&sector=manufacturing").await;
        assert_eq!(both.result_count(), f + m, "{backend:?}");

        // Query AND sector.
        let chainsaw_forestry = app.get("/?q=chainsaw&sector=forestry").await;
        let chainsaw = app.get("/?q=chainsaw").await.result_count();
        assert_eq!(chainsaw_forestry.result_count(), chainsaw, "{backend:?}");
        let none = app.get("/?q=chainsaw&sector=manufacturing").await;
        assert_eq!(none.result_count(), 0, "{backend:?}");
        assert!(none.text().contains("Clear search and filters"));

        // The filter's checkbox reflects the URL, so a reload shows the same state.
        assert!(
            forestry.body.contains("value=\"forestry\" checked"),
            "{}",
            forestry.body
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn detail_page_shows_standards_intakes_and_funding() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let page = app
            .get("/credentials/demonstrate-basic-chainsaw-operation")
            .await;
        assert_eq!(page.status, StatusCode::OK, "{backend:?}");
        let text = page.text();
        assert!(
            text.contains("<h1>Demonstrate basic chainsaw operation</h1>"),
            "{text}"
        );
        assert!(text.contains("6917"));
        assert!(text.contains("Targeted Training and Apprenticeship Fund (TTAF)"));
        assert!(text.contains("Scheme ended 31 December 2022"), "{text}");
        assert!(text.contains("is not eligible for the Targeted Training"));
        assert!(text.contains("Enrolment open until"));
        assert!(text.contains("seats left"));
        assert!(text.contains("Register for an intake"));

        // A credential still eligible for an open scheme says until when.
        let page = app
            .get("/credentials/digital-skills-for-manufacturing")
            .await;
        assert!(page.text().contains("Eligible until "), "{}", page.text());
        assert!(page.text().contains("4341"));
        app.finish().await;
    }
}

#[tokio::test]
async fn unknown_slug_is_a_helpful_404() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        for uri in [
            "/credentials/no-such-thing",
            "/credentials/%FF%FE",
            "/no/such/page",
        ] {
            let page = app.get(uri).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{backend:?} {uri}");
            assert!(
                page.text().contains("We couldn't find that page"),
                "{uri}: {}",
                page.body
            );
            assert!(page.text().contains("Browse all micro-credentials"));
        }
        app.finish().await;
    }
}

#[tokio::test]
async fn hostile_query_strings_never_break_the_page() {
    let long = "a".repeat(10_000);
    let hostile = [
        format!("/?q={long}"),
        "/?q=%27%3B%20DROP%20TABLE%20credentials%3B--".to_owned(),
        "/?q=%22%20OR%201%3D1%20--&sector=forestry%27%20OR%20%271%27%3D%271".to_owned(),
        "/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_owned(),
        // The search text is in the page's <title>: it must not close it.
        "/?q=%3C%2Ftitle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_owned(),
        "/?q=%E0%A4%A".to_owned(),
        "/?q=%FF%FE%FD".to_owned(),
        "/?q=100%25_off&sector=%00".to_owned(),
        format!("/?{}", "sector=forestry&".repeat(500)),
        "/?q[]=x&q[y]=z".to_owned(),
    ];
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let all = app.get("/").await.result_count();
        for uri in &hostile {
            let page = app.get(uri).await;
            assert!(
                page.status.is_success(),
                "{backend:?} {uri}: {}",
                page.status
            );
            assert!(
                !page.body.contains("<script>alert(1)"),
                "unescaped echo for {uri}"
            );
        }
        let page = app.get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
        assert!(
            page.body.contains("&lt;script&gt;alert(1)"),
            "the query is echoed escaped"
        );
        // Nothing was dropped or altered.
        assert_eq!(app.get("/").await.result_count(), all, "{backend:?}");
        // The server function itself refuses junk with a client error, never a 5xx.
        for uri in [
            "/api/catalogue/search?query[q]=%FF%FE",
            "/api/catalogue/search?garbage",
            "/api/catalogue/credential",
        ] {
            let res = app.get(uri).await;
            assert!(
                !res.status.is_server_error(),
                "{backend:?} {uri}: {}",
                res.status
            );
        }
        app.finish().await;
    }
}

#[tokio::test]
async fn search_server_function_answers_json() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let res = app
            .get("/api/catalogue/search?query[q]=chainsaw&query[filters][sector][0]=forestry")
            .await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        assert!(
            res.body.contains("\"slug\":\"chainsaw-use\""),
            "{}",
            res.body
        );
        assert!(res
            .body
            .contains("\"slug\":\"demonstrate-basic-chainsaw-operation\""));
        let results: SearchResults = serde_json::from_str(&res.body).expect("results");
        assert_eq!(results.query.selected(Facet::Sector), ["forestry"]);
        assert!(results.items.iter().all(|c| c.sector.slug == "forestry"));
        app.finish().await;
    }
}

#[tokio::test]
async fn responses_carry_security_headers_and_refuse_cross_site_writes() {
    let app = TestApp::seeded(tohu::server::db::Backend::Sqlite).await;
    let page = app.get("/").await;
    let csp = page
        .headers
        .get("content-security-policy")
        .expect("CSP")
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'nonce-"), "{csp}");
    assert_eq!(
        page.headers.get("x-content-type-options").unwrap(),
        "nosniff"
    );
    assert_eq!(page.headers.get("x-frame-options").unwrap(), "DENY");

    let req = axum::http::Request::post("/api/catalogue/search")
        .header("host", "127.0.0.1:3000")
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from("query[q]=x"))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    // A proxy that rewrites Host to the hostile origin's does not get a write through: the
    // configured public URL decides.
    let req = axum::http::Request::post("/api/catalogue/search")
        .header("host", "evil.example")
        .header("origin", "http://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from("query[q]=x"))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    // Plain http: no HSTS. Pages with a learner's details are never stored by a cache.
    assert!(page.headers.get("strict-transport-security").is_none());
    assert_eq!(page.headers["cache-control"], "no-cache");
    let form = app
        .get("/credentials/demonstrate-basic-chainsaw-operation/register")
        .await;
    assert_eq!(form.headers["cache-control"], "no-store");
    app.finish().await;
}

#[tokio::test]
async fn an_https_site_asks_for_https_only() {
    let app = TestApp::empty_with(tohu::server::db::Backend::Sqlite, |c| {
        c.public_url = Some("https://tohu.example.nz".into());
    })
    .await;
    let page = app.get("/robots.txt").await;
    assert_eq!(
        page.headers["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
    // The public URL's origin passes even when the Host is the app's own address.
    let req = axum::http::Request::post("/api/registration/get")
        .header("host", "10.0.0.5:3000")
        .header("origin", "https://tohu.example.nz")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from("reference=TOHU-X&token=y"))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.body, "null");
    app.finish().await;
}
