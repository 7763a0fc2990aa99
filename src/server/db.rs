//! Database connection for both backends: SQLite (a file, the default) and PostgreSQL,
//! chosen by the URL scheme. Queries go through sqlx's `Any` driver in one SQL dialect.

use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

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
}

impl Db {
    /// Connects and applies pending migrations. A SQLite file is created when missing.
    pub async fn connect(url: &str, sqlite_sync: SqliteSync) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::UnknownScheme);
        };
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
            // commit as well, at about two thirds of the throughput (NOTES.md).
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
            Backend::Postgres => options,
        };
        let pool = options.connect(&url).await?;
        let db = Self { pool, backend };
        db.migrate().await?;
        Ok(db)
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
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }
}
