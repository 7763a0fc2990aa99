//! The coordinators' dashboard: every server function and page refuses strangers and shows
//! each organisation only its own rows; actions, intakes, export and overview do what a
//! coordinator expects on both databases.

mod accounts;
pub(crate) mod actions;
pub(crate) mod catalogue;
mod employer;
mod export;
mod group_limit;
mod group_page;
mod guarded;
mod intakes;
mod overview;
mod registrations;
mod tallies;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tohu::auth::server::users::add_user;
use tohu::auth::types::Role;

use crate::common::forms::{as_refs, body, learner, post_form};
use crate::common::{Response, TestApp};

pub const PASSWORD: &str = "harakeke-weaving-77";
/// The seed's intakes belong to this provider (created by the import).
pub const PROVIDER: &str = "Tohu Training (sample provider)";

/// Session cookies of a coordinator of the seed's provider, of another provider, of an
/// employer, and of an admin.
pub struct Coordinators {
    pub own: String,
    pub other: String,
    pub employer: String,
    pub admin: String,
}

pub async fn coordinators(app: &TestApp) -> Coordinators {
    for (email, role, org) in [
        ("own@example.co.nz", Role::Provider, Some(PROVIDER)),
        (
            "other@example.co.nz",
            Role::Provider,
            Some("Another Polytechnic"),
        ),
        (
            "employer@example.co.nz",
            Role::Employer,
            Some("Pine Crew Ltd"),
        ),
        ("boss@example.co.nz", Role::Admin, None),
    ] {
        add_user(&app.db.pool, email, "Mere Coordinator", role, org, PASSWORD)
            .await
            .unwrap();
    }
    Coordinators {
        own: sign_in(app, "own@example.co.nz").await,
        other: sign_in(app, "other@example.co.nz").await,
        employer: sign_in(app, "employer@example.co.nz").await,
        admin: sign_in(app, "boss@example.co.nz").await,
    }
}

pub async fn sign_in(app: &TestApp, email: &str) -> String {
    let req = Request::post("/sign-in")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body(&[
            ("email", email),
            ("password", PASSWORD),
        ])))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.cookie("tohu_session").expect("a session cookie")
}

/// Registers a learner for the seed's intake A06 without JavaScript; their reference.
pub async fn register(app: &TestApp, email: &str) -> String {
    let res = post_form(app, &as_refs(&learner(email))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let location = res.headers[header::LOCATION].to_str().unwrap();
    location
        .trim_start_matches("/registrations/")
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

/// POSTs a server function's form arguments as the browser's client does.
pub async fn call(
    app: &TestApp,
    cookie: Option<&str>,
    path: &str,
    args: &[(&str, &str)],
) -> Response {
    let mut req = Request::post(path).header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app.send(req.body(Body::from(body(args))).unwrap()).await
}

/// GETs a page (as a browser, accepting HTML) or a GET server function (as the browser's
/// server-function client: a plain-form request accepting HTML would be redirected).
pub async fn get(app: &TestApp, cookie: Option<&str>, uri: &str) -> Response {
    let accept = if uri.starts_with("/api/") {
        "application/json"
    } else {
        "text/html"
    };
    let mut req = Request::get(uri).header(header::ACCEPT, accept);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

pub fn json(res: &Response) -> serde_json::Value {
    serde_json::from_str(&res.body).unwrap_or_else(|_| panic!("JSON: {} {}", res.status, res.body))
}
