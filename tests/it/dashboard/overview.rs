//! The overview, on both databases: counts and charts of the coordinator's own organisation,
//! SVG with role="img" and a title, a table of the numbers beside each; zero for another.

use axum::http::StatusCode;

use crate::common::{backends, TestApp};
use crate::dashboard::actions::set_seats;
use crate::dashboard::{coordinators, get, json, register};

#[tokio::test]
async fn the_overview_counts_only_the_organisations_own_registrations() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        set_seats(&app, 2).await;
        for n in 0..3 {
            register(&app, &format!("o{n}@example.co.nz")).await;
        }
        let res = get(&app, Some(&c.own), "/api/dashboard/overview").await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        let o = json(&res);
        assert_eq!(
            (
                o["last_7_days"].as_i64(),
                o["confirmed"].as_i64(),
                o["waitlisted"].as_i64()
            ),
            (Some(3), Some(2), Some(1))
        );
        let weekly = o["weekly"].as_array().unwrap();
        assert_eq!(weekly.len(), 26);
        assert_eq!(
            weekly
                .iter()
                .map(|w| w["value"].as_i64().unwrap())
                .sum::<i64>(),
            3
        );
        assert_eq!(o["by_sector"][0]["value"], 3);

        let admin = json(&get(&app, Some(&c.admin), "/api/dashboard/overview").await);
        assert_eq!(
            admin["last_7_days"].as_i64(),
            Some(3),
            "an admin sees every organisation"
        );
        let other = json(&get(&app, Some(&c.other), "/api/dashboard/overview").await);
        assert_eq!(
            (
                other["last_30_days"].as_i64(),
                other["by_sector"].as_array().map(Vec::len)
            ),
            (Some(0), Some(0))
        );
        assert_eq!(other["upcoming"], serde_json::json!([]));

        let page = get(&app, Some(&c.own), "/dashboard").await;
        assert_eq!(page.status, StatusCode::OK);
        let body = page.text();
        assert_eq!(body.matches("role=\"img\"").count(), 3, "three charts");
        assert!(body.contains("<title id=\"weekly-title\">"));
        assert!(body.contains("Registrations by sector"));
        assert!(body.contains("Kia ora, Mere Coordinator"));
        app.finish().await;
    }
}
