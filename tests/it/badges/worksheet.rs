//! The NZQA worksheet on both databases: a provider's coordinator sees its unreported
//! completions (a row without an NSN apart, saying so), downloads them as CSV (audited,
//! formula cells neutralised), marks them reported; another provider gets 0 rows, an
//! employer 403, nobody signed in the sign-in page; the overview counts completions
//! older than two months still unreported.

use axum::http::{header, StatusCode};

use super::complete;
use crate::common::{backends, TestApp};
use crate::dashboard::{call, coordinators, get, json, register};

#[tokio::test]
async fn the_worksheet_lists_unreported_completions_and_marks_them_reported() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let with_nsn = register(&app, "nsn@example.co.nz").await;
        let without = register(&app, "no-nsn@example.co.nz").await;
        sqlx::query("UPDATE registrations SET nsn = '123456789', family_name = '=HYPERLINK(1)' WHERE reference = $1")
            .bind(with_nsn.clone()).execute(&app.db.pool).await.unwrap();
        // The first is completed while the listing has an NZQA number; the credential keeps
        // the listing as it was then, so the worksheet reports that number.
        sqlx::query("UPDATE credentials SET nzqa_ref = 4321, nzqa_version = 2 WHERE slug = 'demonstrate-basic-chainsaw-operation'")
            .execute(&app.db.pool).await.unwrap();
        complete(&app, &c.own, &with_nsn, "2026-09-01").await;
        sqlx::query("UPDATE credentials SET nzqa_ref = NULL WHERE slug = 'demonstrate-basic-chainsaw-operation'")
            .execute(&app.db.pool).await.unwrap();
        complete(&app, &c.own, &without, "").await;

        let sheet = json(&get(&app, Some(&c.own), "/api/dashboard/completions").await);
        let ready = sheet["ready"].as_array().unwrap();
        assert_eq!(ready.len(), 1, "{sheet}");
        assert_eq!(
            (ready[0]["nsn"].as_str(), ready[0]["nzqa_ref"].as_i64()),
            (Some("123456789"), Some(4321))
        );
        // Apart, saying what it lacks: no NSN, and no listing number when it completed.
        let incomplete = sheet["incomplete"].as_array().unwrap();
        assert_eq!(incomplete.len(), 1, "{backend:?}");
        assert_eq!(
            incomplete[0]["missing"],
            serde_json::json!(["National Student Number", "NZQA listing number"])
        );
        let ids: Vec<String> = [&ready[0], &incomplete[0]]
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids.len(), 2, "{backend:?}");

        // The CSV: headings, both rows, the formula neutralised; audited.
        let csv = get(&app, Some(&c.own), "/dashboard/completions.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("nzqa-completions-"));
        assert!(csv.body.contains("\"NSN\",\"Given name\""));
        assert!(csv.body.contains("\"123456789\""));
        assert!(csv.body.contains("\"4321\",\"2\""), "{}", csv.body);
        assert!(csv.body.contains("\"'=HYPERLINK(1)\""), "{}", csv.body);
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'export completions'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(audited, 1);

        // Strangers: another provider 0 rows, an employer 403, nobody the sign-in page.
        let other = json(&get(&app, Some(&c.other), "/api/dashboard/completions").await);
        assert_eq!(
            (
                other["ready"].as_array().unwrap().len(),
                other["incomplete"].as_array().unwrap().len()
            ),
            (0, 0)
        );
        assert!(!get(&app, Some(&c.other), "/dashboard/completions.csv")
            .await
            .body
            .contains("123456789"));
        assert_eq!(
            get(&app, Some(&c.employer), "/dashboard/completions.csv")
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            get(&app, Some(&c.employer), "/api/dashboard/completions")
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let anonymous = get(&app, None, "/dashboard/completions.csv").await;
        assert_eq!(
            anonymous.headers[header::LOCATION],
            "/sign-in?next=%2Fdashboard%2Fcompletions.csv"
        );

        // The overview: the September completion is more than two months old.
        assert_eq!(
            json(&get(&app, Some(&c.own), "/api/dashboard/overview").await)["unreported_overdue"],
            1
        );

        // Another provider marks nothing; the own provider marks the first one.
        let first = [("ids[0]", ids[0].as_str())];
        assert_eq!(
            json(
                &call(
                    &app,
                    Some(&c.other),
                    "/api/dashboard/completions/reported",
                    &first
                )
                .await
            ),
            0
        );
        assert_eq!(
            json(
                &call(
                    &app,
                    Some(&c.own),
                    "/api/dashboard/completions/reported",
                    &first
                )
                .await
            ),
            1
        );
        let left = json(&get(&app, Some(&c.own), "/api/dashboard/completions").await);
        assert_eq!(left["ready"].as_array().unwrap().len(), 0);
        assert_eq!(left["incomplete"].as_array().unwrap().len(), 1);
        assert_eq!(
            json(&get(&app, Some(&c.own), "/api/dashboard/overview").await)["unreported_overdue"],
            0
        );
        let none = call(
            &app,
            Some(&c.own),
            "/api/dashboard/completions/reported",
            &[],
        )
        .await;
        assert_eq!(json(&none)["Refused"]["errors"][0]["field"], "ids");
        app.finish().await;
    }
}
