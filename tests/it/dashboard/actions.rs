//! A coordinator's actions on registrations, on both databases: withdraw frees the seat and
//! promotes the waitlist as a learner's cancel does; confirm, complete, note and resend;
//! each recorded with the coordinator and reason; refusals tied to their field; another
//! organisation's coordinator changes nothing; bulk changes; the no-JavaScript form post.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use crate::common::forms::{scalar, SLUG};
use crate::common::{backends, TestApp};
use crate::dashboard::{call, coordinators, get, json, register};

const ACT: &str = "/api/dashboard/registration/act";
const BULK: &str = "/api/dashboard/registrations/change";

/// Intake A06 of the test credential gets `capacity` seats and a waitlist of 5.
pub async fn set_seats(app: &TestApp, capacity: i64) {
    sqlx::query(
        "UPDATE intakes SET capacity = $1, waitlist_capacity = 5 WHERE code = 'A06' \
         AND credential_id = (SELECT id FROM credentials WHERE slug = $2)",
    )
    .bind(capacity)
    .bind(SLUG)
    .execute(&app.db.pool)
    .await
    .unwrap();
}

pub async fn status(app: &TestApp, reference: &str) -> String {
    sqlx::query_scalar("SELECT status FROM registrations WHERE reference = $1")
        .bind(reference.to_owned())
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

pub async fn seats_taken(app: &TestApp) -> i64 {
    scalar(
        app,
        "SELECT seats_taken FROM intakes WHERE code = 'A06' AND credential_id = \
         (SELECT id FROM credentials WHERE slug = 'demonstrate-basic-chainsaw-operation')",
    )
    .await
}

#[tokio::test]
async fn withdrawing_frees_the_seat_for_the_waitlist_and_is_on_the_timeline() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        set_seats(&app, 1).await;
        let first = register(&app, "first@example.co.nz").await;
        let second = register(&app, "second@example.co.nz").await;
        let third = register(&app, "third@example.co.nz").await;
        assert_eq!(status(&app, &second).await, "waitlisted");

        // Nobody signed in, another provider, an employer: nothing changes.
        let withdraw = [
            ("reference", first.as_str()),
            ("action", "withdraw"),
            ("reason", "Left the company"),
        ];
        assert_eq!(
            call(&app, None, ACT, &withdraw).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            call(&app, Some(&c.other), ACT, &withdraw).await.status,
            StatusCode::NOT_FOUND
        );
        // An employer's coordinator may withdraw their own staff only: a learner who
        // registered alone is not found.
        assert_eq!(
            call(&app, Some(&c.employer), ACT, &withdraw).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(status(&app, &first).await, "confirmed", "{backend:?}");

        // No reason: refused at the reason field, nothing changed.
        let res = call(
            &app,
            Some(&c.own),
            ACT,
            &[
                ("reference", &first),
                ("action", "withdraw"),
                ("reason", "  "),
            ],
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend:?}: {}",
            res.body
        );
        assert_eq!(json(&res)["Refused"]["errors"][0]["field"], "reason");
        assert_eq!(status(&app, &first).await, "confirmed");

        let res = call(&app, Some(&c.own), ACT, &withdraw).await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        assert_eq!(status(&app, &first).await, "withdrawn");
        assert_eq!(
            status(&app, &second).await,
            "confirmed",
            "first on the waitlist promoted"
        );
        assert_eq!(status(&app, &third).await, "waitlisted");
        assert_eq!(seats_taken(&app).await, 1);
        let (actor, reason, user): (String, String, Option<i64>) = sqlx::query_as(
            "SELECT e.actor, e.reason, e.actor_user_id FROM registration_events e \
             JOIN registrations r ON r.id = e.registration_id \
             WHERE r.reference = $1 AND e.to_status = 'withdrawn'",
        )
        .bind(first.clone())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            (actor.as_str(), reason.as_str()),
            ("coordinator", "Left the company")
        );
        assert!(user.is_some());
        for key in [format!("withdrawn:{first}"), format!("promoted:{second}")] {
            let n = scalar(
                &app,
                &format!("SELECT COUNT(*) FROM outbox WHERE dedupe_key = '{key}'"),
            )
            .await;
            assert_eq!(n, 1, "{backend:?} {key}");
        }

        // The detail page shows the timeline with the coordinator's name and reason.
        let page = get(
            &app,
            Some(&c.own),
            &format!("/dashboard/registrations/{first}"),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        assert!(text.contains("Confirmed → Withdrawn"), "{text}");
        assert!(text.contains("Mere Coordinator") && text.contains("Left the company"));
        // Times on New Zealand's clock, zone named; never UTC.
        assert!(
            text.contains(" NZDT") || text.contains(" NZST"),
            "{backend:?}: {text}"
        );
        assert!(!text.contains(" UTC"), "{text}");
        let other_page = get(
            &app,
            Some(&c.other),
            &format!("/dashboard/registrations/{first}"),
        )
        .await;
        assert_eq!(other_page.status, StatusCode::NOT_FOUND);
        assert!(!other_page.body.contains("first@example.co.nz"));

        // Withdrawn again: a clear refusal. Confirm while full: refused with the numbers.
        let res = call(&app, Some(&c.own), ACT, &withdraw).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("already withdrawn"), "{}", res.body);
        let res = call(
            &app,
            Some(&c.own),
            ACT,
            &[
                ("reference", &third),
                ("action", "confirm"),
                ("reason", "Priority"),
            ],
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("1 of 1"), "{}", res.body);
        assert_eq!(status(&app, &third).await, "waitlisted");

        // Complete, note, resend: each on the timeline; resend queues a second email.
        for (action, reason) in [
            ("complete", "Assessed competent"),
            ("note", "Called to confirm PPE"),
            ("resend", ""),
        ] {
            let res = call(
                &app,
                Some(&c.own),
                ACT,
                &[
                    ("reference", &second),
                    ("action", action),
                    ("reason", reason),
                ],
            )
            .await;
            assert_eq!(
                res.status,
                StatusCode::OK,
                "{backend:?} {action}: {}",
                res.body
            );
        }
        assert_eq!(status(&app, &second).await, "completed");
        let kinds = scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM registration_events e JOIN registrations r ON r.id = e.registration_id \
                 WHERE r.reference = '{second}' AND e.kind IN ('note', 'email') AND e.actor = 'coordinator'"
            ),
        )
        .await;
        // The note, the resend, and the line that says the credential was issued.
        assert_eq!(kinds, 3);
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM outbox WHERE dedupe_key = 'resend:{second}:1'")
            )
            .await,
            1
        );
        // Unknown action or reference: 400 / 404, never 500.
        let res = call(
            &app,
            Some(&c.own),
            ACT,
            &[("reference", &second), ("action", "delete")],
        )
        .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
        let res = call(
            &app,
            Some(&c.own),
            ACT,
            &[("reference", "NOPE"), ("action", "note"), ("reason", "x")],
        )
        .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        app.finish().await;
    }
}

