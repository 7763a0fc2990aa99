//! Seats that stay true while a page is open. A credential's detail and registration pages
//! open `GET /credentials/{slug}/seats` (server-sent events); each instance reads the seats
//! of the credentials someone is watching from the database every `seats_poll_ms` (one
//! query per instance and tick, shared by every stream), so a seat taken through any
//! instance shows on every page. Streams are capped per instance, carry no personal data,
//! and end when the server drains, so a graceful shutdown is not held open by them.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::Stream;
use sqlx::AnyPool;
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};

use crate::catalogue::types::IntakeSeats;
use crate::server::state::AppState;

/// Seats left per watched credential slug, in intake order.
type Snapshot = HashMap<String, Vec<IntakeSeats>>;

/// The most slugs one query names (bound parameters); more are read in several queries.
const SLUGS_PER_QUERY: usize = 200;

/// One instance's live seats: the watched slugs, the latest reading, the stream cap.
pub struct SeatsFeed {
    pool: AnyPool,
    interval: Duration,
    latest: watch::Sender<Arc<Snapshot>>,
    /// Slug → open streams. The poller runs while this is not empty.
    watched: Mutex<HashMap<String, usize>>,
    polling: AtomicBool,
    streams: Arc<Semaphore>,
    draining: watch::Sender<bool>,
}

impl std::fmt::Debug for SeatsFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SeatsFeed").finish_non_exhaustive()
    }
}

/// An open stream's hold on the feed: its slug stays watched and its permit taken until
/// it is dropped (the browser went away, or the server drains).
struct Watch {
    feed: Arc<SeatsFeed>,
    slug: String,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut watched = self.feed.watched.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = watched.get_mut(&self.slug) {
            *n -= 1;
            if *n == 0 {
                watched.remove(&self.slug);
            }
        }
    }
}

impl SeatsFeed {
    pub fn new(pool: AnyPool, interval: Duration, max_streams: usize) -> Arc<Self> {
        Arc::new(Self {
            pool,
            interval,
            latest: watch::Sender::new(Arc::new(Snapshot::new())),
            watched: Mutex::new(HashMap::new()),
            polling: AtomicBool::new(false),
            streams: Arc::new(Semaphore::new(max_streams)),
            draining: watch::Sender::new(false),
        })
    }

    /// Ends every stream and refuses new ones: the server is shutting down.
    pub fn drain(&self) {
        self.draining.send_replace(true);
    }

    /// Starts watching `slug`, or `None` when the instance has as many streams as it
    /// allows or is draining.
    fn watch(self: &Arc<Self>, slug: &str) -> Option<Watch> {
        if *self.draining.borrow() {
            return None;
        }
        let permit = self.streams.clone().try_acquire_owned().ok()?;
        let mut watched = self.watched.lock().unwrap_or_else(|e| e.into_inner());
        *watched.entry(slug.to_owned()).or_insert(0) += 1;
        // Checked under the same lock the poller stops under, so a new watch never finds
        // a poller that is about to stop.
        if !self.polling.swap(true, Ordering::SeqCst) {
            tokio::spawn(self.clone().poll());
        }
        Some(Watch {
            feed: self.clone(),
            slug: slug.to_owned(),
            _permit: permit,
        })
    }

    /// Reads the watched credentials' seats every interval until nobody watches.
    async fn poll(self: Arc<Self>) {
        let mut draining = self.draining.subscribe();
        loop {
            let slugs: Vec<String> = {
                let watched = self.watched.lock().unwrap_or_else(|e| e.into_inner());
                if watched.is_empty() || *draining.borrow() {
                    self.polling.store(false, Ordering::SeqCst);
                    return;
                }
                watched.keys().cloned().collect()
            };
            match read(&self.pool, &slugs).await {
                Ok(snapshot) => {
                    self.latest.send_if_modified(|old| {
                        let changed = **old != snapshot;
                        if changed {
                            *old = Arc::new(snapshot);
                        }
                        changed
                    });
                }
                Err(e) => tracing::warn!(error = %e, "live seats not read"),
            }
            tokio::select! {
                _ = tokio::time::sleep(self.interval) => {}
                _ = draining.changed() => {}
            }
        }
    }
}

/// Seats left in every intake of `slugs`' credentials.
async fn read(pool: &AnyPool, slugs: &[String]) -> Result<Snapshot, sqlx::Error> {
    let mut snapshot = Snapshot::new();
    for chunk in slugs.chunks(SLUGS_PER_QUERY) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT c.slug, i.code, i.capacity, i.seats_taken FROM intakes i \
             JOIN credentials c ON c.id = i.credential_id \
             WHERE c.slug IN ({}) ORDER BY c.slug, i.starts_on, i.code",
            marks.join(", ")
        );
        let mut query = sqlx::query_as::<_, (String, String, i64, i64)>(&sql);
        for slug in chunk {
            query = query.bind(slug);
        }
        for (slug, code, capacity, taken) in query.fetch_all(pool).await? {
            snapshot.entry(slug).or_default().push(IntakeSeats {
                code,
                seats_left: (capacity - taken).max(0),
            });
        }
    }
    Ok(snapshot)
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/credentials/{slug}/seats", get(seats))
}

/// The live seats of one credential's intakes as server-sent events: a `seats` event
/// with every intake's seats left whenever they change, and a comment every 15 s so
/// proxies keep the connection. 503 when this instance already streams its maximum.
async fn seats(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let valid = !slug.is_empty()
        && slug.len() <= 120
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    // Only a credential that exists is watched, so streams for made-up slugs cannot take
    // the instance's places.
    let exists = valid
        && sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM credentials WHERE slug = $1")
            .bind(&slug)
            .fetch_one(&state.db.pool)
            .await
            .is_ok_and(|n| n > 0);
    if !exists {
        return (StatusCode::NOT_FOUND, "No such micro-credential.").into_response();
    }
    let Some(watch) = state.seats.watch(&slug) else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "30")],
            "Live seat updates are busy; the page shows the seats when it loaded.",
        )
            .into_response();
    };
    let mut res = Sse::new(events(watch))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // nginx (and similar proxies) pass each event on at once instead of buffering.
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    res
}

/// The stream for one watcher: an event each time its credential's seats change, ending
/// when the server drains.
fn events(watch: Watch) -> impl Stream<Item = Result<Event, Infallible>> {
    let latest = watch.feed.latest.subscribe();
    let draining = watch.feed.draining.subscribe();
    let state = (watch, latest, draining, None::<Vec<IntakeSeats>>);
    futures::stream::unfold(
        state,
        |(watch, mut latest, mut draining, mut sent)| async move {
            loop {
                let current = latest.borrow_and_update().get(&watch.slug).cloned();
                if current.is_some() && current != sent {
                    let data = serde_json::to_string(&current).unwrap_or_default();
                    sent = current;
                    let event = Event::default().event("seats").data(data);
                    return Some((Ok(event), (watch, latest, draining, sent)));
                }
                if *draining.borrow() {
                    return None;
                }
                tokio::select! {
                    changed = latest.changed() => if changed.is_err() { return None },
                    _ = draining.changed() => {}
                }
            }
        },
    )
}
