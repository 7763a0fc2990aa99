//! Hostile traffic against the real binary (issue 11): 10,000 generated requests across
//! every page, route and server function — wrong methods and content types, bad UTF-8 in
//! paths, queries and bodies, huge and deeply nested bodies, oversized headers and query
//! strings, garbage cookies, foreign origins, replayed tokens, requests that are not HTTP
//! at all. Afterwards: no 5xx, no panic in the server's log, the process still serving, and
//! nothing stored. Requests go over raw TCP so that bytes no HTTP client would send reach
//! the server.

use std::process::Stdio;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::Command;

use crate::common::forms::{as_refs, learner, post_form, scalar, SLUG};
use crate::common::http::get_status;
use crate::common::{backends, TestApp};
use crate::registration::server_process::free_port;

const REQUESTS: usize = 10_000;
const CLIENTS: usize = 16;

/// Every route a browser or script can reach (`{ref}` and `{token}` are replaced by a real,
/// already cancelled registration's, to replay them).
const PATHS: &[&str] = &[
    "/",
    "/?q=chainsaw&sector=forestry&page=2",
    "/credentials/demonstrate-basic-chainsaw-operation",
    "/credentials/demonstrate-basic-chainsaw-operation/register",
    "/credentials/no-such-credential/register",
    "/registrations/{ref}?token={token}",
    "/sign-in",
    "/sign-out",
    "/forgot-password",
    "/reset-password?user=1&expires=9999999999&token=00",
    "/dashboard",
    "/dashboard/registrations?status=confirmed",
    "/dashboard/registrations/{ref}",
    "/dashboard/registrations.csv",
    "/dashboard/intakes",
    "/dashboard/intakes/1",
    "/dashboard/users",
    "/robots.txt",
    "/sitemap.xml",
    "/pkg/tohu.css",
    "/api/auth/me",
    "/api/auth/password-link",
    "/api/catalogue/credential?slug=chainsaw-use",
    "/api/catalogue/search?query[q]=x",
    "/api/dashboard/intake",
    "/api/dashboard/intake/change",
    "/api/dashboard/intake/close",
    "/api/dashboard/intakes",
    "/api/dashboard/overview",
    "/api/dashboard/registration",
    "/api/dashboard/registration/act",
    "/api/dashboard/registrations",
    "/api/dashboard/registrations/change",
    "/api/dashboard/users",
    "/api/dashboard/users/access",
    "/api/dashboard/users/add",
    "/api/registration/cancel",
    "/api/registration/get",
    "/api/registration/register",
    "/api/v1/credentials?q=x&sector=forestry",
    "/api/v1/credentials/chainsaw-use",
    "/api/v1/intakes?from=2027-01-01",
    "/api/v1/intakes.ics",
    "/api/v1/sectors",
    "/api/v1/unit-standards/6917",
    "/api/v1/funding-schemes",
    "/api/v1/openapi.json",
];

const METHODS: &[&str] = &[
    "GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT",
    "BREW",
];

const CONTENT_TYPES: &[&str] = &[
    "application/x-www-form-urlencoded",
    "application/json",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/cbor",
    "",
];

