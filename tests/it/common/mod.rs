//! The integration tests' harness. `TestApp` is the real router, called in process, over a
//! real database: a SQLite file in a temporary directory, or a PostgreSQL database created
//! for the test and dropped by `finish`; `backends()` names both, and every test runs on
//! each. `seeded` imports `seed/catalogue.toml` and its synonyms and builds the search
//! index; `empty` and `empty_with` start from a migrated, empty database (with settings
//! changed). Beside it: `forms` (registration form bodies), `http` (a raw HTTP/1.1 client
//! for a real server process), `load` (a registration load on one) and `smtp` (an SMTP
//! server that keeps each message).

pub mod forms;
pub mod http;
pub mod load;
pub mod smtp;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use sqlx::Connection;
use time::macros::date;
use time::Date;
use tower::ServiceExt;

use tohu::catalogue::server::import::import;
use tohu::catalogue::server::search::SearchService;
use tohu::server::config::{Cli, Config};
use tohu::server::db::{Backend, Db};
use tohu::server::routes::router;
use tohu::server::state::AppState;

/// Every test runs on the same day, so relative seed dates resolve the same way each run.
pub const TODAY: Date = date!(2026 - 11 - 28);
pub const SEED: &str = include_str!("../../../seed/catalogue.toml");
pub const SYNONYMS: &str = include_str!("../../../seed/synonyms.toml");

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn pg_admin_url() -> String {
    std::env::var("TOHU_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A connection to PostgreSQL's own database, for creating and dropping test databases.
pub async fn pg_admin() -> sqlx::PgConnection {
    sqlx::PgConnection::connect(&pg_admin_url())
        .await
        .expect("PostgreSQL at 127.0.0.1:5432 (set TOHU_TEST_POSTGRES_URL)")
}

/// Drops the PostgreSQL database `name`, closing its connections.
pub async fn drop_database(name: &str) {
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut pg_admin().await)
        .await;
}

/// The server secret of every test app: tests derive the links it emails with it.
pub const TEST_SECRET: &str = "test-secret-that-signs-emailed-links-0123";

/// The issuer key of every test app (one fixed key, so two test apps sign alike): a PKCS#8
/// file written once per test process into its temporary directory.
pub fn test_issuer_key() -> &'static str {
    static FILE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        use ed25519_dalek::pkcs8::{spki::der::pem::LineEnding, EncodePrivateKey, KeypairBytes};
        let pem = KeypairBytes {
            secret_key: [42; 32],
            public_key: None,
        }
        .to_pkcs8_pem(LineEnding::LF)
        .expect("a PEM");
        let path =
            std::env::temp_dir().join(format!("tohu-test-issuer-{}.pem", std::process::id()));
        std::fs::write(&path, pem.as_bytes()).expect("write the test issuer key");
        path.to_string_lossy().into_owned()
    })
}

/// The server's configuration for a test: its database, `TODAY`, a fixed public address,
/// the test issuer key; anything else from the defaults (or the environment, e.g.
/// `TOHU_SQLITE_SYNC=full` for a benchmark).
pub fn test_config(url: &str) -> Config {
    let cli = Cli::parse_args([
        "tohu",
        "--database-url",
        url,
        "--today",
        &TODAY.to_string(),
        "--public-url",
        "http://127.0.0.1:3000",
        "--secret",
        TEST_SECRET,
        "--issuer-key",
        test_issuer_key(),
    ])
    .expect("test configuration");
    cli.config
}

pub fn backends() -> [Backend; 2] {
    [Backend::Sqlite, Backend::Postgres]
}

pub struct TestApp {
    /// The database URL, for a server process started by the test.
    pub url: String,
    pub db: Db,
    pub router: Router,
    pub search: Arc<SearchService>,
    /// The state the router serves (its live seats feed, for a drain).
    pub state: AppState,
    cleanup: Cleanup,
}

