//! The catalogue editor (issue 32) over the real router, on both databases: an administrator
//! adds a credential and a provider's coordinator an intake, which a learner finds at once
//! and registers for, and an export holds; the editor and the import refuse a record in the
//! same words; a stale save answers 409 with the values now; who may edit what; changing
//! an intake learners hold emails them.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tohu::catalogue::server::export::{encode, export};
use tohu::catalogue::server::import::import_as;
use tohu::catalogue::server::seed::{parse_toml, Format};
use tohu::dashboard::server::catalogue::fields::{credential_from, intake_from, Reader};

use crate::common::forms::{body, learner, scalar, SLUG};
use crate::common::{backends, TestApp, TODAY};
use crate::dashboard::{call, coordinators, get, json, register};

const SAVE: &str = "/api/dashboard/catalogue/save";
const RECORD: &str = "/api/dashboard/catalogue/record";

fn credential_values() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        ("slug", "drone-survey-for-forestry"),
        ("title", "Drone survey for forestry"),
        ("sector", "forestry"),
        ("status", "current"),
        ("level", "4"),
        ("credits", "15"),
        ("nzsced_code", "030101"),
        ("review_date", "2028-06-30"),
        ("delivery_modes.online", "on"),
        ("delivery_modes.workshop", "on"),
        ("developer", "Sample data for demonstration"),
        (
            "summary",
            "Plan and fly a drone survey of a forest block safely.",
        ),
        (
            "purpose",
            "Gives forestry crews the skills to survey a block from the air.",
        ),
        ("outcomes", "Graduates plan, fly and report a drone survey."),
        (
            "entry_requirements",
            "A current drone operator's certificate.",
        ),
        ("standards", "6917, 43"),
        ("funding.ttaf", "not-eligible"),
        (
            "funding_note.ttaf",
            "The scheme ended before this was listed.",
        ),
        (
            "data_note",
            "Sample data for demonstration: the whole record.",
        ),
    ])
}

fn intake_values() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        ("code", "D01"),
        ("starts", "2027-02-01"),
        ("ends", "2027-02-12"),
        ("enrolment_opens", "2026-11-01"),
        ("enrolment_closes", "2027-01-25"),
        ("region", "Rotorua"),
        ("delivery_mode", "blended"),
        ("fee", "450.50"),
        ("capacity", "10"),
        ("waitlist", "2"),
    ])
}

/// The form arguments of `save_record`.
fn save_args<'a>(
    kind: &'a str,
    key: &'a str,
    credential: &'a str,
    version: &'a str,
    values: &'a BTreeMap<String, String>,
) -> Vec<(String, String)> {
    let mut args = vec![
        ("kind".to_owned(), kind.to_owned()),
        ("key".to_owned(), key.to_owned()),
        ("credential".to_owned(), credential.to_owned()),
        ("version".to_owned(), version.to_owned()),
    ];
    args.extend(
        values
            .iter()
            .map(|(k, v)| (format!("values[{k}]"), v.clone())),
    );
    args
}

pub async fn save(
    app: &TestApp,
    cookie: &str,
    kind: &str,
    key: &str,
    credential: &str,
    version: i64,
    values: &BTreeMap<String, String>,
) -> crate::common::Response {
    let version = version.to_string();
    let args = save_args(kind, key, credential, &version, values);
    let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    call(app, Some(cookie), SAVE, &refs).await
}

