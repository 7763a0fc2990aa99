//! Backups taken while the site takes registrations, restored into a fresh database: every
//! registration acknowledged before the backup began is in the copy, whole. SQLite through
//! `tohu backup PATH`; PostgreSQL through the `pg_dump`/`pg_restore` commands the README
//! documents.

use std::collections::HashSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::Command;

use crate::common::forms::set_capacity;
use crate::common::load::Load;
use crate::common::{backends, drop_database, pg_admin, test_config, TestApp};
use crate::registration::server_process::{free_port, start_with};
use tohu::server::db::{Backend, Db};

/// Runs `program args…`; panics with its output unless it succeeds. Returns standard output.
async fn run(program: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Backs up the database at `url` into `dir`, restores it into a fresh database and returns
/// the fresh database's URL (and, for PostgreSQL, its name to drop).
async fn backup_and_restore(url: &str, dir: &std::path::Path) -> (String, Option<String>) {
    if url.starts_with("sqlite:") {
        let copy = dir.join("backup.db");
        let said = run(
            env!("CARGO_BIN_EXE_tohu"),
            &["backup", copy.to_str().unwrap()],
            &[("DATABASE_URL", url)],
        )
        .await;
        assert!(said.contains("integrity checked"), "{said}");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the copy is its owner's only: {mode:o}");
        // Restoring a SQLite backup is putting the file where the database goes.
        let restored = dir.join("restored.db");
        std::fs::copy(&copy, &restored).unwrap();
        (format!("sqlite:{}", restored.display()), None)
    } else {
        let dump = dir.join("backup.dump");
        run(
            "pg_dump",
            &["--format=custom", "--file", dump.to_str().unwrap(), url],
            &[],
        )
        .await;
        let name = format!("tohu_restored_{}_{}", std::process::id(), free_port());
        let (base, _) = url.rsplit_once('/').unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut pg_admin().await)
            .await
            .unwrap();
        let restored = format!("{base}/{name}");
        run(
            "pg_restore",
            &["--no-owner", "--dbname", &restored, dump.to_str().unwrap()],
            &[],
        )
        .await;
        (restored, Some(name))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_restores_every_acknowledged_registration() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        set_capacity(&app, 100_000, 0).await;
        let port = free_port();
        let _server = start_with(&app.url, port, &[("TOHU_REGISTER_LIMIT", "100000/1s")]).await;
        let load = Load::start(&format!("127.0.0.1:{port}"), 8, "backup");
        while load.count() < 50 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let dir = tempfile::tempdir().unwrap();
        let began = Instant::now();
        let (restored_url, drop_name) = backup_and_restore(&app.url, dir.path()).await;
        let during = load.count();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let acknowledged = load.stop().await;
        assert!(
            acknowledged.len() > during,
            "{backend:?}: the load went on through the backup"
        );

        let restored = Db::connect(&restored_url, &test_config(&restored_url))
            .await
            .expect("the restored database opens and is migrated");
        let held: HashSet<String> = sqlx::query_scalar("SELECT reference FROM registrations")
            .fetch_all(&restored.pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
        let before: Vec<_> = acknowledged.iter().filter(|a| a.at < began).collect();
        assert!(before.len() >= 50);
        for a in &before {
            assert!(
                held.contains(&a.reference),
                "{backend:?}: {} was acknowledged before the backup and is not in it",
                a.reference
            );
        }
        // Whole rows: each registration in the copy has its event and its email.
        let count = |sql: &'static str| {
            let pool = restored.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        let rows = count("SELECT COUNT(*) FROM registrations").await;
        assert_eq!(rows, held.len() as i64);
        assert_eq!(
            count("SELECT COUNT(*) FROM registration_events").await,
            rows
        );
        assert_eq!(count("SELECT COUNT(*) FROM outbox").await, rows);
        eprintln!(
            "{backend:?}: {} acknowledged before the backup began, {rows} in the copy, {} in all",
            before.len(),
            acknowledged.len()
        );
        restored.pool.close().await;
        if let Some(name) = drop_name {
            drop_database(&name).await;
        }
        app.finish().await;
    }
}

#[tokio::test]
async fn backup_refuses_an_existing_file_and_a_postgres_database_with_a_clear_message() {
    let app = TestApp::seeded(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let taken = dir.path().join("taken.db");
    std::fs::write(&taken, b"keep me").unwrap();
    let e = tohu::server::backup::backup(&app.url, &taken)
        .await
        .unwrap_err();
    assert!(e.contains("exists"), "{e}");
    assert_eq!(std::fs::read(&taken).unwrap(), b"keep me");
    let e = tohu::server::backup::backup("postgres://postgres@127.0.0.1/x", &dir.path().join("n"))
        .await
        .unwrap_err();
    assert!(e.contains("pg_dump"), "{e}");
    app.finish().await;
}
