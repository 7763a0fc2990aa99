//! `tohu export` (issue 32): what goes out comes back in. Import X into an empty database and
//! export E1; import E1 into another and export E2: E1 equals E2 byte for byte, the two
//! databases have equal normalised dumps of every catalogue table and column, SQLite's
//! export equals PostgreSQL's, and importing an export again changes nothing. Then what an
//! import does with records edited in the dashboard after the file's revision.

use std::collections::BTreeMap;
use std::time::Instant;

use sqlx::Row;
use tohu::catalogue::server::export::{encode, encode_synonyms, export};
use tohu::catalogue::server::import::{import_as, import_synonyms, ImportOptions};
use tohu::catalogue::server::seed::Format;
use tohu::catalogue::server::synthetic;
use tohu::server::db::Backend;

use crate::common::{backends, TestApp, SEED, SYNONYMS, TODAY};

/// Columns left out of the comparison: row ids (foreign ids are compared as the natural
/// keys they point at) and what learners and the dashboard wrote, not a file.
const NOT_COMPARED: [&str; 2] = ["seats_taken", "edited_at"];

/// Each catalogue table with the SELECT that reads it by natural keys.
const TABLES: [(&str, &str); 9] = [
    ("sectors", "SELECT t.* FROM sectors t"),
    ("funding_schemes", "SELECT t.* FROM funding_schemes t"),
    ("unit_standards", "SELECT t.* FROM unit_standards t"),
    (
        "credentials",
        "SELECT t.*, s.slug AS sector_id_key FROM credentials t JOIN sectors s ON s.id = t.sector_id",
    ),
    (
        "credential_standards",
        "SELECT t.*, c.slug AS credential_id_key, u.number AS unit_standard_id_key \
         FROM credential_standards t JOIN credentials c ON c.id = t.credential_id \
         JOIN unit_standards u ON u.id = t.unit_standard_id",
    ),
    (
        "credential_funding",
        "SELECT t.*, c.slug AS credential_id_key, f.code AS funding_scheme_id_key \
         FROM credential_funding t JOIN credentials c ON c.id = t.credential_id \
         JOIN funding_schemes f ON f.id = t.funding_scheme_id",
    ),
    (
        "intakes",
        "SELECT t.*, c.slug AS credential_id_key, o.name AS provider_org_id_key \
         FROM intakes t JOIN credentials c ON c.id = t.credential_id \
         LEFT JOIN organisations o ON o.id = t.provider_org_id",
    ),
    ("synonyms", "SELECT t.* FROM synonyms t"),
    (
        "organisations",
        "SELECT t.name, t.name_key, t.kind, t.sample FROM organisations t WHERE t.kind = 'provider'",
    ),
];

async fn columns(app: &TestApp, table: &str) -> Vec<String> {
    let sql = match app.db.backend {
        Backend::Sqlite => format!("SELECT name FROM pragma_table_info('{table}')"),
        Backend::Postgres => format!(
            "SELECT CAST(column_name AS TEXT) AS name FROM information_schema.columns \
             WHERE table_name = '{table}' AND table_schema = 'public'"
        ),
    };
    sqlx::query(&sql)
        .fetch_all(&app.db.pool)
        .await
        .expect("columns")
        .iter()
        .map(|r| r.try_get::<String, _>("name").expect("name"))
        .collect()
}

