//! Registering for an intake through the real router, on SQLite and PostgreSQL.

use crate::common::forms::{as_refs, body, learner, post_form, scalar, set_capacity, INTAKE, SLUG};
use crate::common::{backends, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode};

#[tokio::test]
async fn register_without_javascript_then_see_the_confirmation() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let res = post_form(&app, &as_refs(&learner("mahina@example.co.nz"))).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            res.body
        );
        let location = res.headers["location"].to_str().unwrap().to_owned();
        assert!(location.starts_with("/registrations/TOHU-"), "{location}");
        let page = app.get(&location).await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        assert!(text.contains("You're registered"), "{text}");
        assert!(text.contains("Demonstrate basic chainsaw operation"));
        assert!(text.contains("Māhina Ngāti Tūhoe"));
        // Without the token, the reference alone shows nothing.
        let reference = location.split(['/', '?']).nth(2).unwrap();
        let page = app
            .get(&format!("/registrations/{reference}?token=guess"))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        // One confirmation email queued in the same transaction; the seat is counted.
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox").await, 1);
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM registration_events").await,
            1
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_mistake_keeps_every_typed_value_and_names_the_field() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let mut fields = learner("not-an-email");
        fields.push(("employer", "Te Uru Rākau & Sons <Ltd>".into()));
        fields.retain(|(k, v)| *k != "employer" || !v.is_empty());
        let res = post_form(&app, &as_refs(&fields)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        let text = res.text();
        assert!(
            text.contains("Enter an email address like name@example.co.nz."),
            "{text}"
        );
        assert!(text.contains("value=\"Māhina\""), "given name kept");
        assert!(text.contains("value=\"not-an-email\""), "email kept");
        assert!(text.contains("value=\"1990-04-23\""), "date of birth kept");
        assert!(
            text.contains("Te Uru Rākau &amp; Sons &lt;Ltd&gt;"),
            "employer kept, escaped"
        );
        assert!(
            text.contains("value=\"Bay of Plenty\" selected"),
            "region kept: {text}"
        );
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM registrations").await, 0);
        app.finish().await;
    }
}

#[tokio::test]
async fn the_same_email_cannot_register_twice_for_an_intake() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let first = post_form(&app, &as_refs(&learner("aroha@example.co.nz"))).await;
        assert_eq!(first.status, StatusCode::SEE_OTHER);
        let again = post_form(&app, &as_refs(&learner("AROHA@example.co.nz"))).await;
        assert_eq!(
            again.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend:?}"
        );
        assert!(again
            .text()
            .contains("You are already registered for this intake"));
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM registrations").await, 1);
        app.finish().await;
    }
}

/// The learner's form posted to the server function, as the hydrated page sends it.
fn server_fn_request(email: &str) -> Request<Body> {
    let fields = learner(email);
    let mut args: Vec<(String, &str)> = vec![("slug".into(), SLUG)];
    for (k, v) in &fields {
        args.push((format!("form[{k}]"), v.as_str()));
    }
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    Request::post("/api/registration/register")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body(&args)))
        .expect("request")
}

async fn register_through_server_fn(app: &TestApp, email: &str) -> crate::common::Response {
    app.send(server_fn_request(email)).await
}

/// What the browser's server-function client does with a non-2xx answer: decode the body as
/// the error type. Each refusal only the server can decide must decode to its field message
/// (issue 7: they decoded as "That request could not be understood").
#[tokio::test]
async fn server_decided_refusals_reach_the_browser_client_with_their_field() {
    use leptos::server_fn::error::FromServerFnError;
    use tohu::error::AppError;
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let first = register_through_server_fn(&app, "tui@example.co.nz").await;
        assert_eq!(first.status, StatusCode::OK, "{backend:?}: {}", first.body);

        let mut refusals = vec![("email", "already registered", {
            register_through_server_fn(&app, "TUI@example.co.nz").await
        })];
        set_capacity(&app, 1, 0).await;
        refusals.push(("intake", "waitlist are full", {
            register_through_server_fn(&app, "late@example.co.nz").await
        }));
        sqlx::query("UPDATE intakes SET enrolment_closes_on = '2026-11-01' WHERE code = $1")
            .bind(INTAKE)
            .execute(&app.db.pool)
            .await
            .expect("close enrolment");
        refusals.push(("intake", "Enrolment for this intake is not open", {
            register_through_server_fn(&app, "closed@example.co.nz").await
        }));
        for (field, words, res) in refusals {
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
            match AppError::de(res.body.clone().into()) {
                AppError::Refused { errors, .. } => {
                    assert_eq!(errors.len(), 1, "{}", res.body);
                    assert_eq!(errors[0].field, field, "{}", res.body);
                    assert!(errors[0].message.contains(words), "{}", res.body);
                }
                other => panic!("{backend:?}: decoded as {other:?} from {}", res.body),
            }
        }
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM registrations").await, 1);
        app.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn last_seats_under_200_concurrent_registrations() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        set_capacity(&app, 10, 20).await;
        let mut tasks = Vec::new();
        for n in 0..200 {
            let router = app.router.clone();
            tasks.push(tokio::spawn(async move {
                // Through the server function (the hydrated form's path). The no-JavaScript
                // path under the same load runs against the real binary in server_process.rs:
                // in-process, concurrent renders can stall when other tests' runtimes share
                // Leptos's globals (docs/decisions/0006).
                let req = server_fn_request(&format!("learner{n}@example.co.nz"));
                let res = tower::ServiceExt::oneshot(router, req)
                    .await
                    .expect("response");
                res.status()
            }));
        }
        let mut registered = 0;
        let mut refused = 0;
        for t in tasks {
            match t.await.expect("task") {
                StatusCode::OK => registered += 1,
                StatusCode::UNPROCESSABLE_ENTITY => refused += 1,
                other => panic!("{backend:?}: unexpected {other}"),
            }
        }
        assert_eq!((registered, refused), (30, 170), "{backend:?}");
        let confirmed = scalar(
            &app,
            "SELECT COUNT(*) FROM registrations WHERE status = 'confirmed'",
        )
        .await;
        let waitlisted = scalar(
            &app,
            "SELECT COUNT(*) FROM registrations WHERE status = 'waitlisted'",
        )
        .await;
        assert_eq!((confirmed, waitlisted), (10, 20), "{backend:?}");
        let taken = scalar(&app, "SELECT seats_taken FROM intakes WHERE code = 'A06'").await;
        assert_eq!(taken, confirmed, "the seat counter equals the rows");
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM outbox").await,
            30,
            "one email each"
        );
        // The detail page shows the intake as full.
        let page = app.get(&format!("/credentials/{SLUG}")).await.text();
        let figure = page
            .split_once(r#"data-intake="A06""#)
            .and_then(|(_, rest)| rest.split_once('>'))
            .and_then(|(_, rest)| rest.split_once('<'))
            .map(|(text, _)| text);
        assert_eq!(figure, Some("Full"), "{backend:?}");
        app.finish().await;
    }
}

