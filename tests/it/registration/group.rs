//! Group registration's core on both databases (issue 10, first part): rows placed in
//! order under the intake's lock, seats then waitlist then refused, duplicates refused per
//! row, "all together or none", registrations that belong to the employer and carry the
//! coordinator's attestation, an email per learner with their own link; and a group of 50
//! racing 100 learners for 10 seats and a 20-place waitlist never overbooks.

use std::sync::Arc;

use tohu::auth::server::users::add_user;
use tohu::auth::types::Role;
use tohu::registration::server::caps::Caps;
use tohu::registration::server::group::store::{register_group, RowResult};
use tohu::registration::server::group::{check, parse};
use tohu::registration::server::place::Enroller;
use tohu::registration::server::place::RegisterError;
use tohu::registration::server::register::register;
use tohu::registration::types::RegistrationStatus;
use tohu::registration::validate::ValidRegistration;

use crate::common::forms::{exec, scalar, set_capacity, INTAKE, SLUG};
use crate::common::{backends, TestApp, TODAY};

const EMPLOYER: &str = "Ngāti Porou Forestry";

/// An employer coordinator's account; the enroller they are.
async fn employer(app: &TestApp) -> Enroller {
    let user_id = add_user(
        &app.db.pool,
        "kiri@example.co.nz",
        "Kiri Walker",
        Role::Employer,
        Some(EMPLOYER),
        "pōhutukawa-summer-42",
    )
    .await
    .unwrap();
    let org_id: i64 = sqlx::query_scalar("SELECT organisation_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    Enroller::Employer {
        org_id,
        org_name: EMPLOYER.to_owned(),
        user_id,
    }
}

/// `n` checked rows from a CSV list, as the coordinator's upload would give them.
fn staff(n: usize, tag: &str) -> Vec<ValidRegistration> {
    let csv: String = std::iter::once("Given name,Family name,Email,Region\r\n".to_owned())
        .chain((0..n).map(|i| format!("Hēmi,Walker {i},{tag}{i}@example.co.nz,Gisborne\r\n")))
        .collect();
    check(
        parse(csv.as_bytes()).unwrap(),
        INTAKE,
        EMPLOYER,
        &TODAY.to_string(),
    )
    .into_iter()
    .map(|c| c.result.expect("a good row"))
    .collect()
}

/// The learner's caps as the app is configured.
fn caps(app: &TestApp) -> Caps {
    Caps::from(app.state.config.as_ref())
}

async fn group(
    app: &TestApp,
    by: &Enroller,
    rows: &[ValidRegistration],
    all_or_none: bool,
) -> tohu::registration::server::group::store::GroupOutcome {
    register_group(
        &app.db.pool,
        SLUG,
        INTAKE,
        rows,
        by,
        (all_or_none, caps(app)),
        &TODAY.to_string(),
        &app.state.links,
    )
    .await
    .expect("the group is answered")
}

#[tokio::test]
async fn a_group_takes_seats_in_order_then_the_waitlist_and_belongs_to_the_employer() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let by = employer(&app).await;
        set_capacity(&app, 3, 1).await;
        // One of them registered themselves already.
        let mut rows = staff(5, "crew");
        let own = register(
            &app.db.pool,
            SLUG,
            &rows[4],
            &TODAY.to_string(),
            &app.state.links,
            Caps::from(app.state.config.as_ref()),
        )
        .await
        .unwrap();
        assert_eq!(own.status, RegistrationStatus::Confirmed);
        rows.push(staff(6, "crew").pop().unwrap());
        let out = group(&app, &by, &rows, false).await;
        assert!(out.taken);
        let kinds: Vec<String> = out
            .rows
            .iter()
            .map(|r| match r {
                RowResult::Placed(o) => format!("{:?}{:?}", o.status, o.waitlist_position),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "ConfirmedNone",
                "ConfirmedNone",
                "WaitlistedSome(1)",
                "Full",
                // Registered already, but no place is left: full, as for anyone (issue 27).
                "Full",
                "Full",
            ],
            "{backend:?}"
        );
        // Theirs: the employer's organisation and the coordinator's attestation.
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM registrations WHERE employer_org_id IS NOT NULL AND consented_by_user_id IS NOT NULL AND privacy_version <> ''").await,
            3
        );
        // The learner who came alone stays theirs alone.
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM registrations WHERE employer_org_id IS NULL"
            )
            .await,
            1
        );
        assert_eq!(
            scalar(&app, "SELECT seats_taken FROM intakes WHERE code = 'A06'").await,
            3
        );
        // Each learner is emailed, told who enrolled them, with their own link.
        let emails: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT recipient, body, link FROM outbox WHERE body LIKE '%has enrolled you%' ORDER BY id",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(emails.len(), 3, "{backend:?}");
        assert!(emails[0].1.contains(EMPLOYER));
        let links: std::collections::HashSet<_> = emails.iter().map(|e| e.2.clone()).collect();
        assert_eq!(links.len(), 3);
        // The timeline names the coordinator.
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM registration_events WHERE actor = 'coordinator' AND actor_user_id IS NOT NULL").await,
            3
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn all_together_or_none_writes_nothing_unless_everyone_gets_a_seat() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let by = employer(&app).await;
        set_capacity(&app, 3, 10).await;
        let rows = staff(5, "all");
        let out = group(&app, &by, &rows, true).await;
        assert!(!out.taken, "{backend:?}");
        assert_eq!(out.seated(), 3, "what it would have got");
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM registrations").await, 0);
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox").await, 0);
        assert_eq!(
            scalar(&app, "SELECT seats_taken FROM intakes WHERE code = 'A06'").await,
            0
        );
        // With room for everyone it goes through whole.
        set_capacity(&app, 5, 10).await;
        let out = group(&app, &by, &rows, true).await;
        assert!(out.taken);
        assert_eq!(out.seated(), 5);
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM registrations").await, 5);
        app.finish().await;
    }
}

