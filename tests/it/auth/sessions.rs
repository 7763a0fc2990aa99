//! The database session store behind tower-sessions, on both databases.

use std::collections::HashMap;

use time::{Duration, OffsetDateTime};
use tohu::auth::server::sessions::DbSessionStore;
use tower_sessions::session::{Id, Record};
use tower_sessions::SessionStore;

use crate::common::forms::scalar;
use crate::common::{backends, TestApp};

fn record(id: Id, minutes: i64) -> Record {
    let mut data = HashMap::new();
    data.insert("who".to_owned(), serde_json::json!("Āwhina"));
    Record {
        id,
        data,
        expiry_date: OffsetDateTime::now_utc() + Duration::minutes(minutes),
    }
}

#[tokio::test]
async fn sessions_round_trip_expire_and_never_store_the_id() {
    for backend in backends() {
        let app = TestApp::empty(backend).await;
        let store = DbSessionStore::new(app.db.pool.clone());

        let mut r = record(Id::default(), 30);
        store.create(&mut r).await.expect("create");
        let loaded = store.load(&r.id).await.expect("load").expect("found");
        assert_eq!(loaded.data, r.data, "{backend:?}");
        assert_eq!(
            loaded.expiry_date.unix_timestamp(),
            r.expiry_date.unix_timestamp()
        );
        // The cookie's value is nowhere in the table: only its hash is.
        let stored: String = sqlx::query_scalar("SELECT id_hash || data FROM sessions")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert!(!stored.contains(&r.id.to_string()), "{backend:?}");

        // save() replaces the data and moves the expiry.
        let mut changed = r.clone();
        changed.data.insert("n".into(), serde_json::json!(2));
        changed.expiry_date += Duration::minutes(10);
        store.save(&changed).await.expect("save");
        let loaded = store.load(&r.id).await.unwrap().unwrap();
        assert_eq!(loaded.data.get("n"), Some(&serde_json::json!(2)));

        // An id already in use is not overwritten: create() draws another.
        let mut clash = record(r.id, 30);
        clash
            .data
            .insert("who".into(), serde_json::json!("intruder"));
        store.create(&mut clash).await.expect("create");
        assert_ne!(clash.id, r.id, "{backend:?}");
        let original = store.load(&r.id).await.unwrap().unwrap();
        assert_eq!(original.data.get("who"), Some(&serde_json::json!("Āwhina")));

        // Expired sessions do not load, and are swept.
        let mut old = record(Id::default(), -1);
        store.create(&mut old).await.unwrap();
        assert!(store.load(&old.id).await.unwrap().is_none(), "{backend:?}");
        assert_eq!(store.delete_expired().await.unwrap(), 1);

        store.delete(&r.id).await.unwrap();
        assert!(store.load(&r.id).await.unwrap().is_none());
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 1);
        app.finish().await;
    }
}

/// A request that loaded the session before a sign-out deleted it finishes afterwards and
/// saves: the session must stay deleted, or signing out could be undone by a favicon.
#[tokio::test]
async fn a_save_after_sign_out_does_not_bring_the_session_back() {
    for backend in backends() {
        let app = TestApp::empty(backend).await;
        let store = DbSessionStore::new(app.db.pool.clone());
        let mut record = record(Id::default(), 30);
        store.create(&mut record).await.unwrap();
        let in_flight = store.load(&record.id).await.unwrap().expect("loaded");
        store.delete(&record.id).await.unwrap();
        store.save(&in_flight).await.unwrap();
        assert!(
            store.load(&record.id).await.unwrap().is_none(),
            "{backend:?}"
        );
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM sessions").await, 0);
        app.finish().await;
    }
}
