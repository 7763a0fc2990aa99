//! `tohu serve`: the service's life. The listener is bound first and answers at once
//! (`/healthz` alive, everything else 503 "starting") while the database migrates, an empty
//! one is seeded and the search index builds; then the application takes over. Two
//! instances starting together on one empty PostgreSQL database are safe: migrations take
//! sqlx's advisory lock, and the instance that loses the seeding race finds the catalogue
//! already there. On SIGTERM or Ctrl-C: `/readyz` turns 503, the live streams end, after
//! `--drain-secs` the listener closes and requests in flight finish (`server::serve`).

use std::process::ExitCode;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::extract::Request;
use axum::response::IntoResponse;
use axum::Router;
use leptos::config::{get_configuration, LeptosOptions};
use tower::ServiceExt;

use crate::catalogue::server::import::import;
use crate::catalogue::server::search::SearchService;
use crate::server::cli::{connect, fail, synonyms_beside};
use crate::server::clock::Clock;
use crate::server::config::Config;
use crate::server::db::Db;
use crate::server::health::{self, Health};
use crate::server::outbox::{run_worker, SmtpSettings};
use crate::server::routes::router;
use crate::server::state::AppState;

/// The application once it is built.
struct Started {
    router: Router,
    state: AppState,
}

pub async fn serve(config: Config) -> ExitCode {
    if let Some(problem) = config.serve_problem() {
        return fail(&problem);
    }
    let addr = config.site_addr;
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => return fail(&format!("cannot listen on {addr}: {e}")),
    };
    tracing::info!("listening on http://{addr}; starting");
    let started: Arc<OnceLock<Started>> = Arc::new(OnceLock::new());
    let health = Arc::new(Health::default());
    let shutdown = shutdown(health.clone(), started.clone(), config.drain_secs);
    let header_timeout = Duration::from_secs(config.header_timeout_secs);
    let serving = tokio::spawn(crate::server::serve::serve(
        listener,
        gate(started.clone()),
        header_timeout,
        shutdown,
    ));
    let state = match build(config, health).await {
        Ok(state) => state,
        Err(code) => return code,
    };
    if let Some(metrics_addr) = state.config.metrics_addr {
        if let Err(code) = serve_metrics(metrics_addr, state.clone()).await {
            return code;
        }
    }
    tokio::spawn(housekeeping(state.clone()));
    let router = router(state.clone());
    if started.set(Started { router, state }).is_err() {
        return fail("started twice");
    }
    tracing::info!("ready");
    match serving.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("server task: {e}")),
    }
}

/// Until the application is built every request gets [`health::starting`]'s answer; after,
/// the application's.
fn gate(started: Arc<OnceLock<Started>>) -> Router {
    Router::new().fallback(move |req: Request| {
        let started = started.clone();
        async move {
            match started.get() {
                Some(s) => match s.router.clone().oneshot(req).await {
                    Ok(res) => res.into_response(),
                    Err(never) => match never {},
                },
                None => health::starting(req.uri().path()),
            }
        }
    })
}

/// Resolves on SIGTERM or Ctrl-C, after marking the instance not ready, ending the live
/// seat streams and waiting `drain_secs` for the load balancer to notice.
async fn shutdown(health: Arc<Health>, started: Arc<OnceLock<Started>>, drain_secs: u64) {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
    tracing::info!(
        drain_secs,
        "shutting down: not ready, finishing requests in flight"
    );
    health.drain();
    if let Some(s) = started.get() {
        s.state.seats.drain();
    }
    tokio::time::sleep(Duration::from_secs(drain_secs)).await;
}

/// Database (migrated), seed when empty, search index, email worker: the application state.
async fn build(config: Config, health: Arc<Health>) -> Result<AppState, ExitCode> {
    if config.metrics_addr.is_some() && crate::server::metrics::install().is_none() {
        return Err(fail("metrics: another recorder is installed"));
    }
    let db = connect(&config).await?;
    seed_if_empty(&db, &config).await?;
    let search = SearchService::start(&db)
        .await
        .map(Arc::new)
        .map_err(|e| fail(&format!("search index: {e}")))?;
    let snapshot = search.snapshot();
    tracing::info!(
        credentials = snapshot.len(),
        build_ms = snapshot.build_time.as_millis() as u64,
        "search index built"
    );
    crate::server::metrics::search_index(snapshot.revision, snapshot.build_time);
    drop(snapshot);
    let poll = Duration::from_secs(config.index_poll_secs);
    tokio::spawn(search.clone().watch(db.clone(), poll));
    let links = crate::server::links::LinkSecret::from_config(&config).map_err(|e| fail(&e))?;
    match SmtpSettings::from_config(&config, links) {
        Some(smtp) => {
            tracing::info!(host = %smtp.host, port = smtp.port, "sending email from the outbox");
            let every = Duration::from_millis(config.outbox_poll_ms);
            tokio::spawn(run_worker(db.pool.clone(), smtp, every));
        }
        None => tracing::info!("TOHU_SMTP_HOST not set: emails wait in the outbox"),
    }
    let options = leptos_options(&config);
    let mut state = AppState::new(options, db, search, config).map_err(|e| fail(&e))?;
    state.health = health;
    Ok(state)
}

