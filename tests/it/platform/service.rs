//! The service contract over the real router on both databases: health and readiness (and
//! readiness lost while draining), request ids on every answer, and the Prometheus
//! endpoint's figures moving with what users do.

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::common::forms::{register_as, SLUG};
use crate::common::{backends, TestApp};

#[tokio::test]
async fn health_and_readiness_answer_and_readiness_ends_with_draining() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let alive = app.get("/healthz").await;
        assert_eq!(alive.status, 200, "{backend:?}");
        let ready = app.get("/readyz").await;
        assert_eq!(ready.status, 200, "{backend:?}: {}", ready.body);
        let body: serde_json::Value = serde_json::from_str(&ready.body).expect("JSON");
        assert_eq!(body["ready"], true, "{backend:?}: {body}");
        assert_eq!(body["migrations"], true, "{backend:?}: {body}");
        assert!(body["search_revision"].as_i64().unwrap_or(0) > 0, "{body}");
        assert_eq!(ready.headers["cache-control"], "no-store");

        app.state.health.drain();
        let draining = app.get("/readyz").await;
        assert_eq!(draining.status, 503, "{backend:?}");
        assert!(
            draining.body.contains(r#""draining":true"#),
            "{}",
            draining.body
        );
        // Still alive, and still serving the requests that reach it.
        assert_eq!(app.get("/healthz").await.status, 200);
        assert_eq!(app.get("/").await.status, 200);
        app.finish().await;
    }
}

