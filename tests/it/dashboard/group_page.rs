//! The group registration page over the real router (issue 10): an employer's coordinator
//! checks a list (a preview that writes nothing, every problem tied to its line and
//! field), fixes it and registers it; an upload in the wrong encoding or over 1 MB is
//! refused with a message; nobody else may use the page or its POST.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use super::{coordinators, get};
use crate::common::forms::{scalar, set_capacity, INTAKE};
use crate::common::{backends, Response, TestApp};

const BOUNDARY: &str = "----tohu-test-boundary";
const PATH: &str = "/credentials/demonstrate-basic-chainsaw-operation/group";

/// A multipart body as a browser sends the form: text fields, then the file part.
fn multipart(fields: &[(&str, &str)], file: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in fields {
        out.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .into_bytes(),
        );
    }
    out.extend(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"{}\"\r\nContent-Type: text/csv\r\n\r\n",
            if file.is_empty() { "" } else { "staff.csv" }
        )
        .into_bytes(),
    );
    out.extend_from_slice(file);
    out.extend(format!("\r\n--{BOUNDARY}--\r\n").into_bytes());
    out
}

pub(super) async fn post(
    app: &TestApp,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    file: &[u8],
) -> Response {
    let mut req = Request::post(PATH)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::ACCEPT, "text/html");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app.send(req.body(Body::from(multipart(fields, file))).unwrap())
        .await
}

const GROUP: &str = "registrations WHERE employer_org_id IS NOT NULL";

fn list(bad_email: &str) -> String {
    format!(
        "Given name,Family name,Email,Region\n\
         Aroha,Ngata,aroha.crew@example.co.nz,Gisborne\n\
         Hēmi,Walker,hemi.crew@example.co.nz,Gisborne\n\
         Mere,Tūhoe,{bad_email},Gisborne\n\
         Tama,Parata,tama.crew@example.co.nz,Gisborne\n\
         Ana,Kōwhai,ana.crew@example.co.nz,Gisborne\n"
    )
}

