//! Signing in and out through the real router, on both databases.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use tohu::auth::server::users::add_user;
use tohu::auth::types::Role;

use crate::common::forms::{body, scalar};
use crate::common::{backends, Response, TestApp};

const PASSWORD: &str = "pōhutukawa-summer-42";

async fn with_coordinator(backend: tohu::server::db::Backend) -> TestApp {
    let app = TestApp::empty(backend).await;
    add_user(
        &app.db.pool,
        "Mere.Coordinator@example.co.nz",
        "Mere Parata",
        Role::Provider,
        Some("Tohu Training"),
        PASSWORD,
    )
    .await
    .expect("add user");
    app
}

async fn sign_in(app: &TestApp, email: &str, password: &str, cookie: Option<&str>) -> Response {
    let mut req =
        Request::post("/sign-in").header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let req = req
        .body(Body::from(body(&[
            ("email", email),
            ("password", password),
        ])))
        .unwrap();
    app.send(req).await
}

/// The `name=value` of the session cookie a response sets.
fn session_cookie(res: &Response) -> Option<String> {
    res.cookie("tohu_session")
}

/// The dashboard as a browser asks for it (a redirect needs `Accept: text/html`).
async fn dashboard(app: &TestApp, cookie: &str) -> Response {
    let mut req = Request::get("/dashboard").header(header::ACCEPT, "text/html");
    if !cookie.is_empty() {
        req = req.header(header::COOKIE, cookie);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn sign_in_rotates_the_session_and_sign_out_deletes_it() {
    for backend in backends() {
        let app = with_coordinator(backend).await;

        // Not signed in: the dashboard sends you to sign in.
        let anonymous = dashboard(&app, "").await;
        assert!(
            anonymous.status.is_redirection(),
            "{backend:?}: {}",
            anonymous.status
        );
        assert_eq!(anonymous.headers[header::LOCATION], "/sign-in");

        let res = sign_in(&app, "mere.coordinator@EXAMPLE.co.nz", PASSWORD, None).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            res.body
        );
        assert_eq!(res.headers[header::LOCATION], "/dashboard");
        let set = res
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("tohu_session="))
            .unwrap()
            .to_owned();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        assert!(!set.contains("Secure"), "plain http public URL: {set}");
        let first = session_cookie(&res).expect("session cookie");

        let page = dashboard(&app, &first).await;
        assert_eq!(page.status, StatusCode::OK, "{backend:?}");
        assert!(
            page.text().contains("Kia ora, Mere Parata"),
            "{}",
            page.body
        );
        assert!(page.text().contains("Provider coordinator, Tohu Training"));
        assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");

        // Signing in again from that session gives it a new id; the old one is dead.
        let again = sign_in(
            &app,
            "mere.coordinator@example.co.nz",
            PASSWORD,
            Some(&first),
        )
        .await;
        let second = session_cookie(&again).expect("new cookie");
        assert_ne!(first, second, "{backend:?}");
        assert!(dashboard(&app, &first).await.status.is_redirection());
        assert_eq!(dashboard(&app, &second).await.status, StatusCode::OK);

        // Sign out: the server-side session row goes, and the cookie opens nothing.
        let before = scalar(&app, "SELECT COUNT(*) FROM sessions").await;
        let req = Request::post("/sign-out")
            .header(header::COOKIE, &second)
            .body(Body::empty())
            .unwrap();
        let out = app.send(req).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM sessions").await,
            before - 1
        );
        assert!(dashboard(&app, &second).await.status.is_redirection());
        app.finish().await;
    }
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_one_message_and_keep_the_email() {
    for backend in backends() {
        let app = with_coordinator(backend).await;
        let wrong = sign_in(
            &app,
            "mere.coordinator@example.co.nz",
            "not-the-password",
            None,
        )
        .await;
        let unknown = sign_in(&app, "nobody@example.co.nz", PASSWORD, None).await;
        for (res, email) in [
            (&wrong, "mere.coordinator@example.co.nz"),
            (&unknown, "nobody@example.co.nz"),
        ] {
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
            assert!(
                res.text()
                    .contains("That email and password do not match an account."),
                "{}",
                res.body
            );
            assert!(
                res.text().contains(&format!("value=\"{email}\"")),
                "email kept"
            );
            assert!(!res.text().contains(PASSWORD) && !res.text().contains("not-the-password"));
            assert!(
                session_cookie(res).is_none(),
                "no session for a failed attempt"
            );
        }
        let empty = sign_in(&app, "", "", None).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.text().contains("Enter your email and your password."));
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 0);
        app.finish().await;
    }
}

