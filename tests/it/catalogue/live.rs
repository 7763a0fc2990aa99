//! The live seats stream (`GET /credentials/{slug}/seats`, server-sent events): it sends a
//! credential's seats, sends them again when a registration takes one, refuses streams past
//! the instance's cap with 503, and ends when the server drains.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::common::{backends, learner_form_body, TestApp, SEED};
use tohu::catalogue::types::IntakeSeats;

const SLUG: &str = "demonstrate-basic-chainsaw-operation";

async fn app(backend: tohu::server::db::Backend, max_streams: u32) -> TestApp {
    let app = TestApp::empty_with(backend, |c| {
        c.seats_poll_ms = 100;
        c.seats_max_streams = max_streams;
    })
    .await;
    app.import(SEED).await;
    app
}

/// An open stream's body.
async fn open(app: &TestApp) -> (StatusCode, Body) {
    let res = app
        .router
        .clone()
        .oneshot(
            Request::get(format!("/credentials/{SLUG}/seats"))
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answers");
    let status = res.status();
    assert!(
        status != StatusCode::OK
            || res.headers()["content-type"] == "text/event-stream"
                && res.headers()["x-accel-buffering"] == "no"
    );
    (status, res.into_body())
}

/// The next `seats` event's intakes, or `None` when the stream ended.
async fn next_seats(body: &mut Body) -> Option<Vec<IntakeSeats>> {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), body.frame())
            .await
            .expect("an event within 10 s")?
            .expect("frame");
        let Ok(data) = frame.into_data() else {
            continue;
        };
        let text = String::from_utf8_lossy(&data).into_owned();
        if let Some(json) = text
            .lines()
            .find_map(|l| l.strip_prefix("data: "))
            .filter(|_| text.contains("event: seats"))
        {
            return Some(serde_json::from_str(json).expect("seats JSON"));
        }
    }
}

fn left(seats: &[IntakeSeats], code: &str) -> i64 {
    seats
        .iter()
        .find(|s| s.code == code)
        .expect("intake")
        .seats_left
}

#[tokio::test]
async fn a_registration_shows_on_an_open_page_within_a_poll() {
    for backend in backends() {
        let app = app(backend, 10).await;
        let (status, mut body) = open(&app).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        let before = next_seats(&mut body).await.expect("first event");
        let a06 = left(&before, "A06");
        assert!(a06 > 0, "{backend:?}");
        let res = app
            .send(
                Request::post(format!("/credentials/{SLUG}/register"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(learner_form_body("live@example.co.nz", "Ngata")))
                    .expect("request"),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{backend:?}");
        let after = next_seats(&mut body).await.expect("an update");
        assert_eq!(left(&after, "A06"), a06 - 1, "{backend:?}");
        // Other intakes did not move.
        for s in &after {
            if s.code != "A06" {
                assert_eq!(s.seats_left, left(&before, &s.code), "{backend:?}");
            }
        }
        app.finish().await;
    }
}

#[tokio::test]
async fn streams_past_the_cap_are_refused_and_a_drain_ends_them() {
    for backend in backends() {
        let app = app(backend, 2).await;
        let (_, mut first) = open(&app).await;
        let (_, mut second) = open(&app).await;
        assert!(next_seats(&mut first).await.is_some());
        assert!(next_seats(&mut second).await.is_some());
        let (status, _) = open(&app).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{backend:?}");
        // A closed stream frees its place.
        drop(second);
        let (status, _third) = open(&app).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        // Draining ends every stream, and no new one opens.
        app.state.seats.drain();
        assert!(next_seats(&mut first).await.is_none(), "{backend:?}");
        let (status, _) = open(&app).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{backend:?}");
        // A malformed or unknown slug is not a stream.
        for path in [
            "/credentials/NOT%20A%20SLUG/seats",
            "/credentials/no-such-course/seats",
        ] {
            assert_eq!(
                app.get(path).await.status,
                StatusCode::NOT_FOUND,
                "{backend:?}"
            );
        }
        app.finish().await;
    }
}

/// A stream lasts longer than the request timeout and holds no slot of the concurrency
/// limit: with a one-second timeout and room for one request at a time, an open stream
/// still delivers after two seconds while other requests are served beside it.
#[tokio::test]
async fn a_stream_stays_outside_the_request_timeout_and_the_concurrency_limit() {
    let app = TestApp::empty_with(tohu::server::db::Backend::Sqlite, |c| {
        c.seats_poll_ms = 100;
        c.request_timeout_secs = 1;
        c.max_concurrent = 1;
    })
    .await;
    app.import(SEED).await;
    let (status, mut body) = open(&app).await;
    assert_eq!(status, StatusCode::OK);
    assert!(next_seats(&mut body).await.is_some());
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(app.get("/robots.txt").await.status, StatusCode::OK);
    let res = app
        .send(
            Request::post(format!("/credentials/{SLUG}/register"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(learner_form_body("late@example.co.nz", "Late")))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let seats = next_seats(&mut body)
        .await
        .expect("still streaming after 2 s");
    assert_eq!(left(&seats, "A06"), 7, "and it shows the seat just taken");
    app.finish().await;
}