/// Imports the seed catalogue (and the synonyms beside it) into an empty database. When
/// another instance seeds the same database at the same moment, one import wins and the
/// other finds the catalogue there.
async fn seed_if_empty(db: &Db, config: &Config) -> Result<(), ExitCode> {
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM credentials")
            .fetch_one(&db.pool)
            .await
            .unwrap_or(0)
    };
    if count().await > 0 {
        return Ok(());
    }
    let seed = config.seed.display();
    let text = std::fs::read_to_string(&config.seed)
        .map_err(|e| fail(&format!("cannot read seed {seed}: {e}")))?;
    match import(&db.pool, &text, Clock::from(config).today()).await {
        Ok(r) => tracing::info!(created = r.created, "imported seed catalogue {seed}"),
        Err(_) if count().await > 0 => {
            tracing::info!("another instance imported the seed catalogue");
            return Ok(());
        }
        Err(e) => return Err(fail(&format!("{seed}: {e}"))),
    }
    synonyms_beside(db, &config.seed)
        .await
        .map(|_| ())
        .map_err(|e| fail(&e))
}

/// Prometheus's endpoint on its own address, for as long as the process runs.
async fn serve_metrics(addr: std::net::SocketAddr, state: AppState) -> Result<(), ExitCode> {
    let Some(handle) = crate::server::metrics::install() else {
        return Err(fail("metrics: no recorder"));
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| fail(&format!("cannot listen on {addr} for metrics: {e}")))?;
    tracing::info!("metrics on http://{addr}/metrics");
    let app = crate::server::metrics::router(state, handle);
    tokio::spawn(crate::server::serve::serve(
        listener,
        app,
        Duration::from_secs(10),
        std::future::pending(),
    ));
    Ok(())
}

/// Hourly: sessions that expired are deleted (a load that finds one ignores it anyway),
/// idle addresses leave the rate limiters, old sign-in attempts are forgotten, and personal data past its retention goes.
async fn housekeeping(state: AppState) {
    use crate::registration::server::privacy;
    let pool = state.db.pool.clone();
    let store = crate::auth::server::sessions::DbSessionStore::new(pool.clone());
    let clock = state.clock();
    loop {
        if let Err(e) = store.delete_expired().await {
            tracing::warn!(error = %e, "expired sessions not deleted");
        }
        state.limits.forget_idle();
        state.sign_in_throttle.forget_idle();
        if let Err(e) = crate::auth::server::throttle::forget_old(&pool).await {
            tracing::warn!(error = %e, "old sign-in attempts not deleted");
        }
        match privacy::sweep(&pool, clock.today(), state.config.retention_months).await {
            Ok(s) => tracing::info!(
                anonymised = s.anonymised,
                emails_deleted = s.emails_deleted,
                "retention pass"
            ),
            Err(e) => tracing::warn!(error = %e, "retention pass failed"),
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}

/// Leptos's own settings (site root, package names), from cargo-leptos's environment or
/// `Cargo.toml`; the listen address is ours.
fn leptos_options(config: &Config) -> LeptosOptions {
    let from_env = get_configuration(None).map(|c| c.leptos_options);
    let mut options = match from_env {
        Ok(o) if !o.output_name.is_empty() => o,
        _ => get_configuration(Some("Cargo.toml"))
            .map(|c| c.leptos_options)
            .unwrap_or_else(|_| LeptosOptions::builder().output_name("tohu").build()),
    };
    options.site_addr = config.site_addr;
    // cargo-leptos writes the asset hashes beside the binary it built with `hash-files`;
    // its setting reaches a binary started by cargo-leptos only, so the file decides (a
    // binary started any other way would otherwise name files that do not exist).
    let hashes = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())));
    options.hash_files = hashes.is_some_and(|file| file.exists());
    options
}