/// Every catalogue table as sorted lines of `column=value`, ids replaced by the natural key
/// they point at, and the columns compared (every column of the table but ids and
/// `NOT_COMPARED`: a column added later is compared without anyone remembering to).
async fn dump(app: &TestApp) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for (table, select) in TABLES {
        let cols: Vec<String> = match table {
            "organisations" => ["name", "name_key", "kind", "sample"]
                .map(str::to_owned)
                .to_vec(),
            _ => columns(app, table)
                .await
                .into_iter()
                .filter(|c| c != "id" && !NOT_COMPARED.contains(&c.as_str()))
                .collect(),
        };
        assert!(!cols.is_empty(), "{table} has columns");
        let rows = sqlx::query(select)
            .fetch_all(&app.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{table}: {e}"));
        let mut lines: Vec<String> = rows
            .iter()
            .map(|row| {
                cols.iter()
                    .map(|c| {
                        let key = format!("{c}_key");
                        let value = match c.ends_with("_id") {
                            true => text(row, &key),
                            false => text(row, c),
                        };
                        format!("{c}={value}")
                    })
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect();
        lines.sort();
        out.insert(table.to_owned(), lines);
    }
    out
}

/// A value of any column as text, the same on both backends.
fn text(row: &sqlx::any::AnyRow, col: &str) -> String {
    if let Ok(v) = row.try_get::<Option<String>, _>(col) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<i64>, _>(col) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<i32>, _>(col) {
        return format!("{:?}", v.map(i64::from));
    }
    panic!("column {col}: neither text nor a number")
}

/// A fresh database of `backend` loaded from a catalogue text and its synonyms, as `tohu
/// import FILE` does (the file, then `synonyms.toml` beside it).
async fn loaded(backend: Backend, catalogue: &str, format: Format, synonyms: &str) -> TestApp {
    let app = TestApp::empty(backend).await;
    import_as(
        &app.db.pool,
        catalogue,
        format,
        TODAY,
        ImportOptions::default(),
    )
    .await
    .expect("catalogue imports");
    import_synonyms(&app.db.pool, synonyms)
        .await
        .expect("synonyms import");
    app
}

/// What `tohu export FILE` writes: the file, and synonyms.toml beside it.
async fn exported(app: &TestApp, format: Format) -> (String, String) {
    let mut file = export(&app.db.pool).await.expect("export");
    let groups = std::mem::take(&mut file.synonym_group);
    (
        encode(&file, format).expect("encode"),
        encode_synonyms(&groups).expect("synonyms"),
    )
}

/// The identity on one backend: X → E1 → E2, equal exports and equal dumps; importing E1
/// again reports nothing changed. Returns E1.
async fn round_trip(backend: Backend, x: &str, format: Format, what: &str) -> String {
    let started = Instant::now();
    let first = loaded(backend, x, Format::Toml, SYNONYMS).await;
    let loaded_in = started.elapsed();
    let (e1, s1) = exported(&first, format).await;
    let second = loaded(backend, &e1, format, &s1).await;
    let (e2, s2) = exported(&second, format).await;
    println!(
        "{what} on {backend:?} ({format:?}): loaded in {:.1} s, {} bytes exported, round trip \
         in {:.1} s",
        loaded_in.as_secs_f64(),
        e1.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        e1 == e2,
        "{what} {backend:?}: the second export differs from the first"
    );
    assert_eq!(s1, s2, "{what} {backend:?}: synonyms");
    let (d1, d2) = (dump(&first).await, dump(&second).await);
    for (table, rows) in &d1 {
        assert!(
            !rows.is_empty() || table == "credential_funding",
            "{table} is empty"
        );
        assert!(
            rows == &d2[table],
            "{what} {backend:?}: {table} differs after the round trip: {:?}",
            rows.iter().zip(&d2[table]).find(|(a, b)| a != b)
        );
    }
    // Importing the export into the database it came from changes nothing.
    let revision = |app: &TestApp| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT revision FROM catalogue_revision")
                .fetch_one(&pool)
                .await
                .expect("revision")
        }
    };
    let before = revision(&first).await;
    let again = import_as(&first.db.pool, &e1, format, TODAY, ImportOptions::default())
        .await
        .expect("re-import");
    assert_eq!(
        (again.created, again.updated, again.left_alone.len()),
        (0, 0, 0),
        "{what} {backend:?}: {again:?}"
    );
    import_synonyms(&first.db.pool, &s1)
        .await
        .expect("synonyms");
    assert_eq!(
        revision(&first).await,
        before,
        "nothing changed, so no new revision"
    );
    first.finish().await;
    second.finish().await;
    e1
}

#[tokio::test]
async fn the_seed_goes_out_and_comes_back_the_same_on_both_databases() {
    let mut exports = Vec::new();
    for backend in backends() {
        let toml = round_trip(backend, SEED, Format::Toml, "seed").await;
        let json = round_trip(backend, SEED, Format::Json, "seed").await;
        assert!(
            toml.contains("revision = "),
            "the file records its revision"
        );
        assert!(
            json.contains("\"revision\": "),
            "the file records its revision"
        );
        exports.push((toml, json));
    }
    assert!(
        exports[0] == exports[1],
        "SQLite's export differs from PostgreSQL's"
    );
    // Dates are absolute (the seed's "+21d" is resolved), fees to the cent.
    let toml = &exports[0].0;
    assert!(!toml.contains("\"+"), "no relative dates");
    assert!(
        toml.contains("starts = \"2026-12-19\""),
        "+21d from {TODAY}"
    );
}

#[tokio::test]
async fn ten_thousand_generated_credentials_round_trip_on_sqlite() {
    let x = synthetic::catalogue(10_000, 7);
    round_trip(Backend::Sqlite, &x, Format::Toml, "generate 10000").await;
}

#[tokio::test]
async fn a_thousand_generated_credentials_export_the_same_on_both_databases() {
    let x = synthetic::catalogue(1_000, 7);
    let sqlite = round_trip(Backend::Sqlite, &x, Format::Toml, "generate 1000").await;
    let postgres = round_trip(Backend::Postgres, &x, Format::Toml, "generate 1000").await;
    assert!(
        sqlite == postgres,
        "SQLite's export differs from PostgreSQL's"
    );
}

