//! Every dashboard server function and page, found by enumeration rather than listed by
//! hand: nobody signed in gets 401 (or the sign-in page), and another organisation's
//! coordinator gets none of the rows: another provider's none of a provider's learners,
//! another employer's none of an employer's staff. A new endpoint without a case here
//! fails the test.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use leptos_axum::generate_route_list;
use tohu::app::App;
use tohu::auth::server::users::add_user;
use tohu::auth::types::Role;

use super::employer::group_for;
use crate::common::forms::{as_refs, body, learner, post_form};
use crate::common::{backends, TestApp};

const PASSWORD: &str = "kererū-in-the-kōwhai";
const LEARNER: &str = "guarded-learner@example.co.nz";

/// Arguments that make a valid call of each dashboard server function. Add one here for
/// every new function: the test refuses any it does not know.
/// `{reference}` and `{intake}` stand for a registration and an intake of the seed's
/// provider (not the other coordinator's).
fn call_args(path: &str) -> Option<&'static str> {
    match path {
        "/api/dashboard/overview" => Some(""),
        "/api/dashboard/registrations" => Some("query[q]=&query[page]=1"),
        "/api/dashboard/registration" => Some("reference={reference}"),
        "/api/dashboard/registration/act" => Some("reference={reference}&action=note&reason=probe"),
        "/api/dashboard/registrations/change" => {
            Some("references[0]={reference}&action=withdraw&reason=probe")
        }
        "/api/dashboard/intakes" => Some(""),
        "/api/dashboard/intake" => Some("id={intake}"),
        "/api/dashboard/intake/change" => Some(
            "id={intake}&change[capacity]=0&change[starts_on]=2027-01-01\
             &change[ends_on]=2027-01-02&change[enrolment_closes_on]=2026-12-01",
        ),
        "/api/dashboard/intake/close" => Some("id={intake}&cancel=true&reason=probe"),
        "/api/dashboard/users" => Some(""),
        "/api/dashboard/users/add" => {
            Some("account[email]=probe@example.co.nz&account[name]=Probe&account[role]=admin")
        }
        "/api/dashboard/users/access" => Some("id=1&disabled=true"),
        "/api/dashboard/completions" => Some(""),
        "/api/dashboard/catalogue" => Some(""),
        "/api/dashboard/catalogue/record" => Some("kind=intake&key={intake}"),
        "/api/dashboard/catalogue/save" => Some(
            "kind=intake&key={intake}&version=1&values[capacity]=0&values[region]=probe\
             &values[starts]=2027-01-01&values[ends]=2027-01-02&values[enrolment_opens]=2026-01-01\
             &values[enrolment_closes]=2026-12-01&values[delivery_mode]=online&values[fee]=0",
        ),
        "/api/dashboard/completions/reported" => {
            Some("ids[0]=00000000-0000-4000-8000-000000000000")
        }
        _ => None,
    }
}

fn request(method: &Method, path: &str, args: &str, cookie: Option<&str>) -> Request<Body> {
    let builder = if *method == Method::GET {
        Request::get(format!("{path}?{args}"))
    } else {
        Request::post(path).header("content-type", "application/x-www-form-urlencoded")
    };
    let builder = match cookie {
        Some(c) => builder.header(header::COOKIE, c),
        None => builder,
    };
    let payload = if *method == Method::GET {
        String::new()
    } else {
        args.to_owned()
    };
    builder.body(Body::from(payload)).unwrap()
}

/// A session cookie for `email`, signed in through the real route.
async fn cookie_of(app: &TestApp, email: &str) -> String {
    let signed_in = app
        .send(
            Request::post("/sign-in")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body(&[
                    ("email", email),
                    ("password", PASSWORD),
                ])))
                .unwrap(),
        )
        .await;
    signed_in.cookie("tohu_session").expect("a session cookie")
}

/// One organisation's row and the stranger who must not reach it: the row's reference, an
/// email only that row holds, and the stranger's session.
struct Probe {
    who: &'static str,
    reference: String,
    secret: String,
    stranger: String,
}