/// A sign-in from `peer` (the real server adds it from the TCP connection), with `cookie`.
async fn sign_in_from(
    app: &TestApp,
    peer: &str,
    email: &str,
    password: &str,
    cookie: Option<&str>,
) -> Response {
    let mut req =
        Request::post("/sign-in").header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let mut req = req
        .body(Body::from(body(&[
            ("email", email),
            ("password", password),
        ])))
        .unwrap();
    let addr: SocketAddr = peer.parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    app.send(req).await
}

/// The `Retry-After` of a 429, in seconds; it must be there and at most 30.
fn retry_after(res: &Response) -> i64 {
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
    let secs: i64 = res.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&secs), "Retry-After {secs}");
    secs
}

/// Moves every counted try `secs` seconds into the past: the clock, as a test may turn it.
async fn time_passes(app: &TestApp, secs: i64) {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, at FROM sign_in_attempts")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    for (id, at) in rows {
        let earlier = tohu::server::clock::parse(&at).unwrap() - time::Duration::seconds(secs);
        sqlx::query("UPDATE sign_in_attempts SET at = $1 WHERE id = $2")
            .bind(tohu::server::clock::stamp(earlier))
            .bind(id)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
}

const MERE: &str = "mere.coordinator@example.co.nz";

#[tokio::test]
async fn wrong_passwords_slow_the_guesser_and_never_lock_out_the_owner() {
    for backend in backends() {
        let app = with_coordinator(backend).await;
        let (guesser, owner) = ("203.0.113.9:40000", "198.51.100.7:40000");
        let mut statuses = Vec::new();
        let mut last = None;
        for n in 0..10 {
            let res = sign_in_from(&app, guesser, MERE, &format!("guess-{n}"), None).await;
            statuses.push(res.status.as_u16());
            last = Some(res);
        }
        // Five wrong passwords go through; from then on one try per 20 s, said with a 429.
        assert_eq!(&statuses[..5], [422; 5], "{backend:?} {statuses:?}");
        assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
        let held = last.unwrap();
        assert!(held.text().contains("Too many sign-in attempts."));
        let wait = retry_after(&held);
        assert!(wait <= 20, "{wait}");

        // The owner, elsewhere, signs in at once with the right password.
        let res = sign_in_from(&app, owner, MERE, PASSWORD, None).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            res.body
        );
        // From the guesser's own network too, once the wait it was told has passed.
        assert_eq!(
            sign_in_from(&app, guesser, MERE, PASSWORD, None)
                .await
                .status,
            StatusCode::TOO_MANY_REQUESTS
        );
        time_passes(&app, wait).await;
        let res = sign_in_from(&app, guesser, MERE, PASSWORD, None).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            res.body
        );

        // Asking for a reset link works from either network, and does not spend a try.
        for peer in [guesser, owner] {
            let mut req = Request::post("/forgot-password")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body(&[("email", MERE)])))
                .unwrap();
            req.extensions_mut()
                .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
            let res = app.send(req).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{backend:?} {peer}");
            assert_eq!(res.headers[header::LOCATION], "/forgot-password?sent=1");
        }
        assert!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM outbox WHERE link LIKE 'password:%'"
            )
            .await
                >= 1,
            "{backend:?}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn guessing_from_everywhere_slows_every_network_but_the_owners_browser() {
    for backend in backends() {
        let app = with_coordinator(backend).await;
        // The owner signed in from their laptop last week: the browser kept its device cookie.
        let before = sign_in_from(&app, "192.0.2.50:40000", MERE, PASSWORD, None).await;
        assert_eq!(before.status, StatusCode::SEE_OTHER, "{backend:?}");
        let device = before.cookie("tohu_device").expect("device cookie");

        // Five wrong passwords from each of 30 networks: more than 100 at the account.
        for n in 1..=30 {
            for k in 0..5 {
                let peer = format!("198.18.{n}.1:40000");
                let res = sign_in_from(&app, &peer, MERE, &format!("guess-{n}-{k}"), None).await;
                assert!(
                    matches!(res.status.as_u16(), 422 | 429),
                    "{backend:?}: {}",
                    res.status
                );
            }
        }
        let wrong = scalar(&app, "SELECT COUNT(*) FROM sign_in_attempts").await;
        assert!(wrong >= 100, "{backend:?}: {wrong} wrong passwords counted");

        // A 31st network has its one try, then waits like the rest.
        let fresh = "198.18.31.1:40000";
        let first = sign_in_from(&app, fresh, MERE, "guess-31", None).await;
        assert_eq!(
            first.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend:?}"
        );
        let second = sign_in_from(&app, fresh, MERE, PASSWORD, None).await;
        retry_after(&second);
        // The owner's browser, on that same network, is not held by the account-wide brake.
        let res = sign_in_from(&app, fresh, MERE, PASSWORD, Some(&device)).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            res.body
        );
        // A forged device cookie is no exemption.
        let forged = device.replace('.', ".0");
        let res = sign_in_from(&app, fresh, MERE, PASSWORD, Some(&forged)).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{backend:?}");
        app.finish().await;
    }
}

