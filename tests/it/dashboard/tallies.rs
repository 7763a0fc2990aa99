//! The running tallies and the registrations' own provider column that the dashboard reads
//! instead of counting a million rows, on both databases: after registering, withdrawing,
//! completing, moving an intake to another provider and deleting a registration, every
//! tally equals a count of the rows, and the table and overview follow the move. Past the
//! count cap a free-text search says "more than" and still pages on; rare, short and
//! changed text is found exactly.

use axum::http::StatusCode;

use crate::common::forms::scalar;
use crate::common::{backends, TestApp};
use crate::dashboard::actions::set_seats;
use crate::dashboard::{call, coordinators, get, json, register};

const ACT: &str = "/api/dashboard/registration/act";

/// Every tally row equals a count of the registrations, and each registration carries its
/// intake's provider.
async fn assert_tallies_match(app: &TestApp, when: &str) {
    let wrong_provider = scalar(
        app,
        "SELECT COUNT(*) FROM registrations r JOIN intakes i ON i.id = r.intake_id \
         WHERE COALESCE(r.provider_org_id, 0) <> COALESCE(i.provider_org_id, 0)",
    )
    .await;
    assert_eq!(wrong_provider, 0, "{when}: provider column");
    let wrong_copy = scalar(
        app,
        "SELECT COUNT(*) FROM intake_tallies t JOIN intakes i ON i.id = t.intake_id \
         JOIN credentials c ON c.id = i.credential_id \
         WHERE t.provider_org_id <> COALESCE(i.provider_org_id, 0) OR t.sector_id <> c.sector_id",
    )
    .await;
    assert_eq!(wrong_copy, 0, "{when}: the tallies' provider and sector");
    let checks = [
        (
            "intake tallies",
            "SELECT intake_id, COALESCE(employer_org_id, 0), status, COUNT(*) \
             FROM registrations GROUP BY 1, 2, 3",
            "SELECT intake_id, employer_org_id, status, tally FROM intake_tallies WHERE tally <> 0",
        ),
        (
            "daily tallies",
            "SELECT COALESCE(provider_org_id, 0), COALESCE(employer_org_id, 0), \
             SUBSTR(created_at, 1, 10), COUNT(*) FROM registrations GROUP BY 1, 2, 3",
            "SELECT provider_org_id, employer_org_id, day, tally FROM registration_days \
             WHERE tally <> 0",
        ),
    ];
    for (what, rows_sql, tally_sql) in checks {
        let rows = keyed(app, rows_sql).await;
        let tallies = keyed(app, tally_sql).await;
        assert!(!rows.is_empty(), "{when}: {what} has rows to compare");
        assert_eq!(rows, tallies, "{when}: {what}");
    }
}

/// `(key, key, text key, count)` rows, sorted.
async fn keyed(app: &TestApp, sql: &str) -> Vec<(i64, i64, String, i64)> {
    let mut rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(sql)
        .fetch_all(&app.db.pool)
        .await
        .expect(sql);
    rows.sort();
    rows
}

