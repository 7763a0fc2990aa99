//! The live snapshot and its replacement when the catalogue revision moves.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use time::Date;

use super::{load, IndexError, SearchError, Snapshot};
use crate::catalogue::query::CatalogueQuery;
use crate::catalogue::types::SearchResults;
use crate::server::db::Db;

/// The current snapshot, swapped whole when the catalogue changes.
pub struct SearchService {
    current: RwLock<Arc<Snapshot>>,
    /// Serialises rebuilds so two checks never build the same revision twice.
    building: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for SearchService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.snapshot();
        f.debug_struct("SearchService")
            .field("revision", &s.revision)
            .field("credentials", &s.len())
            .finish()
    }
}

async fn build_from(db: &Db) -> Result<Snapshot, SearchError> {
    let source = load::load(&db.pool).await?;
    Ok(tokio::task::spawn_blocking(move || Snapshot::build(source)).await??)
}

impl SearchService {
    /// Reads the catalogue and builds the first snapshot.
    pub async fn start(db: &Db) -> Result<Self, SearchError> {
        let snapshot = build_from(db).await?;
        Ok(Self {
            current: RwLock::new(Arc::new(snapshot)),
            building: tokio::sync::Mutex::new(()),
        })
    }

    /// The snapshot searches use now; holding it keeps it alive across a swap.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn search(&self, query: &CatalogueQuery, today: Date) -> Result<SearchResults, IndexError> {
        self.snapshot().search(query, today)
    }

    pub fn search_paged(
        &self,
        query: &CatalogueQuery,
        today: Date,
        per_page: usize,
    ) -> Result<SearchResults, IndexError> {
        self.snapshot().search_paged(query, today, per_page)
    }

    /// Rebuilds when the database's catalogue revision differs from the snapshot's. Returns
    /// whether it rebuilt. Searches go on against the old snapshot meanwhile.
    pub async fn refresh(&self, db: &Db) -> Result<bool, SearchError> {
        let _one_at_a_time = self.building.lock().await;
        let revision = load::revision(&db.pool).await?;
        if revision == self.snapshot().revision {
            return Ok(false);
        }
        let fresh = Arc::new(build_from(db).await?);
        tracing::info!(
            revision = fresh.revision,
            credentials = fresh.len(),
            build_ms = fresh.build_time.as_millis() as u64,
            "search index rebuilt"
        );
        crate::server::metrics::search_index(fresh.revision, fresh.build_time);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(true)
    }

    /// Checks the revision every `every` for as long as the server runs.
    pub async fn watch(self: Arc<Self>, db: Db, every: Duration) {
        loop {
            tokio::time::sleep(every).await;
            if let Err(e) = self.refresh(&db).await {
                tracing::warn!(error = %e, "search index refresh failed; keeping the current one");
            }
        }
    }
}
