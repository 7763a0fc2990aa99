//! The coordinators' dashboard at scale: 1,000,000 registrations over the intakes of 10,000
//! credentials on SQLite (file, WAL), all of one provider, so every query scans the most a
//! coordinator can see. Not part of the test run; printed figures, no pass/fail.
//!
//! Run: `cargo bench --features ssr --bench dashboard` (the database is generated once into
//! target/bench/dashboard.db and reused). `TOHU_BENCH_REGISTRATIONS=100000` for a smaller run.
//!
//! Measures, in the process that would serve them (the server code called directly, as the
//! server functions call it): the overview's p50/p99, the registrations page's p50/p99
//! filtered and sorted (page 1) and unfiltered (page 1 and page 1,000), and the CSV export of
//! every row (rows/s and the growth of this process's resident memory while it streams).
//! Targets from issue 9: overview ≤ 100 ms, table page ≤ 50 ms, export ≥ 200,000 rows/s
//! with RSS growth < 50 MB.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use time::macros::date;
use tohu::auth::server::guard::Scope;
use tohu::catalogue::server::import::import;
use tohu::catalogue::server::synthetic;
use tohu::dashboard::server::text::Text;
use tohu::dashboard::server::{export, overview, registrations};
use tohu::dashboard::types::{RegistrationsQuery, Sort};
use tohu::registration::types::RegistrationStatus;
use tohu::server::clock::Clock;
use tohu::server::config::SqliteSync;
use tohu::server::db::Db;