#[tokio::test]
async fn the_tallies_follow_every_change_and_the_table_and_overview_follow_a_moved_intake() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        set_seats(&app, 2).await;
        let mut refs = Vec::new();
        for n in 0..4 {
            refs.push(register(&app, &format!("t{n}@example.co.nz")).await);
        }
        assert_tallies_match(&app, "after registering").await;

        for (reference, action) in [(&refs[0], "withdraw"), (&refs[1], "complete")] {
            let res = call(
                &app,
                Some(&c.own),
                ACT,
                &[
                    ("reference", reference),
                    ("action", action),
                    ("reason", "Checked with the learner"),
                ],
            )
            .await;
            assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        }
        assert_tallies_match(&app, "after withdrawing and completing").await;
        let own = json(&get(&app, Some(&c.own), "/api/dashboard/overview").await);
        assert_eq!(
            (own["confirmed"].as_i64(), own["waitlisted"].as_i64()),
            (Some(1), Some(1)),
            "{backend:?}: one promoted to the freed seat, one still waiting"
        );
        let waiting = json(
            &get(
                &app,
                Some(&c.own),
                "/api/dashboard/registrations?query[q]=&query[status]=Waitlisted&query[page]=1",
            )
            .await,
        );
        assert_eq!(
            (waiting["total"].as_i64(), waiting["more"].as_bool()),
            (Some(1), Some(false))
        );

        // The intake moves to another provider (as an import naming a new provider does):
        // its registrations, their counts and who may see them go with it.
        sqlx::query(
            "UPDATE intakes SET provider_org_id = \
             (SELECT id FROM organisations WHERE name = 'Another Polytechnic') \
             WHERE id = (SELECT intake_id FROM registrations WHERE reference = $1)",
        )
        .bind(refs[0].clone())
        .execute(&app.db.pool)
        .await
        .unwrap();
        assert_tallies_match(&app, "after moving the intake").await;
        let list = |cookie: String| {
            let app = &app;
            async move {
                json(
                    &get(
                        app,
                        Some(&cookie),
                        "/api/dashboard/registrations?query[q]=&query[page]=1",
                    )
                    .await,
                )
            }
        };
        assert_eq!(
            list(c.own.clone()).await["rows"].as_array().map(Vec::len),
            Some(0)
        );
        assert_eq!(
            list(c.other.clone()).await["rows"].as_array().map(Vec::len),
            Some(4)
        );
        let other = json(&get(&app, Some(&c.other), "/api/dashboard/overview").await);
        assert_eq!(other["last_7_days"].as_i64(), Some(4), "{backend:?}");
        let own = json(&get(&app, Some(&c.own), "/api/dashboard/overview").await);
        assert_eq!(own["last_7_days"].as_i64(), Some(0), "{backend:?}");

        // Its credential moves to another sector: the sector chart follows.
        sqlx::query(
            "UPDATE credentials SET sector_id = (SELECT MAX(id) FROM sectors \
               WHERE id <> credentials.sector_id) \
             WHERE id = (SELECT i.credential_id FROM intakes i JOIN registrations r \
               ON r.intake_id = i.id WHERE r.reference = $1)",
        )
        .bind(refs[0].clone())
        .execute(&app.db.pool)
        .await
        .unwrap();
        assert_tallies_match(&app, "after moving the credential's sector").await;
        let sector: String = sqlx::query_scalar(
            "SELECT s.name FROM sectors s JOIN credentials c ON c.sector_id = s.id \
             JOIN intakes i ON i.credential_id = c.id JOIN registrations r ON r.intake_id = i.id \
             WHERE r.reference = $1",
        )
        .bind(refs[0].clone())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let other = json(&get(&app, Some(&c.other), "/api/dashboard/overview").await);
        assert_eq!(
            (
                other["by_sector"][0]["label"].as_str(),
                other["by_sector"][0]["value"].as_i64()
            ),
            (Some(sector.as_str()), Some(4)),
            "{backend:?}"
        );

        // Deleting a registration (as keeping data only as long as needed will) uncounts it.
        sqlx::query(
            "DELETE FROM registration_events WHERE registration_id = \
             (SELECT id FROM registrations WHERE reference = $1)",
        )
        .bind(refs[3].clone())
        .execute(&app.db.pool)
        .await
        .unwrap();
        sqlx::query("DELETE FROM registrations WHERE reference = $1")
            .bind(refs[3].clone())
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_tallies_match(&app, "after deleting one").await;
        app.finish().await;
    }
}

