//! A full intake answers every address the same way (issue 27), on both databases and both
//! paths: with seats and waitlist taken, an address registered there (confirmed or
//! waitlisted), one at its active-registrations cap and a stranger's get the same status
//! and the same refusal, so nobody learns who is registered without writing anything. The
//! cap's own message never says how many registrations an address holds.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use leptos::server_fn::error::FromServerFnError;
use tohu::error::AppError;

use crate::common::forms::{
    as_refs, body, learner, post_form, register_as, scalar, set_capacity, SLUG,
};
use crate::common::{backends, Response, TestApp, SEED, TODAY};

const SEATED: &str = "seated@example.co.nz";
const WAITING: &str = "waiting@example.co.nz";
const CAPPED: &str = "capped@example.co.nz";
const STRANGER: &str = "stranger@example.co.nz";

/// The hydrated form's call for `email`.
fn server_fn(email: &str) -> Request<Body> {
    let mut args: Vec<(String, String)> = vec![("slug".into(), SLUG.into())];
    for (k, v) in learner(email) {
        args.push((format!("form[{k}]"), v));
    }
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Request::post("/api/registration/register")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body(&args)))
        .unwrap()
}

/// The refusal the no-JavaScript page shows: its summary and every field's message.
fn refusal_text(res: &Response) -> String {
    let text = res.text();
    let start = text.find("id=\"error-summary\"").expect("an error summary");
    let end = start + text[start..].find("</div>").expect("its end");
    let mut shown = text[start..end].to_owned();
    for part in text.split("class=\"field-error\"").skip(1) {
        shown.push('|');
        shown.push_str(&part[..part.find("</p>").unwrap_or(0)]);
    }
    shown
}

/// The whole page with the typed address and the per-request nonce (Leptos writes it in
/// the preload links' `crossorigin` too) taken out.
fn page_without(res: &Response, email: &str) -> String {
    let mut page = res.text().replace(email, "EMAIL");
    for attribute in ["nonce=\"", "crossorigin=\""] {
        let mut from = 0;
        while let Some(at) = page[from..].find(attribute).map(|i| i + from) {
            let value = at + attribute.len();
            let end = value + page[value..].find('"').unwrap_or(0);
            page.replace_range(value..end, "");
            from = value;
        }
    }
    page
}

#[tokio::test]
async fn a_full_intake_answers_every_address_the_same_way() {
    for backend in backends() {
        let app = TestApp::empty_with(backend, |c| c.active_per_email = 1).await;
        app.import(SEED).await;
        // One address already at its cap, on another intake.
        let (slug, code): (String, String) = sqlx::query_as(
            "SELECT c.slug, i.code FROM intakes i JOIN credentials c ON c.id = i.credential_id \
             WHERE c.status = 'current' AND i.enrolment_opens_on <= $1 \
               AND i.enrolment_closes_on >= $1 AND i.code <> 'A06' ORDER BY i.id LIMIT 1",
        )
        .bind(TODAY.to_string())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let mut elsewhere = learner(CAPPED);
        elsewhere[0].1 = code;
        let req = Request::post(format!("/credentials/{slug}/register"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body(&as_refs(&elsewhere))))
            .unwrap();
        assert_eq!(app.send(req).await.status, StatusCode::SEE_OTHER);
        // The intake fills: one seat, one waitlist place.
        set_capacity(&app, 1, 1).await;
        register_as(&app, SEATED, "Ngāti Tūhoe").await;
        register_as(&app, WAITING, "Ngāti Tūhoe").await;
        let before = scalar(&app, "SELECT COUNT(*) FROM registrations").await;

        // Without JavaScript: the same status, the same refusal, the same page.
        let stranger = post_form(&app, &as_refs(&learner(STRANGER))).await;
        assert_eq!(
            stranger.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend:?}"
        );
        assert!(
            refusal_text(&stranger).contains("waitlist are full"),
            "{backend:?}: {}",
            refusal_text(&stranger)
        );
        for email in [SEATED, WAITING, CAPPED] {
            let res = post_form(&app, &as_refs(&learner(email))).await;
            assert_eq!(res.status, stranger.status, "{backend:?} {email}");
            assert_eq!(
                refusal_text(&res),
                refusal_text(&stranger),
                "{backend:?} {email}"
            );
            assert_eq!(
                page_without(&res, email),
                page_without(&stranger, STRANGER),
                "{backend:?} {email}"
            );
        }

        // The server function (the hydrated form's path): the same status and error.
        let stranger = app.send(server_fn(STRANGER)).await;
        assert_eq!(
            stranger.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend:?}"
        );
        let expected = AppError::de(stranger.body.clone().into());
        assert!(
            matches!(&expected, AppError::Refused { errors, .. } if errors[0].field == "intake"),
            "{expected:?}"
        );
        for email in [SEATED, WAITING, CAPPED] {
            let res = app.send(server_fn(email)).await;
            assert_eq!(res.status, stranger.status, "{backend:?} {email}");
            assert_eq!(res.body, stranger.body, "{backend:?} {email}");
        }
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM registrations").await,
            before,
            "{backend:?}: nothing written"
        );
        app.finish().await;
    }
}
