//! The real server binary under load: killed with SIGKILL mid-run, every registration
//! whose reference reached a client is there after a restart, whole, with exactly one
//! queued email; and a burst of concurrent registrations for a nearly full intake, most
//! of them refused and answered with the re-rendered form, all get their answer.

use std::process::Stdio;
use std::time::Duration;

use crate::common::http::{get_status, post_form};
use crate::common::{backends, learner_form_body, TestApp};
use tokio::process::{Child, Command};

const SLUG: &str = "demonstrate-basic-chainsaw-operation";

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

async fn start(url: &str, port: u16) -> Child {
    // These tests are one client making hundreds of registrations: the per-address limit,
    // meant for such a script, is lifted for them (tests/it/registration/limits.rs holds
    // it).
    start_with(url, port, &[("TOHU_REGISTER_LIMIT", "100000/1s")]).await
}

/// Starts the server binary on `port` over `url` with extra settings `env`, and waits until
/// it serves.
pub async fn start_with(url: &str, port: u16, env: &[(&str, &str)]) -> Child {
    let child = spawn_server(url, port, env);
    wait_until_serving(port).await;
    child
}

/// Waits until the server on `port` answers `/` with 200 (it answers 503 while starting).
pub async fn wait_until_serving(port: u16) {
    let addr = format!("127.0.0.1:{port}");
    for _ in 0..400 {
        if matches!(get_status(&addr, "/").await, Ok(200)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not start on {addr}");
}

/// Starts the server binary on `port` over `url` with extra settings `env`, without waiting.
pub fn spawn_server(url: &str, port: u16, env: &[(&str, &str)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tohu"))
        .arg("serve")
        .envs(env.iter().copied())
        .env("DATABASE_URL", url)
        .env("LEPTOS_OUTPUT_NAME", "tohu")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("TOHU_TODAY", "2026-11-28")
        .env("TOHU_SECRET", crate::common::TEST_SECRET)
        .env("TOHU_ISSUER_KEY", crate::common::test_issuer_key())
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the server binary")
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .expect(sql)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_load_loses_no_acknowledged_registration() {
    for backend in backends() {
        // The test's own pool seeds the database and reads it back afterwards; the server
        // process is the only writer during the load.
        let app = TestApp::seeded(backend).await;
        sqlx::query(
            "UPDATE intakes SET capacity = 100000, waitlist_capacity = 0 WHERE code = 'A06'",
        )
        .execute(&app.db.pool)
        .await
        .unwrap();
        let url = app.url.clone();
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let mut server = start(&url, port).await;

        // 16 clients register as fast as they can; the server dies after ~0.7 s.
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        let mut clients = Vec::new();
        for c in 0..16 {
            let tx = tx.clone();
            let addr = addr.clone();
            clients.push(tokio::spawn(async move {
                for i in 0..10_000 {
                    match post_form(
                        &addr,
                        &format!("/credentials/{SLUG}/register"),
                        &learner_form_body(
                            &format!("crash{}@example.co.nz", c * 10_000 + i),
                            "Learner",
                        ),
                    )
                    .await
                    {
                        Ok(r) if r.status == 303 => {
                            let _ = tx.send(r.location.unwrap_or_default());
                        }
                        Ok(r) => panic!("unexpected status {}", r.status),
                        Err(_) => break, // the server is gone
                    }
                }
            }));
        }
        drop(tx);
        tokio::time::sleep(Duration::from_millis(700)).await;
        server.kill().await.expect("SIGKILL");
        for c in clients {
            c.await.expect("client");
        }
        let mut acknowledged = Vec::new();
        while let Some(loc) = rx.recv().await {
            acknowledged.push(loc);
        }
        assert!(
            acknowledged.len() > 10,
            "{backend:?}: only {} registrations before the kill",
            acknowledged.len()
        );

        // Restart on the same database: every acknowledged reference is there and viewable.
        let mut server = start(&url, port).await;
        for loc in &acknowledged {
            assert_eq!(
                get_status(&addr, loc).await.unwrap(),
                200,
                "{backend:?}: {loc} lost"
            );
        }
        server.kill().await.ok();

        let registrations = scalar(&app, "SELECT COUNT(*) FROM registrations").await;
        assert!(registrations >= acknowledged.len() as i64);
        // Whole rows only: each registration has its event and exactly one email.
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM registration_events").await,
            registrations,
            "{backend:?}"
        );
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM outbox").await,
            registrations,
            "{backend:?}"
        );
        assert_eq!(
            scalar(&app, "SELECT COUNT(DISTINCT recipient) FROM outbox").await,
            registrations,
            "no duplicate emails"
        );
        assert_eq!(
            scalar(&app, "SELECT seats_taken FROM intakes WHERE code = 'A06'").await,
            scalar(
                &app,
                "SELECT COUNT(*) FROM registrations WHERE status = 'confirmed'"
            )
            .await,
            "{backend:?}: seat count equals rows"
        );
        eprintln!(
            "{backend:?}: {} acknowledged before SIGKILL, {registrations} stored",
            acknowledged.len()
        );
        app.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_refusals_without_javascript_all_get_the_form_back() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let mut server = start(&app.url, port).await;
        for round in 0..3 {
            sqlx::query(
                "UPDATE intakes SET capacity = seats_taken + 10, waitlist_capacity = 0 WHERE code = 'A06'",
            )
            .execute(&app.db.pool)
            .await
            .unwrap();
            let clients: Vec<_> = (0..200)
                .map(|i| {
                    let addr = addr.clone();
                    tokio::spawn(async move {
                        let body =
                            learner_form_body(&format!("r{round}n{i}@example.co.nz"), "Burst");
                        post_form(&addr, &format!("/credentials/{SLUG}/register"), &body)
                            .await
                            .expect("an answer")
                            .status
                    })
                })
                .collect();
            let (mut registered, mut refused) = (0, 0);
            for c in clients {
                match c.await.expect("client") {
                    303 => registered += 1,
                    422 => refused += 1,
                    other => panic!("{backend:?}: unexpected {other}"),
                }
            }
            assert_eq!(
                (registered, refused),
                (10, 190),
                "{backend:?} round {round}"
            );
        }
        server.kill().await.ok();
        app.finish().await;
    }
}