fn owned(v: &BTreeMap<&str, &str>) -> BTreeMap<String, String> {
    v.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

pub async fn record(app: &TestApp, cookie: &str, kind: &str, key: &str) -> serde_json::Value {
    let res = get(
        app,
        Some(cookie),
        &format!("{RECORD}?kind={kind}&key={key}"),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    json(&res)
}

#[tokio::test]
async fn an_administrator_adds_a_credential_a_provider_an_intake_and_a_learner_registers() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let values = owned(&credential_values());
        let res = save(&app, &c.admin, "credential", "new", "", 0, &values).await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        assert!(res
            .body
            .contains("/dashboard/catalogue/credential/drone-survey-for-forestry"));
        // This instance's search shows it before the save answered.
        let found = app.get("/?q=drone+survey").await;
        assert!(
            found.text().contains("Drone survey for forestry"),
            "{backend:?}"
        );

        let res = save(
            &app,
            &c.own,
            "intake",
            "new",
            "drone-survey-for-forestry",
            0,
            &owned(&intake_values()),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        let page = app.get("/credentials/drone-survey-for-forestry").await;
        assert!(
            page.text().contains("Rotorua"),
            "{backend:?}: the intake is listed"
        );
        assert!(
            page.text().contains("030101"),
            "{backend:?}: the NZSCED code is shown"
        );

        // A learner registers for it without JavaScript.
        let mut form = learner("drone-learner@example.co.nz");
        form[0].1 = "D01".into();
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app
            .send(
                Request::post("/credentials/drone-survey-for-forestry/register")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(body(&fields)))
                    .unwrap(),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            res.body
        );

        // The export holds both, and the API the new listing fields.
        let file = encode(&export(&app.db.pool).await.unwrap(), Format::Toml).unwrap();
        let parsed = parse_toml(&file).unwrap().file;
        let added = parsed
            .credential
            .iter()
            .find(|c| c.slug == "drone-survey-for-forestry")
            .expect("the credential is exported");
        assert_eq!(added.standards, [6917, 43]);
        assert_eq!(added.nzsced_code.as_deref(), Some("030101"));
        assert_eq!(added.intake.len(), 1);
        assert_eq!(added.intake[0].fee, 450.5);
        assert_eq!(added.intake[0].provider, crate::dashboard::PROVIDER);
        let api = json(
            &app.get("/api/v1/credentials/drone-survey-for-forestry")
                .await,
        );
        assert_eq!(api["nzsced_code"], "030101");
        assert_eq!(api["review_date"], "2028-06-30");

        // Its history says who created it, field by field.
        let form = record(&app, &c.admin, "credential", "drone-survey-for-forestry").await;
        let history = form["history"].as_array().unwrap();
        assert_eq!(history.len(), 1, "{backend:?}");
        assert_eq!(history[0]["who"], "Mere Coordinator");
        assert_eq!(history[0]["action"], "created");
        assert!(history[0]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == "title" && f["after"] == "Drone survey for forestry"));
        app.finish().await;
    }
}

/// The import's message for a file holding the seed and one more credential, `c`.
async fn import_message(app: &TestApp, c: tohu::catalogue::server::seed::CredentialSeed) -> String {
    let mut file = export(&app.db.pool).await.unwrap();
    file.credential.push(c);
    let text = encode(&file, Format::Toml).unwrap();
    let empty = TestApp::empty(app.db.backend).await;
    let e = import_as(
        &empty.db.pool,
        &text,
        Format::Toml,
        TODAY,
        Default::default(),
    )
    .await
    .expect_err("the import refuses it");
    empty.finish().await;
    let e = tohu::catalogue::server::import::ImportError::to_string(&e);
    // "line N: field: message"
    e.splitn(3, ": ").nth(2).unwrap_or(&e).to_owned()
}

#[tokio::test]
async fn the_editor_and_the_import_refuse_a_record_in_the_same_words() {
    let backend = tohu::server::db::Backend::Sqlite;
    let app = TestApp::seeded(backend).await;
    let c = coordinators(&app).await;
    let cases = [
        ("credits", "45"),
        ("level", "0"),
        ("nzsced_code", "12"),
        ("summary", " "),
        ("status", "retired"),
        ("sector", "fishing"),
        ("standards", "6917, 99999"),
        ("review_date", "30/06/2028"),
        ("slug", "Drone Survey"),
    ];
    for (field, bad) in cases {
        let mut values = owned(&credential_values());
        values.insert(field.to_owned(), bad.to_owned());
        let res = save(&app, &c.admin, "credential", "new", "", 0, &values).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            res.body
        );
        let errors = json(&res)["Refused"]["errors"].clone();
        let editor = errors
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["field"] == field)
            .unwrap_or_else(|| panic!("{field}: no message at the field: {errors}"))["message"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut r = Reader::new(&values);
        let record = credential_from(&mut r);
        assert_eq!(import_message(&app, record).await, editor, "{field}");
    }
    // An intake's rules too.
    for (field, bad) in [
        ("ends", "2027-01-01"),
        ("enrolment_closes", "2027-03-01"),
        ("fee", "-5"),
        ("capacity", "20000"),
    ] {
        let mut values = owned(&intake_values());
        values.insert(field.to_owned(), bad.to_owned());
        let res = save(&app, &c.own, "intake", "new", SLUG, 0, &values).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            res.body
        );
        let body = json(&res);
        let editor = body["Refused"]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["field"] == field)
            .unwrap_or_else(|| panic!("{field}: {body}"))["message"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut r = Reader::new(&values);
        let intake = intake_from(&mut r);
        let mut host = credential_from(&mut Reader::new(&owned(&credential_values())));
        host.intake.push(intake);
        assert_eq!(import_message(&app, host).await, editor, "{field}");
    }
    app.finish().await;
}

