//! What every `/api/v1` answer shares: list shape, 400/404 problems, ETag and 304,
//! Cache-Control, CORS (and none outside `/api/v1` reads), the 429, the calendar feed.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};

use super::{all_items, json};
use crate::common::{backends, TestApp};

#[tokio::test]
async fn every_list_is_paged_with_links_and_items_name_themselves() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        for list in [
            "/api/v1/credentials",
            "/api/v1/sectors",
            "/api/v1/unit-standards",
            "/api/v1/funding-schemes",
            "/api/v1/intakes",
        ] {
            let res = app.get(&format!("{list}?per_page=2")).await;
            assert_eq!(
                res.status,
                StatusCode::OK,
                "{backend:?} {list}: {}",
                res.body
            );
            let page = json(&res);
            assert_eq!(page["per_page"], 2);
            assert_eq!(page["page"], 1);
            let total = page["total"].as_u64().expect("total");
            assert!(total > 0, "{backend:?} {list} is empty");
            assert_eq!(page["pages"].as_u64(), Some(total.div_ceil(2)));
            assert!(page["links"]["self"]
                .as_str()
                .expect("self")
                .ends_with("per_page=2"));
            assert_eq!(page["links"]["prev"], serde_json::Value::Null);
            for item in page["items"].as_array().expect("items") {
                for key in ["slug", "title", "url"] {
                    assert!(item[key].is_string(), "{backend:?} {list}: {key} in {item}");
                }
            }
            // Following `next` visits every item once.
            let every = all_items(&app, &format!("{list}?per_page=2")).await;
            assert_eq!(every.len() as u64, total, "{backend:?} {list}");
        }
        app.finish().await;
    }
}

#[tokio::test]
async fn bad_parameters_get_a_400_problem_naming_them_never_clamped() {
    let app = TestApp::seeded(tohu::server::db::Backend::Sqlite).await;
    for (uri, parameter) in [
        ("/api/v1/credentials?per_page=0", "per_page"),
        ("/api/v1/credentials?per_page=101", "per_page"),
        ("/api/v1/sectors?page=0", "page"),
        ("/api/v1/intakes?page=-1", "page"),
        ("/api/v1/credentials?sort=price", "sort"),
        ("/api/v1/credentials?level=eleven", "level"),
        ("/api/v1/credentials?funded=1", "funded"),
        ("/api/v1/intakes?from=2027-02-30", "from"),
        ("/api/v1/unit-standards/abc", "number"),
    ] {
        let res = app.get(uri).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{uri}: {}", res.body);
        assert_eq!(
            res.headers[header::CONTENT_TYPE],
            "application/problem+json",
            "{uri}"
        );
        let problem = json(&res);
        assert_eq!(problem["status"], 400);
        assert_eq!(problem["errors"][0]["parameter"], parameter, "{uri}");
    }
    // A window that ends before it starts is empty, not an error.
    let empty = app
        .get("/api/v1/intakes?from=2027-02-01&to=2027-01-01")
        .await;
    assert_eq!(
        (empty.status, json(&empty)["total"].clone()),
        (StatusCode::OK, 0.into())
    );
    for uri in [
        "/api/v1/credentials/no-such-credential",
        "/api/v1/unit-standards/1",
        "/api/v1/nothing-here",
    ] {
        let res = app.get(uri).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{uri}: {}", res.body);
        assert_eq!(
            res.headers[header::CONTENT_TYPE],
            "application/problem+json"
        );
    }
    app.finish().await;
}

