//! The server binary's commands: `serve` (default), `import [FILE]`, `migrate`,
//! `generate N`, each over the one typed configuration.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use leptos::config::{get_configuration, LeptosOptions};

use crate::auth::types::Role;
use crate::catalogue::server::import::import;
use crate::catalogue::server::search::SearchService;
use crate::server::clock::Clock;
use crate::server::config::{Cli, Command, Config, PrivacyCommand, RoleArg, UserCommand};
use crate::server::db::Db;
use crate::server::outbox::{run_worker, SmtpSettings};
use crate::server::routes::router;
use crate::server::state::AppState;

pub async fn run(cli: Cli) -> ExitCode {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Import { file } => import_file(&config, &file).await,
        Command::Generate { n } => {
            print!(
                "{}",
                crate::catalogue::server::synthetic::catalogue(n as usize, 1)
            );
            ExitCode::SUCCESS
        }
        Command::User {
            action:
                UserCommand::Add {
                    email,
                    name,
                    role,
                    org,
                    link,
                },
        } => match link {
            true => invite_user(&config, &email, &name, role, org.as_deref()).await,
            false => add_user(&config, &email, &name, role, org.as_deref()).await,
        },
        Command::Privacy { action } => privacy(&config, action).await,
        Command::Migrate => match connect(&config).await {
            Ok(_) => ExitCode::SUCCESS,
            Err(code) => code,
        },
    }
}

async fn connect(config: &Config) -> Result<Db, ExitCode> {
    Db::connect(&config.database_url, config)
        .await
        .map_err(|e| fail(&format!("database: {e}")))
}

