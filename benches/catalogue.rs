//! The catalogue's way out and back in at scale, on PostgreSQL (issue 32): `tohu generate
//! 10000` imported into an empty database, exported, the export imported into another and
//! exported again (the two exports must be the same bytes), each step timed; then what a
//! save in the editor waits for at that size: the write with its new catalogue revision,
//! and this instance's search index rebuilt to show it. Not part of the test run; printed
//! figures, no pass/fail (but a differing export stops it).
//!
//! Run: `cargo bench --features ssr --bench catalogue` (release; `TOHU_BENCH_CREDENTIALS`
//! to change the size; PostgreSQL at `TOHU_BENCH_PG`, default postgres://postgres@127.0.0.1).

use std::time::{Duration, Instant};

use sqlx::Connection;
use tohu::catalogue::server::export::{encode, export};
use tohu::catalogue::server::import::{import_as, ImportOptions};
use tohu::catalogue::server::search::SearchService;
use tohu::catalogue::server::seed::Format;
use tohu::catalogue::server::synthetic;
use tohu::server::config::SqliteSync;
use tohu::server::db::Db;

const TODAY: time::Date = time::macros::date!(2026 - 11 - 28);

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

async fn fresh(admin: &str, name: &str) -> Db {
    let mut conn = sqlx::PgConnection::connect(&format!("{admin}/postgres"))
        .await
        .expect("PostgreSQL");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&mut conn)
        .await
        .expect("drop");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create");
    Db::connect(&format!("{admin}/{name}"), SqliteSync::Normal)
        .await
        .expect("connect and migrate")
}

async fn drop_db(admin: &str, name: &str) {
    if let Ok(mut conn) = sqlx::PgConnection::connect(&format!("{admin}/postgres")).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await;
    }
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("TOHU_BENCH_CREDENTIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let admin = std::env::var("TOHU_BENCH_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned());
    let x = synthetic::catalogue(n, 7);
    let first = fresh(&admin, "tohu_bench_export_1").await;
    let started = Instant::now();
    import_as(
        &first.pool,
        &x,
        Format::Toml,
        TODAY,
        ImportOptions::default(),
    )
    .await
    .expect("import X");
    let imported = started.elapsed();
    let started = Instant::now();
    let e1 = encode(&export(&first.pool).await.expect("export"), Format::Toml).expect("encode");
    let exported = started.elapsed();
    let second = fresh(&admin, "tohu_bench_export_2").await;
    let started = Instant::now();
    import_as(
        &second.pool,
        &e1,
        Format::Toml,
        TODAY,
        ImportOptions::default(),
    )
    .await
    .expect("import E1");
    let reimported = started.elapsed();
    let e2 = encode(&export(&second.pool).await.expect("export"), Format::Toml).expect("encode");
    assert!(e1 == e2, "the second export differs from the first");
    let started = Instant::now();
    let again = import_as(
        &first.pool,
        &e1,
        Format::Toml,
        TODAY,
        ImportOptions::default(),
    )
    .await
    .expect("import E1 again");
    let unchanged = started.elapsed();
    assert_eq!((again.created, again.updated), (0, 0));
    println!(
        "PostgreSQL, {n} credentials ({} bytes exported): import {}, export {}, import of the \
         export into an empty database {}, the same export again (0 changes) {}",
        e1.len(),
        secs(imported),
        secs(exported),
        secs(reimported),
        secs(unchanged)
    );

    // What a save in the editor waits for: its write and new revision, then this
    // instance's index rebuilt from the database.
    let search = SearchService::start(&first).await.expect("index");
    let mut times = Vec::new();
    for round in 0..5 {
        let started = Instant::now();
        let mut tx = first.pool.begin().await.expect("tx");
        let revision = tohu::catalogue::server::revision::bump(&mut tx)
            .await
            .expect("bump");
        sqlx::query(
            "UPDATE credentials SET title = $1, edited_revision = $2 \
             WHERE id = (SELECT MIN(id) FROM credentials)",
        )
        .bind(format!("Edited in round {round}"))
        .bind(revision)
        .execute(&mut *tx)
        .await
        .expect("edit");
        tx.commit().await.expect("commit");
        assert!(search.refresh(&first).await.expect("refresh"));
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "an editor's save at {n} credentials until this instance's search shows it: median \
         {:.2} s, slowest {:.2} s (5 saves)",
        times[2].as_secs_f64(),
        times[4].as_secs_f64()
    );
    drop(first);
    drop(second);
    drop_db(&admin, "tohu_bench_export_1").await;
    drop_db(&admin, "tohu_bench_export_2").await;
}
