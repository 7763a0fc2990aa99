//! The CSV export, on both databases: exactly the filtered view across keyset pages, a BOM
//! and macrons intact, formula cells neutralised, no-store, recorded in the audit log, and
//! nothing of another organisation's.

use axum::http::{header, StatusCode};

use crate::common::forms::scalar;
use crate::common::{backends, TestApp};
use crate::dashboard::actions::set_seats;
use crate::dashboard::{coordinators, get, register};

/// Copies the first registration `n` times under new references and emails (SQL: a few
/// thousand rows through the form would take minutes).
async fn copies(app: &TestApp, n: usize) {
    let mut tx = app.db.pool.begin().await.unwrap();
    for k in 0..n {
        sqlx::query(
            "INSERT INTO registrations (intake_id, reference, token_hash, status, given_name, \
               family_name, email, email_key, phone, employer, region, nsn, date_of_birth, \
               consented_at, created_at, updated_at) \
             SELECT intake_id, $1, token_hash, 'cancelled', given_name, family_name, $2, $2, phone, \
               employer, region, nsn, date_of_birth, consented_at, created_at, updated_at \
             FROM registrations ORDER BY id LIMIT 1",
        )
        .bind(format!("COPY{k:05}"))
        .bind(format!("copy{k}@example.co.nz"))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_export_is_the_filtered_view_safe_to_open_in_a_spreadsheet() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        set_seats(&app, 10).await;
        let reference = register(&app, "tui@example.co.nz").await;
        sqlx::query("UPDATE registrations SET family_name = '=HYPERLINK(\"http://evil\")', employer = '@SUM(A1)' WHERE reference = $1")
            .bind(reference.clone())
            .execute(&app.db.pool)
            .await
            .unwrap();
        copies(&app, 1_100).await;

        let res = get(
            &app,
            Some(&c.own),
            "/dashboard/registrations.csv?sort=oldest",
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        assert_eq!(res.headers[header::CACHE_CONTROL], "no-store");
        assert!(res.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        assert!(res.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("attachment"));
        assert!(res.body.starts_with('\u{feff}'), "BOM first");
        let mut reader =
            csv::Reader::from_reader(res.body.trim_start_matches('\u{feff}').as_bytes());
        assert_eq!(&reader.headers().unwrap()[0], "Reference");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        // Every row once, across three keyset pages of 500, in the view's order.
        assert_eq!(rows.len(), 1_101, "{backend:?}");
        let mut refs: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
        assert_eq!(refs[0], reference);
        assert_eq!(refs[1], "COPY00000");
        refs.sort();
        refs.dedup();
        assert_eq!(refs.len(), 1_101);
        let first = &rows[0];
        assert_eq!(&first[2], "Māhina", "macrons intact");
        assert_eq!(
            &first[3], "'=HYPERLINK(\"http://evil\")",
            "formula neutralised"
        );
        assert_eq!(&first[6], "'@SUM(A1)");
        // New Zealand's clock, zone named: the stored UTC stamp plus 12 h (NZST) or 13 h
        // (NZDT).
        let stored: String =
            sqlx::query_scalar("SELECT created_at FROM registrations WHERE reference = $1")
                .bind(reference.clone())
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(
            &reader.headers().unwrap()[11],
            "Registered at (New Zealand time)"
        );
        let (local, zone) = first[11].rsplit_once(' ').expect("a zone");
        let hours = match zone {
            "NZDT" => 13,
            "NZST" => 12,
            other => panic!("zone {other} in {}", &first[11]),
        };
        let utc =
            time::OffsetDateTime::parse(&stored, &time::format_description::well_known::Rfc3339)
                .unwrap();
        let shown = time::PrimitiveDateTime::parse(
            local,
            time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
        )
        .unwrap();
        assert_eq!(
            shown - time::Duration::hours(hours),
            time::PrimitiveDateTime::new(utc.date(), utc.time())
        );
        // Every field is quoted in the raw text.
        let raw_first = res.body.lines().nth(1).unwrap();
        assert!(
            raw_first.starts_with(&format!("\"{reference}\",\"Confirmed\",")),
            "{raw_first}"
        );

        // Compressed, as browsers ask for it: the whole file arrives (the compression layer
        // polls the body after its end; that must not panic).
        let req = axum::http::Request::get("/dashboard/registrations.csv?status=confirmed")
            .header(header::COOKIE, c.own.clone())
            .header(header::ACCEPT_ENCODING, "br, gzip")
            .body(axum::body::Body::empty())
            .unwrap();
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.headers[header::CONTENT_ENCODING], "br");

        // Filtered: only the confirmed one. The audit log has every export with its count.
        let res = get(
            &app,
            Some(&c.own),
            "/dashboard/registrations.csv?status=confirmed",
        )
        .await;
        assert_eq!(res.body.lines().count(), 2, "{}", res.body);
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'export registrations'"
            )
            .await,
            3
        );
        assert_eq!(
            scalar(&app, "SELECT MIN(row_count) FROM audit_log").await,
            1
        );

        // Another provider and an employer: the headings and no rows. Nobody: sign in.
        for cookie in [&c.other, &c.employer] {
            let res = get(&app, Some(cookie), "/dashboard/registrations.csv").await;
            assert_eq!(res.status, StatusCode::OK);
            assert_eq!(res.body.lines().count(), 1, "{backend:?}: {}", res.body);
            assert!(!res.body.contains("tui@example.co.nz"));
        }
        let res = get(&app, None, "/dashboard/registrations.csv").await;
        assert!(res.status.is_redirection());
        assert_eq!(
            res.headers[header::LOCATION],
            "/sign-in?next=%2Fdashboard%2Fregistrations.csv"
        );
        app.finish().await;
    }
}