async fn add_user(
    config: &Config,
    email: &str,
    name: &str,
    role: RoleArg,
    org: Option<&str>,
) -> ExitCode {
    let mut password = String::new();
    if std::io::stdin().read_line(&mut password).is_err() {
        return fail("could not read the password from standard input");
    }
    let password = password.trim_end_matches(['\r', '\n']);
    let role = role_of(role);
    let db = match connect(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    match crate::auth::server::users::add_user(&db.pool, email, name, role, org, password).await {
        Ok(id) => {
            println!("added user {id} ({})", role.label());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn role_of(role: RoleArg) -> Role {
    match role {
        RoleArg::Admin => Role::Admin,
        RoleArg::Provider => Role::Provider,
        RoleArg::Employer => Role::Employer,
    }
}

/// Adds an account without a password and prints its one-time link to choose one.
async fn invite_user(
    config: &Config,
    email: &str,
    name: &str,
    role: RoleArg,
    org: Option<&str>,
) -> ExitCode {
    use crate::auth::server::password::INVITE_SECS;
    use crate::server::links::{password_link, LinkSecret};
    let secret = match LinkSecret::from_config(config) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let db = match connect(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    let role = role_of(role);
    match crate::auth::server::users::invite_user(&db.pool, email, name, role, org).await {
        Ok(id) => {
            let expires = time::OffsetDateTime::now_utc().unix_timestamp() + INVITE_SECS;
            println!(
                "added user {id} ({}); their link to choose a password (once, 3 days):",
                role.label()
            );
            println!(
                "{}",
                password_link(&secret, &config.public_url(), id, 1, expires)
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// `tohu privacy export|erase EMAIL`: an access or erasure request.
async fn privacy(config: &Config, action: PrivacyCommand) -> ExitCode {
    use crate::registration::server::privacy;
    let db = match connect(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    match action {
        PrivacyCommand::Export { email } => match privacy::export(&db.pool, &email).await {
            Ok(held) => match serde_json::to_string_pretty(&held) {
                Ok(json) => {
                    println!("{json}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e.to_string()),
            },
            Err(e) => fail(&format!("database: {e}")),
        },
        PrivacyCommand::Erase { email } => {
            let today = Clock::from(config).today_iso();
            match privacy::erase(&db.pool, &email, &today).await {
                Ok(e) => {
                    println!(
                        "erased: {} registrations cancelled, {} anonymised, {} emails deleted",
                        e.cancelled, e.anonymised, e.emails_deleted
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&format!("database: {e}")),
            }
        }
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("tohu: {message}");
    ExitCode::FAILURE
}

async fn import_file(config: &Config, path: &Path) -> ExitCode {
    let file = path.display();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return fail(&format!("cannot read {file}: {e}")),
    };
    let db = match connect(config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    match import(&db.pool, &text, Clock::from(config).today()).await {
        Ok(r) => {
            println!(
                "imported {file}: {} created, {} updated, {} unchanged",
                r.created, r.updated, r.unchanged
            );
            for intake in &r.left_alone {
                println!(
                    "left alone (edited by a coordinator: seats, dates and state kept): {intake}"
                );
            }
            match synonyms_beside(&db, path).await {
                Ok(Some(n)) => println!("imported {n} synonym groups from beside {file}"),
                Ok(None) => {}
                Err(e) => return fail(&e),
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("{file}: {e}")),
    }
}

/// Imports `synonyms.toml` from beside the catalogue file `catalogue`, when there is one.
async fn synonyms_beside(db: &Db, catalogue: &Path) -> Result<Option<usize>, String> {
    let path = catalogue.with_file_name("synonyms.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(None);
    };
    crate::catalogue::server::import::import_synonyms(&db.pool, &text)
        .await
        .map(Some)
        .map_err(|e| format!("{}: {e}", path.display()))
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

async fn serve(config: Config) -> ExitCode {
    let clock = Clock::from(&config);
    let db = match connect(&config).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    let empty = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM credentials")
        .fetch_one(&db.pool)
        .await
        .map(|n| n == 0);
    if matches!(empty, Ok(true)) {
        let seed = config.seed.display();
        match std::fs::read_to_string(&config.seed) {
            Ok(text) => match import(&db.pool, &text, clock.today()).await {
                Ok(r) => tracing::info!(created = r.created, "imported seed catalogue {seed}"),
                Err(e) => return fail(&format!("{seed}: {e}")),
            },
            Err(e) => return fail(&format!("cannot read seed {seed}: {e}")),
        }
        if let Err(e) = synonyms_beside(&db, &config.seed).await {
            return fail(&e);
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
    let poll = Duration::from_secs(config.index_poll_secs);
    tokio::spawn(search.clone().watch(db.clone(), poll));
    let options = leptos_options(&config);
    let addr = options.site_addr;
    let links = match crate::server::links::LinkSecret::from_config(&config) {
        Ok(links) => links,
        Err(e) => return fail(&e),
    };
    match SmtpSettings::from_config(&config, links) {
        Some(smtp) => {
            tracing::info!(host = %smtp.host, port = smtp.port, "sending email from the outbox");
            tokio::spawn(run_worker(db.pool.clone(), smtp, Duration::from_secs(1)));
        }
        None => tracing::info!("TOHU_SMTP_HOST not set: emails wait in the outbox"),
    }
    let session_pool = db.pool.clone();
    let state = match AppState::new(options, db, search, config) {
        Ok(state) => state,
        Err(e) => return fail(&e),
    };
    let state_seats = state.seats.clone();
    let limits = state.limits.clone();
    let config_header_timeout = state.config.header_timeout_secs;
    let retention_months = state.config.retention_months;
    let app = router(state);
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => return fail(&format!("cannot listen on {addr}: {e}")),
    };
    tracing::info!("listening on http://{addr}");
    // Ctrl-C or SIGTERM: stop accepting, end the live seat streams, finish what is in
    // flight.
    let seats = state_seats;
    let shutdown = async move {
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
        tracing::info!("shutting down: finishing requests in flight");
        seats.drain();
    };
    // Hourly: sessions that expired are deleted (a load that finds one ignores it anyway),
    // idle addresses leave the rate limiters, and personal data past its retention goes.
    let store = crate::auth::server::sessions::DbSessionStore::new(session_pool.clone());
    tokio::spawn(async move {
        use crate::registration::server::privacy;
        loop {
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "expired sessions not deleted");
            }
            limits.forget_idle();
            match privacy::sweep(&session_pool, clock.today(), retention_months).await {
                Ok(s) => tracing::info!(
                    anonymised = s.anonymised,
                    emails_deleted = s.emails_deleted,
                    "retention pass"
                ),
                Err(e) => tracing::warn!(error = %e, "retention pass failed"),
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
    let header_timeout = Duration::from_secs(config_header_timeout);
    crate::server::serve::serve(listener, app, header_timeout, shutdown).await;
    ExitCode::SUCCESS
}
