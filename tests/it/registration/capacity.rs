//! Capacity changes that keep the waitlist fair (issue 11): a freed seat in an overbooked
//! intake promotes nobody, a started intake promotes nobody and emails nobody "a seat is
//! yours", a newcomer never takes a seat ahead of someone waiting, and an import that would
//! cut below the seats taken is refused with the file's line.

use axum::body::Body;
use axum::http::Request;

use crate::common::forms::{body, exec, register_as, scalar, set_capacity, INTAKE, SLUG};
use crate::common::{backends, TestApp, SEED, TODAY};

/// Registers `email` without JavaScript; returns the confirmation link.
async fn register(app: &TestApp, email: &str) -> String {
    register_as(app, email, "Ngāti Tūhoe").await
}

async fn cancel(app: &TestApp, link: &str) {
    let (path, token) = link.split_once("?token=").unwrap();
    let reference = path.trim_start_matches("/registrations/");
    let req = Request::post("/api/registration/cancel")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body(&[
            ("reference", reference),
            ("token", token),
        ])))
        .unwrap();
    let res = app.send(req).await;
    assert!(res.status.is_success(), "{}: {}", res.status, res.body);
}

async fn status_of(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT status FROM registrations WHERE email = $1")
        .bind(email.to_owned())
        .fetch_one(&app.db.pool)
        .await
        .expect("status")
}

async fn promotions(app: &TestApp) -> i64 {
    scalar(
        app,
        "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'promoted:%'",
    )
    .await
}

#[tokio::test]
async fn a_freed_seat_in_an_overbooked_intake_promotes_nobody() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        set_capacity(&app, 3, 5).await;
        let first = register(&app, "one@example.co.nz").await;
        register(&app, "two@example.co.nz").await;
        register(&app, "three@example.co.nz").await;
        register(&app, "waiting@example.co.nz").await;
        // An older import (or a hand edit) left the intake with fewer seats than learners.
        exec(&app, "UPDATE intakes SET capacity = 1 WHERE code = 'A06'").await;
        cancel(&app, &first).await;
        assert_eq!(
            status_of(&app, "waiting@example.co.nz").await,
            "waitlisted",
            "{backend:?}"
        );
        assert_eq!(promotions(&app).await, 0, "{backend:?}");
        assert_eq!(
            scalar(&app, "SELECT seats_taken FROM intakes WHERE code = 'A06'").await,
            2,
            "{backend:?}: the counter follows the rows"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_started_intake_promotes_nobody_and_newcomers_queue_behind_the_waitlist() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        set_capacity(&app, 1, 5).await;
        let first = register(&app, "one@example.co.nz").await;
        register(&app, "waiting@example.co.nz").await;
        // The intake starts today; enrolment is still open (rolling enrolment).
        exec(
            &app,
            &format!("UPDATE intakes SET starts_on = '{TODAY}' WHERE code = 'A06'"),
        )
        .await;
        cancel(&app, &first).await;
        assert_eq!(
            status_of(&app, "waiting@example.co.nz").await,
            "waitlisted",
            "{backend:?}"
        );
        assert_eq!(
            promotions(&app).await,
            0,
            "{backend:?}: no 'a seat is yours' email"
        );
        // A seat is free, but someone is waiting: the newcomer joins the waitlist behind them.
        let late = register(&app, "late@example.co.nz").await;
        assert_eq!(
            status_of(&app, "late@example.co.nz").await,
            "waitlisted",
            "{backend:?}"
        );
        assert!(
            app.get(&late)
                .await
                .text()
                .contains("You are number 2 on the waitlist"),
            "{backend:?}"
        );
        assert_eq!(
            scalar(&app, "SELECT seats_taken FROM intakes WHERE code = 'A06'").await,
            0
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn an_import_cannot_cut_below_the_seats_taken_and_names_the_line() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        for n in 0..3 {
            register(&app, &format!("l{n}@example.co.nz")).await;
        }
        let needle = "code = \"A06\"";
        let at = SEED.find(needle).expect("A06 in the seed");
        let capacity_at = at + SEED[at..].find("capacity = 8").expect("its capacity");
        let edited = format!(
            "{}capacity = 2{}",
            &SEED[..capacity_at],
            &SEED[capacity_at + "capacity = 8".len()..]
        );
        let line = SEED[..capacity_at].lines().count() + 1;
        let e = tohu::catalogue::server::import::import(&app.db.pool, &edited, TODAY)
            .await
            .expect_err("refused");
        let text = e.to_string();
        assert!(
            text.starts_with(&format!("line {line}: intake {SLUG} {INTAKE}: 3 learners")),
            "{backend:?}: {text}"
        );
        assert_eq!(
            scalar(&app, "SELECT capacity FROM intakes WHERE code = 'A06'").await,
            8,
            "nothing written"
        );
        app.finish().await;
    }
}
