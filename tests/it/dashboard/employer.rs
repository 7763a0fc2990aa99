//! An employer's coordinator and the staff they enrolled as a group (issue 10): they see
//! and withdraw their own people, may take no other action, and get nothing of another
//! employer's group or of learners who registered alone, through every action route.

use axum::http::StatusCode;
use tohu::registration::server::caps::Caps;
use tohu::registration::server::group::store::{register_group, RowResult};
use tohu::registration::server::group::{check, parse};
use tohu::registration::server::place::Enroller;

use super::{call, coordinators, get, json, register};
use crate::common::forms::{scalar, INTAKE, SLUG};
use crate::common::{backends, TestApp, TODAY};

const ACT: &str = "/api/dashboard/registration/act";
const BULK: &str = "/api/dashboard/registrations/change";

/// Enrols two staff as a group for the employer account `email`; their references.
pub(super) async fn group_for(app: &TestApp, email: &str, tag: &str) -> Vec<String> {
    let (user_id, org_id, org_name): (i64, i64, String) = sqlx::query_as(
        "SELECT u.id, o.id, o.name FROM users u JOIN organisations o ON o.id = u.organisation_id \
         WHERE u.email = $1",
    )
    .bind(email.to_owned())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let list = format!(
        "Given name,Family name,Email,Region\nAni,Crew,{tag}1@example.co.nz,Gisborne\n\
         Rua,Crew,{tag}2@example.co.nz,Gisborne\n"
    );
    let rows: Vec<_> = check(
        parse(list.as_bytes()).unwrap(),
        INTAKE,
        &org_name,
        &TODAY.to_string(),
    )
    .into_iter()
    .map(|c| c.result.unwrap())
    .collect();
    let by = Enroller::Employer {
        org_id,
        org_name,
        user_id,
    };
    let out = register_group(
        &app.db.pool,
        SLUG,
        INTAKE,
        &rows,
        &by,
        (false, Caps::from(app.state.config.as_ref())),
        &TODAY.to_string(),
        &app.state.links,
    )
    .await
    .unwrap();
    out.rows
        .into_iter()
        .map(|r| match r {
            RowResult::Placed(o) => o.reference,
            other => panic!("{other:?}"),
        })
        .collect()
}

/// One action on one registration, with a reason, as the signed-in `cookie`.
async fn act(
    app: &TestApp,
    cookie: &str,
    reference: &str,
    action: &str,
) -> crate::common::Response {
    let args = [
        ("reference", reference),
        ("action", action),
        ("reason", "Left the crew"),
    ];
    call(app, Some(cookie), ACT, &args).await
}

#[tokio::test]
async fn an_employer_withdraws_their_own_staff_and_nothing_else() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        tohu::auth::server::users::add_user(
            &app.db.pool,
            "rival@example.co.nz",
            "Rival",
            tohu::auth::types::Role::Employer,
            Some("Rival Forestry"),
            super::PASSWORD,
        )
        .await
        .unwrap();
        let rival = super::sign_in(&app, "rival@example.co.nz").await;
        let ours = group_for(&app, "employer@example.co.nz", "pine").await;
        let theirs = group_for(&app, "rival@example.co.nz", "rival").await;
        let alone = register(&app, "alone@example.co.nz").await;

        // The table shows their two, and offers them one change: withdraw.
        let page = get(
            &app,
            Some(&c.employer),
            "/api/dashboard/registrations?query[q]=&query[page]=1",
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let page = json(&page);
        let refs: Vec<&str> = page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["reference"].as_str().unwrap())
            .collect();
        assert_eq!(refs.len(), 2, "{backend:?}: {refs:?}");
        assert!(ours.iter().all(|r| refs.contains(&r.as_str())));
        assert_eq!(page["actions"], serde_json::json!(["withdraw"]));

        // Another employer's staff and a learner who came alone: not found, unchanged.
        for reference in [&theirs[0], &alone] {
            let res = act(&app, &c.employer, reference, "withdraw").await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{backend:?} {reference}");
        }
        let bulk = call(
            &app,
            Some(&c.employer),
            BULK,
            &[
                ("references[0]", &theirs[1]),
                ("references[1]", &alone),
                ("action", "withdraw"),
                ("reason", "Left us"),
            ],
        )
        .await;
        let withdrawn = "SELECT COUNT(*) FROM registrations WHERE status = 'withdrawn'";
        assert_eq!(scalar(&app, withdrawn).await, 0, "{}", bulk.body);

        // Any other action: refused for the role.
        let complete = act(&app, &c.employer, &ours[0], "complete").await;
        assert_eq!(complete.status, StatusCode::FORBIDDEN);

        // Their own: withdrawn, the seat given back; the rival cannot touch ours.
        let res = act(&app, &rival, &ours[0], "withdraw").await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let seats = scalar(&app, "SELECT seats_taken FROM intakes WHERE code = 'A06'").await;
        let res = act(&app, &c.employer, &ours[0], "withdraw").await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        assert_eq!(
            scalar(&app, "SELECT seats_taken FROM intakes WHERE code = 'A06'").await,
            seats - 1
        );
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM registrations WHERE status = 'withdrawn'"
            )
            .await,
            1
        );
        app.finish().await;
    }
}

/// Issue 27: a provider's notes on a learner's timeline are the provider's. The employer
/// who enrolled the learner reads the rest of the timeline (status changes, an email sent
/// again) but never a note, on the page or through its server function.
#[tokio::test]
async fn an_employer_never_reads_the_providers_notes() {
    const NOTE: &str = "Asked about their drug test; follow up before the start";
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let ours = group_for(&app, "employer@example.co.nz", "pine").await;
        for (action, reason) in [("note", NOTE), ("resend", "")] {
            let args = [
                ("reference", ours[0].as_str()),
                ("action", action),
                ("reason", reason),
            ];
            let res = call(&app, Some(&c.own), ACT, &args).await;
            assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        }
        let page = format!("/dashboard/registrations/{}", ours[0]);
        let data = format!("/api/dashboard/registration?reference={}", ours[0]);

        // The provider reads the note.
        let provider = get(&app, Some(&c.own), &page).await;
        assert_eq!(provider.status, StatusCode::OK, "{backend:?}");
        assert!(provider.text().contains(NOTE), "{backend:?}");
        let kinds = |res: &crate::common::Response| -> Vec<String> {
            json(res)["timeline"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["kind"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            kinds(&get(&app, Some(&c.own), &data).await),
            ["status", "note", "email"],
            "{backend:?}"
        );

        // The employer reads the registration and the rest of its timeline, not the note.
        let employer = get(&app, Some(&c.employer), &page).await;
        assert_eq!(employer.status, StatusCode::OK, "{backend:?}");
        let text = employer.text();
        assert!(!text.contains(NOTE), "{backend:?}: {text}");
        assert!(
            text.contains("Registered: Confirmed"),
            "{backend:?}: {text}"
        );
        assert!(
            text.contains("Confirmation email sent again"),
            "{backend:?}"
        );
        let res = get(&app, Some(&c.employer), &data).await;
        assert!(!res.body.contains(NOTE), "{backend:?}: {}", res.body);
        assert_eq!(kinds(&res), ["status", "email"], "{backend:?}");
        app.finish().await;
    }
}