const TODAY: time::Date = date!(2026 - 11 - 28);
const CREDENTIALS: usize = 10_000;
const ROUNDS: usize = 50;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Fills the database: the catalogue, then `n` registrations spread over its intakes and
/// the last 180 days (80 % confirmed, 10 % waitlisted, 10 % cancelled).
async fn generate(db: &Db, n: usize) {
    let started = Instant::now();
    import(&db.pool, &synthetic::catalogue(CREDENTIALS, 1), TODAY)
        .await
        .expect("import");
    let intakes: Vec<i64> = sqlx::query_scalar("SELECT id FROM intakes ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .expect("intakes");
    println!(
        "catalogue: {CREDENTIALS} credentials, {} intakes, in {:.1} s",
        intakes.len(),
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    const BATCH: usize = 1_000;
    let given = [
        "Aroha", "Hēmi", "Mere", "Tama", "Ngaio", "Wiremu", "Kiri", "Sam",
    ];
    let family = [
        "Te Ao", "Ngata", "Parata", "Smith", "Tūhoe", "Walker", "Pōmare", "Chen",
    ];
    let start = time::OffsetDateTime::now_utc() - time::Duration::days(180);
    let mut tx = db.pool.begin().await.expect("tx");
    for batch in 0..n.div_ceil(BATCH) {
        let rows = BATCH.min(n - batch * BATCH);
        let mut sql = String::from(
            "INSERT INTO registrations (intake_id, reference, token_hash, status, given_name, \
             family_name, email, email_key, phone, region, date_of_birth, consented_at, \
             created_at, updated_at) VALUES ",
        );
        for r in 0..rows {
            let k = 10 * r;
            if r > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, '', ${}, ${}, ${}, ${}, ${}, '021 000 0000', 'Waikato', '1990-01-01', ${}, ${}, ${})",
                k + 1, k + 2, k + 3, k + 4, k + 5, k + 6, k + 7, k + 8, k + 9, k + 10
            ));
        }
        let mut q = sqlx::query(&sql);
        for r in 0..rows {
            let i = batch * BATCH + r;
            let status = match i % 10 {
                0 => RegistrationStatus::Waitlisted,
                1 => RegistrationStatus::Cancelled,
                _ => RegistrationStatus::Confirmed,
            };
            let at = tohu::server::clock::stamp(
                start + time::Duration::seconds((i as i64 * 180 * 86_400) / n as i64),
            );
            let email = format!("learner{i}@example.co.nz");
            q = q
                .bind(intakes[i % intakes.len()])
                .bind(format!("TOHU-B{i:07}"))
                .bind(status.as_str())
                .bind(given[i % given.len()])
                .bind(family[(i / 7) % family.len()])
                .bind(email.clone())
                .bind(email)
                .bind(at.clone())
                .bind(at.clone())
                .bind(at);
        }
        q.execute(&mut *tx).await.expect("insert");
        if batch % 50 == 49 {
            tx.commit().await.expect("commit");
            tx = db.pool.begin().await.expect("tx");
        }
    }
    tx.commit().await.expect("commit");
    // Statistics for the planner, and the write-ahead log folded into the file, as a server
    // that has run a while has them (reading through a fresh 100 MB log is slower).
    for sql in ["ANALYZE", "PRAGMA wal_checkpoint(TRUNCATE)"] {
        sqlx::query(sql).execute(&db.pool).await.expect(sql);
    }
    println!(
        "registrations: {n} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

async fn time_it<F, Fut>(label: &str, mut f: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    f().await; // warm the page cache
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let t = Instant::now();
        f().await;
        times.push(t.elapsed());
    }
    times.sort();
    let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    println!("{label}: p50 {p50:.1} ms, p99 {p99:.1} ms ({ROUNDS} runs)");
    (p50, p99)
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("TOHU_BENCH_REGISTRATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = PathBuf::from("target/bench");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let url = format!("sqlite:{}", dir.join(format!("dashboard-{n}.db")).display());
    let db = Db::connect(&url, SqliteSync::Normal)
        .await
        .expect("database");
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations")
        .fetch_one(&db.pool)
        .await
        .expect("count");
    if have as usize != n {
        generate(&db, n).await;
    } else {
        println!("reusing {n} registrations in {url}");
    }
    let provider: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE kind = 'provider'")
        .fetch_one(&db.pool)
        .await
        .expect("provider");
    let scope = Scope::ProviderOrg(provider);
    let clock = Clock::Fixed(TODAY);
    let pool = db.pool.clone();

    time_it("overview", || {
        let pool = pool.clone();
        async move {
            overview::overview(&pool, scope, &clock)
                .await
                .expect("overview");
        }
    })
    .await;
    let filtered = RegistrationsQuery {
        status: Some(RegistrationStatus::Waitlisted),
        q: "ngata".into(),
        sort: Sort::Name,
        page: 1,
        ..RegistrationsQuery::default()
    };
    let rare = RegistrationsQuery {
        q: format!("learner{}@", n / 2),
        ..RegistrationsQuery::default()
    };
    let newest = |page| RegistrationsQuery {
        page,
        ..RegistrationsQuery::default()
    };
    for (label, query) in [
        (
            "table, text + status filter, sorted by name, page 1",
            filtered,
        ),
        (
            "table, text matching one learner, newest first, page 1",
            rare,
        ),
        (
            "table, text matching 1 in 8, newest first, page 1",
            RegistrationsQuery {
                q: "ngata".into(),
                ..RegistrationsQuery::default()
            },
        ),
        ("table, everything, newest first, page 1", newest(1)),
        ("table, everything, newest first, page 1,000", newest(1_000)),
    ] {
        time_it(label, || {
            let (pool, query) = (pool.clone(), query.clone());
            async move {
                registrations::page(&pool, scope, &query)
                    .await
                    .expect("page");
            }
        })
        .await;
    }

    // The export of every row, with resident memory sampled every 5 ms while it streams.
    let before = rss_kib();
    let peak = Arc::new(AtomicU64::new(before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let started = Instant::now();
    let mut stream = Box::pin(export::csv_stream(
        pool.clone(),
        scope,
        RegistrationsQuery::default(),
        Text::Any,
    ));
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("chunk");
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
    }
    let took = started.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    let rows = lines - 1;
    assert_eq!(rows, n, "every row exported once");
    println!(
        "export: {rows} rows, {:.1} MB, in {took:.2} s = {:.0} rows/s; RSS {:.1} MB before, \
         peak {:.1} MB during (growth {:.1} MB)",
        bytes as f64 / 1e6,
        rows as f64 / took,
        before as f64 / 1024.0,
        peak.load(Ordering::Relaxed) as f64 / 1024.0,
        (peak.load(Ordering::Relaxed) - before) as f64 / 1024.0
    );
}
