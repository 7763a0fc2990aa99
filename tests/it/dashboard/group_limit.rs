//! An employer account's rows per 24 hours (issue 27), on both databases through the real
//! router: a list that would take the account past `--group-rows-per-day` is refused whole
//! with a message at the list, which comes back as sent; the provider whose intake it
//! targeted sees the refusal on its overview, another provider does not; a refused list
//! does not count against the account.

use axum::http::StatusCode;

use super::group_page::post;
use super::{coordinators, get, json};
use crate::common::forms::{scalar, INTAKE};
use crate::common::{backends, Response, TestApp, SEED};

/// A list of `n` staff whose addresses start with `tag`.
fn staff(n: usize, tag: &str) -> String {
    std::iter::once("Given name,Family name,Email,Region\n".to_owned())
        .chain((0..n).map(|i| format!("Hēmi,Walker,{tag}{i}@example.co.nz,Gisborne\n")))
        .collect()
}

/// Sends `rows` to be registered for intake A06 as the employer signed in with `cookie`.
async fn confirm(app: &TestApp, cookie: &str, rows: &str) -> Response {
    let fields = [
        ("intake", INTAKE),
        ("rows", rows),
        ("attest", "on"),
        ("step", "confirm"),
    ];
    post(app, Some(cookie), &fields, b"").await
}

const EMPLOYER_REGISTRATIONS: &str =
    "SELECT COUNT(*) FROM registrations WHERE employer_org_id IS NOT NULL";

#[tokio::test]
async fn an_employer_at_its_daily_rows_is_refused_and_the_provider_sees_it() {
    for backend in backends() {
        let app = TestApp::empty_with(backend, |c| c.group_rows_per_day = 6).await;
        app.import(SEED).await;
        let c = coordinators(&app).await;

        // Five of six: registered.
        let res = confirm(&app, &c.employer, &staff(5, "first")).await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.text());
        assert_eq!(scalar(&app, EMPLOYER_REGISTRATIONS).await, 5);

        // Five more would make ten: refused whole, told why at the list, the list kept.
        let second = staff(5, "second");
        let res = confirm(&app, &c.employer, &second).await;
        assert_eq!(
            res.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{backend:?}: {}",
            res.text()
        );
        let text = res.text();
        for words in [
            "This account can send at most 6 people to be registered in 24 hours",
            "It has sent 5 in the last 24 hours, and this list of 5 would go past that",
            "nobody on it has been registered",
        ] {
            assert!(text.contains(words), "{backend:?}: {words}: {text}");
        }
        assert!(
            text.contains(
                "id=\"rows-error\" class=\"field-error\">This account can send at most 6"
            ),
            "{backend:?}: the message is at the list: {text}"
        );
        assert!(
            res.body
                .contains("Hēmi,Walker,second4@example.co.nz,Gisborne"),
            "{backend:?}: the refused list comes back in the form"
        );
        assert_eq!(
            scalar(&app, EMPLOYER_REGISTRATIONS).await,
            5,
            "{backend:?}: nothing written"
        );

        // The provider of the intake sees it, on the overview's data and page.
        let own = json(&get(&app, Some(&c.own), "/api/dashboard/overview").await);
        let refusals = own["group_refusals"].as_array().expect("refusals");
        assert_eq!(refusals.len(), 1, "{backend:?}: {own}");
        assert_eq!(refusals[0]["employer"], "Pine Crew Ltd");
        assert_eq!(refusals[0]["rows"], 5);
        let page = get(&app, Some(&c.own), "/dashboard").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text()
                .contains("Pine Crew Ltd's group registrations: 5 rows refused on "),
            "{backend:?}: {}",
            page.text()
        );
        // Another provider: nothing of it.
        let other = json(&get(&app, Some(&c.other), "/api/dashboard/overview").await);
        assert_eq!(
            other["group_refusals"],
            serde_json::json!([]),
            "{backend:?}"
        );
        let page = get(&app, Some(&c.other), "/dashboard").await;
        assert!(!page.text().contains("Pine Crew"), "{backend:?}");

        // The refused list did not count: one more row still fits.
        let res = confirm(&app, &c.employer, &staff(1, "third")).await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.text());
        assert_eq!(scalar(&app, EMPLOYER_REGISTRATIONS).await, 6);
        app.finish().await;
    }
}