#[tokio::test]
async fn a_group_for_an_intake_that_is_not_open_is_refused_whole() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let by = employer(&app).await;
        exec(
            &app,
            "UPDATE intakes SET enrolment_closes_on = '2026-11-01' WHERE code = 'A06'",
        )
        .await;
        let e = register_group(
            &app.db.pool,
            SLUG,
            INTAKE,
            &staff(2, "late"),
            &by,
            (false, caps(&app)),
            &TODAY.to_string(),
            &app.state.links,
        )
        .await
        .unwrap_err();
        assert!(matches!(e, RegisterError::WindowClosed), "{e:?}");
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM registrations").await, 0);
        app.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_group_of_50_racing_100_learners_never_overbooks() {
    for backend in backends() {
        let app = Arc::new(TestApp::seeded(backend).await);
        let by = employer(&app).await;
        set_capacity(&app, 10, 20).await;
        let rows = staff(50, "racegroup");
        let learners = staff(100, "racesolo");
        let caps = Caps {
            active_per_email: 100,
            emails_per_day: 100,
        };
        // Everyone starts together: half the learners, the group, the other half.
        let start = Arc::new(tokio::sync::Barrier::new(101));
        let mut solo = Vec::new();
        let mut group_task = None;
        for (i, v) in learners.into_iter().enumerate() {
            if i == 50 {
                let (app, by, rows, start) = (app.clone(), by.clone(), rows.clone(), start.clone());
                group_task = Some(tokio::spawn(async move {
                    start.wait().await;
                    group(&app, &by, &rows, false).await
                }));
            }
            let (app, start) = (app.clone(), start.clone());
            solo.push(tokio::spawn(async move {
                start.wait().await;
                register(
                    &app.db.pool,
                    SLUG,
                    &v,
                    &TODAY.to_string(),
                    &app.state.links,
                    caps,
                )
                .await
            }));
        }
        let out = group_task.expect("spawned").await.unwrap();
        let mut solo_placed = 0;
        for s in solo {
            match s.await.unwrap() {
                Ok(_) => solo_placed += 1,
                // Every refusal says why: full.
                Err(RegisterError::Full) => {}
                Err(e) => panic!("{backend:?}: unexplained refusal {e:?}"),
            }
        }
        let group_placed = out
            .rows
            .iter()
            .filter(|r| matches!(r, RowResult::Placed(_)))
            .count();
        assert!(out
            .rows
            .iter()
            .all(|r| matches!(r, RowResult::Placed(_) | RowResult::Full)));
        assert_eq!(solo_placed + group_placed, 30, "{backend:?}");
        let count = |sql: &'static str| scalar(&app, sql);
        assert_eq!(
            count("SELECT COUNT(*) FROM registrations WHERE status = 'confirmed'").await,
            10
        );
        assert_eq!(
            count("SELECT COUNT(*) FROM registrations WHERE status = 'waitlisted'").await,
            20
        );
        assert_eq!(
            count("SELECT seats_taken FROM intakes WHERE code = 'A06'").await,
            10
        );
        eprintln!("{backend:?}: group placed {group_placed}, learners alone {solo_placed}");
        Arc::into_inner(app).expect("one owner").finish().await;
    }
}

#[tokio::test]
async fn a_row_whose_address_has_had_its_emails_for_the_day_is_refused_alone() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let by = employer(&app).await;
        let stranger = staff(1, "stranger");
        let colleague = staff(2, "colleague");
        // "Register, withdraw, register again" mails the same person each time, until the
        // day's cap for their address.
        let cap = caps(&app).emails_per_day;
        for _ in 0..cap {
            let out = group(&app, &by, &stranger, false).await;
            assert!(matches!(out.rows[0], RowResult::Placed(_)), "{backend:?}");
            exec(&app, "UPDATE registrations SET status = 'withdrawn'").await;
        }
        let rows = [stranger[0].clone(), colleague[1].clone()];
        let out = group(&app, &by, &rows, false).await;
        assert_eq!(out.rows[0], RowResult::TooManyEmails, "{backend:?}");
        assert!(
            matches!(out.rows[1], RowResult::Placed(_)),
            "{backend:?}: others still go"
        );
        let mails = "SELECT COUNT(*) FROM outbox WHERE recipient LIKE 'stranger%'";
        assert_eq!(
            scalar(&app, mails).await,
            cap,
            "{backend:?}: no mail past the cap"
        );
        app.finish().await;
    }
}
