//! Stateless instances, proven: two copies of the real binary over one PostgreSQL database
//! behind nginx (Debian's package, round robin, with the proxy settings of
//! `deploy/nginx/tohu-proxy.conf` and the log format of `tohu-log.conf`), started and
//! stopped by this test. Both start at the same moment on an empty database (migrations and
//! the seed race safely). Through nginx: emailed links' tokens never reach its access log;
//! last-seat registrations land on both instances and never overbook; every confirmation is
//! emailed exactly once with both outbox workers running; a coordinator signed in on one is
//! signed in on the other; a catalogue import is found by search on both; the limits that
//! must hold across instances (per email, per account) do; and one instance can be stopped
//! and started again while requests keep being answered.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

use crate::common::forms::body;
use crate::common::http::{get_status, request, Full};
use crate::common::smtp::SmtpSink;
use crate::common::{drop_database, learner_form_body, pg_admin, test_config, SEED};
use crate::registration::server_process::{free_port, spawn_server};
use tohu::auth::server::users::add_user;
use tohu::auth::types::Role;
use tohu::server::db::Db;

const SLUG: &str = "demonstrate-basic-chainsaw-operation";
const PASSWORD: &str = "pōhutukawa-summer-42";

struct Instance {
    port: u16,
    metrics: u16,
    child: Child,
}

struct Cluster {
    url: String,
    name: String,
    env: Vec<(String, String)>,
    instances: Vec<Instance>,
    nginx: Child,
    front: String,
    _dir: tempfile::TempDir,
}

fn nginx_binary() -> PathBuf {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect("nginx (scripts/setup --test installs Debian's package)")
}

fn start_instance(env: &[(String, String)], url: &str) -> Instance {
    let (port, metrics) = (free_port(), free_port());
    let metrics_addr = format!("127.0.0.1:{metrics}");
    let mut all: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    all.push(("TOHU_METRICS_ADDR", &metrics_addr));
    let child = spawn_server(url, port, &all);
    Instance {
        port,
        metrics,
        child,
    }
}

async fn until_ready(port: u16) {
    until_ready_at(&format!("127.0.0.1:{port}")).await;
}