#[tokio::test]
async fn bulk_changes_apply_to_own_rows_and_say_what_was_skipped() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        set_seats(&app, 10).await;
        let a = register(&app, "a@example.co.nz").await;
        let b = register(&app, "b@example.co.nz").await;
        let args = [
            ("references[0]", a.as_str()),
            ("references[2]", b.as_str()),
            ("references[3]", "NOT-THEIRS"),
            ("action", "complete"),
            ("reason", "Course finished"),
        ];
        // Another organisation changes none of them.
        let res = call(&app, Some(&c.other), BULK, &args).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(json(&res)["changed"].as_array().unwrap().len(), 0);
        assert_eq!(status(&app, &a).await, "confirmed");

        let res = call(&app, Some(&c.own), BULK, &args).await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        let out = json(&res);
        assert_eq!(out["changed"], serde_json::json!([a.clone(), b.clone()]));
        assert_eq!(out["skipped"][0][0], "NOT-THEIRS");
        assert_eq!(status(&app, &b).await, "completed");

        // Nothing selected, or a non-bulk action: refused at the field.
        let res = call(
            &app,
            Some(&c.own),
            BULK,
            &[("action", "withdraw"), ("reason", "x")],
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json(&res)["Refused"]["errors"][0]["field"], "references");
        let res = call(
            &app,
            Some(&c.own),
            BULK,
            &[("references[0]", &a), ("action", "note"), ("reason", "x")],
        )
        .await;
        assert_eq!(json(&res)["Refused"]["errors"][0]["field"], "action");
        app.finish().await;
    }
}

#[tokio::test]
async fn without_javascript_the_form_post_returns_to_the_page_with_its_result() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let reference = register(&app, "nojs@example.co.nz").await;
        let page = format!("http://127.0.0.1:3000/dashboard/registrations/{reference}");
        let post = |reason: &str| {
            Request::post(ACT)
                .header("content-type", "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .header(header::REFERER, page.clone())
                .header(header::COOKIE, c.own.clone())
                .body(Body::from(crate::common::forms::body(&[
                    ("reference", &reference),
                    ("action", "note"),
                    ("reason", reason),
                ])))
                .unwrap()
        };
        // Refused: back to the page with the error in the URL, which the page shows.
        let res = app.send(post("")).await;
        assert!(res.status.is_redirection(), "{backend:?}: {}", res.status);
        let back = res.headers[header::LOCATION].to_str().unwrap().to_owned();
        assert!(back.contains("__err="), "{back}");
        let shown = get(
            &app,
            Some(&c.own),
            back.trim_start_matches("http://127.0.0.1:3000"),
        )
        .await;
        assert!(shown.text().contains("Write the note."), "{}", shown.body);

        let res = app.send(post("Rang the learner")).await;
        assert!(res.status.is_redirection());
        // server_fn strips its error parameters from the address, leaving an empty query.
        assert_eq!(
            res.headers[header::LOCATION]
                .to_str()
                .unwrap()
                .trim_end_matches('?'),
            page
        );
        let shown = get(
            &app,
            Some(&c.own),
            &format!("/dashboard/registrations/{reference}"),
        )
        .await;
        assert!(shown.text().contains("Rang the learner"));

        // A cross-site form post is refused before it reaches the function.
        let res = app
            .send(
                Request::post(ACT)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header(header::ORIGIN, "https://evil.example")
                    .header(header::HOST, "127.0.0.1:3000")
                    .header(header::COOKIE, c.own.clone())
                    .body(Body::from(format!(
                        "reference={reference}&action=note&reason=x"
                    )))
                    .unwrap(),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        app.finish().await;
    }
}
