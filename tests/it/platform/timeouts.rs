//! Timeouts and limits (issue 11): a request stuck behind a lock is answered 408 at the
//! request timeout and writes nothing; while the instance is at its concurrency limit the
//! next request gets 503 with Retry-After at once; PostgreSQL ends a statement past its
//! timeout; the real binary closes a connection that dribbles its headers, and on SIGTERM
//! finishes what is in flight and exits.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::forms::{body, learner, scalar, SLUG};
use crate::common::http::post_form;
use crate::common::{backends, learner_form_body, TestApp, SEED};
use crate::registration::server_process::{free_port, start_with};
use tohu::server::db::Backend;

fn registration() -> Request<Body> {
    let fields = learner("stuck@example.co.nz");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Request::post(format!("/credentials/{SLUG}/register"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body(&fields)))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_request_times_out_and_a_full_instance_sheds_load() {
    for backend in backends() {
        let app = TestApp::empty_with(backend, |c| {
            c.request_timeout_secs = 1;
            c.max_concurrent = 1;
        })
        .await;
        app.import(SEED).await;
        // Another writer holds the intake (SQLite's write lock, PostgreSQL's row lock).
        let mut holder = app.db.pool.begin().await.unwrap();
        sqlx::query("UPDATE intakes SET seats_taken = seats_taken WHERE code = 'A06'")
            .execute(&mut *holder)
            .await
            .unwrap();
        let router = app.router.clone();
        let started = Instant::now();
        let stuck = tokio::spawn(async move {
            let res = tower::ServiceExt::oneshot(router, registration())
                .await
                .unwrap();
            (res.status(), started.elapsed())
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        // The one slot is taken: the next request is turned away at once, saying when to
        // come back.
        let shed_at = Instant::now();
        let busy = app.get("/robots.txt").await;
        assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE, "{backend:?}");
        assert_eq!(busy.headers["retry-after"], "5");
        assert!(shed_at.elapsed() < Duration::from_millis(500));
        let (status, took) = stuck.await.unwrap();
        assert_eq!(status, StatusCode::REQUEST_TIMEOUT, "{backend:?}");
        assert!(took < Duration::from_secs(5), "{backend:?}: {took:?}");
        holder.rollback().await.unwrap();
        // Nothing was written, and the instance serves again.
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM registrations").await, 0);
        assert_eq!(app.get("/robots.txt").await.status, StatusCode::OK);
        app.finish().await;
    }
}

#[tokio::test]
async fn postgresql_ends_a_statement_past_its_timeout() {
    let app = TestApp::empty_with(Backend::Postgres, |c| c.statement_timeout_ms = 200).await;
    let e = sqlx::query("SELECT pg_sleep(2)")
        .execute(&app.db.pool)
        .await
        .expect_err("cancelled");
    let code = e
        .as_database_error()
        .and_then(|d| d.code())
        .map(|c| c.into_owned());
    assert_eq!(code.as_deref(), Some("57014"), "{e}");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_closes_slow_headers_and_drains_on_sigterm() {
    let app = TestApp::seeded(Backend::Sqlite).await;
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut server = start_with(
        &app.url,
        port,
        &[
            ("TOHU_HEADER_TIMEOUT_SECS", "1"),
            ("TOHU_REGISTER_LIMIT", "100000/1s"),
        ],
    )
    .await;

    // Headers sent a line at a time, never finished: closed after the header timeout.
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(format!("GET / HTTP/1.1\r\nHost: {addr}\r\n").as_bytes())
        .await
        .unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 256];
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read(&mut buf)).await;
    let closed = matches!(read, Ok(Ok(0)) | Ok(Err(_)))
        || matches!(read, Ok(Ok(n)) if String::from_utf8_lossy(&buf[..n]).contains(" 408 "));
    assert!(closed, "connection not closed: {read:?}");
    assert!(started.elapsed() < Duration::from_secs(4));

    // SIGTERM with registrations in flight: every one that was answered is stored, the
    // process exits of itself.
    let clients: Vec<_> = (0..20)
        .map(|i| {
            let addr = addr.clone();
            tokio::spawn(async move {
                let body = learner_form_body(&format!("drain{i}@example.co.nz"), "Drain");
                post_form(&addr, &format!("/credentials/{SLUG}/register"), &body).await
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let pid = server.id().expect("running") as i32;
    // SAFETY-free: kill(2) through the shell's kill, as an operator's systemd would.
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut answered = 0;
    for c in clients {
        if let Ok(reply) = c.await.unwrap() {
            assert!(matches!(reply.status, 303 | 422), "{}", reply.status);
            answered += usize::from(reply.status == 303);
        }
    }
    let exit = tokio::time::timeout(Duration::from_secs(25), server.wait())
        .await
        .expect("exits within the grace period")
        .unwrap();
    assert!(exit.success(), "{exit:?}");
    let stored = scalar(
        &app,
        "SELECT COUNT(*) FROM registrations WHERE family_name = 'Drain'",
    )
    .await;
    assert_eq!(
        stored as usize, answered,
        "every acknowledged registration is stored"
    );
    eprintln!("SIGTERM drain: {answered} of 20 answered and stored");
    app.finish().await;
}
