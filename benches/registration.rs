//! Registrations per second over HTTP with 100 concurrent clients, on SQLite and PostgreSQL.
//! Run: `cargo bench --features ssr --bench registration` (not part of the test run).
//! Each client opens a connection per request (no keep-alive), posts the no-JavaScript
//! registration form and counts 303 answers; afterwards the rows are checked against them.

// The integration tests' harness; the benchmark uses part of it.
#[path = "../tests/it/common/mod.rs"]
#[allow(dead_code)]
mod common;

use std::time::{Duration, Instant};

use common::http::post_form;
use common::{learner_form_body, TestApp};
use tohu::server::db::Backend;

const CLIENTS: usize = 100;
const RUN: Duration = Duration::from_secs(10);

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .expect(sql)
}

async fn run(backend: Backend) {
    let app = TestApp::seeded(backend).await;
    sqlx::query("UPDATE intakes SET capacity = 10000000 WHERE code = 'A06'")
        .execute(&app.db.pool)
        .await
        .expect("capacity");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await });

    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let addr = addr.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i = 0;
            while start.elapsed() < RUN {
                let t = Instant::now();
                let r = post_form(
                    &addr,
                    "/credentials/demonstrate-basic-chainsaw-operation/register",
                    &learner_form_body(
                        &format!("bench{}@example.co.nz", c * 1_000_000 + i),
                        "Bench",
                    ),
                )
                .await
                .expect("request");
                assert_eq!(r.status, 303, "registration refused");
                latencies.push(t.elapsed());
                i += 1;
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.expect("client"));
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let acknowledged = latencies.len() as i64;
    let rows = scalar(&app, "SELECT COUNT(*) FROM registrations").await;
    let confirmed = scalar(
        &app,
        "SELECT COUNT(*) FROM registrations WHERE status = 'confirmed'",
    )
    .await;
    let taken = scalar(&app, "SELECT seats_taken FROM intakes WHERE code = 'A06'").await;
    println!(
        "{backend:?}: {acknowledged} registrations in {elapsed:.1} s = {:.0}/s with {CLIENTS} clients; \
         latency p50 {:.1} ms, p99 {:.1} ms; lost {}, overbooked {}",
        acknowledged as f64 / elapsed,
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        acknowledged - rows,
        confirmed - taken,
    );
    app.finish().await;
}

#[tokio::main]
async fn main() {
    println!(
        "machine: {} cores; client and server in one process",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    for backend in [Backend::Sqlite, Backend::Postgres] {
        run(backend).await;
    }
}