#[tokio::test]
async fn one_document_on_standard_output_holds_the_synonyms_too() {
    for backend in backends() {
        let first = loaded(backend, SEED, Format::Toml, SYNONYMS).await;
        let whole =
            encode(&export(&first.db.pool).await.expect("export"), Format::Toml).expect("encode");
        assert!(whole.contains("[[synonym_group]]"));
        let second = TestApp::empty(backend).await;
        let report = import_as(
            &second.db.pool,
            &whole,
            Format::Toml,
            TODAY,
            Default::default(),
        )
        .await
        .expect("imports");
        assert!(report.synonym_groups.is_some_and(|n| n >= 12), "{report:?}");
        let (d1, d2) = (dump(&first).await, dump(&second).await);
        for (table, rows) in &d1 {
            // One transaction bumps the revision once; everything else is the same.
            assert!(rows == &d2[table], "{backend:?}: {table}");
        }
        first.finish().await;
        second.finish().await;
    }
}

#[tokio::test]
async fn a_bad_json_record_is_named_by_its_place() {
    let app = TestApp::empty(Backend::Sqlite).await;
    let seeded = loaded(Backend::Sqlite, SEED, Format::Toml, SYNONYMS).await;
    let (json, _) = exported(&seeded, Format::Json).await;
    let mut value: serde_json::Value = serde_json::from_str(&json).expect("json");
    value["credential"][3]["credits"] = 45.into();
    let bad = value.to_string();
    let e = import_as(&app.db.pool, &bad, Format::Json, TODAY, Default::default())
        .await
        .expect_err("refused")
        .to_string();
    assert!(
        e == "credential[3].credits: A micro-credential has 1 to 40 credits.",
        "{e}"
    );
    app.finish().await;
    seeded.finish().await;
}

/// A dashboard edit of credential `slug`'s title at a new revision.
async fn edit_title(app: &TestApp, slug: &str, title: &str) {
    let mut tx = app.db.pool.begin().await.expect("tx");
    let revision = tohu::catalogue::server::revision::bump(&mut tx)
        .await
        .expect("bump");
    sqlx::query("UPDATE credentials SET title = $1, edited_revision = $2 WHERE slug = $3")
        .bind(title.to_owned())
        .bind(revision)
        .bind(slug.to_owned())
        .execute(&mut *tx)
        .await
        .expect("edit");
    tx.commit().await.expect("commit");
}

async fn title(app: &TestApp, slug: &str) -> String {
    sqlx::query_scalar("SELECT title FROM credentials WHERE slug = $1")
        .bind(slug.to_owned())
        .fetch_one(&app.db.pool)
        .await
        .expect("title")
}

#[tokio::test]
async fn an_import_leaves_alone_what_the_dashboard_changed_after_its_revision() {
    for backend in backends() {
        let app = loaded(backend, SEED, Format::Toml, SYNONYMS).await;
        edit_title(
            &app,
            "chainsaw-use",
            "Chainsaw use (edited before the export)",
        )
        .await;
        let (file, _) = exported(&app, Format::Toml).await;
        // Edited before the export: the file holds the edit, and importing it is no change.
        let r = import_as(&app.db.pool, &file, Format::Toml, TODAY, Default::default())
            .await
            .expect("import");
        assert_eq!(
            (r.updated, r.left_alone.len()),
            (0, 0),
            "{backend:?}: {r:?}"
        );
        // Edited after: the older file leaves it alone and says so.
        edit_title(&app, "chainsaw-use", "Chainsaw use (edited after)").await;
        let r = import_as(&app.db.pool, &file, Format::Toml, TODAY, Default::default())
            .await
            .expect("import");
        assert_eq!(r.left_alone, ["credential chainsaw-use"], "{backend:?}");
        assert_eq!(
            title(&app, "chainsaw-use").await,
            "Chainsaw use (edited after)"
        );
        // A hand-written file (no revision) leaves every edited record alone.
        let r = import_as(&app.db.pool, SEED, Format::Toml, TODAY, Default::default())
            .await
            .expect("import");
        assert_eq!(r.left_alone, ["credential chainsaw-use"], "{backend:?}");
        // Told to, it writes over the edit, lists it, and the record is the file's again.
        let overwrite = ImportOptions {
            overwrite_edited: true,
        };
        let r = import_as(&app.db.pool, &file, Format::Toml, TODAY, overwrite)
            .await
            .expect("import");
        assert_eq!(r.overwritten, ["credential chainsaw-use"], "{backend:?}");
        assert_eq!(
            title(&app, "chainsaw-use").await,
            "Chainsaw use (edited before the export)"
        );
        let r = import_as(&app.db.pool, SEED, Format::Toml, TODAY, Default::default())
            .await
            .expect("import");
        assert!(r.left_alone.is_empty(), "{backend:?}: {r:?}");
        app.finish().await;
    }
}
