//! `tohu import`: validation that names line and field, all-or-nothing writes, idempotency.

use crate::common::{backends, TestApp, SEED, TODAY};
use tohu::catalogue::server::import::import;

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&app.db.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn importing_twice_changes_nothing() {
    for backend in backends() {
        let app = TestApp::empty(backend).await;
        let first = import(&app.db.pool, SEED, TODAY)
            .await
            .expect("first import");
        assert!(first.created > 36, "{backend:?}: {first:?}");
        assert_eq!((first.updated, first.unchanged), (0, 0));
        let credentials = count(&app, "credentials").await;
        let intakes = count(&app, "intakes").await;
        let second = import(&app.db.pool, SEED, TODAY)
            .await
            .expect("second import");
        assert_eq!(
            (second.created, second.updated),
            (0, 0),
            "{backend:?}: {second:?}"
        );
        assert_eq!(second.unchanged, first.created);
        assert_eq!(count(&app, "credentials").await, credentials);
        assert_eq!(count(&app, "intakes").await, intakes);
        app.finish().await;
    }
}

#[tokio::test]
async fn an_edited_file_updates_in_place() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let before = count(&app, "credentials").await;
        let edited = SEED.replacen(
            "title = \"Chainsaw use\"",
            "title = \"Chainsaw use for production forestry\"",
            1,
        );
        let report = import(&app.db.pool, &edited, TODAY).await.expect("import");
        assert_eq!(
            (report.created, report.updated),
            (0, 1),
            "{backend:?}: {report:?}"
        );
        assert_eq!(count(&app, "credentials").await, before);
        let page = app.get("/credentials/chainsaw-use").await;
        assert!(page.text().contains("Chainsaw use for production forestry"));
        // Searching sees the new words once the index notices the new revision, as the
        // server's watcher does within seconds.
        assert!(app.search.refresh(&app.db).await.expect("rebuild"));
        assert!(app
            .get("/?q=production+forestry")
            .await
            .text()
            .contains("Chainsaw use for production forestry"));
        app.finish().await;
    }
}

#[tokio::test]
async fn a_bad_record_names_its_line_and_field_and_writes_nothing() {
    for backend in backends() {
        let app = TestApp::empty(backend).await;
        // The first credential with 12 credits (its `status` follows; a standard's does not).
        let at = SEED
            .find("\ncredits = 12\nstatus")
            .expect("a credential with 12 credits");
        let line_of_credits = SEED[..at].lines().count() + 1;
        let broken = SEED.replacen("\ncredits = 12\nstatus", "\ncredits = 45\nstatus", 1);
        let err = import(&app.db.pool, &broken, TODAY)
            .await
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            format!("line {line_of_credits}: credits: A micro-credential has 1 to 40 credits.")
        );
        assert_eq!(count(&app, "credentials").await, 0, "{backend:?}");
        assert_eq!(count(&app, "sectors").await, 0, "nothing half-written");

        let broken = SEED.replacen("region = \"Rotorua\"", "region = 42", 1);
        let err = import(&app.db.pool, &broken, TODAY)
            .await
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("line "), "{err}");
        assert!(err.contains("invalid type"), "{err}");

        let broken = SEED.replacen("sector = \"forestry\"", "sector = \"fishing\"", 1);
        let err = import(&app.db.pool, &broken, TODAY)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("sector: `fishing` is not one of the catalogue's sectors."),
            "{err}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn seed_intakes_stay_upcoming_a_year_later() {
    let later = TODAY + time::Duration::days(365);
    let app = TestApp::empty(tohu::server::db::Backend::Sqlite).await;
    import(&app.db.pool, SEED, later).await.expect("import");
    let upcoming: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM intakes WHERE enrolment_opens_on <= $1 AND enrolment_closes_on >= $1",
    )
    .bind(later.to_string())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(upcoming >= 30, "{upcoming} intakes open for enrolment");
    app.finish().await;
}

/// Imports running beside each other and beside registrations all finish: on SQLite each
/// takes the write lock at its start (`BEGIN IMMEDIATE`) instead of failing half-way with
/// SQLITE_BUSY, and a conflict is retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_imports_and_registrations_all_finish() {
    use crate::common::forms::{as_refs, learner, post_form};
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let mut imports = Vec::new();
        for _ in 0..4 {
            let pool = app.db.pool.clone();
            imports.push(tokio::spawn(
                async move { import(&pool, SEED, TODAY).await },
            ));
        }
        for n in 0..10 {
            let res = post_form(&app, &as_refs(&learner(&format!("c{n}@example.co.nz")))).await;
            assert!(
                matches!(res.status.as_u16(), 303 | 422),
                "{backend:?}: {}",
                res.status
            );
        }
        for i in imports {
            let report = i.await.unwrap().expect("every import finishes");
            assert_eq!(report.created, 0, "{backend:?}");
        }
        app.finish().await;
    }
}
