//! Signing in and out through the real router, on both databases.

use axum::body::Body;
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
    res.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tohu_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
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
        let set = res.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
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

#[tokio::test]
async fn guessing_is_held_to_ten_tries_per_account_while_others_sign_in() {
    for backend in backends() {
        let app = with_coordinator(backend).await;
        add_user(
            &app.db.pool,
            "admin@example.co.nz",
            "Ari",
            Role::Admin,
            None,
            PASSWORD,
        )
        .await
        .unwrap();
        for n in 0..10 {
            let res = sign_in(
                &app,
                "mere.coordinator@example.co.nz",
                &format!("guess-{n}"),
                None,
            )
            .await;
            assert_eq!(
                res.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{backend:?} try {n}"
            );
        }
        // Even the right password is held now, with a clear 429.
        let held = sign_in(&app, "mere.coordinator@example.co.nz", PASSWORD, None).await;
        assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS, "{backend:?}");
        assert!(held.text().contains("Too many sign-in attempts."));
        // Another account is unaffected.
        let other = sign_in(&app, "admin@example.co.nz", PASSWORD, None).await;
        assert_eq!(other.status, StatusCode::SEE_OTHER);
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