/// One request's bytes.
fn request(rng: &mut StdRng, port: u16, reference: &str, token: &str) -> Vec<u8> {
    if rng.random_ratio(1, 40) {
        // Not HTTP at all.
        let n = rng.random_range(1..2000);
        return (0..n).map(|_| rng.random()).collect();
    }
    let path = PATHS[rng.random_range(0..PATHS.len())]
        .replace("{ref}", reference)
        .replace("{token}", token);
    let method = METHODS[rng.random_range(0..METHODS.len())];
    let mut target = path.into_bytes();
    match rng.random_range(0..8) {
        0 => target.extend_from_slice(b"?q=%FF%FE%ZZ&page=-1&page=99999999999999999999"),
        1 => {
            target.extend_from_slice(b"?q=");
            target.extend(std::iter::repeat_n(b'a', rng.random_range(1_000..120_000)));
        }
        2 => target.extend_from_slice(&[b'/', 0xC3, 0x28, 0xFF]),
        3 => target.extend_from_slice(b"/../../etc/passwd"),
        _ => {}
    }
    let body = body(rng, reference, token);
    let mut head = Vec::new();
    head.extend_from_slice(method.as_bytes());
    head.push(b' ');
    head.extend_from_slice(&target);
    head.extend_from_slice(format!(" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n").as_bytes());
    let content_type = CONTENT_TYPES[rng.random_range(0..CONTENT_TYPES.len())];
    if !content_type.is_empty() {
        head.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
    }
    match rng.random_range(0..10) {
        0 => head.extend_from_slice(b"Origin: https://evil.example\r\n"),
        1 => {
            head.extend_from_slice(b"Cookie: tohu_session=\xff\xfe garbage; tohu_session=AAAA\r\n")
        }
        2 => {
            head.extend_from_slice(b"X-Big: ");
            head.extend(std::iter::repeat_n(b'b', rng.random_range(10_000..200_000)));
            head.extend_from_slice(b"\r\n");
        }
        3 => {
            for i in 0..rng.random_range(100..400) {
                head.extend_from_slice(format!("X-Many-{i}: {i}\r\n").as_bytes());
            }
        }
        4 => head.extend_from_slice(b"X-Forwarded-For: 1.2.3.4, nonsense\r\n"),
        5 => head.extend_from_slice(b"Accept-Encoding: br, gzip, \xff\r\n"),
        _ => {}
    }
    if rng.random_ratio(1, 20) {
        // A length that does not match the body.
        head.extend_from_slice(format!("Content-Length: {}\r\n", body.len() + 10).as_bytes());
    } else {
        head.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    head.extend_from_slice(b"Connection: close\r\n\r\n");
    head.extend_from_slice(&body);
    head
}

fn body(rng: &mut StdRng, reference: &str, token: &str) -> Vec<u8> {
    match rng.random_range(0..12) {
        0 => Vec::new(),
        1 => (0..rng.random_range(1..4000))
            .map(|_| rng.random())
            .collect(),
        2 => {
            // Deeply nested JSON.
            let depth = rng.random_range(1_000..100_000);
            let mut b = vec![b'['; depth];
            b.extend(std::iter::repeat_n(b']', depth));
            b
        }
        3 => {
            // Deeply nested form keys.
            let mut key = String::from("form");
            for _ in 0..rng.random_range(50..2000) {
                key.push_str("[a]");
            }
            format!("{key}=1&slug={SLUG}").into_bytes()
        }
        4 => vec![b'x'; rng.random_range(1_000_000..3_000_000)],
        5 => (0..rng.random_range(1_000..20_000))
            .map(|i| format!("f{i}=v"))
            .collect::<Vec<_>>()
            .join("&")
            .into_bytes(),
        // A replayed token, as cancel and read expect it.
        6 => format!("reference={reference}&token={token}").into_bytes(),
        7 => format!("reference={reference}&token={}", "f".repeat(32)).into_bytes(),
        // A registration form that is almost right: no consent, a script in the name.
        8 => format!(
            "slug={SLUG}&form[intake]=A06&form[given_name]=%3Cscript%3E&form[family_name]=%00&\
             form[email]=a%40b&form[phone]=1&form[region]=Nowhere&form[date_of_birth]=2999-01-01"
        )
        .into_bytes(),
        9 => b"{\"slug\": 1e999999, \"form\": {\"email\": [\"\\ud800\"]}}".to_vec(),
        10 => b"email=%FF%FE&password=%C3%28&reason=\xff\xfe".to_vec(),
        _ => b"intake=A06&given_name=A&email=not-an-email&consent=off".to_vec(),
    }
}

/// Sends one request and reads the status line; `None` when the server closed the
/// connection without one (it may, for bytes that are not HTTP).
async fn send(port: u16, bytes: Vec<u8>) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    // The server may answer (431, 413) before the whole request is written.
    let writer = stream.write_all(&bytes);
    let _ = tokio::time::timeout(Duration::from_secs(10), writer).await;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    let read = async {
        while !head.windows(2).any(|w| w == b"\r\n") {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(15), read).await;
    let line = String::from_utf8_lossy(&head);
    line.split(' ').nth(1).and_then(|s| s.parse().ok())
}

/// What must not change: every table a request could write to.
async fn stored(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "registrations",
        "registration_events",
        "outbox",
        "users",
        "organisations",
        "audit_log",
        "credentials",
        "intakes",
        "group_submissions",
    ] {
        counts.push(scalar(app, &format!("SELECT COUNT(*) FROM {table}")).await);
    }
    counts.push(
        scalar(
            app,
            "SELECT COUNT(*) FROM registrations WHERE status = 'cancelled'",
        )
        .await,
    );
    counts.push(scalar(app, "SELECT CAST(SUM(seats_taken) AS BIGINT) FROM intakes").await);
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_thousand_hostile_requests_get_no_5xx_and_change_nothing() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        // One real registration, cancelled: its reference and token are replayed below.
        let res = post_form(&app, &as_refs(&learner("replayed@example.co.nz"))).await;
        let link = res.headers["location"].to_str().unwrap().to_owned();
        let (path, token) = link.split_once("?token=").unwrap();
        let reference = path.trim_start_matches("/registrations/").to_owned();
        let token = token.to_owned();
        let site = tohu::registration::server::cancel::Site {
            today: "2026-11-28",
            base_url: "http://127.0.0.1:3000",
        };
        tohu::registration::server::cancel::cancel(
            &app.db.pool,
            &app.state.links,
            (&reference, &token),
            site,
        )
        .await
        .unwrap();
        let before = stored(&app).await;

        let port = free_port();
        let log = tempfile::NamedTempFile::new().unwrap();
        let mut server = Command::new(env!("CARGO_BIN_EXE_tohu"))
            .arg("serve")
            .env("DATABASE_URL", &app.url)
            .env("LEPTOS_OUTPUT_NAME", "tohu")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("TOHU_TODAY", "2026-11-28")
            .env("TOHU_SECRET", crate::common::TEST_SECRET)
            .env("TOHU_ISSUER_KEY", crate::common::test_issuer_key())
            .env("RUST_LOG", "warn")
            .env("RUST_BACKTRACE", "0")
            .stdout(Stdio::null())
            .stderr(log.reopen().unwrap())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let addr = format!("127.0.0.1:{port}");
        for _ in 0..200 {
            if matches!(get_status(&addr, "/robots.txt").await, Ok(200)) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let started = Instant::now();
        let mut tasks = Vec::new();
        for client in 0..CLIENTS {
            let (reference, token) = (reference.clone(), token.clone());
            tasks.push(tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(client as u64);
                let mut seen = Vec::new();
                for _ in 0..REQUESTS / CLIENTS {
                    let bytes = request(&mut rng, port, &reference, &token);
                    let first_line = String::from_utf8_lossy(&bytes[..bytes.len().min(80)])
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    seen.push((send(port, bytes).await, first_line));
                }
                seen
            }));
        }
        let mut by_status = std::collections::BTreeMap::<Option<u16>, usize>::new();
        let mut server_errors = Vec::new();
        for t in tasks {
            for (status, line) in t.await.unwrap() {
                *by_status.entry(status).or_default() += 1;
                if status.is_some_and(|s| s >= 500) {
                    server_errors.push(format!("{status:?} {line}"));
                }
            }
        }
        let sent: usize = by_status.values().sum();
        eprintln!(
            "{backend:?}: {sent} hostile requests in {:.1} s; answers by status: {by_status:?}",
            started.elapsed().as_secs_f64()
        );
        assert!(sent >= REQUESTS, "{sent}");
        server_errors.truncate(20);
        assert!(
            server_errors.is_empty(),
            "{backend:?}: 5xx answers: {server_errors:#?}"
        );
        // Still serving, and nothing changed.
        assert_eq!(get_status(&addr, "/").await.unwrap(), 200, "{backend:?}");
        assert_eq!(
            server.try_wait().unwrap(),
            None,
            "{backend:?}: the process is alive"
        );
        assert_eq!(stored(&app).await, before, "{backend:?}: nothing stored");
        server.kill().await.ok();
        let text = std::fs::read_to_string(log.path()).unwrap();
        let panics: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("panicked"))
            .take(5)
            .collect();
        assert!(
            panics.is_empty(),
            "{backend:?}: panics in the log: {panics:#?}"
        );
        app.finish().await;
    }
}
