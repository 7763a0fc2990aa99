//! Search at scale: a synthetic catalogue of 10,000 and 100,000 credentials on SQLite, served
//! by the release server binary, measured with wrk. Not part of the test run.
//!
//! Run: `scripts/bench` (builds the release site, then `cargo bench --features ssr --bench
//! search`). Sizes: `TOHU_BENCH_SIZES=10000,100000` (default). Writes the figures to stdout
//! and to `benches/RESULTS.md`.
//!
//! Per size: import time, index build time (database read and index build apart), search
//! latency in process and over HTTP from one client, throughput of the search server function
//! and of a static asset at 32 connections in the same run, catalogue page SSR latency, and
//! the server's resident memory.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use time::macros::date;
use tohu::catalogue::query::{CatalogueQuery, Facet, Sort, ON};
use tohu::catalogue::server::import::import;
use tohu::catalogue::server::search::{load, Snapshot};
use tohu::catalogue::server::synthetic;
use tohu::server::config::SqliteSync;
use tohu::server::db::Db;

const TODAY: time::Date = date!(2026 - 11 - 28);
const PORT: u16 = 3190;
const WRK_SECONDS: &str = "10s";

/// The query mix: what learners type (whole words, prefixes, typos, numbers, macrons),
/// with and without facets, sorts and pages.
fn queries() -> Vec<CatalogueQuery> {
    let q = |text: &str, f: &dyn Fn(&mut CatalogueQuery)| {
        let mut q = CatalogueQuery {
            q: text.to_owned(),
            ..CatalogueQuery::default()
        };
        f(&mut q);
        q.normalised()
    };
    vec![
        q("chainsaw", &|_| {}),
        q("safety", &|_| {}),
        q("sust", &|_| {}),
        q("chainsw", &|_| {}),
        q("maori", &|_| {}),
        q("Māori", &|_| {}),
        q("40025", &|_| {}),
        q("first aid", &|_| {}),
        q("chain saw", &|_| {}),
        q("forklift", &|q| *q = q.with(Facet::Open, [ON])),
        q("barista", &|q| q.sort = Sort::NextIntake),
        q("", &|_| {}),
        q("", &|q| {
            *q = q.with(Facet::Sector, ["forestry", "construction"])
        }),
        q("", &|q| {
            *q = q.with(Facet::Level, ["3"]).with(Facet::Funded, [ON])
        }),
        q("", &|q| {
            q.sort = Sort::Credits;
            q.page = 5;
        }),
        q("data analysis", &|q| *q = q.with(Facet::Region, ["online"])),
    ]
}

/// The server function's URL for a query (`GetUrl`: its argument as serde_qs encodes it).
fn api_url(q: &CatalogueQuery) -> String {
    #[derive(serde::Serialize)]
    struct Args<'a> {
        query: &'a CatalogueQuery,
    }
    let args = serde_qs::to_string(&Args { query: q }).expect("a query encodes");
    format!("/api/catalogue/search?{args}")
}

struct Wrk {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: String,
}