#[tokio::test]
async fn cancelling_frees_the_seat_for_the_first_on_the_waitlist() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        set_capacity(&app, 1, 2).await;
        let first = post_form(&app, &as_refs(&learner("first@example.co.nz"))).await;
        let second = post_form(&app, &as_refs(&learner("second@example.co.nz"))).await;
        let second_link = second.headers["location"].to_str().unwrap().to_owned();
        assert!(app
            .get(&second_link)
            .await
            .text()
            .contains("You are number 1 on the waitlist"));
        let link = first.headers["location"].to_str().unwrap().to_owned();
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
        assert!(
            res.status.is_success() || res.status.is_redirection(),
            "{backend:?}: {}",
            res.status
        );
        assert!(app
            .get(&link)
            .await
            .text()
            .contains("Registration cancelled"));
        assert!(
            app.get(&second_link)
                .await
                .text()
                .contains("You're registered"),
            "promoted"
        );
        assert_eq!(
            scalar(&app, "SELECT seats_taken FROM intakes WHERE code = 'A06'").await,
            1
        );
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'promoted:%'"
            )
            .await,
            1
        );
        // A wrong token cancels nothing.
        let req = Request::post("/api/registration/cancel")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body(&[
                ("reference", reference),
                ("token", "wrong"),
            ])))
            .unwrap();
        assert_eq!(app.send(req).await.status, StatusCode::NOT_FOUND);
        app.finish().await;
    }
}

#[tokio::test]
async fn hostile_input_straight_to_the_server_function_is_refused_cleanly() {
    let long = "x".repeat(5_000);
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![
            ("slug", SLUG),
            ("form[intake]", INTAKE),
            ("form[given_name]", "<script>alert(1)</script>"),
        ],
        vec![
            ("slug", SLUG),
            ("form[given_name]", long.as_str()),
            ("form[email]", long.as_str()),
        ],
        vec![
            ("slug", SLUG),
            ("form[given_name]", "\u{202E}reversed"),
            ("form[email]", "a@b.nz'; DROP TABLE registrations;--"),
        ],
        vec![
            ("slug", SLUG),
            ("form[given_name]", "😀"),
            ("form[nsn]", "12345678901234"),
            ("form[date_of_birth]", "1990-02-30"),
        ],
        vec![("slug", "'; DROP TABLE intakes;--")],
        vec![("slug", SLUG), ("form", "not a struct")],
        vec![],
    ];
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        for case in &cases {
            let req = Request::post("/api/registration/register")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body(case)))
                .unwrap();
            let res = app.send(req).await;
            assert!(
                res.status == StatusCode::UNPROCESSABLE_ENTITY
                    || res.status == StatusCode::BAD_REQUEST,
                "{backend:?} {case:?}: {} {}",
                res.status,
                res.body
            );
            assert!(!res.body.contains("<script>alert"), "nothing echoed raw");
        }
        // A field error names its field.
        let req = Request::post("/api/registration/register")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body(&[("slug", SLUG), ("form[email]", "nope")])))
            .unwrap();
        let res = app.send(req).await;
        assert!(res.body.contains("\"field\":\"email\""), "{}", res.body);
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM registrations").await,
            0,
            "{backend:?}"
        );
        app.finish().await;
    }
}

/// Characters that pass the browser's rules but hide text (an invisible separator, a line
/// separator, a private-use character) are refused by the server at their field, and the
/// form keeps what was typed.
#[tokio::test]
async fn hidden_characters_in_a_name_are_refused_at_the_field() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let mut fields = learner("hidden@example.co.nz");
        for f in fields.iter_mut() {
            match f.0 {
                "given_name" => f.1 = "Mere\u{2063}".into(),
                "family_name" => f.1 = "Pa\u{2028}rata".into(),
                "employer" => f.1 = "Acme \u{E000}".into(),
                _ => {}
            }
        }
        let res = post_form(&app, &as_refs(&fields)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        let text = res.text();
        for label in ["Your given name", "Your family name", "Employer"] {
            assert!(
                text.contains(&format!("{label} contains a hidden or unusual character.")),
                "{backend:?} {label}: {text}"
            );
        }
        assert!(
            text.contains("value=\"hidden@example.co.nz\""),
            "typed email kept"
        );
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM registrations").await, 0);
        app.finish().await;
    }
}
