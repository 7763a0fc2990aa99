//! Database connection for both backends: SQLite (a file, the default) and PostgreSQL,
//! chosen by the URL scheme. Queries go through sqlx's `Any` driver in one SQL dialect.

use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Connection, Executor};

use crate::server::config::SqliteSync;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend `pool` talks to (for the few queries that differ by backend).
    pub fn of(pool: &AnyPool) -> Self {
        match pool.connect_options().database_url.scheme() {
            "sqlite" => Backend::Sqlite,
            _ => Backend::Postgres,
        }
    }
}

/// The pool plus which backend it talks to (migrations differ, queries do not).
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite: or postgres:")]
    UnknownScheme,
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database file: {0}")]
    File(#[from] std::io::Error),
}

/// How connections are set up: SQLite's durability, PostgreSQL's statement and lock
/// timeouts (a runaway query or a stuck lock fails that request instead of holding a
/// connection for ever).
#[derive(Debug, Clone, Copy)]
pub struct DbSettings {
    pub sqlite_sync: SqliteSync,
    pub statement_timeout_ms: u64,
    pub lock_timeout_ms: u64,
}

impl From<SqliteSync> for DbSettings {
    fn from(sqlite_sync: SqliteSync) -> Self {
        Self {
            sqlite_sync,
            statement_timeout_ms: 30_000,
            lock_timeout_ms: 10_000,
        }
    }
}

impl From<&crate::server::config::Config> for DbSettings {
    fn from(c: &crate::server::config::Config) -> Self {
        Self {
            sqlite_sync: c.sqlite_sync,
            statement_timeout_ms: c.statement_timeout_ms,
            lock_timeout_ms: c.lock_timeout_ms,
        }
    }
}

/// Creates the SQLite file of `url` readable by its owner only (0600), before SQLite
/// creates it with the process's umask; its `-wal` and `-shm` files take the same mode.
fn create_private(url: &str) -> std::io::Result<()> {
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" || std::path::Path::new(path).exists() {
        return Ok(());
    }
    create_owner_only(std::path::Path::new(path)).or_else(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Ok(()),
        _ => Err(e),
    })
}

/// Creates the new, empty file `path`, readable and writable by its owner only (a
/// database, a backup); fails if it exists.
pub fn create_owner_only(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(|_| ())
}

/// Begins a transaction that will write: on SQLite `BEGIN IMMEDIATE`, which takes the
/// write lock at once (waiting up to the busy timeout) instead of failing with SQLITE_BUSY
/// when a read transaction later tries to write.
pub async fn begin_write(
    pool: &AnyPool,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match Backend::of(pool) {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => pool.begin().await,
    }
}

/// Whether `e` says "try the transaction again": SQLite busy or locked, PostgreSQL
/// serialization failure (40001) or deadlock (40P01).
pub fn retryable(e: &sqlx::Error) -> bool {
    let sqlx::Error::Database(d) = e else {
        return false;
    };
    matches!(
        d.code().as_deref(),
        Some("5" | "6" | "261" | "517" | "773" | "40001" | "40P01")
    )
}

/// Waits before try `n` + 1 of a transaction that conflicted: longer each time, with
/// jitter so that two retrying writers do not meet again.
pub async fn back_off(n: u32) {
    let jitter = rand::random::<u64>() % 50;
    tokio::time::sleep(Duration::from_millis(50 * (1 << n.min(6)) + jitter)).await;
}

impl Db {
    /// Connects and applies pending migrations. A SQLite file is created when missing,
    /// private to its owner.
    pub async fn connect(url: &str, settings: impl Into<DbSettings>) -> Result<Self, DbError> {
        let settings = settings.into();
        let sqlite_sync = settings.sqlite_sync;
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::UnknownScheme);
        };
        if backend == Backend::Sqlite {
            create_private(url)?;
        }
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10));
        let options = match backend {
            // Any's options come from the URL alone, so SQLite's per-connection pragmas are
            // set as each pooled connection opens: WAL lets readers run beside the writer,
            // busy_timeout queues writers instead of failing them, foreign_keys enforces
            // references.
            // synchronous=NORMAL in WAL mode: a commit is in the WAL file before it returns,
            // so an acknowledged write survives a crash of the process (tests/server_process.rs); a
            // power cut may lose the last commits. `--sqlite-sync full` fsyncs every
            // commit as well, at about two thirds of the throughput (docs/decisions/0006).
            Backend::Sqlite => {
                let pragmas = match sqlite_sync {
                    SqliteSync::Full => {
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;"
                    }
                    SqliteSync::Normal => {
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;"
                    }
                };
                options.after_connect(move |conn, _meta| {
                    Box::pin(async move {
                        conn.execute(pragmas).await?;
                        Ok(())
                    })
                })
            }
            Backend::Postgres => {
                // Migrations run first on a connection of their own, without these limits.
                let mut conn = sqlx::AnyConnection::connect(&url).await?;
                sqlx::migrate!("./migrations/postgres")
                    .run(&mut conn)
                    .await?;
                let _ = conn.close().await;
                let timeouts = format!(
                    "SET statement_timeout = {}; SET lock_timeout = {};",
                    settings.statement_timeout_ms, settings.lock_timeout_ms
                );
                options.after_connect(move |conn, _meta| {
                    let timeouts = timeouts.clone();
                    Box::pin(async move {
                        conn.execute(timeouts.as_str()).await?;
                        Ok(())
                    })
                })
            }
        };
        let pool = options.connect(&url).await?;
        let db = Self { pool, backend };
        db.migrate().await?;
        crate::server::organisations::key_unkeyed(&db.pool).await?;
        Ok(db)
    }

    /// Whether every migration this binary knows is applied (a newer binary's further
    /// migrations may be too: during a rolling upgrade the old version runs against them).
    pub async fn migrations_applied(&self) -> Result<bool, sqlx::Error> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        let known = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await?;
        Ok(applied.unwrap_or(0) >= known)
    }

    async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.pool)
                    .await?;
                // The planner's statistics, as SQLite advises for a connection that lives
                // long: every table checked, re-analysed (within a time limit) when it has
                // grown or shrunk a lot or has an index without statistics (one a migration
                // just made), so a query over a million rows keeps the index it needs.
                sqlx::query("PRAGMA optimize = 0x10012")
                    .execute(&self.pool)
                    .await?;
            }
            // Migrated before the pool opened (`connect`).
            Backend::Postgres => {}
        }
        Ok(())
    }
}