#[tokio::test]
async fn one_ipv6_slash_64_is_one_network() {
    for backend in backends() {
        let app = with_coordinator(backend).await;
        for n in 1..=5 {
            let peer = format!("[2001:db8:7:1::{n}]:40000");
            let res = sign_in_from(&app, &peer, MERE, "not-it", None).await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        }
        // Another address in the same /64 shares its bucket; the next /64 does not.
        let same = sign_in_from(&app, "[2001:db8:7:1:ffff::9]:40000", MERE, "x", None).await;
        retry_after(&same);
        let next = sign_in_from(&app, "[2001:db8:7:2::1]:40000", MERE, PASSWORD, None).await;
        assert_eq!(next.status, StatusCode::SEE_OTHER, "{backend:?}");
        // And an IPv4 client counts the same however its address is written.
        for _ in 0..5 {
            sign_in_from(&app, "203.0.113.77:40000", MERE, "not-it", None).await;
        }
        let mapped = sign_in_from(&app, "[::ffff:203.0.113.77]:40000", MERE, "x", None).await;
        retry_after(&mapped);
        app.finish().await;
    }
}

#[tokio::test]
async fn right_passwords_do_not_use_up_the_accounts_tries() {
    for backend in backends() {
        let app = with_coordinator(backend).await;
        for n in 0..12 {
            let res = sign_in(&app, "mere.coordinator@example.co.nz", PASSWORD, None).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{backend:?} sign-in {n}");
        }
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM sign_in_attempts").await,
            0
        );
        app.finish().await;
    }
}

async fn signed_in(app: &TestApp) -> String {
    let res = sign_in(app, "mere.coordinator@example.co.nz", PASSWORD, None).await;
    session_cookie(&res).expect("cookie")
}

