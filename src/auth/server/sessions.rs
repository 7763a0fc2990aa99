//! Server-side sessions in the app's own database, so any instance serves any session. No
//! published store accepts sqlx's `Any` pool, hence this small one. The cookie's session id
//! is never stored: rows are keyed by its SHA-256, so a copy of the table signs nobody in.

use async_trait::async_trait;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};
use tower_sessions::SessionStore;

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    pool: AnyPool,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    data: String,
    expires_at: i64,
}

fn key(id: &Id) -> String {
    Sha256::digest(id.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn backend(e: sqlx::Error) -> Error {
    // The database's text goes to the log only; it may name the table, never a session.
    tracing::error!(error = %e, "session store");
    Error::Backend("session store unavailable".into())
}

impl DbSessionStore {
    pub fn new(pool: AnyPool) -> Self {
        Self { pool }
    }

    /// Deletes expired sessions; returns how many went.
    pub async fn delete_expired(&self) -> std::result::Result<u64, sqlx::Error> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    /// Inserts a new session; on the (2^-128) chance of an id already in use, draws another
    /// id instead of overwriting someone else's session.
    async fn create(&self, record: &mut Record) -> Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        // Bounded: a table that keeps refusing new ids is a fault, not bad luck.
        for _ in 0..8 {
            let inserted = sqlx::query(
                "INSERT INTO sessions (id_hash, data, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (id_hash) DO NOTHING",
            )
            .bind(key(&record.id))
            .bind(data.clone())
            .bind(record.expiry_date.unix_timestamp())
            .execute(&self.pool)
            .await
            .map_err(backend)?
            .rows_affected();
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
        Err(Error::Backend("no free session id".into()))
    }

    /// Updates a session that still exists, and only that: a request that loaded the session
    /// before a concurrent sign-out deleted it must not write it back (with the idle expiry
    /// moved on every request, every request saves). New sessions go through `create`.
    async fn save(&self, record: &Record) -> Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        sqlx::query("UPDATE sessions SET data = $1, expires_at = $2 WHERE id_hash = $3")
            .bind(data)
            .bind(record.expiry_date.unix_timestamp())
            .bind(key(&record.id))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let row = sqlx::query_as::<_, SessionRow>(
            "SELECT data, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(key(id))
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data).map_err(|e| Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(row.expires_at)
            .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(key(id))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