/// Waits (up to 30 s) until `addr` answers `/readyz` with 200.
async fn until_ready_at(addr: &str) {
    let started = Instant::now();
    while !matches!(get_status(addr, "/readyz").await, Ok(200)) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{addr} not ready"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

impl Cluster {
    async fn start(sink: &SmtpSink) -> Self {
        let name = format!("tohu_cluster_{}_{}", std::process::id(), free_port());
        let mut conn = pg_admin().await;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
        let front_port = free_port();
        let front = format!("127.0.0.1:{front_port}");
        let env: Vec<(String, String)> = [
            ("TOHU_SMTP_HOST", "127.0.0.1".to_owned()),
            ("TOHU_SMTP_PORT", sink.port.to_string()),
            ("TOHU_OUTBOX_POLL_MS", "100".to_owned()),
            ("TOHU_INDEX_POLL_SECS", "1".to_owned()),
            ("TOHU_TRUSTED_PROXIES", "127.0.0.1".to_owned()),
            ("TOHU_PUBLIC_URL", format!("http://{front}")),
            ("TOHU_REGISTER_LIMIT", "1000/1s".to_owned()),
            ("TOHU_ACTIVE_PER_EMAIL", "1".to_owned()),
            ("TOHU_DRAIN_SECS", "1".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        // Both at the same moment, on a database with no tables yet.
        let instances = vec![start_instance(&env, &url), start_instance(&env, &url)];
        for i in &instances {
            until_ready(i.port).await;
        }
        let dir = tempfile::tempdir().unwrap();
        let nginx = start_nginx(
            dir.path(),
            front_port,
            &[instances[0].port, instances[1].port],
        );
        until_ready_at(&front).await;
        Self {
            url,
            name,
            env,
            instances,
            nginx,
            front,
            _dir: dir,
        }
    }

    async fn db(&self) -> Db {
        Db::connect(&self.url, &test_config(&self.url))
            .await
            .unwrap()
    }

    async fn metrics(&self, i: usize) -> String {
        let addr = format!("127.0.0.1:{}", self.instances[i].metrics);
        request(&addr, "GET", "/metrics", &[], "")
            .await
            .unwrap()
            .body
    }

    async fn finish(mut self) {
        let _ = self.nginx.kill().await;
        for i in &mut self.instances {
            let _ = i.child.kill().await;
        }
        drop_database(&self.name).await;
    }
}

/// nginx on `listen` in front of `upstreams`, its files under `dir`, in the foreground,
/// logging every request to `dir/access.log` in the shipped format.
fn start_nginx(dir: &std::path::Path, listen: u16, upstreams: &[u16]) -> Child {
    let proxy = std::fs::canonicalize("deploy/nginx/tohu-proxy.conf").expect("proxy settings");
    let log = std::fs::canonicalize("deploy/nginx/tohu-log.conf").expect("log format");
    let servers: String = upstreams
        .iter()
        .map(|p| format!("    server 127.0.0.1:{p} max_fails=0;\n"))
        .collect();
    let d = dir.display();
    let conf = format!(
        "daemon off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
         events {{ worker_connections 1024; }}\n\
         http {{\n  include {log};\n  access_log {d}/access.log tohu;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
           fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
           upstream tohu {{\n{servers}    keepalive 16;\n  }}\n\
           server {{\n    listen 127.0.0.1:{listen};\n    location / {{\n      include {proxy};\n    }}\n  }}\n}}\n",
        proxy = proxy.display(),
        log = log.display()
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).unwrap();
    let mut cmd = Command::new(nginx_binary());
    cmd.arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    if is_root() {
        // As root nginx's workers would switch to `nobody`, who cannot use these files.
        cmd.arg("-g").arg("user root;");
    }
    cmd.spawn().expect("start nginx")
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// The sum of every sample of `metric` whose labels contain `label`.
fn total(text: &str, metric: &str, label: &str) -> f64 {
    text.lines()
        .filter(|l| l.starts_with(metric) && l.contains(label))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

fn register_body(email: &str) -> String {
    learner_form_body(email, "Cluster")
}

async fn post(addr: &str, path: &str, form: &str, extra: &[(&str, &str)]) -> Full {
    request(addr, "POST", path, extra, form)
        .await
        .expect("an answer")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_behind_nginx_share_everything_that_matters() {
    let sink = SmtpSink::start().await;
    let cluster = Cluster::start(&sink).await;
    let db = cluster.db().await;
    let scalar = |sql: &'static str| {
        let pool = db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    // Migrations ran once each, and the seed once, though both instances started together.
    assert_eq!(
        scalar("SELECT COUNT(*) - COUNT(DISTINCT version) FROM _sqlx_migrations").await,
        0
    );
    assert!(scalar("SELECT COUNT(*) FROM credentials").await > 40);
    // nginx's request id reaches the instance and comes back.
    let page = request(&cluster.front, "GET", "/", &[], "").await.unwrap();
    let id = page.header("x-request-id").unwrap_or_default();
    assert_eq!(id.len(), 32, "nginx's $request_id: {id:?}");
    emailed_links_stay_out_of_the_access_log(&cluster, &db).await;

    // A catalogue import is found by search on both instances within seconds.
    let credential = format!("slug = \"{SLUG}\"\ntitle = \"Demonstrate basic chainsaw operation");
    assert!(SEED.contains(&credential));
    let renamed = SEED.replacen(&credential, &format!("{credential} kōwhaiwhai"), 1);
    let file = cluster._dir.path().join("catalogue.toml");
    std::fs::write(&file, renamed).unwrap();
    let imported = Command::new(env!("CARGO_BIN_EXE_tohu"))
        .args(["import", file.to_str().unwrap()])
        .env("DATABASE_URL", &cluster.url)
        .env("TOHU_TODAY", "2026-11-28")
        .output()
        .await
        .unwrap();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let started = Instant::now();
    let a = format!("127.0.0.1:{}", cluster.instances[0].port);
    let b = format!("127.0.0.1:{}", cluster.instances[1].port);
    for addr in [&a, &b] {
        loop {
            let found = request(addr, "GET", "/?q=kowhaiwhai", &[], "")
                .await
                .unwrap();
            if found.body.contains("kōwhaiwhai") {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{addr} never found the import"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    eprintln!(
        "import found on both instances after {:?}",
        started.elapsed()
    );

    // Last seats: 40 learners at once for 20 seats, through nginx.
    sqlx::query(
        "UPDATE intakes SET capacity = seats_taken + 20, waitlist_capacity = 0 WHERE code = 'A06'",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let path = format!("/credentials/{SLUG}/register");
    let answers = futures::future::join_all((0..40).map(|n| {
        let (front, path) = (cluster.front.clone(), path.clone());
        async move {
            post(
                &front,
                &path,
                &register_body(&format!("seat{n}@example.co.nz")),
                &[],
            )
            .await
            .status
        }
    }))
    .await;
    let placed = answers.iter().filter(|s| **s == 303).count();
    assert_eq!(placed, 20, "{answers:?}");
    assert!(answers.iter().all(|s| *s < 500), "{answers:?}");
    assert_eq!(
        scalar("SELECT seats_taken - capacity FROM intakes WHERE code = 'A06'").await,
        0
    );
    assert_eq!(
        scalar("SELECT COUNT(*) FROM registrations r JOIN intakes i ON i.id = r.intake_id WHERE i.code = 'A06' AND r.status = 'confirmed'").await,
        scalar("SELECT capacity FROM intakes WHERE code = 'A06'").await
    );
    let route = r#"route="/credentials/{slug}/register""#;
    for i in 0..2 {
        let m = cluster.metrics(i).await;
        let handled = total(&m, "tohu_http_requests_total", route);
        assert!(handled >= 5.0, "instance {i} handled {handled} of 40:\n{m}");
    }

    // Every confirmation emailed exactly once, both workers polling every 100 ms.
    let started = Instant::now();
    while scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "outbox not drained"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let received = sink.received();
    assert_eq!(
        received.len() as i64,
        scalar("SELECT COUNT(*) FROM outbox").await
    );
    for (n, status) in answers.iter().enumerate() {
        let to = format!("seat{n}@example.co.nz");
        let got = received.iter().filter(|m| m.contains(&to)).count();
        let registered = *status == 303;
        assert_eq!(got, usize::from(registered), "{to}: {got} emails");
    }

    // A coordinator signs in on one instance and is signed in on the other.
    add_user(
        &db.pool,
        "mere@example.co.nz",
        "Mere Parata",
        Role::Provider,
        Some("Tohu Training"),
        PASSWORD,
    )
    .await
    .unwrap();
    let signed = post(
        &a,
        "/sign-in",
        &body(&[("email", "mere@example.co.nz"), ("password", PASSWORD)]),
        &[],
    )
    .await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    let cookie = signed
        .headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .find_map(|(_, v)| {
            v.starts_with("tohu_session=")
                .then(|| v.split(';').next().unwrap_or("").to_owned())
        })
        .expect("a session cookie");
    let dashboard = |addr: String| {
        let cookie = cookie.clone();
        async move {
            let headers = [("Cookie", cookie.as_str()), ("Accept", "text/html")];
            request(&addr, "GET", "/dashboard", &headers, "")
                .await
                .unwrap()
        }
    };
    let on_b = dashboard(b.clone()).await;
    assert_eq!(on_b.status, 200, "{}", on_b.body);
    assert!(on_b.body.contains("Mere Parata"));
    for _ in 0..4 {
        assert_eq!(dashboard(cluster.front.clone()).await.status, 200);
    }

    // Wrong passwords from one network are counted across both instances: five go
    // through, alternating, then either instance holds that network to one try per 20 s,
    // saying how long with Retry-After.
    for n in 0..5 {
        let on = if n % 2 == 0 { &a } else { &b };
        let res = post(
            on,
            "/sign-in",
            &body(&[
                ("email", "mere@example.co.nz"),
                ("password", &format!("guess-{n}")),
            ]),
            &[],
        )
        .await;
        assert_eq!(res.status, 422, "try {n}");
    }
    for on in [&a, &b] {
        let held = post(
            on,
            "/sign-in",
            &body(&[("email", "mere@example.co.nz"), ("password", "guess-5")]),
            &[],
        )
        .await;
        assert_eq!(held.status, 429, "{on}");
        assert!(held.headers.iter().any(|(k, _)| k == "retry-after"), "{on}");
    }

    // One email's active registrations are capped (1 here) whichever instance is asked.
    sqlx::query("UPDATE intakes SET capacity = capacity + 1 WHERE code = 'A06'")
        .execute(&db.pool)
        .await
        .unwrap();
    let one = post(&a, &path, &register_body("capped@example.co.nz"), &[]).await;
    assert_eq!(one.status, 303);
    let other_slug = other_open_credential(&db).await;
    let mut second = register_body("capped@example.co.nz");
    second = second.replace("intake=A06", &format!("intake={}", other_slug.1));
    let refused = post(
        &b,
        &format!("/credentials/{}/register", other_slug.0),
        &second,
        &[],
    )
    .await;
    assert_eq!(refused.status, 429, "{}", refused.body);

    rolling_restart(cluster).await;
}

/// A learner's registration link and a coordinator's password link, opened through nginx
/// (and the reset page's own check, and a page asked for with the link as its Referer):
/// nginx's access log, in the shipped format, has a line for each and neither token.
async fn emailed_links_stay_out_of_the_access_log(cluster: &Cluster, db: &Db) {
    let front = &cluster.front;
    let path = format!("/credentials/{SLUG}/register");
    let registered = post(front, &path, &register_body("logged@example.co.nz"), &[]).await;
    assert_eq!(registered.status, 303, "{}", registered.body);
    let link = registered.header("location").expect("the link").to_owned();
    let (page, token) = link.split_once("?token=").expect("a token");
    let reference = page.trim_start_matches("/registrations/").to_owned();
    let opened = request(front, "GET", &link, &[], "").await.unwrap();
    assert_eq!(opened.status, 200, "{link}");

    let id = add_user(
        &db.pool,
        "hemi@example.co.nz",
        "Hemi Walker",
        Role::Admin,
        None,
        PASSWORD,
    )
    .await
    .unwrap();
    let version: i64 = sqlx::query_scalar("SELECT link_version FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let secret = tohu::server::links::LinkSecret::new(crate::common::TEST_SECRET.as_bytes());
    let expires = time::OffsetDateTime::now_utc().unix_timestamp() + 600;
    let base = format!("http://{front}");
    let reset = tohu::server::links::password_link(&secret, &base, id, version, expires);
    let reset_path = reset.trim_start_matches(&base).to_owned();
    let reset_token = reset_path
        .rsplit_once("token=")
        .expect("a token")
        .1
        .to_owned();
    let check = reset_path.replacen("/reset-password?", "/api/auth/password-link?", 1);
    let from_link = format!("{base}{link}");
    for (path, referer) in [
        (reset_path.as_str(), None),
        (check.as_str(), None),
        ("/robots.txt", Some(reset.as_str())),
        ("/robots.txt", Some(from_link.as_str())),
    ] {
        let headers: Vec<(&str, &str)> = referer.map(|r| ("Referer", r)).into_iter().collect();
        let res = request(front, "GET", path, &headers, "").await.unwrap();
        assert!(res.status < 500, "{path}: {}", res.status);
    }

    let log = std::fs::read_to_string(cluster._dir.path().join("access.log")).unwrap();
    for logged in [
        "/registrations/-",
        "/reset-password ",
        "/api/auth/password-link ",
    ] {
        assert!(log.contains(logged), "no line for {logged}:\n{log}");
    }
    for private in [token, reset_token.as_str(), reference.as_str(), "token="] {
        assert!(
            !log.contains(private),
            "{private} in nginx's access log:\n{log}"
        );
    }
}

/// A credential other than the chainsaw one with an intake open on the test's day.
async fn other_open_credential(db: &Db) -> (String, String) {
    sqlx::query_as::<_, (String, String)>(
        "SELECT c.slug, i.code FROM intakes i JOIN credentials c ON c.id = i.credential_id \
         WHERE c.slug <> $1 AND c.status = 'current' AND i.enrolment_opens_on <= '2026-11-28' \
           AND i.enrolment_closes_on >= '2026-11-28' AND i.seats_taken < i.capacity \
         ORDER BY c.slug, i.code LIMIT 1",
    )
    .bind(SLUG)
    .fetch_one(&db.pool)
    .await
    .expect("another open intake")
}

/// Instance 0 is stopped (SIGTERM: not ready, drain, exit 0) and started again while a
/// client asks for pages through nginx: every request is answered.
async fn rolling_restart(mut cluster: Cluster) {
    let front = cluster.front.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let client = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut statuses = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                statuses.push(
                    get_status(&front, "/?q=chainsaw")
                        .await
                        .map_err(|e| e.to_string()),
                );
            }
            statuses
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let old = &mut cluster.instances[0];
    let pid = old.child.id().expect("pid") as i32;
    let addr = format!("127.0.0.1:{}", old.port);
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Draining: no longer ready, still answering what reaches it.
    assert_eq!(get_status(&addr, "/readyz").await.ok(), Some(503));
    let exit = tokio::time::timeout(Duration::from_secs(30), old.child.wait())
        .await
        .expect("exits after draining")
        .unwrap();
    assert!(exit.success(), "{exit:?}");
    // The new version takes the same port.
    let env: Vec<(&str, &str)> = cluster
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let port = old.port;
    old.child = spawn_server(&cluster.url, port, &env);
    until_ready(port).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let statuses = client.await.unwrap();
    let failed: Vec<_> = statuses.iter().filter(|s| !matches!(s, Ok(200))).collect();
    assert!(statuses.len() > 20, "{} requests", statuses.len());
    assert!(
        failed.is_empty(),
        "{} of {} not answered 200: {failed:?}",
        failed.len(),
        statuses.len()
    );
    cluster.finish().await;
}
