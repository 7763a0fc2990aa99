//! The server binary's commands: `serve` (default), `import FILE`, `migrate`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use leptos::config::{get_configuration, LeptosOptions};
use time::Date;

use crate::catalogue::server::import::import;
use crate::catalogue::server::search::SearchService;
use crate::server::clock::Clock;
use crate::server::db::Db;
use crate::server::outbox::{run_worker, SmtpSettings};
use crate::server::routes::router;
use crate::server::state::AppState;

const DEFAULT_DATABASE_URL: &str = "sqlite:tohu.db";
const DEFAULT_SEED: &str = "seed/catalogue.toml";

const USAGE: &str = "usage: tohu [serve | import [FILE] | migrate | generate N]

  serve          serve the site (imports the seed catalogue into an empty database)
  import [FILE]  load a catalogue file (default seed/catalogue.toml); safe to repeat
  migrate        apply database migrations and exit
  generate N     print a synthetic catalogue of N credentials (for scale tests)

environment: DATABASE_URL (default sqlite:tohu.db; or postgres://...),
             TOHU_SEED (seed file for serve), TOHU_TODAY (YYYY-MM-DD, fixes the date),
             TOHU_PUBLIC_URL (links in emails), TOHU_SMTP_HOST, TOHU_SMTP_PORT, TOHU_MAIL_FROM,
             TOHU_INDEX_POLL_SECS (how often to look for catalogue changes, default 5)";

pub async fn run(args: Vec<String>) -> ExitCode {
    let clock = match std::env::var("TOHU_TODAY") {
        Ok(v) => match parse_date(&v) {
            Some(d) => Clock::Fixed(d),
            None => return fail("TOHU_TODAY must be a date such as 2026-11-28"),
        },
        Err(_) => Clock::NewZealand,
    };
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.into());
    let args: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    match args.as_slice() {
        [] | ["serve"] => serve(&url, clock).await,
        ["import"] => import_file(&url, DEFAULT_SEED, clock).await,
        ["import", file] => import_file(&url, file, clock).await,
        ["generate", n] => match n.parse::<usize>() {
            Ok(n) if n > 0 && n <= 1_000_000 => {
                print!("{}", crate::catalogue::server::synthetic::catalogue(n, 1));
                ExitCode::SUCCESS
            }
            _ => fail("generate takes a count from 1 to 1000000"),
        },
        ["migrate"] => match Db::connect(&url).await {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) => fail(&format!("database: {e}")),
        },
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// How often the server checks whether the catalogue changed (`TOHU_INDEX_POLL_SECS`, 5).
fn index_poll_interval() -> Duration {
    let secs = std::env::var("TOHU_INDEX_POLL_SECS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|s| *s > 0)
        .unwrap_or(5);
    Duration::from_secs(secs)
}

fn parse_date(v: &str) -> Option<Date> {
    Date::parse(
        v,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

fn fail(message: &str) -> ExitCode {
    eprintln!("tohu: {message}");
    ExitCode::FAILURE
}

async fn import_file(url: &str, file: &str, clock: Clock) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return fail(&format!("cannot read {file}: {e}")),
    };
    let db = match Db::connect(url).await {
        Ok(db) => db,
        Err(e) => return fail(&format!("database: {e}")),
    };
    match import(&db.pool, &text, clock.today()).await {
        Ok(r) => {
            println!(
                "imported {file}: {} created, {} updated, {} unchanged",
                r.created, r.updated, r.unchanged
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("{file}: {e}")),
    }
}

fn leptos_options() -> LeptosOptions {
    let from_env = get_configuration(None).map(|c| c.leptos_options);
    match from_env {
        Ok(o) if !o.output_name.is_empty() => o,
        _ => get_configuration(Some("Cargo.toml"))
            .map(|c| c.leptos_options)
            .unwrap_or_else(|_| LeptosOptions::builder().output_name("tohu").build()),
    }
}

async fn serve(url: &str, clock: Clock) -> ExitCode {
    let db = match Db::connect(url).await {
        Ok(db) => db,
        Err(e) => return fail(&format!("database: {e}")),
    };
    let empty = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM credentials")
        .fetch_one(&db.pool)
        .await
        .map(|n| n == 0);
    if matches!(empty, Ok(true)) {
        let seed = std::env::var("TOHU_SEED").unwrap_or_else(|_| DEFAULT_SEED.into());
        match std::fs::read_to_string(&seed) {
            Ok(text) => match import(&db.pool, &text, clock.today()).await {
                Ok(r) => tracing::info!(created = r.created, "imported seed catalogue {seed}"),
                Err(e) => return fail(&format!("{seed}: {e}")),
            },
            Err(e) => return fail(&format!("cannot read seed {seed}: {e}")),
        }
    }
    let search = match SearchService::start(&db).await {
        Ok(s) => Arc::new(s),
        Err(e) => return fail(&format!("search index: {e}")),
    };
    let snapshot = search.snapshot();
    tracing::info!(
        credentials = snapshot.len(),
        build_ms = snapshot.build_time.as_millis() as u64,
        "search index built"
    );
    drop(snapshot);
    tokio::spawn(search.clone().watch(db.clone(), index_poll_interval()));
    let options = leptos_options();
    let addr = options.site_addr;
    let public_url = std::env::var("TOHU_PUBLIC_URL").unwrap_or_else(|_| format!("http://{addr}"));
    match SmtpSettings::from_env() {
        Some(smtp) => {
            tracing::info!(host = %smtp.host, port = smtp.port, "sending email from the outbox");
            tokio::spawn(run_worker(db.pool.clone(), smtp, Duration::from_secs(1)));
        }
        None => tracing::info!("TOHU_SMTP_HOST not set: emails wait in the outbox"),
    }
    let app = router(AppState {
        leptos_options: options,
        db,
        clock,
        public_url: public_url.trim_end_matches('/').to_owned(),
        search,
    });
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => return fail(&format!("cannot listen on {addr}: {e}")),
    };
    // Without TCP_NODELAY, small responses stall on the client's delayed ACK (~40 ms).
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tracing::info!("listening on http://{addr}");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("server: {e}")),
    }
}