#[tokio::test]
async fn every_dashboard_endpoint_refuses_strangers_and_other_organisations() {
    let functions: Vec<(&str, Method)> = leptos::server_fn::axum::server_fn_paths()
        .filter(|(path, _)| path.starts_with("/api/dashboard/"))
        .collect();
    assert!(!functions.is_empty(), "the dashboard has server functions");
    let mut pages: Vec<String> = generate_route_list(App)
        .iter()
        .map(|r| r.path().to_owned())
        .filter(|p| p.starts_with("/dashboard"))
        .collect();
    assert!(pages.len() >= 5, "{pages:?}");
    // The dashboard's plain axum routes (the CSV export) are listed by the module itself.
    pages.extend(
        tohu::dashboard::server::export::ROUTES
            .iter()
            .map(|r| r.to_string()),
    );

    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        for (email, role, org) in [
            ("other@example.co.nz", Role::Provider, "Another Polytechnic"),
            ("crew@example.co.nz", Role::Employer, "Pine Crew Ltd"),
            ("rival@example.co.nz", Role::Employer, "Rival Crew Ltd"),
        ] {
            add_user(&app.db.pool, email, "Other", role, Some(org), PASSWORD)
                .await
                .unwrap();
        }
        let posted = post_form(&app, &as_refs(&learner(LEARNER))).await;
        assert_eq!(posted.status, StatusCode::SEE_OTHER);
        let learners = posted.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .trim_start_matches("/registrations/")
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        // Pine Crew's staff, enrolled as a group: another employer must reach none of them.
        let crews = group_for(&app, "crew@example.co.nz", "guarded-crew").await;
        let probes = [
            Probe {
                who: "another provider",
                reference: learners,
                secret: LEARNER.to_owned(),
                stranger: cookie_of(&app, "other@example.co.nz").await,
            },
            Probe {
                who: "another employer",
                reference: crews[0].clone(),
                secret: "guarded-crew1@example.co.nz".to_owned(),
                stranger: cookie_of(&app, "rival@example.co.nz").await,
            },
        ];
        for probe in &probes {
            let (backend, who, reference) = (backend, probe.who, probe.reference.as_str());
            let intake: i64 =
                sqlx::query_scalar("SELECT intake_id FROM registrations WHERE reference = $1")
                    .bind(reference.to_owned())
                    .fetch_one(&app.db.pool)
                    .await
                    .unwrap();
            let fill = |s: &str| {
                s.replace("{reference}", reference)
                    .replace(":reference", reference)
                    .replace("{intake}", &intake.to_string())
                    .replace(":id", &intake.to_string())
                    .replace("{id}", &intake.to_string())
                    .replace(":kind", "intake")
                    .replace("{kind}", "intake")
                    .replace(":key", &intake.to_string())
                    .replace("{key}", &intake.to_string())
            };
            for (path, method) in &functions {
                let args = fill(
                    call_args(path).unwrap_or_else(|| panic!("no test case for {path}: add one")),
                );
                let args = args.as_str();
                let anonymous = app.send(request(method, path, args, None)).await;
                assert_eq!(
                    anonymous.status,
                    StatusCode::UNAUTHORIZED,
                    "{backend:?} {path}: {}",
                    anonymous.body
                );
                let res = app
                    .send(request(method, path, args, Some(&probe.stranger)))
                    .await;
                assert!(
                    matches!(
                        res.status,
                        StatusCode::OK | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
                    ),
                    "{backend:?} {who} {path}: {}",
                    res.status
                );
                assert!(
                    !res.body.contains(&probe.secret),
                    "{backend:?} {who} {path} leaked a row: {}",
                    res.body
                );
            }
            // Nothing the stranger sent changed anything of the row's organisation.
            let unchanged: (String, i64) = sqlx::query_as(
                "SELECT r.status, i.capacity FROM registrations r \
                 JOIN intakes i ON i.id = r.intake_id WHERE r.reference = $1",
            )
            .bind(reference.to_owned())
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            assert_eq!(unchanged.0, "confirmed", "{backend:?} {who}");
            assert!(unchanged.1 > 0, "{backend:?} {who}");
            let notes: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM registration_events WHERE reason = 'probe'",
            )
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            assert_eq!(notes, 0, "{backend:?} {who}");
            for page in &pages {
                let page = fill(page);
                let get = |cookie: Option<&str>| {
                    let b = Request::get(page.as_str()).header(header::ACCEPT, "text/html");
                    let b = match cookie {
                        Some(c) => b.header(header::COOKIE, c),
                        None => b,
                    };
                    b.body(Body::empty()).unwrap()
                };
                let anonymous = app.send(get(None)).await;
                assert!(
                    anonymous.status.is_redirection(),
                    "{backend:?} {page}: {}",
                    anonymous.status
                );
                // To sign in, and back here afterwards.
                let expected = match page.as_str() {
                    "/dashboard" => "/sign-in".to_owned(),
                    other => format!("/sign-in?next={}", percent_encoded(other)),
                };
                assert_eq!(
                    anonymous.headers[header::LOCATION],
                    expected.as_str(),
                    "{page}"
                );
                let res = app.send(get(Some(&probe.stranger))).await;
                assert!(
                    !res.body.contains(&probe.secret),
                    "{backend:?} {who} {page} leaked a row"
                );
            }
        }
        app.finish().await;
    }
}

/// `s` as a query value: every byte but RFC 3986's unreserved ones as `%XX`.
fn percent_encoded(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
