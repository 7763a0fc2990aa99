//! The registrations table's server function: 401 for nobody, 0 rows of another
//! organisation, every row for an admin, filters; on both databases.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tohu::auth::server::users::add_user;
use tohu::auth::types::Role;

use crate::common::forms::{as_refs, learner, post_form};
use crate::common::{backends, Response, TestApp};
use crate::dashboard::{sign_in, PASSWORD};

async fn list(app: &TestApp, cookie: Option<&str>, query: &str) -> Response {
    let query = if query.is_empty() {
        "query[q]=&query[page]=1"
    } else {
        query
    };
    let mut req = Request::get(format!("/api/dashboard/registrations?{query}"));
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

fn total(res: &Response) -> i64 {
    let v: serde_json::Value = serde_json::from_str(&res.body).expect(&res.body);
    v["total"].as_i64().expect("total")
}

#[tokio::test]
async fn coordinators_see_only_their_organisations_registrations() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        // The seed's intakes belong to this provider (created by the import).
        let provider = "Tohu Training (sample provider)";
        for (email, role, org) in [
            ("own@example.co.nz", Role::Provider, Some(provider)),
            (
                "other@example.co.nz",
                Role::Provider,
                Some("Another Polytechnic"),
            ),
            ("boss@example.co.nz", Role::Admin, None),
            (
                "employer@example.co.nz",
                Role::Employer,
                Some("Pine Crew Ltd"),
            ),
        ] {
            add_user(&app.db.pool, email, "Coordinator", role, org, PASSWORD)
                .await
                .unwrap();
        }
        for n in 0..3 {
            let res = post_form(
                &app,
                &as_refs(&learner(&format!("learner{n}@example.co.nz"))),
            )
            .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER);
        }

        // Nobody signed in: 401, and no rows.
        let anonymous = list(&app, None, "").await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{backend:?}");
        assert!(!anonymous.body.contains("learner0"));

        let own = sign_in(&app, "own@example.co.nz").await;
        let res = list(&app, Some(&own), "").await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        assert_eq!(total(&res), 3);
        assert_eq!(res.headers[header::CACHE_CONTROL], "no-store");

        // Another provider, and an employer whose staff made none of these: 0 rows.
        for email in ["other@example.co.nz", "employer@example.co.nz"] {
            let cookie = sign_in(&app, email).await;
            let res = list(&app, Some(&cookie), "").await;
            assert_eq!(res.status, StatusCode::OK, "{backend:?} {email}");
            assert_eq!(total(&res), 0, "{backend:?} {email}: {}", res.body);
            assert!(!res.body.contains("learner0"));
        }

        let admin = sign_in(&app, "boss@example.co.nz").await;
        assert_eq!(total(&list(&app, Some(&admin), "").await), 3);

        // Filters: text (email, case-insensitive), status, and LIKE wildcards typed as text.
        let q = |s: &str| format!("query[q]={s}&query[page]=1");
        assert_eq!(total(&list(&app, Some(&own), &q("LEARNER1")).await), 1);
        assert_eq!(
            total(&list(&app, Some(&own), &q("%25")).await),
            0,
            "a % is text"
        );
        let waitlisted = "query[q]=&query[status]=Waitlisted&query[page]=1";
        assert_eq!(total(&list(&app, Some(&own), waitlisted).await), 0);
        // The other provider's text search finds nothing either.
        let other = sign_in(&app, "other@example.co.nz").await;
        assert_eq!(total(&list(&app, Some(&other), &q("learner1")).await), 0);

        // Registered from / to are New Zealand's days, as the table shows them: 10:30 UTC
        // on 7 December is 11:30 pm that day in NZDT, 11:30 UTC is 12:30 am on the 8th.
        for (n, at) in [
            (0, "2026-12-07T10:30:00Z"),
            (1, "2026-12-07T11:30:00Z"),
            (2, "2026-12-09T00:00:00Z"),
        ] {
            sqlx::query("UPDATE registrations SET created_at = $1 WHERE email = $2")
                .bind(at)
                .bind(format!("learner{n}@example.co.nz"))
                .execute(&app.db.pool)
                .await
                .unwrap();
        }
        let days = |from: &str, to: &str| {
            format!("query[q]=&query[from]={from}&query[to]={to}&query[page]=1")
        };
        let on = |from: &'static str, to: &'static str, expect: &'static str| {
            let own = own.clone();
            let query = days(from, to);
            let app = &app;
            async move {
                let res = list(app, Some(&own), &query).await;
                let v: serde_json::Value = serde_json::from_str(&res.body).expect(&res.body);
                let emails: Vec<&str> = v["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["email"].as_str().unwrap())
                    .collect();
                assert_eq!(emails.join(","), expect, "{from}..{to}");
            }
        };
        on("2026-12-08", "2026-12-08", "learner1@example.co.nz").await;
        on("", "2026-12-07", "learner0@example.co.nz").await;
        on(
            "2026-12-08",
            "",
            "learner2@example.co.nz,learner1@example.co.nz",
        )
        .await;
        app.finish().await;
    }
}

#[tokio::test]
async fn the_registrations_page_sends_strangers_to_sign_in_and_shows_rows_to_the_provider() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        add_user(
            &app.db.pool,
            "own@example.co.nz",
            "Mere",
            Role::Provider,
            Some("Tohu Training (sample provider)"),
            PASSWORD,
        )
        .await
        .unwrap();
        post_form(&app, &as_refs(&learner("hemi@example.co.nz"))).await;
        let page = |cookie: Option<String>| {
            let mut req =
                Request::get("/dashboard/registrations?q=hemi").header(header::ACCEPT, "text/html");
            if let Some(c) = cookie {
                req = req.header(header::COOKIE, c);
            }
            req.body(Body::empty()).unwrap()
        };
        let anonymous = app.send(page(None)).await;
        assert!(
            anonymous.status.is_redirection(),
            "{backend:?}: {}",
            anonymous.status
        );
        let cookie = sign_in(&app, "own@example.co.nz").await;
        let res = app.send(page(Some(cookie))).await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}");
        assert!(res.text().contains("hemi@example.co.nz"), "{}", res.body);
        assert!(res.text().contains("1 registration"));
        app.finish().await;
    }
}