enum Cleanup {
    /// Held so that the directory lives as long as the app; removed on drop.
    #[allow(dead_code)]
    File(tempfile::TempDir),
    Database(String),
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestApp {
    /// A fresh database with migrations applied and the seed catalogue imported.
    pub async fn seeded(backend: Backend) -> Self {
        Self::with_catalogue(backend, SEED).await
    }

    /// A fresh database holding `catalogue` (seed file format), with its search index built.
    pub async fn with_catalogue(backend: Backend, catalogue: &str) -> Self {
        let app = Self::empty(backend).await;
        app.import(catalogue).await;
        app
    }

    /// Imports a catalogue and brings the search index up to date, as the server's watcher
    /// would within seconds.
    pub async fn import(&self, catalogue: &str) {
        import(&self.db.pool, catalogue, TODAY)
            .await
            .expect("catalogue imports");
        // As `tohu import` does with the synonyms file beside the catalogue.
        tohu::catalogue::server::import::import_synonyms(&self.db.pool, SYNONYMS)
            .await
            .expect("synonyms import");
        self.search.refresh(&self.db).await.expect("index rebuilds");
    }

    /// A fresh, migrated, empty database.
    pub async fn empty(backend: Backend) -> Self {
        Self::empty_with(backend, |_| {}).await
    }

    /// A fresh, migrated, empty database, with settings changed by `adjust`.
    pub async fn empty_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Self {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let (url, cleanup) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite:{}", dir.path().join("tohu.db").display());
                (url, Cleanup::File(dir))
            }
            Backend::Postgres => {
                let name = format!("tohu_test_{}_{}", std::process::id(), n);
                let admin = pg_admin_url();
                let mut conn = pg_admin().await;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("drop old test database");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                let base = admin
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_owned())
                    .unwrap_or(admin);
                (format!("{base}/{name}"), Cleanup::Database(name))
            }
        };
        let mut config = test_config(&url);
        adjust(&mut config);
        let db = Db::connect(&url, &config)
            .await
            .expect("connect and migrate");
        let options = LeptosOptions::builder().output_name("tohu").build();
        let search = Arc::new(SearchService::start(&db).await.expect("index builds"));
        let state = AppState::new(options, db.clone(), search.clone(), config).expect("state");
        let router = router(state.clone());
        Self {
            url,
            db,
            router,
            search,
            state,
            cleanup,
        }
    }

    pub async fn get(&self, uri: &str) -> Response {
        self.send(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn send(&self, req: Request<Body>) -> Response {
        let res = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// Drops the PostgreSQL test database (SQLite files go with their temp dir).
    pub async fn finish(self) {
        self.db.pool.close().await;
        if let Cleanup::Database(name) = &self.cleanup {
            drop_database(name).await;
        }
    }
}

/// A valid no-JavaScript registration form body for intake A06 (open on `TODAY`).
pub fn learner_form_body(email: &str, family_name: &str) -> String {
    [
        ("intake", "A06"),
        ("given_name", "Tama"),
        ("family_name", family_name),
        ("email", email),
        ("phone", "021 555 0100"),
        ("region", "Waikato"),
        ("date_of_birth", "1995-06-01"),
        ("consent", "on"),
    ]
    .iter()
    .map(|(k, v)| format!("{k}={}", tohu::catalogue::query::encode_component(v)))
    .collect::<Vec<_>>()
    .join("&")
}

impl Response {
    /// The number in the page's "N micro-credentials found" line (0 for "No …").
    pub fn result_count(&self) -> usize {
        let text = strip_markers(&self.body);
        if text.contains("No micro-credentials found") {
            return 0;
        }
        let end = text
            .find(" micro-credentials found")
            .or_else(|| text.find(" micro-credential found"))
            .unwrap_or_else(|| panic!("no result count in page:\n{}", self.body));
        let digits: String = text[..end]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        digits.parse().expect("a count")
    }

    /// The `name=value` of the cookie `name` this response sets (a sign-in sets two: the
    /// session and the device cookie).
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(axum::http::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
    }

    /// The page's text with Leptos's hydration comment markers removed.
    pub fn text(&self) -> String {
        strip_markers(&self.body)
    }
}

fn strip_markers(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        match rest[i..].find("-->") {
            Some(j) => rest = &rest[i + j + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("<!>", "")
}
