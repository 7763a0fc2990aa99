//! `tohu backup PATH`: a consistent copy of a SQLite database while the site serves, with
//! SQLite's `VACUUM INTO` (one read transaction, so every commit before it is in the copy
//! and none after it is half in). The copy holds learners' personal details, so it is
//! created readable by its owner only, and checked before the command says it is done.
//! PostgreSQL is backed up with its own tools (`pg_dump`, README "Backups").

use std::path::Path;
use std::process::ExitCode;
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::server::cli::fail;
use crate::server::config::Config;

/// What a finished backup holds.
#[derive(Debug)]
pub struct Copied {
    pub bytes: u64,
    pub registrations: i64,
}

pub async fn run(config: &Config, path: &Path) -> ExitCode {
    match backup(&config.database_url, path).await {
        Ok(c) => {
            println!(
                "backed up to {}: {} bytes, {} registrations, integrity checked",
                path.display(),
                c.bytes,
                c.registrations
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// Copies the SQLite database at `database_url` into the new file `path`.
pub async fn backup(database_url: &str, path: &Path) -> Result<Copied, String> {
    let Some(source) = database_url.strip_prefix("sqlite:") else {
        return Err(
            "this database is PostgreSQL: back it up with pg_dump --format=custom \
                    (README, \"Backups\")"
                .to_owned(),
        );
    };
    let source = source
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    if !Path::new(source).is_file() {
        return Err(format!("no database at {source}"));
    }
    create_private(path)?;
    let copied = copy(source, path).await;
    if copied.is_err() {
        let _ = std::fs::remove_file(path);
    }
    copied
}

/// An empty file only its owner can read; `VACUUM INTO` fills an empty file.
fn create_private(path: &Path) -> Result<(), String> {
    crate::server::db::create_owner_only(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!("{} exists: give a new file", path.display()),
        _ => format!("cannot create {}: {e}", path.display()),
    })
}

async fn copy(source: &str, target: &Path) -> Result<Copied, String> {
    let target_text = target
        .to_str()
        .ok_or_else(|| format!("{} is not a UTF-8 path", target.display()))?;
    let open = |file: &str| {
        SqliteConnectOptions::from_str(&format!("sqlite:{file}"))
            .map(|o| {
                o.busy_timeout(std::time::Duration::from_secs(30))
                    .disable_statement_logging()
            })
            .map_err(|e| e.to_string())
    };
    let mut conn = open(source)?
        .connect()
        .await
        .map_err(|e| format!("cannot open {source}: {e}"))?;
    sqlx::query("VACUUM INTO $1")
        .bind(target_text)
        .execute(&mut conn)
        .await
        .map_err(|e| format!("backup failed: {e}"))?;
    let _ = conn.close().await;
    let mut copy = open(target_text)?
        .read_only(true)
        .connect()
        .await
        .map_err(|e| format!("cannot open the copy: {e}"))?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut copy)
        .await
        .map_err(|e| format!("cannot check the copy: {e}"))?;
    if check != "ok" {
        return Err(format!("the copy failed its integrity check: {check}"));
    }
    let registrations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations")
        .fetch_one(&mut copy)
        .await
        .map_err(|e| format!("cannot read the copy: {e}"))?;
    let _ = copy.close().await;
    let bytes = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
    Ok(Copied {
        bytes,
        registrations,
    })
}
