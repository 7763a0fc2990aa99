//! Password work is bounded (issue 27): the real binary, behind a trusted proxy, takes 200
//! sign-ins at once from 20 addresses, every one an unknown email (each still costs an
//! Argon2id check against the dummy hash). Its peak resident memory grows by less than
//! 150 MiB over idle; every answer is a refusal that says so (422 wrong, 429 limited, 503
//! busy, the last two with `Retry-After`); and the coordinator signs in right after.

use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use crate::common::forms::body;
use crate::common::http::{request, Full};
use crate::common::{backends, TestApp};
use crate::registration::server_process::{free_port, spawn_server, wait_until_serving};

const EMAIL: &str = "aroha.busy@example.co.nz";
const PASSWORD: &str = "kahikatea-forest-2026";
const SIGN_INS: usize = 200;
const ADDRESSES: usize = 20;
const MIB: u64 = 1024 * 1024;

/// The process's peak resident set so far (`VmHWM`), in bytes.
fn peak_resident(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .expect("VmHWM")
}

/// `tohu user add`, the password on standard input, as an operator would.
async fn add_coordinator(url: &str) {
    let mut add = Command::new(env!("CARGO_BIN_EXE_tohu"))
        .args(["user", "add", "--email", EMAIL, "--name", "Aroha Busy"])
        .args(["--role", "provider", "--org", "Tohu Training"])
        .env("DATABASE_URL", url)
        .env("TOHU_SECRET", crate::common::TEST_SECRET)
        .env("TOHU_ISSUER_KEY", crate::common::test_issuer_key())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tohu user add");
    let mut stdin = add.stdin.take().expect("stdin");
    stdin
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .await
        .unwrap();
    drop(stdin);
    let out = add.wait_with_output().await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn sign_in(addr: &str, from: &str, email: &str, password: &str) -> Full {
    let form = body(&[("email", email), ("password", password)]);
    request(
        addr,
        "POST",
        "/sign-in",
        &[("X-Forwarded-For", from)],
        &form,
    )
    .await
    .expect("an answer")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_sign_ins_at_once_stay_within_memory_and_are_answered() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        add_coordinator(&app.url).await;
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let public = format!("http://{addr}");
        let mut server = spawn_server(
            &app.url,
            port,
            &[
                ("TOHU_TRUSTED_PROXIES", "127.0.0.1"),
                ("TOHU_PUBLIC_URL", &public),
            ],
        );
        wait_until_serving(port).await;
        let pid = server.id().expect("pid");
        let idle = peak_resident(pid);

        let started = Instant::now();
        let tasks: Vec<_> = (0..SIGN_INS)
            .map(|n| {
                let addr = addr.clone();
                tokio::spawn(async move {
                    let from = format!("203.0.113.{}", n % ADDRESSES + 1);
                    let email = format!("nobody-{n}@example.co.nz");
                    let res = sign_in(&addr, &from, &email, "not-the-password-at-all").await;
                    (res.status, res.header("retry-after").is_some())
                })
            })
            .collect();
        let mut by_status = std::collections::BTreeMap::<u16, usize>::new();
        let mut without_retry_after = 0;
        for t in tasks {
            let (status, retry_after) = t.await.unwrap();
            *by_status.entry(status).or_default() += 1;
            if matches!(status, 429 | 503) && !retry_after {
                without_retry_after += 1;
            }
        }
        let took = started.elapsed();
        let peak = peak_resident(pid);
        println!(
            "{backend:?}: {SIGN_INS} sign-ins from {ADDRESSES} addresses in {:.1} s; \
             VmHWM idle {} MiB, peak {} MiB (+{} MiB); answers by status: {by_status:?}",
            took.as_secs_f64(),
            idle / MIB,
            peak / MIB,
            peak.saturating_sub(idle) / MIB
        );
        assert!(
            by_status.keys().all(|s| matches!(s, 422 | 429 | 503)),
            "{backend:?}: {by_status:?}"
        );
        assert_eq!(
            without_retry_after, 0,
            "{backend:?}: 429 or 503 without Retry-After"
        );
        assert!(
            peak.saturating_sub(idle) < 150 * MIB,
            "{backend:?}: VmHWM grew from {} MiB to {} MiB",
            idle / MIB,
            peak / MIB
        );

        // The coordinator, from an address of their own, signs in straight after (waiting
        // as long as they are asked to, if they are).
        let mut tries = 0;
        let signed = loop {
            let res = sign_in(&addr, "198.51.100.7", EMAIL, PASSWORD).await;
            let wait = res
                .header("retry-after")
                .and_then(|v| v.parse::<u64>().ok());
            match (res.status, wait) {
                (429 | 503, Some(secs)) if tries < 3 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_secs(secs.min(10))).await;
                }
                _ => break res,
            }
        };
        assert_eq!(signed.status, 303, "{backend:?}: {}", signed.body);
        assert_eq!(signed.header("location"), Some("/dashboard"));
        assert_eq!(
            server.try_wait().unwrap(),
            None,
            "{backend:?}: still running"
        );
        server.kill().await.ok();
        app.finish().await;
    }
}