#[tokio::test]
async fn readiness_fails_when_a_migration_is_missing() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let latest: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
            .bind(latest)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let res = app.get("/readyz").await;
        assert_eq!(res.status, 503, "{backend:?}: {}", res.body);
        assert!(res.body.contains(r#""migrations":false"#), "{}", res.body);
        app.finish().await;
    }
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_a_bad_incoming_one_is_replaced() {
    let app = TestApp::seeded(tohu::server::db::Backend::Sqlite).await;
    let fresh = app.get("/").await;
    let id = fresh.headers["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 16, "{id}");
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    let other = app.get("/").await;
    assert_ne!(other.headers["x-request-id"], id.as_str());
    // Unknown pages too.
    let missing = app.get("/no-such-page").await;
    assert_eq!(missing.status, 404);
    assert!(missing.headers.contains_key("x-request-id"));

    let kept = app
        .send(
            Request::get("/")
                .header("x-request-id", "lb-7f3a-0001")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(kept.headers["x-request-id"], "lb-7f3a-0001");
    let injected = app
        .send(
            Request::get("/")
                .header("x-request-id", "a b\tforged=1 \"x\"")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let replaced = injected.headers["x-request-id"].to_str().unwrap();
    assert_eq!(replaced.len(), 16, "{replaced}");
    app.finish().await;
}

/// The figures after `action`, as Prometheus would scrape them.
async fn scrape(app: &TestApp) -> String {
    let handle = tohu::server::metrics::install().expect("the test binary's recorder");
    let res = tohu::server::metrics::router(app.state.clone(), handle)
        .oneshot(Request::get("/metrics").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The value of the first sample line starting with `prefix`.
fn sample(text: &str, prefix: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn metrics_count_requests_per_route_and_registrations_and_read_the_outbox() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let before = scrape(&app).await;
        let route = r#"tohu_http_requests_total{method="POST",route="/credentials/{slug}/register",status="303"}"#;
        let confirmed = r#"tohu_registrations_total{outcome="confirmed"}"#;
        register_as(&app, "metrics-one@example.co.nz", "Tahi").await;
        register_as(&app, "metrics-two@example.co.nz", "Rua").await;
        let detail = app.get(&format!("/credentials/{SLUG}")).await;
        assert_eq!(detail.status, 200);
        let after = scrape(&app).await;
        // Other tests in this binary count too: the figures grow by at least ours.
        assert!(
            sample(&after, route) >= sample(&before, route) + 2.0,
            "{backend:?}:\n{after}"
        );
        assert!(sample(&after, confirmed) >= sample(&before, confirmed) + 2.0);
        assert!(
            after.contains(r#"tohu_http_request_duration_seconds_bucket{method="GET",route="/credentials/{slug}""#),
            "{after}"
        );
        // No path a client sent becomes a label.
        assert!(!after.contains("metrics-one"), "{after}");
        assert!(!after.contains("/credentials/demonstrate"), "{after}");
        // Two confirmation emails wait (no SMTP here): the backlog shows them and their age.
        assert!(sample(&after, "tohu_outbox_unsent ") >= 2.0, "{after}");
        assert!(
            after.contains("tohu_outbox_oldest_unsent_seconds "),
            "{after}"
        );
        assert!(sample(&after, "tohu_search_revision ") > 0.0, "{after}");
        assert!(after.contains("tohu_db_pool_connections "), "{after}");
        app.finish().await;
    }
}

/// The real binary with JSON logs: every line is a JSON object, each request's line names
/// the id its answer carried, and nothing a learner sent (their name, email, reference,
/// search words) reaches the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_carry_the_request_id_and_nothing_a_learner_sent() {
    use crate::common::http::request;
    use crate::common::learner_form_body;
    use crate::registration::server_process::free_port;
    use tokio::io::AsyncReadExt;

    let app = TestApp::seeded(tohu::server::db::Backend::Sqlite).await;
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut server = tokio::process::Command::new(env!("CARGO_BIN_EXE_tohu"))
        .arg("serve")
        .env("DATABASE_URL", &app.url)
        .env("LEPTOS_SITE_ADDR", &addr)
        .env("TOHU_TODAY", "2026-11-28")
        .env("TOHU_SECRET", crate::common::TEST_SECRET)
        .env("TOHU_ISSUER_KEY", crate::common::test_issuer_key())
        .env("LEPTOS_OUTPUT_NAME", "tohu")
        .env("TOHU_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    crate::registration::server_process::wait_until_serving(port).await;
    let path = format!("/credentials/{SLUG}/register");
    let form = learner_form_body("whetu.secret@example.co.nz", "Tūhoe-Private");
    let registered = request(&addr, "POST", &path, &[], &form).await.unwrap();
    assert_eq!(registered.status, 303);
    let reference = registered.header("location").unwrap().to_owned();
    let searched = request(&addr, "GET", "/?q=pounamu-carving", &[], "")
        .await
        .unwrap();
    // A check on /verify: what the checker typed stays out of the log too.
    let check = "credential=%7B%22id%22%3A%22urn%3Auuid%3Ax%22%7D&name=Kowhai-Checker&email=checker.private%40example.nz";
    let checked = request(&addr, "POST", "/verify", &[], check).await.unwrap();
    assert_eq!(checked.status, 422);
    let ids = [
        registered.header("x-request-id").unwrap().to_owned(),
        searched.header("x-request-id").unwrap().to_owned(),
    ];
    let pid = server.id().unwrap().to_string();
    tokio::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .unwrap();
    server.wait().await.unwrap();
    let mut out = String::new();
    server
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .await
        .unwrap();
    let mut err = String::new();
    server
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .await
        .unwrap();
    let log = format!("{out}{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    assert!(lines.len() > 3, "{log}");
    for id in &ids {
        let line = lines
            .iter()
            .find(|l| l["spans"].to_string().contains(id.as_str()))
            .unwrap_or_else(|| panic!("no line for request {id}:\n{log}"));
        assert!(line["fields"]["status"].is_number(), "{line}");
    }
    let reference = reference
        .trim_start_matches("/registrations/")
        .split('?')
        .next()
        .unwrap();
    for private in [
        "whetu",
        "secret@",
        "Tūhoe",
        "Private",
        "pounamu",
        reference,
        "Kowhai",
        "checker.private",
    ] {
        assert!(!log.contains(private), "{private} in the log:\n{log}");
    }
    // Nor any line of the issuer's private key.
    let key = std::fs::read_to_string(crate::common::test_issuer_key()).unwrap();
    for line in key.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!log.contains(line), "the issuer key in the log");
    }
    app.finish().await;
}

/// While an instance is still starting (here: its migrations wait behind a lock this test
/// holds), it answers: alive, not ready, every page 503 with when to come back; then ready.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_answers_while_it_starts_and_is_ready_after() {
    use crate::common::http::request;
    use crate::registration::server_process::{free_port, spawn_server, wait_until_serving};
    use sqlx::Connection;

    let app = TestApp::seeded(tohu::server::db::Backend::Postgres).await;
    let mut holder = sqlx::PgConnection::connect(&app.url).await.unwrap();
    let mut tx = holder.begin().await.unwrap();
    sqlx::query("LOCK TABLE _sqlx_migrations IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await
        .unwrap();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let _server = spawn_server(&app.url, port, &[]);
    let started = std::time::Instant::now();
    let alive = loop {
        if let Ok(res) = request(&addr, "GET", "/healthz", &[], "").await {
            break res;
        }
        assert!(started.elapsed().as_secs() < 30, "never listened");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(alive.status, 200);
    for path in [
        "/readyz",
        "/",
        "/credentials/demonstrate-basic-chainsaw-operation",
    ] {
        let res = request(&addr, "GET", path, &[], "").await.unwrap();
        assert_eq!(res.status, 503, "{path} while starting");
        assert_eq!(res.header("retry-after"), Some("5"), "{path}");
    }
    tx.commit().await.unwrap();
    wait_until_serving(port).await;
    let ready = request(&addr, "GET", "/readyz", &[], "").await.unwrap();
    assert_eq!(ready.status, 200, "{}", ready.body);
    app.finish().await;
}
