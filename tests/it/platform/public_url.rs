//! The site's public address decides who may write and how cookies travel (issue 27). The
//! real binary refuses to serve beyond loopback, or behind a proxy, without one (it would
//! otherwise guess it from the listen address); with one configured, the Origin check
//! compares against it alone, not against whatever `Host` a request names, and an https
//! address makes the session cookie `Secure`.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use crate::common::forms::body;
use crate::common::{backends, TestApp};
use crate::registration::server_process::free_port;
use tohu::auth::server::users::add_user;
use tohu::auth::types::Role;

const PUBLIC: &str = "https://tohu.example.nz";
const EMAIL: &str = "rawiri@example.co.nz";
const PASSWORD: &str = "tōtara-ridge-walk-88";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_to_start_reachable_from_elsewhere_without_a_public_url() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("tohu.db").display());
    let port = free_port();
    for (addr, proxies) in [
        (format!("0.0.0.0:{port}"), None),
        (format!("[::]:{port}"), None),
        (format!("127.0.0.1:{port}"), Some("127.0.0.1")),
    ] {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_tohu"));
        cmd.arg("serve")
            .env("DATABASE_URL", &url)
            .env("LEPTOS_SITE_ADDR", &addr)
            .env("TOHU_SECRET", crate::common::TEST_SECRET)
            .env("TOHU_ISSUER_KEY", crate::common::test_issuer_key())
            .env("RUST_BACKTRACE", "0")
            .env_remove("TOHU_PUBLIC_URL")
            .env_remove("TOHU_TRUSTED_PROXIES")
            .kill_on_drop(true);
        if let Some(proxies) = proxies {
            cmd.env("TOHU_TRUSTED_PROXIES", proxies);
        }
        let out = tokio::time::timeout(Duration::from_secs(30), cmd.output())
            .await
            .expect("exits at once")
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{addr} {proxies:?}: started");
        assert_eq!(out.status.code(), Some(1), "{addr}: {err}");
        assert!(err.contains("--public-url"), "{addr}: {err}");
        assert!(err.contains("TOHU_PUBLIC_URL"), "{addr}: {err}");
        assert!(!err.contains("panicked"), "{addr}: {err}");
    }
    // Nothing was created: the refusal comes before the database.
    assert!(!dir.path().join("tohu.db").exists());
}

async fn sign_in(app: &TestApp, host: &str, origin: &str) -> crate::common::Response {
    let req = Request::post("/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, host)
        .header(header::ORIGIN, origin)
        .body(Body::from(body(&[
            ("email", EMAIL),
            ("password", PASSWORD),
        ])))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn with_a_public_url_writes_come_from_it_alone_and_cookies_are_secure() {
    for backend in backends() {
        let app = TestApp::empty_with(backend, |c| c.public_url = Some(PUBLIC.to_owned())).await;
        add_user(
            &app.db.pool,
            EMAIL,
            "Rāwiri Tane",
            Role::Provider,
            Some("Tohu Training"),
            PASSWORD,
        )
        .await
        .unwrap();
        // An Origin naming the Host the request was sent to is not the public address.
        for (host, origin) in [
            ("127.0.0.1:3000", "http://127.0.0.1:3000"),
            ("evil.example", "https://evil.example"),
            ("tohu.example.nz", "http://tohu.example.nz"),
        ] {
            let res = sign_in(&app, host, origin).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{backend:?}: {origin}");
        }
        // Through a proxy that sends the instance's own address as Host, the public
        // Origin passes, and the cookie is for https only.
        let res = sign_in(&app, "10.0.0.5:3000", PUBLIC).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            res.body
        );
        // Both cookies a sign-in sets, the session's and the device's, are for https only.
        let cookies: Vec<&str> = res
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        assert!(
            cookies.iter().any(|c| c.starts_with("tohu_session=")),
            "{cookies:?}"
        );
        for cookie in &cookies {
            assert!(cookie.contains("Secure"), "{backend:?}: {cookie}");
        }
        assert!(
            res.headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
            "{backend:?}"
        );
        app.finish().await;
    }
}
