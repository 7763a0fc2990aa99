//! Intakes as a provider runs them, on both databases: capacity goes through one function
//! (a rise promotes the waitlist in order, a cut below the seats taken is refused at the
//! field), new dates and closing or cancelling email the learners, and an import leaves an
//! edited intake alone and says so.

use axum::http::StatusCode;

use crate::common::forms::{scalar, SLUG};
use crate::common::{backends, TestApp, SEED};
use crate::dashboard::actions::{seats_taken, set_seats, status};
use crate::dashboard::{call, coordinators, get, json, register};

const CHANGE: &str = "/api/dashboard/intake/change";
const CLOSE: &str = "/api/dashboard/intake/close";

async fn intake_id(app: &TestApp) -> String {
    scalar(
        app,
        &format!(
            "SELECT i.id FROM intakes i JOIN credentials c ON c.id = i.credential_id \
             WHERE i.code = 'A06' AND c.slug = '{SLUG}'"
        ),
    )
    .await
    .to_string()
}

fn change<'a>(id: &'a str, capacity: &'a str, starts: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("id", id),
        ("change[capacity]", capacity),
        ("change[starts_on]", starts),
        ("change[ends_on]", "2027-06-30"),
        ("change[enrolment_closes_on]", "2027-01-31"),
    ]
}

#[tokio::test]
async fn capacity_changes_promote_in_order_and_refuse_below_the_seats_taken() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        set_seats(&app, 1).await;
        let id = intake_id(&app).await;
        let seated = register(&app, "seated@example.co.nz").await;
        let w1 = register(&app, "w1@example.co.nz").await;
        let w2 = register(&app, "w2@example.co.nz").await;
        let w3 = register(&app, "w3@example.co.nz").await;

        // Another provider: not found, nothing changed.
        let res = call(
            &app,
            Some(&c.other),
            CHANGE,
            &change(&id, "3", "2027-02-01"),
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "{backend:?}: {}",
            res.body
        );
        assert_eq!(
            get(
                &app,
                Some(&c.other),
                &format!("/api/dashboard/intake?id={id}")
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );

        // Bad values: each refused at its own field.
        let res = call(
            &app,
            Some(&c.own),
            CHANGE,
            &change(&id, "lots", "2027-02-30"),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        let fields: Vec<String> = json(&res)["Refused"]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(fields, ["capacity", "starts_on"]);

        // Raise to 3: the first two on the waitlist, in order, get seats.
        let res = call(&app, Some(&c.own), CHANGE, &change(&id, "3", "2027-02-01")).await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        assert_eq!(status(&app, &w1).await, "confirmed");
        assert_eq!(status(&app, &w2).await, "confirmed");
        assert_eq!(status(&app, &w3).await, "waitlisted");
        assert_eq!(seats_taken(&app).await, 3);
        // The dates moved: every learner still registered is emailed once.
        let dates = scalar(
            &app,
            &format!("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'intake:{id}:dates:%'"),
        )
        .await;
        assert_eq!(dates, 4, "{backend:?}");

        // Below the seats taken: refused at the capacity field with the number.
        let res = call(&app, Some(&c.own), CHANGE, &change(&id, "2", "2027-02-01")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let e = &json(&res)["Refused"]["errors"][0];
        assert_eq!(e["field"], "capacity");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .starts_with("3 learners already hold a seat"),
            "{e}"
        );
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT capacity FROM intakes WHERE id = {id}")
            )
            .await,
            3
        );

        // An import of the unchanged seed leaves this edited intake alone, and says so.
        let report =
            tohu::catalogue::server::import::import(&app.db.pool, SEED, crate::common::TODAY)
                .await
                .unwrap();
        assert_eq!(report.left_alone, [format!("intake {SLUG} A06")]);
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT capacity FROM intakes WHERE id = {id}")
            )
            .await,
            3
        );
        let starts: String =
            sqlx::query_scalar(&format!("SELECT starts_on FROM intakes WHERE id = {id}"))
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(starts, "2027-02-01");

        // Close enrolment: a new registration is refused; the learners are told.
        let res = call(
            &app,
            Some(&c.own),
            CLOSE,
            &[("id", &id), ("cancel", "false"), ("reason", "")],
        )
        .await;
        assert_eq!(json(&res)["Refused"]["errors"][0]["field"], "reason");
        let res = call(
            &app,
            Some(&c.own),
            CLOSE,
            &[("id", &id), ("cancel", "false"), ("reason", "Class is set")],
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let late = crate::common::forms::post_form(
            &app,
            &crate::common::forms::as_refs(&crate::common::forms::learner("late@example.co.nz")),
        )
        .await;
        assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            scalar(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'intake:{id}:closed:%'"
                )
            )
            .await,
            4
        );

        // Cancel: every active registration cancelled, seats freed, each learner told.
        let res = call(
            &app,
            Some(&c.own),
            CLOSE,
            &[("id", &id), ("cancel", "true"), ("reason", "Tutor unwell")],
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        for r in [&seated, &w1, &w2, &w3] {
            assert_eq!(status(&app, r).await, "cancelled", "{backend:?}");
        }
        assert_eq!(seats_taken(&app).await, 0);
        assert_eq!(
            scalar(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'intake:{id}:cancelled:%'"
                )
            )
            .await,
            4
        );
        let res = call(&app, Some(&c.own), CHANGE, &change(&id, "5", "2027-02-01")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("cancelled"));

        // The intakes page lists it for the provider; another provider sees none.
        let page = get(&app, Some(&c.own), "/dashboard/intakes").await;
        assert!(page.text().contains("Cancelled"), "{}", page.body);
        let list = get(&app, Some(&c.other), "/api/dashboard/intakes").await;
        assert_eq!(json(&list), serde_json::json!([]));
        app.finish().await;
    }
}