#[tokio::test]
async fn a_search_past_the_count_cap_says_more_and_pages_on() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let first = register(&app, "cap@example.co.nz").await;
        // 10,060 more (as many as the text index probes for) registrations of the same intake, written straight to the table.
        sqlx::query(
            "INSERT INTO registrations (intake_id, reference, token_hash, status, given_name, \
             family_name, email, email_key, phone, region, date_of_birth, consented_at, \
             created_at, updated_at) \
             WITH RECURSIVE n (k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 10060) \
             SELECT r.intake_id, 'BULK-' || CAST(n.k AS TEXT), '', 'cancelled', 'Kiri', \
               'Walker', 'bulk' || CAST(n.k AS TEXT) || '@example.co.nz', \
               'bulk' || CAST(n.k AS TEXT) || '@example.co.nz', r.phone, r.region, \
               r.date_of_birth, r.consented_at, r.created_at, r.updated_at \
             FROM n, registrations r WHERE r.reference = $1",
        )
        .bind(first.clone())
        .execute(&app.db.pool)
        .await
        .unwrap();
        assert_tallies_match(&app, "after the bulk insert").await;

        let everything = json(
            &get(
                &app,
                Some(&c.own),
                "/api/dashboard/registrations?query[q]=&query[page]=1",
            )
            .await,
        );
        assert_eq!(
            (everything["total"].as_i64(), everything["more"].as_bool()),
            (Some(10_061), Some(false)),
            "{backend:?}: without text the tallies give the exact total"
        );
        let searched = |page: i64| {
            let app = &app;
            let own = c.own.clone();
            async move {
                json(
                    &get(
                        app,
                        Some(&own),
                        &format!("/api/dashboard/registrations?query[q]=walker&query[page]={page}"),
                    )
                    .await,
                )
            }
        };
        let p1 = searched(1).await;
        assert_eq!(
            (p1["total"].as_i64(), p1["more"].as_bool()),
            (Some(1_000), Some(true)),
            "{backend:?}"
        );
        let deep = searched(202).await;
        assert_eq!(
            deep["page"].as_i64(),
            Some(202),
            "a page past the cap is served"
        );
        assert_eq!(
            deep["rows"].as_array().map(Vec::len),
            Some(10),
            "{backend:?}: 10,060 − 201 × 50"
        );
        let page = get(
            &app,
            Some(&c.own),
            "/dashboard/registrations?q=walker&page=2",
        )
        .await;
        let body = page.text();
        assert!(
            body.contains("More than 1,000 registrations, page 2."),
            "{backend:?}"
        );
        assert!(body.contains("page=3"), "a next link past the cap");

        // The export of that search: every row once, across 21 keyset pages, in name order
        // (all "Kiri Walker", so by id), on both backends' packed pages.
        for sort in ["name", "newest"] {
            let csv = get(
                &app,
                Some(&c.own),
                &format!("/dashboard/registrations.csv?q=walker&sort={sort}"),
            )
            .await
            .text();
            let refs: Vec<&str> = csv
                .lines()
                .skip(1)
                .map(|l| l.split(',').next().unwrap_or_default().trim_matches('"'))
                .collect();
            assert_eq!(refs.len(), 10_060, "{backend:?} {sort}");
            let mut numbers: Vec<u32> = refs
                .iter()
                .map(|r| r.trim_start_matches("BULK-").parse().expect(r))
                .collect();
            let in_order = numbers.clone();
            numbers.sort_unstable();
            numbers.dedup();
            assert_eq!(numbers.len(), 10_060, "{backend:?} {sort}: each row once");
            let expected: Vec<u32> = match sort {
                "name" => numbers.clone(),
                _ => numbers.iter().rev().copied().collect(),
            };
            assert_eq!(
                in_order, expected,
                "{backend:?} {sort}: in the table's order"
            );
        }

        // Rare text is read from the text index, short text by testing rows, and the index
        // follows a changed name; each answers exactly.
        let find = |q: &'static str| {
            let app = &app;
            let own = c.own.clone();
            async move {
                let page = json(
                    &get(
                        app,
                        Some(&own),
                        &format!("/api/dashboard/registrations?query[q]={q}&query[page]=1"),
                    )
                    .await,
                );
                (
                    page["total"].as_i64().unwrap(),
                    page["rows"][0]["email"].as_str().map(str::to_owned),
                )
            }
        };
        assert_eq!(
            find("BULK1059%40example").await,
            (1, Some("bulk1059@example.co.nz".to_owned())),
            "{backend:?}"
        );
        assert_eq!(
            find("ng%C4%81ti").await,
            (1, Some("cap@example.co.nz".to_owned()))
        );
        assert_eq!(
            find("kiri%20walker%20bulk100%40").await.0,
            1,
            "across name and email"
        );
        sqlx::query("UPDATE registrations SET family_name = 'Pōmare' WHERE reference = $1")
            .bind(first.clone())
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(
            find("p%C5%8Dmare").await.0,
            1,
            "{backend:?}: the new name is found"
        );
        assert_eq!(
            find("ng%C4%81ti").await.0,
            0,
            "{backend:?}: the old one is not"
        );
        // Nothing holds "uu" (U is not in a reference's alphabet, so a random reference
        // cannot match it, as "zz" did about once in 180 runs).
        assert_eq!(find("uu").await.0, 0);
        app.finish().await;
    }
}
