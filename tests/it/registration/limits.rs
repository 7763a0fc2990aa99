//! Abuse limits (issue 11), on both databases: a script at one address is held to the
//! per-address limit on registering and cancelling while a learner elsewhere is not; an
//! email is held to its active-registration cap and to its daily email cap, counted in the
//! database. Every refusal is a 429 the browser's client decodes (server function) or the
//! form again with every typed value (no JavaScript), and nothing is written.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use leptos::server_fn::error::FromServerFnError;
use tohu::error::AppError;

use crate::common::forms::{body, learner, scalar, SLUG};
use crate::common::{backends, Response, TestApp, TODAY};

const SCRIPT: &str = "203.0.113.9:50000";
const LEARNER: &str = "198.51.100.7:50000";

/// `req` as if it came from `peer` (the real server adds this from the TCP connection).
fn from(peer: &str, mut req: Request<Body>) -> Request<Body> {
    let addr: SocketAddr = peer.parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    req
}

/// The hydrated form's call, for `email` on intake `intake` of `slug`.
fn server_fn(slug: &str, intake: &str, email: &str) -> Request<Body> {
    let mut args: Vec<(String, String)> = vec![("slug".into(), slug.into())];
    for (k, v) in learner(email) {
        let v = if k == "intake" { intake.to_owned() } else { v };
        args.push((format!("form[{k}]"), v));
    }
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Request::post("/api/registration/register")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body(&args)))
        .unwrap()
}

fn limited(res: &Response) -> String {
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
    match AppError::de(res.body.clone().into()) {
        AppError::Limited(message) => message,
        other => panic!("decoded as {other:?} from {}", res.body),
    }
}

async fn rows(app: &TestApp) -> i64 {
    scalar(app, "SELECT COUNT(*) FROM registrations").await
}

#[tokio::test]
async fn a_script_is_held_to_its_address_limit_and_a_learner_is_not() {
    for backend in backends() {
        let app = TestApp::empty_with(backend, |c| {
            c.register_limit = "3/60s".parse_rate();
            c.cancel_limit = "1/60s".parse_rate();
        })
        .await;
        app.import(crate::common::SEED).await;
        for n in 0..3 {
            let res = app
                .send(from(
                    SCRIPT,
                    server_fn(SLUG, "A06", &format!("s{n}@example.co.nz")),
                ))
                .await;
            assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        }
        let message = limited(
            &app.send(from(SCRIPT, server_fn(SLUG, "A06", "s3@example.co.nz")))
                .await,
        );
        assert!(message.contains("Too many registrations"), "{message}");
        // Without JavaScript: the form again, with what was typed and the message.
        let fields = learner("s4@example.co.nz");
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let req = Request::post(format!("/credentials/{SLUG}/register"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body(&fields)))
            .unwrap();
        let res = app.send(from(SCRIPT, req)).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{backend:?}");
        let page = res.text();
        assert!(page.contains("Too many registrations"), "{page}");
        assert!(
            page.contains("value=\"s4@example.co.nz\""),
            "typed email kept"
        );
        assert!(page.contains("value=\"Māhina\""), "typed name kept");
        // A learner at another address is not affected.
        let res = app
            .send(from(
                LEARNER,
                server_fn(SLUG, "A06", "learner@example.co.nz"),
            ))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        assert_eq!(
            rows(&app).await,
            4,
            "{backend:?}: nothing written for a refusal"
        );
        // Cancelling has its own limit: one, then a 429 (a guessing script gets nowhere).
        for (n, expected) in [
            (0, StatusCode::NOT_FOUND),
            (1, StatusCode::TOO_MANY_REQUESTS),
        ] {
            let req = Request::post("/api/registration/cancel")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("reference=TOHU-GUESS{n}&token=00")))
                .unwrap();
            let res = app.send(from(SCRIPT, req)).await;
            assert_eq!(res.status, expected, "{backend:?}: {}", res.body);
        }
        app.finish().await;
    }
}

/// Another intake open for registration today, as (slug, code).
async fn another_open_intake(app: &TestApp) -> (String, String) {
    sqlx::query_as(
        "SELECT c.slug, i.code FROM intakes i JOIN credentials c ON c.id = i.credential_id \
         WHERE c.status = 'current' AND i.enrolment_opens_on <= $1 \
           AND i.enrolment_closes_on >= $1 AND i.code <> 'A06' ORDER BY i.id LIMIT 1",
    )
    .bind(TODAY.to_string())
    .fetch_one(&app.db.pool)
    .await
    .expect("a second open intake in the seed")
}