#[tokio::test]
async fn a_stale_save_is_refused_with_the_values_it_would_overwrite() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let opened = record(&app, &c.admin, "credential", "chainsaw-use").await;
        let version = opened["version"].as_i64().unwrap();
        let mut values: BTreeMap<String, String> =
            serde_json::from_value(opened["values"].clone()).unwrap();
        values.insert("title".into(), "Chainsaw use (first save)".into());
        let first = save(
            &app,
            &c.admin,
            "credential",
            "chainsaw-use",
            "",
            version,
            &values,
        )
        .await;
        assert_eq!(first.status, StatusCode::OK, "{backend:?}: {}", first.body);
        values.insert("title".into(), "Chainsaw use (from a stale copy)".into());
        let stale = save(
            &app,
            &c.admin,
            "credential",
            "chainsaw-use",
            "",
            version,
            &values,
        )
        .await;
        assert_eq!(
            stale.status,
            StatusCode::CONFLICT,
            "{backend:?}: {}",
            stale.body
        );
        let body = json(&stale);
        let now = body["Stale"]["current"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == "title")
            .cloned()
            .unwrap_or_default();
        assert_eq!(now["message"], "Chainsaw use (first save)", "{backend:?}");
        let title: String =
            sqlx::query_scalar("SELECT title FROM credentials WHERE slug = 'chainsaw-use'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(
            title, "Chainsaw use (first save)",
            "{backend:?}: nothing overwritten"
        );
        // Saving again over the version it now knows goes through.
        let now = body["Stale"]["version"].as_i64().unwrap();
        let again = save(
            &app,
            &c.admin,
            "credential",
            "chainsaw-use",
            "",
            now,
            &values,
        )
        .await;
        assert_eq!(again.status, StatusCode::OK, "{backend:?}: {}", again.body);
        app.finish().await;
    }
}

pub async fn a06(app: &TestApp) -> i64 {
    scalar(
        app,
        &format!(
            "SELECT i.id FROM intakes i JOIN credentials c ON c.id = i.credential_id \
             WHERE i.code = 'A06' AND c.slug = '{SLUG}'"
        ),
    )
    .await
}

#[tokio::test]
async fn each_coordinator_edits_only_what_is_theirs() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let id = a06(&app).await.to_string();
        let values = owned(&credential_values());
        // A provider's coordinator keeps intakes, not the listing.
        let res = save(&app, &c.own, "credential", "new", "", 0, &values).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{backend:?}");
        let res = get(&app, Some(&c.employer), "/api/dashboard/catalogue").await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{backend:?}");
        let res = get(&app, None, "/api/dashboard/catalogue").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{backend:?}");
        // Another provider's intake is not found, to read or to save.
        let res = get(
            &app,
            Some(&c.other),
            &format!("{RECORD}?kind=intake&key={id}"),
        )
        .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{backend:?}");
        let res = save(
            &app,
            &c.other,
            "intake",
            &id,
            "",
            1,
            &owned(&intake_values()),
        )
        .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{backend:?}");
        let list = json(&get(&app, Some(&c.other), "/api/dashboard/catalogue").await);
        assert_eq!(
            list["intakes"].as_array().unwrap().len(),
            0,
            "{backend:?}: 0 rows"
        );
        let own = json(&get(&app, Some(&c.own), "/api/dashboard/catalogue").await);
        assert!(!own["intakes"].as_array().unwrap().is_empty());
        // The plain form route answers the same.
        let post = |cookie: Option<&str>| {
            let mut req = Request::post(format!("/dashboard/catalogue/intake/{id}"))
                .header("content-type", "application/x-www-form-urlencoded");
            if let Some(c) = cookie {
                req = req.header(header::COOKIE, c);
            }
            req.body(Body::from("version=1&values%5Bregion%5D=Taup%C5%8D"))
                .unwrap()
        };
        let res = app.send(post(None)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        // Signed in, the address is the record's page.
        assert_eq!(
            res.headers[header::LOCATION],
            format!("/sign-in?next=%2Fdashboard%2Fcatalogue%2Fintake%2F{id}")
        );
        assert_eq!(
            app.send(post(Some(&c.other))).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.send(post(Some(&c.employer))).await.status,
            StatusCode::FORBIDDEN
        );
        let region: String = sqlx::query_scalar("SELECT region FROM intakes WHERE id = $1")
            .bind(id.parse::<i64>().unwrap())
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_ne!(region, "Taupō", "{backend:?}: nothing changed");
        app.finish().await;
    }
}