#[tokio::test]
async fn sessions_end_when_idle_past_twelve_hours_or_when_the_account_is_disabled() {
    for backend in backends() {
        let app = with_coordinator(backend).await;
        // Idle: the row's expiry has passed.
        let idle = signed_in(&app).await;
        sqlx::query("UPDATE sessions SET expires_at = 1")
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert!(
            dashboard(&app, &idle).await.status.is_redirection(),
            "{backend:?}"
        );

        // Absolute: signed in 13 hours ago, however busy since.
        let long = signed_in(&app).await;
        let data: String = sqlx::query_scalar("SELECT data FROM sessions WHERE expires_at > 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let mut json: serde_json::Value = serde_json::from_str(&data).unwrap();
        let thirteen_hours_ago = time::OffsetDateTime::now_utc().unix_timestamp() - 13 * 3600;
        json["signed_in_at"] = serde_json::json!(thirteen_hours_ago);
        sqlx::query("UPDATE sessions SET data = $1 WHERE expires_at > 1")
            .bind(json.to_string())
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert!(
            dashboard(&app, &long).await.status.is_redirection(),
            "{backend:?}"
        );

        // Disabled: the next request finds no account.
        let fresh = signed_in(&app).await;
        assert_eq!(dashboard(&app, &fresh).await.status, StatusCode::OK);
        sqlx::query("UPDATE users SET disabled = 1")
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert!(
            dashboard(&app, &fresh).await.status.is_redirection(),
            "{backend:?}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_cross_site_sign_in_is_refused() {
    for backend in backends() {
        let app = with_coordinator(backend).await;
        let req = Request::post("/sign-in")
            .header("content-type", "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::ORIGIN, "https://evil.example")
            .body(Body::from(body(&[
                ("email", "mere.coordinator@example.co.nz"),
                ("password", PASSWORD),
            ])))
            .unwrap();
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{backend:?}");
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 0);
        app.finish().await;
    }
}

/// A sign-in posted with the form's `next` (the address to return to).
async fn sign_in_to(app: &TestApp, password: &str, next: &str) -> Response {
    let req = Request::post("/sign-in")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body(&[
            ("email", "mere.coordinator@example.co.nz"),
            ("password", password),
            ("next", next),
        ])))
        .unwrap();
    app.send(req).await
}

async fn page(app: &TestApp, uri: &str) -> Response {
    let req = Request::get(uri).header(header::ACCEPT, "text/html");
    app.send(req.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn a_signed_out_visit_returns_to_its_address_after_signing_in_and_nowhere_else() {
    const ASKED: &str = "/dashboard/registrations?status=waitlisted";
    for backend in backends() {
        let app = with_coordinator(backend).await;
        // A dashboard address visited signed out: to the sign-in page, which keeps it.
        let res = page(&app, ASKED).await;
        assert!(res.status.is_redirection(), "{backend:?}: {}", res.status);
        let sign_in_page = res.headers[header::LOCATION].to_str().unwrap().to_owned();
        assert_eq!(
            sign_in_page,
            "/sign-in?next=%2Fdashboard%2Fregistrations%3Fstatus%3Dwaitlisted"
        );
        let hidden = format!(r#"<input type="hidden" name="next" value="{ASKED}""#);
        assert!(page(&app, &sign_in_page).await.text().contains(&hidden));
        // A wrong password keeps it in the form; the right one goes there.
        let wrong = sign_in_to(&app, "not-the-password", ASKED).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.text().contains(&hidden), "{}", wrong.body);
        let res = sign_in_to(&app, PASSWORD, ASKED).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            res.body
        );
        assert_eq!(res.headers[header::LOCATION], ASKED);

        // Anywhere else: refused, to the overview, and never put in the form.
        for other in ["//evil.example", "https://evil.example", "/\\evil.example"] {
            let res = sign_in_to(&app, PASSWORD, other).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{backend:?} {other}");
            assert_eq!(res.headers[header::LOCATION], "/dashboard", "{other}");
            let encoded: String = other.bytes().map(|b| format!("%{b:02X}")).collect();
            let shown = page(&app, &format!("/sign-in?next={encoded}")).await;
            assert_eq!(shown.status, StatusCode::OK);
            assert!(
                !shown.text().contains(r#"name="next""#),
                "{other}: {}",
                shown.body
            );
        }
        app.finish().await;
    }
}