#[tokio::test]
async fn an_email_is_held_to_its_active_registrations_and_its_daily_emails() {
    for backend in backends() {
        let app = TestApp::empty_with(backend, |c| {
            c.active_per_email = 1;
            c.emails_per_recipient_day = 3;
        })
        .await;
        app.import(crate::common::SEED).await;
        let (slug, code) = another_open_intake(&app).await;
        // One active registration, then the cap: another intake is refused.
        let first = app.send(server_fn(SLUG, "A06", "mere@example.co.nz")).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let message = limited(
            &app.send(server_fn(&slug, &code, "MERE@example.co.nz"))
                .await,
        );
        assert!(
            message.contains("already holds as many registrations"),
            "{message}"
        );
        assert!(
            !message.chars().any(|c| c.is_ascii_digit()),
            "never how many it holds: {message}"
        );
        // Register, cancel, register again: each registration and each cancelled seat mails
        // the address (a confirmation, then the calendar update that removes it), and a
        // registration when three emails have gone in a day is refused, whichever instance
        // it would come from.
        let outcome: serde_json::Value = serde_json::from_str(&first.body).unwrap();
        let mut link = (
            outcome["reference"].as_str().unwrap().to_owned(),
            outcome["token"].as_str().unwrap().to_owned(),
        );
        for round in 0..2 {
            let req = Request::post("/api/registration/cancel")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("reference={}&token={}", link.0, link.1)))
                .unwrap();
            assert_eq!(app.send(req).await.status, StatusCode::OK);
            let res = app.send(server_fn(SLUG, "A06", "mere@example.co.nz")).await;
            if round < 1 {
                assert_eq!(
                    res.status,
                    StatusCode::OK,
                    "{backend:?} {round}: {}",
                    res.body
                );
                let outcome: serde_json::Value = serde_json::from_str(&res.body).unwrap();
                link = (
                    outcome["reference"].as_str().unwrap().to_owned(),
                    outcome["token"].as_str().unwrap().to_owned(),
                );
            } else {
                let message = limited(&res);
                assert!(message.contains("as many emails as we will"), "{message}");
            }
        }
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM outbox WHERE recipient_key = 'mere@example.co.nz'"
            )
            .await,
            4,
            "{backend:?}"
        );
        // Someone else is unaffected.
        let res = app
            .send(server_fn(SLUG, "A06", "aroha@example.co.nz"))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        app.finish().await;
    }
}

trait ParseRate {
    fn parse_rate(&self) -> tohu::server::config::Rate;
}

impl ParseRate for str {
    fn parse_rate(&self) -> tohu::server::config::Rate {
        tohu::server::config::parse_rate(self).expect("a rate")
    }
}

/// Without JavaScript, a cancel refused by the limit comes back to the confirmation page,
/// which says why; the registration stays.
#[tokio::test]
async fn a_refused_cancel_without_javascript_says_why_on_the_page() {
    use axum::http::header;
    for backend in backends() {
        let app = TestApp::empty_with(backend, |c| c.cancel_limit = "1/60s".parse_rate()).await;
        app.import(crate::common::SEED).await;
        let link = crate::common::forms::register_as(&app, "kept@example.co.nz", "Kept").await;
        let (path, token) = link.split_once("?token=").unwrap();
        let reference = path.trim_start_matches("/registrations/");
        let page = format!("http://127.0.0.1:3000{link}");
        let cancel = || {
            let req = Request::post("/api/registration/cancel")
                .header("content-type", "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .header(header::REFERER, page.clone())
                .body(Body::from(body(&[
                    ("reference", reference),
                    ("token", token),
                ])))
                .unwrap();
            from(SCRIPT, req)
        };
        // A guess uses up the address's allowance; the learner's own click is then refused.
        let guess = Request::post("/api/registration/cancel")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("reference=TOHU-GUESS&token=00"))
            .unwrap();
        assert_eq!(
            app.send(from(SCRIPT, guess)).await.status,
            StatusCode::NOT_FOUND
        );
        let res = app.send(cancel()).await;
        assert!(res.status.is_redirection(), "{backend:?}: {}", res.status);
        let back = res.headers[header::LOCATION].to_str().unwrap().to_owned();
        let shown = app
            .get(back.trim_start_matches("http://127.0.0.1:3000"))
            .await;
        assert!(
            shown
                .text()
                .contains("Too many cancellations from your network"),
            "{backend:?}: {}",
            shown.body
        );
        assert!(
            shown.text().contains("Cancel my registration"),
            "still active"
        );
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM registrations WHERE status = 'confirmed'"
            )
            .await,
            1
        );
        app.finish().await;
    }
}