/// Runs wrk against `paths` (rotated by a Lua script) and reads its summary.
fn wrk(dir: &Path, name: &str, connections: u32, paths: &[String]) -> Wrk {
    let script = dir.join(format!("{name}.lua"));
    let list: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
    std::fs::write(
        &script,
        format!(
            "local paths = {{ {} }}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  \
             return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n",
            list.join(", ")
        ),
    )
    .expect("write wrk script");
    let threads = connections.min(2).to_string();
    let out = Command::new("wrk")
        .args([
            "-t",
            &threads,
            "-c",
            &connections.to_string(),
            "-d",
            WRK_SECONDS,
        ])
        .arg("--latency")
        .arg("-s")
        .arg(&script)
        .arg(format!("http://127.0.0.1:{PORT}"))
        .output()
        .expect("wrk runs (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |prefix: &str| -> Option<&str> {
        text.lines()
            .map(str::trim)
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1))
    };
    let ms = |v: Option<&str>| -> f64 {
        let v = v.unwrap_or("0");
        let (num, factor) = if let Some(n) = v.strip_suffix("us") {
            (n, 0.001)
        } else if let Some(n) = v.strip_suffix("ms") {
            (n, 1.0)
        } else if let Some(n) = v.strip_suffix('s') {
            (n, 1000.0)
        } else {
            (v, 1.0)
        };
        num.parse::<f64>().unwrap_or(f64::NAN) * factor
    };
    let errors = text
        .lines()
        .filter(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("; ");
    Wrk {
        rps: text
            .lines()
            .find(|l| l.starts_with("Requests/sec:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN),
        p50_ms: ms(field("50%")),
        p99_ms: ms(field("99%")),
        errors,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn rss_kib(pid: u32, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

struct ServerGuard(Child);

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Where the hand-kept part of `benches/RESULTS.md` begins.
const HAND_KEPT: &str = "<!-- Everything above is written by `scripts/bench`";

async fn run_size(n: usize, dir: &Path, report: &mut String) {
    println!("\n== {n} credentials");
    let db_path = dir.join(format!("search-{n}.db"));
    let url = format!("sqlite:{}", db_path.display());
    let db = Db::connect(&url, SqliteSync::Normal)
        .await
        .expect("database");
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM credentials")
        .fetch_one(&db.pool)
        .await
        .expect("count");
    let import_note = if have as usize == n {
        "reused from an earlier run".to_owned()
    } else {
        let started = Instant::now();
        let text = synthetic::catalogue(n, 1);
        let generated = started.elapsed();
        import(&db.pool, &text, TODAY).await.expect("import");
        format!(
            "generated in {:.1} s, imported in {:.1} s",
            generated.as_secs_f64(),
            (started.elapsed() - generated).as_secs_f64()
        )
    };
    println!("catalogue: {import_note}");
    // The seed's synonym groups, as `tohu import` loads them beside a catalogue.
    tohu::catalogue::server::import::import_synonyms(
        &db.pool,
        include_str!("../seed/synonyms.toml"),
    )
    .await
    .expect("synonyms import");

    let started = Instant::now();
    let source = load::load(&db.pool).await.expect("load");
    let load_time = started.elapsed();
    let snapshot = Snapshot::build(source).expect("index builds");
    let build_time = snapshot.build_time;
    println!(
        "index: read from the database in {:.0} ms, built in {:.0} ms",
        load_time.as_secs_f64() * 1000.0,
        build_time.as_secs_f64() * 1000.0
    );

    let queries = queries();
    // Warm the per-day cache and the allocator, then time 200 rounds of the mix.
    for q in &queries {
        snapshot.search(q, TODAY).expect("search");
    }
    let mut times = Vec::new();
    let mut per_query: Vec<Vec<Duration>> = vec![Vec::new(); queries.len()];
    for _ in 0..200 {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let r = snapshot.search(q, TODAY).expect("search");
            let took = t.elapsed();
            times.push(took);
            per_query[i].push(took);
            std::hint::black_box(r);
        }
    }
    times.sort();
    let mut slowest = String::new();
    for (q, t) in queries.iter().zip(per_query.iter_mut()) {
        t.sort();
        let line = format!(
            "{} p50 {:.2} ms, p99 {:.2} ms",
            q.to_url(),
            percentile(t, 0.5),
            percentile(t, 0.99)
        );
        println!("  {line}");
        let _ = writeln!(
            slowest,
            "| `{}` | {:.2} ms | {:.2} ms |",
            q.to_url(),
            percentile(t, 0.5),
            percentile(t, 0.99)
        );
    }
    let (inproc_p50, inproc_p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    println!(
        "search in process: p50 {inproc_p50:.2} ms, p99 {inproc_p99:.2} ms ({} calls)",
        times.len()
    );
    db.pool.close().await;
    drop(snapshot);
    if std::env::var("TOHU_BENCH_HTTP").as_deref() == Ok("0") {
        return;
    }

    // The release server on the same database.
    let binary =
        std::env::var("TOHU_BENCH_BINARY").unwrap_or_else(|_| "target/release/tohu".into());
    let server = Command::new(&binary)
        .arg("serve")
        .env("DATABASE_URL", &url)
        .env("TOHU_TODAY", TODAY.to_string())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{PORT}"))
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_ENV", "PROD")
        .env("RUST_LOG", "warn")
        // The public API's per-address limit, raised: wrk is one address.
        .env("TOHU_API_LIMIT", "1000000/1s")
        .env("TOHU_API_BURST", "1000000")
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {binary} (run `cargo leptos build --release`): {e}"));
    let pid = server.id();
    let _guard = ServerGuard(server);
    let client = Instant::now();
    loop {
        if std::net::TcpStream::connect(("127.0.0.1", PORT)).is_ok() {
            break;
        }
        assert!(
            client.elapsed() < Duration::from_secs(120),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let rss_idle = rss_kib(pid, "VmRSS:");

    let api: Vec<String> = queries.iter().map(api_url).collect();
    let pages: Vec<String> = queries.iter().map(|q| q.to_url()).collect();
    let asset = vec!["/pkg/tohu.css".to_owned()];
    let one = wrk(dir, "api-1", 1, &api);
    let api32 = wrk(dir, "api-32", 32, &api);
    let static32 = wrk(dir, "static-32", 32, &asset);
    let ssr1 = wrk(dir, "ssr-1", 1, &pages);
    let ssr32 = wrk(dir, "ssr-32", 32, &pages);
    // Clients paging through the public API: 100 at once, every page of the whole
    // catalogue at 100 a page, and of two filtered views.
    let listed: Vec<String> = (1..=(n / 100).max(1))
        .map(|p| format!("/api/v1/credentials?per_page=100&page={p}"))
        .chain((1..=20).map(|p| format!("/api/v1/credentials?sector=forestry&page={p}")))
        .chain((1..=20).map(|p| format!("/api/v1/credentials?q=safety&sort=credits&page={p}")))
        .collect();
    let v1 = wrk(dir, "v1-100", 100, &listed);
    let rss_peak = rss_kib(pid, "VmHWM:");
    let rss_after = rss_kib(pid, "VmRSS:");
    for (name, w) in [
        ("search API, 1 connection", &one),
        ("search API, 32 connections", &api32),
        ("static CSS, 32 connections", &static32),
        ("catalogue page SSR, 1 connection", &ssr1),
        ("catalogue page SSR, 32 connections", &ssr32),
        ("public API paging, 100 connections", &v1),
    ] {
        println!(
            "{name}: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms {}",
            w.rps, w.p50_ms, w.p99_ms, w.errors
        );
    }
    let ratio = api32.rps / static32.rps * 100.0;
    println!("search throughput is {ratio:.0} % of the static asset's");
    println!(
        "server RSS: {} MiB idle after start, {} MiB after load, {} MiB peak",
        rss_idle / 1024,
        rss_after / 1024,
        rss_peak / 1024
    );

    let _ = write!(
        report,
        "\n### {n} credentials\n\n\
         | measure | figure |\n|---|---|\n\
         | catalogue | {import_note} |\n\
         | index: read from SQLite | {:.0} ms |\n\
         | index: build (tantivy + facts) | {:.0} ms |\n\
         | search in process, one caller ({} calls) | p50 {inproc_p50:.2} ms, p99 {inproc_p99:.2} ms |\n\
         | search server function over HTTP, 1 connection | p50 {:.2} ms, p99 {:.2} ms ({:.0} req/s) |\n\
         | search server function, 32 connections | {:.0} req/s, p99 {:.2} ms |\n\
         | static CSS, 32 connections, same run | {:.0} req/s, p99 {:.2} ms |\n\
         | **search / static throughput** | **{ratio:.0} %** |\n\
         | catalogue page SSR, 1 connection | p50 {:.2} ms, p99 {:.2} ms |\n\
         | catalogue page SSR, 32 connections | {:.0} req/s, p99 {:.2} ms |\n\
         | public API `/api/v1/credentials`, 100 connections paging | {:.0} req/s, p99 {:.2} ms, {} |\n\
         | server RSS | {} MiB after start, {} MiB after load, {} MiB peak |\n\nIn process, per query of the mix:\n\n| query | p50 | p99 |\n|---|---|---|\n{slowest}",
        load_time.as_secs_f64() * 1000.0,
        build_time.as_secs_f64() * 1000.0,
        times.len(),
        one.p50_ms,
        one.p99_ms,
        one.rps,
        api32.rps,
        api32.p99_ms,
        static32.rps,
        static32.p99_ms,
        ssr1.p50_ms,
        ssr1.p99_ms,
        ssr32.rps,
        ssr32.p99_ms,
        v1.rps,
        v1.p99_ms,
        if v1.errors.is_empty() { "no errors" } else { v1.errors.as_str() },
        rss_idle / 1024,
        rss_after / 1024,
        rss_peak / 1024,
    );
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(0, |kib| kib / 1024 / 1024);
    format!("{cores} cores ({cpu}), {mem} GiB RAM; server, wrk and this bench on the same machine")
}

#[tokio::main]
async fn main() {
    let sizes: Vec<usize> = std::env::var("TOHU_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let dir = PathBuf::from("target/bench");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let mut report = String::new();
    for n in sizes {
        run_size(n, &dir, &mut report).await;
    }
    if std::env::var("TOHU_BENCH_HTTP").as_deref() == Ok("0") {
        return; // a quick in-process look; RESULTS.md keeps the last full run
    }
    let date = time::OffsetDateTime::now_utc().date();
    let text = format!(
        "# Search benchmark results\n\n\
         Command: `scripts/bench` (release build, then `cargo bench --features ssr --bench search`).\n\
         Date: {date}. Machine: {}.\n\
         Catalogue: `tohu::catalogue::server::synthetic::catalogue(n, 1)` on SQLite (the index is the same \
         on PostgreSQL: it is built in memory from either). Load: wrk for {WRK_SECONDS} per line, \
         keep-alive, rotating over {} queries (words, prefixes, typos, a standard number, \
         macrons, facets, sorts, a deep page).\n\
         Targets: at 10,000, search p99 ≤ 2 ms and search throughput ≥ 30 % of the static \
         asset's; at 100,000, search p99 ≤ 10 ms.\n{report}",
        machine(),
        queries().len()
    );
    // The part below the marker is kept by hand (other benchmarks' figures): kept as it is.
    let kept = std::fs::read_to_string("benches/RESULTS.md")
        .ok()
        .and_then(|old| old.find(HAND_KEPT).map(|at| old[at..].to_owned()))
        .unwrap_or_default();
    std::fs::write("benches/RESULTS.md", format!("{text}\n{kept}")).expect("write RESULTS.md");
    println!("\nwrote benches/RESULTS.md");
}
