//! Personal data kept only as long as needed (issue 11), on both databases: the retention
//! pass anonymises cancelled and never-placed registrations once their intake ended long
//! enough ago and deletes old sent emails; consent carries the privacy statement's version;
//! an access request exports what is held and an erasure removes it everywhere, the seat
//! going to the waitlist; the SQLite file is private to its owner.

use crate::common::forms::{exec, register_as, scalar, set_capacity};
use crate::common::{backends, TestApp, TODAY};
use crate::registration::secrets::columns_holding;
use tohu::registration::server::privacy;
use tohu::server::db::Backend;

async fn register(app: &TestApp, email: &str, family: &str) {
    register_as(app, email, family).await;
}

async fn status_of(app: &TestApp, family: &str) -> Option<String> {
    sqlx::query_scalar("SELECT status FROM registrations WHERE family_name = $1")
        .bind(family.to_owned())
        .fetch_optional(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_retention_pass_removes_what_is_no_longer_needed() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        set_capacity(&app, 1, 5).await;
        register(&app, "kept@example.co.nz", "Seatholder").await;
        register(&app, "waited@example.co.nz", "Neverplaced").await;
        register(&app, "left@example.co.nz", "Cancelledlearner").await;
        exec(
            &app,
            "UPDATE registrations SET status = 'cancelled' WHERE family_name = 'Cancelledlearner'",
        )
        .await;
        assert_eq!(
            scalar(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM registrations WHERE privacy_version = '{}'",
                    privacy::STATEMENT_VERSION
                )
            )
            .await,
            3,
            "{backend:?}: consent carries the statement's version"
        );
        // The intake ended 11 months ago: too recent, nothing goes.
        exec(
            &app,
            "UPDATE intakes SET ends_on = '2025-12-28' WHERE code = 'A06'",
        )
        .await;
        let swept = privacy::sweep(&app.db.pool, TODAY, 12).await.unwrap();
        assert_eq!(swept.anonymised, 0, "{backend:?}");
        // Thirteen months ago: the cancelled and the never-placed lose their details; the
        // learner who held a seat keeps their record of learning.
        exec(
            &app,
            "UPDATE intakes SET ends_on = '2025-10-28' WHERE code = 'A06'",
        )
        .await;
        // An email sent 31 days ago is deleted; a recent one and an unsent one stay.
        exec(&app, "UPDATE outbox SET sent_at = '2020-01-01T00:00:00Z' WHERE recipient_key = 'kept@example.co.nz'").await;
        exec(
            &app,
            "UPDATE outbox SET sent_at = created_at WHERE recipient_key = 'waited@example.co.nz'",
        )
        .await;
        let swept = privacy::sweep(&app.db.pool, TODAY, 12).await.unwrap();
        assert_eq!(swept.anonymised, 2, "{backend:?}");
        assert_eq!(swept.emails_deleted, 1, "{backend:?}");
        assert_eq!(
            status_of(&app, "Seatholder").await.as_deref(),
            Some("confirmed")
        );
        for gone in [
            "Neverplaced",
            "Cancelledlearner",
            "waited@example",
            "left@example",
        ] {
            let found = columns_holding(&app, gone).await;
            // Emails to them may still sit in the outbox until 30 days after sending.
            let found: Vec<_> = found
                .into_iter()
                .filter(|c| !c.starts_with("outbox."))
                .collect();
            assert!(found.is_empty(), "{backend:?}: {gone} still in {found:?}");
        }
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM registrations WHERE anonymised_at IS NOT NULL AND date_of_birth = '' AND nsn IS NULL").await,
            2
        );
        // A second pass finds nothing more.
        assert_eq!(
            privacy::sweep(&app.db.pool, TODAY, 12)
                .await
                .unwrap()
                .anonymised,
            0
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn an_access_request_exports_and_an_erasure_removes_everywhere() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        set_capacity(&app, 1, 5).await;
        register(&app, "Tama@Example.co.nz", "Tamaerase").await;
        register(&app, "next@example.co.nz", "Nextinline").await;
        let held = privacy::export(&app.db.pool, "tama@example.co.nz")
            .await
            .unwrap();
        assert_eq!(held.registrations.len(), 1, "{backend:?}");
        assert_eq!(held.registrations[0].learner.family_name, "Tamaerase");
        assert_eq!(held.registrations[0].learner.date_of_birth, "1990-04-23");
        assert_eq!(
            held.registrations[0].privacy_version,
            privacy::STATEMENT_VERSION
        );
        assert_eq!(held.emails.len(), 1, "the confirmation email");
        let json = serde_json::to_string(&held).unwrap();
        assert!(!json.contains("token"), "no secrets in an export: {json}");

        let erased = privacy::erase(&app.db.pool, "TAMA@example.co.nz", &TODAY.to_string())
            .await
            .unwrap();
        assert_eq!((erased.cancelled, erased.anonymised), (1, 1), "{backend:?}");
        assert!(columns_holding(&app, "Tamaerase").await.is_empty());
        assert!(columns_holding(&app, "tama@example").await.is_empty());
        // Their seat went to the first on the waitlist, who is told.
        assert_eq!(
            status_of(&app, "Nextinline").await.as_deref(),
            Some("confirmed")
        );
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM outbox WHERE recipient_key = 'next@example.co.nz' AND dedupe_key LIKE 'promoted:%'").await,
            1
        );
        assert_eq!(
            scalar(&app, "SELECT seats_taken FROM intakes WHERE code = 'A06'").await,
            1
        );
        let held = privacy::export(&app.db.pool, "tama@example.co.nz")
            .await
            .unwrap();
        assert!(held.registrations.is_empty() && held.emails.is_empty());
        app.finish().await;
    }
}

#[tokio::test]
async fn the_sqlite_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::seeded(Backend::Sqlite).await;
    let path = app.url.trim_start_matches("sqlite:").to_owned();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{path}");
    app.finish().await;
}