#[tokio::test]
async fn check_fix_and_register_a_group_of_five() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let count = || scalar(&app, "SELECT COUNT(*) FROM registrations");
        let before = count().await;

        // The page: the employer's name and the intake to choose.
        let page = get(&app, Some(&c.employer), PATH).await;
        assert_eq!(page.status, StatusCode::OK, "{backend:?}");
        assert!(page
            .text()
            .contains("You are registering staff of Pine Crew Ltd"));
        // Personal: no cache keeps it, nor the answers to its POST below.
        assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
        assert!(page.body.contains("value=\"A06\""), "{backend:?}");

        // One bad row: 422, the problem on its line and field, the list kept, nothing written.
        let bad = list("mere.crew@");
        let fields = [
            ("intake", INTAKE),
            ("rows", bad.as_str()),
            ("step", "check"),
        ];
        let res = post(&app, Some(&c.employer), &fields, b"").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        let text = res.text();
        assert!(
            text.contains("1 of 5 rows need fixing"),
            "{backend:?}: {text}"
        );
        assert!(text.contains("Line 4, email:"), "{backend:?}: {text}");
        assert!(
            res.body.contains("Hēmi,Walker"),
            "the pasted list comes back as typed"
        );
        assert!(
            !res.body.contains("value=\"confirm\""),
            "no register button yet"
        );
        assert_eq!(
            count().await,
            before,
            "{backend:?}: a preview writes nothing"
        );

        // Fixed: every row ready, still nothing written.
        let good = list("mere.crew@example.co.nz");
        let fields = [
            ("intake", INTAKE),
            ("rows", good.as_str()),
            ("step", "check"),
        ];
        let res = post(&app, Some(&c.employer), &fields, b"").await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.text());
        assert!(res.text().contains("All 5 people are ready"));
        assert!(res.body.contains("Register 5 people"));
        assert_eq!(count().await, before, "{backend:?}");

        // Confirm without the attestation: refused at its checkbox.
        let fields = [
            ("intake", INTAKE),
            ("rows", good.as_str()),
            ("step", "confirm"),
        ];
        let res = post(&app, Some(&c.employer), &fields, b"").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().contains("agreed to the privacy statement"));
        assert_eq!(count().await, before, "{backend:?}");

        // Confirmed: five registrations of this employer, each emailed, the result per row.
        let fields = [
            ("intake", INTAKE),
            ("rows", good.as_str()),
            ("attest", "on"),
            ("step", "confirm"),
        ];
        let res = post(&app, Some(&c.employer), &fields, b"").await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.text());
        let text = res.text();
        assert!(text.contains("Your group is registered"), "{text}");
        assert!(
            text.contains("5 confirmed, 0 waitlisted, 0 refused"),
            "{text}"
        );
        assert!(res.body.contains("data:text/csv;charset=utf-8;base64,"));
        assert_eq!(res.headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(
            scalar(&app, &format!("SELECT COUNT(*) FROM {GROUP}")).await,
            5
        );
        let consented = "SELECT COUNT(*) FROM registrations WHERE consented_by_user_id IS NOT NULL";
        assert_eq!(scalar(&app, consented).await, 5, "{backend:?}");
        let emails = "SELECT COUNT(*) FROM outbox WHERE recipient LIKE '%.crew@example.co.nz'";
        assert_eq!(scalar(&app, emails).await, 5, "{backend:?}");

        // The same list again: each row refused as already registered, nothing new.
        let res = post(&app, Some(&c.employer), &fields, b"").await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}");
        assert!(res.text().contains("0 confirmed, 0 waitlisted, 5 refused"));
        assert_eq!(
            scalar(&app, &format!("SELECT COUNT(*) FROM {GROUP}")).await,
            5
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn all_or_none_writes_nothing_when_the_group_does_not_fit() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        set_capacity(&app, 3, 10).await;
        let good = list("mere.crew@example.co.nz");
        let fields = [
            ("intake", INTAKE),
            ("rows", good.as_str()),
            ("attest", "on"),
            ("all_or_none", "on"),
            ("step", "confirm"),
        ];
        let res = post(&app, Some(&c.employer), &fields, b"").await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{backend:?}");
        let text = res.text();
        assert!(
            text.contains("Only 3 of 5 people would get a seat"),
            "{text}"
        );
        assert!(
            text.contains("No seat: would have been waitlisted"),
            "{text}"
        );
        assert_eq!(
            scalar(&app, &format!("SELECT COUNT(*) FROM {GROUP}")).await,
            0
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn an_upload_in_another_encoding_or_over_1_mb_is_refused_with_a_message() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        // Windows-1252 "Kōwhai" cannot be written; its "é" is one byte 0xE9.
        let latin1 =
            b"Given name,Family name,Email,Region\nRen\xe9,Smith,rene@example.co.nz,Gisborne\n";
        let fields = [("intake", INTAKE), ("rows", ""), ("step", "check")];
        let res = post(&app, Some(&c.employer), &fields, latin1).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        assert!(res.text().contains("CSV UTF-8"), "{}", res.text());

        // A UTF-8 upload with a BOM and Windows line ends: its text comes back in the box.
        let bom = "\u{feff}Given name,Family name,Email,Region\r\nĀpera,Kōwhai,apera@example.co.nz,Gisborne\r\n";
        let res = post(&app, Some(&c.employer), &fields, bom.as_bytes()).await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.text());
        assert!(
            res.text().contains("The person on the list is ready"),
            "{}",
            res.text()
        );
        assert!(res.body.contains("Āpera,Kōwhai"));

        let big = vec![b'a'; 1024 * 1024 + 10];
        let res = post(&app, Some(&c.employer), &fields, &big).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        assert!(res.text().contains("over 1 MB"), "{}", res.text());
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM registrations").await, 0);
        app.finish().await;
    }
}

#[tokio::test]
async fn only_an_employer_coordinator_may_register_a_group() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let good = list("mere.crew@example.co.nz");
        let fields = [
            ("intake", INTAKE),
            ("rows", good.as_str()),
            ("attest", "on"),
            ("step", "confirm"),
        ];
        // Nobody signed in: sent to sign in, page and POST alike.
        let page = get(&app, None, PATH).await;
        assert_eq!(page.status, StatusCode::FOUND, "{backend:?}");
        let res = post(&app, None, &fields, b"").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{backend:?}");
        // A provider's coordinator and an admin: refused, page and POST alike.
        for cookie in [&c.own, &c.other, &c.admin] {
            let page = get(&app, Some(cookie), PATH).await;
            assert!(page.text().contains("for employers' training coordinators"));
            let res = post(&app, Some(cookie), &fields, b"").await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{backend:?}");
        }
        // The state the page is rendered with is never readable on its own: it has no
        // endpoint (it travels only inside the page a POST renders).
        let state = get(&app, Some(&c.employer), "/api/registration/group_state").await;
        assert_eq!(state.status, StatusCode::NOT_FOUND, "{backend:?}");
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM registrations").await, 0);
        app.finish().await;
    }
}
