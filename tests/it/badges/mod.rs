//! Verifiable completion (issue 31) on both databases: completing a learner issues an Open
//! Badges 3.0 credential that verifies, against the 1EdTech schema and two outside
//! verifiers (`oracles`); the date is checked; a learner completed earlier can be given
//! theirs; employers see the completion and no credential; `/verify` answers each question
//! apart (`verify`).

mod issue;
mod learner;
mod oracles;
mod verify;
mod worksheet;

use serde_json::Value;
use tohu::badges::server::issue as issued;

use crate::common::TestApp;
use crate::dashboard::{call, json};

pub const ACT: &str = "/api/dashboard/registration/act";
pub const BULK: &str = "/api/dashboard/registrations/change";
/// The test apps' public address (`common::test_config`).
pub const BASE: &str = "http://127.0.0.1:3000";

/// The 1EdTech AchievementCredential JSON schema (VC 2.0 version), vendored.
pub fn schema() -> Value {
    serde_json::from_str(include_str!(
        "../../fixtures/ob3/ob_schemas/ob_v3p0_achievementcredential_schema.json"
    ))
    .unwrap()
}

/// The schema's complaints about `doc`, as text; empty when it is valid.
pub fn schema_errors(doc: &Value) -> Vec<String> {
    let schema = schema();
    let validator = jsonschema::draft201909::new(&schema).expect("the schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

/// Marks `reference` completed as `cookie`, met on `achieved_on` ("" for the default).
pub async fn complete(app: &TestApp, cookie: &str, reference: &str, achieved_on: &str) {
    let res = call(
        app,
        Some(cookie),
        ACT,
        &[
            ("reference", reference),
            ("action", "complete"),
            ("reason", "Assessed competent"),
            ("achieved_on", achieved_on),
        ],
    )
    .await;
    assert_eq!(json(&res), serde_json::json!("Completed"), "{}", res.body);
}

pub async fn registration_id(app: &TestApp, reference: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM registrations WHERE reference = $1")
        .bind(reference.to_owned())
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The signed credential of `reference`, as this app builds it.
pub async fn credential_of(app: &TestApp, reference: &str) -> Value {
    let id = registration_id(app, reference).await;
    let issued = issued::of_registration(&app.db.pool, id)
        .await
        .unwrap()
        .expect("a credential was issued");
    issued
        .signed(BASE, &app.state.issuer_keys)
        .await
        .expect("it signs")
}