#[tokio::test]
async fn without_javascript_a_refused_form_keeps_what_was_typed() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let id = a06(&app).await.to_string();
        let opened = record(&app, &c.own, "intake", &id).await;
        let mut values: BTreeMap<String, String> =
            serde_json::from_value(opened["values"].clone()).unwrap();
        values.insert("region".into(), "Taupō district, near the lake".into());
        values.insert("ends".into(), "2020-01-01".into());
        let version = opened["version"].as_i64().unwrap().to_string();
        let args = save_args("intake", &id, "", &version, &values);
        let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let req = |cookie: &str, payload: String| {
            Request::post(format!("/dashboard/catalogue/intake/{id}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie)
                .body(Body::from(payload))
                .unwrap()
        };
        let res = app.send(req(&c.own, body(&refs))).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        let html = res.text();
        assert!(
            html.contains("Taupō district, near the lake"),
            "{backend:?}: the value is kept"
        );
        assert!(html.contains("The intake must end on or after the day it starts."));
        // Corrected, it saves and goes to the record's page.
        values.insert(
            "ends".into(),
            opened["values"]["ends"].as_str().unwrap().into(),
        );
        let args = save_args("intake", &id, "", &version, &values);
        let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let res = app.send(req(&c.own, body(&refs))).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            res.body
        );
        assert_eq!(
            res.headers[header::LOCATION],
            format!("/dashboard/catalogue/intake/{id}?saved=1")
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn changing_an_intake_learners_hold_emails_them_and_keeps_the_seats_rule() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let id = a06(&app).await.to_string();
        register(&app, "holds-a-seat@example.co.nz").await;
        let opened = record(&app, &c.own, "intake", &id).await;
        let version = opened["version"].as_i64().unwrap();
        let mut values: BTreeMap<String, String> =
            serde_json::from_value(opened["values"].clone()).unwrap();
        // Below the seat taken: refused at the field, by the one capacity function.
        values.insert("capacity".into(), "0".into());
        let res = save(&app, &c.own, "intake", &id, "", version, &values).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend:?}: {}",
            res.body
        );
        assert!(res.body.contains("capacity"), "{}", res.body);
        values.insert("capacity".into(), "12".into());
        values.insert("fee".into(), "999.95".into());
        values.insert("region".into(), "Tokoroa".into());
        let res = save(&app, &c.own, "intake", &id, "", version, &values).await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        let told = scalar(
            &app,
            "SELECT COUNT(*) FROM outbox WHERE recipient = 'holds-a-seat@example.co.nz' \
             AND body LIKE '%Its fee is now $999.95%' AND body LIKE '%now held in Tokoroa%'",
        )
        .await;
        assert_eq!(told, 1, "{backend:?}: the learner is emailed once");
        // Marked as edited in the dashboard: an import of the seed leaves it alone.
        let report =
            tohu::catalogue::server::import::import(&app.db.pool, crate::common::SEED, TODAY)
                .await
                .unwrap();
        assert!(
            report.left_alone.contains(&format!("intake {SLUG} A06")),
            "{backend:?}: {report:?}"
        );
        let capacity = scalar(
            &app,
            &format!("SELECT capacity FROM intakes WHERE id = {id}"),
        )
        .await;
        assert_eq!(capacity, 12);
        app.finish().await;
    }
}