#[tokio::test]
async fn answers_carry_an_etag_and_if_none_match_gets_304() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        for uri in [
            "/api/v1/credentials?q=chainsaw",
            "/api/v1/credentials/chainsaw-use",
            "/api/v1/intakes.ics",
        ] {
            let first = app.get(uri).await;
            assert_eq!(first.status, StatusCode::OK, "{uri}");
            assert_eq!(first.headers[header::CACHE_CONTROL], "public, max-age=60");
            let etag = first.headers[header::ETAG]
                .to_str()
                .expect("etag")
                .to_owned();
            let again = app
                .send(
                    Request::get(uri)
                        .header(header::IF_NONE_MATCH, &etag)
                        .body(Body::empty())
                        .expect("request"),
                )
                .await;
            assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{backend:?} {uri}");
            assert!(again.body.is_empty());
        }
        // A seat taken changes the credential's tag (its seats are in the body).
        let uri = "/api/v1/credentials/chainsaw-use";
        let before = app.get(uri).await.headers[header::ETAG].clone();
        crate::common::forms::exec(
            &app,
            "UPDATE intakes SET seats_taken = seats_taken + 1 WHERE credential_id = \
             (SELECT id FROM credentials WHERE slug = 'chainsaw-use')",
        )
        .await;
        assert_ne!(
            app.get(uri).await.headers[header::ETAG],
            before,
            "{backend:?}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn reads_allow_any_origin_and_nothing_else_does() {
    let app = TestApp::seeded(tohu::server::db::Backend::Sqlite).await;
    let res = app.get("/api/v1/sectors").await;
    assert_eq!(res.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let head = app
        .send(
            Request::head("/api/v1/sectors")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert_eq!(head.headers[header::ETAG], res.headers[header::ETAG]);
    let preflight = app
        .send(
            Request::builder()
                .method(Method::OPTIONS)
                .uri("/api/v1/credentials")
                .header(header::ORIGIN, "https://intranet.example.com")
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert_eq!(
        preflight.headers[header::ACCESS_CONTROL_ALLOW_METHODS],
        "GET, HEAD"
    );
    // No CORS on a write, nor anywhere outside the API's reads.
    for (method, uri) in [
        (Method::POST, "/api/v1/credentials"),
        (Method::GET, "/api/registration/lookup"),
        (Method::POST, "/api/registration/register"),
        (Method::GET, "/api/dashboard/overview"),
        (Method::OPTIONS, "/api/dashboard/overview"),
        (Method::GET, "/"),
    ] {
        let res = app
            .send(
                Request::builder()
                    .method(method.clone())
                    .uri(uri)
                    .header(header::ORIGIN, "https://elsewhere.example.com")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        assert!(
            !res.headers
                .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            "{method} {uri} answered with CORS"
        );
    }
    app.finish().await;
}

#[tokio::test]
async fn a_script_over_the_limit_gets_429_problem_with_retry_after() {
    let app = TestApp::empty_with(tohu::server::db::Backend::Sqlite, |c| {
        c.api_burst = 5;
        c.api_limit = std::time::Duration::from_secs(60);
    })
    .await;
    let from = |ip: &str| {
        let mut req = Request::get("/api/v1/sectors")
            .body(Body::empty())
            .expect("request");
        let addr: SocketAddr = format!("{ip}:40000").parse().expect("address");
        req.extensions_mut().insert(ConnectInfo(addr));
        req
    };
    for _ in 0..5 {
        assert_eq!(app.send(from("203.0.113.7")).await.status, StatusCode::OK);
    }
    let refused = app.send(from("203.0.113.7")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        refused.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    let wait: u64 = refused.headers[header::RETRY_AFTER]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(json(&refused)["retry_after"], wait);
    // Another address is not held back.
    assert_eq!(app.send(from("198.51.100.2")).await.status, StatusCode::OK);
    app.finish().await;
}

#[tokio::test]
async fn the_intakes_feed_is_icalendar_all_day_events_with_stable_uids() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let res = app.get("/api/v1/intakes.ics").await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("text/calendar"));
        let ics = res.body.replace("\r\n ", "");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
        assert!(ics.contains("\r\nMETHOD:PUBLISH\r\n"));
        assert!(!ics.contains("ATTENDEE"));
        let events = ics.matches("BEGIN:VEVENT").count();
        let starts = ics.matches("DTSTART;VALUE=DATE:").count();
        let stamps = ics.matches("\r\nDTSTAMP:").count();
        assert!(events > 0);
        assert_eq!((starts, stamps), (events, events), "{backend:?}");
        // The JSON list over the same window has the same intakes.
        let horizon = (crate::common::TODAY + time::Duration::days(366)).to_string();
        let listed =
            super::all_items(&app, &format!("/api/v1/intakes?per_page=100&to={horizon}")).await;
        assert_eq!(listed.len(), events, "{backend:?}");
        // The same feed again: the same UIDs and bytes.
        assert_eq!(app.get("/api/v1/intakes.ics").await.body, res.body);
        let region = app.get("/api/v1/intakes.ics?region=no-such-region").await;
        assert_eq!(region.body.matches("BEGIN:VEVENT").count(), 0);
        app.finish().await;
    }
}
