//! What the learner gets, on both databases: the completion email with their link; on
//! their registration's page, the credential (JSON) and the badge (SVG, the credential
//! baked in) behind that link, a public page of the credential's id without their name,
//! and an add-to-LinkedIn link; an undone completion revokes the credential (the status
//! list says so, `/verify` says so, the downloads stop) and emails them; completing again
//! issues a new one; a privacy erase keeps only the credential's id and status.

use axum::http::{header, StatusCode};
use tohu::badges::server::{keys, proof, svg};

use super::{complete, ACT, BASE};
use crate::common::forms::{as_refs, learner, post_form};
use crate::common::{backends, TestApp};
use crate::dashboard::{call, coordinators, get, json};

/// How many emails to `recipient` with a link wait under a key starting `prefix`.
async fn outbox(app: &TestApp, prefix: &str, recipient: &str) -> usize {
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT dedupe_key, recipient, link FROM outbox")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    rows.iter()
        .filter(|(key, to, _)| key.starts_with(prefix) && to == recipient)
        .filter(|(key, _, link)| link.is_some() || key.starts_with("uncompleted:"))
        .count()
}

/// Registers `email` for the seed's intake A06; their reference and link token.
async fn registered(app: &TestApp, email: &str) -> (String, String) {
    let res = post_form(app, &as_refs(&learner(email))).await;
    let location = res.headers[header::LOCATION].to_str().unwrap();
    let (path, token) = location.split_once("?token=").unwrap();
    (
        path.trim_start_matches("/registrations/").to_owned(),
        token.to_owned(),
    )
}

#[tokio::test]
async fn the_learner_downloads_their_credential_and_an_undone_completion_revokes_it() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let (reference, token) = registered(&app, "tui@example.co.nz").await;
        let json_url = format!("/registrations/{reference}/credential.json?token={token}");
        let svg_url = format!("/registrations/{reference}/badge.svg?token={token}");
        assert_eq!(
            get(&app, None, &json_url).await.status,
            StatusCode::NOT_FOUND,
            "not yet completed"
        );
        complete(&app, &c.own, &reference, "").await;

        // The completion email, with the learner's link.
        let emailed = outbox(&app, "completed:", "tui@example.co.nz").await;
        assert_eq!(emailed, 1, "{backend:?}");

        // The page offers both downloads, LinkedIn and the public page.
        let page = get(
            &app,
            None,
            &format!("/registrations/{reference}?token={token}"),
        )
        .await;
        for offered in [
            "Download credential (JSON)",
            "Download badge (SVG",
            "https://www.linkedin.com/profile/add?",
            "credential.json?token=",
            "badge.svg?token=",
        ] {
            assert!(page.body.contains(offered), "{offered} on {backend:?}");
        }
        assert!(
            page.body.contains("download=\"\" rel=\"external\""),
            "downloads leave the islands router"
        );

        let res = get(&app, None, &json_url).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment"));
        assert!(res.headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("no-store"));
        let cred = json(&res);
        let (_, key) = proof::method(&cred).unwrap();
        let public = keys::public_key(key).unwrap();
        assert_eq!(proof::verify(&cred, &public, &[]).await, Ok(()));
        assert_eq!(
            get(&app, None, &json_url).await.body,
            res.body,
            "a re-download is the same bytes"
        );
        let badge = get(&app, None, &svg_url).await;
        assert_eq!(badge.headers[header::CONTENT_TYPE], "image/svg+xml");
        let baked: serde_json::Value =
            serde_json::from_str(&svg::extract(&badge.body).unwrap()).unwrap();
        assert_eq!(baked, cred);
        let wrong = format!("/registrations/{reference}/credential.json?token=0000");
        assert_eq!(get(&app, None, &wrong).await.status, StatusCode::NOT_FOUND);

        // The public page: what and who issued it, and that it stands; never the name.
        let id = cred["id"]
            .as_str()
            .unwrap()
            .trim_start_matches("urn:uuid:")
            .to_owned();
        let public_page = get(&app, None, &format!("/badges/{id}")).await;
        assert_eq!(public_page.status, StatusCode::OK);
        assert!(public_page
            .body
            .contains("Demonstrate basic chainsaw operation"));
        assert!(public_page.body.contains("Tohu Training (sample provider)"));
        assert!(public_page.body.contains("Stands"));
        assert!(!public_page.body.contains("Māhina") && !public_page.body.contains("Tūhoe"));
        assert_eq!(
            get(&app, None, "/badges/not-a-uuid").await.status,
            StatusCode::NOT_FOUND
        );

        // Undo: a reason is needed; an employer may not; then revoked everywhere.
        let undo = [
            ("reference", reference.as_str()),
            ("action", "uncomplete"),
            ("reason", "Assessment evidence was incomplete"),
        ];
        assert_eq!(
            call(&app, Some(&c.employer), ACT, &undo).await.status,
            StatusCode::FORBIDDEN
        );
        let no_reason = call(
            &app,
            Some(&c.own),
            ACT,
            &[("reference", reference.as_str()), ("action", "uncomplete")],
        )
        .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        // A finished cohort's intake is full; the undone completion keeps its seat.
        sqlx::query("UPDATE intakes SET capacity = seats_taken WHERE id = (SELECT intake_id FROM registrations WHERE reference = $1)")
            .bind(reference.clone()).execute(&app.db.pool).await.unwrap();
        let res = call(&app, Some(&c.own), ACT, &undo).await;
        assert_eq!(json(&res), serde_json::json!("Confirmed"), "{}", res.body);
        let list_url = cred["credentialStatus"]["statusListCredential"]
            .as_str()
            .unwrap();
        let list = get(&app, None, list_url.trim_start_matches(BASE)).await;
        assert_eq!(list.status, StatusCode::OK, "{list_url}");
        let list = json(&list);
        let index: i64 = cred["credentialStatus"]["statusListIndex"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
        assert_eq!(
            tohu::badges::server::status::is_set(encoded, index),
            Some(true)
        );
        assert_eq!(proof::verify(&list, &public, &[]).await, Ok(()));
        assert!(get(&app, None, &format!("/badges/{id}"))
            .await
            .body
            .contains("Revoked"));
        assert_eq!(
            get(&app, None, &json_url).await.status,
            StatusCode::NOT_FOUND
        );
        let told = outbox(&app, "uncompleted:", "tui@example.co.nz").await;
        assert_eq!(told, 1);
        let detail = json(
            &get(
                &app,
                Some(&c.own),
                &format!("/api/dashboard/registration?reference={reference}"),
            )
            .await,
        );
        assert!(detail["timeline"]
            .to_string()
            .contains("Assessment evidence was incomplete"));

        // Completing again issues a new credential, with its own id and entry.
        complete(&app, &c.own, &reference, "").await;
        let again = get(&app, None, &json_url).await;
        assert_eq!(
            again.status,
            StatusCode::OK,
            "the new credential downloads ({backend:?})"
        );
        let again = json(&again);
        assert_ne!(again["id"], cred["id"]);
        app.finish().await;
    }
}

#[tokio::test]
async fn a_privacy_erase_keeps_only_the_credentials_id_and_status() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let (reference, token) = registered(&app, "erase.me@example.co.nz").await;
        complete(&app, &c.own, &reference, "").await;
        let cred = json(
            &get(
                &app,
                None,
                &format!("/registrations/{reference}/credential.json?token={token}"),
            )
            .await,
        );
        tohu::registration::server::privacy::erase(
            &app.db.pool,
            "erase.me@example.co.nz",
            "2026-11-28",
        )
        .await
        .unwrap();
        let left: (String, String, String) =
            sqlx::query_as("SELECT status, achievement, email_salt FROM issued_credentials")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(
            left,
            ("active".to_owned(), String::new(), String::new()),
            "{backend:?}"
        );
        let id = cred["id"]
            .as_str()
            .unwrap()
            .trim_start_matches("urn:uuid:")
            .to_owned();
        assert_eq!(
            get(&app, None, &format!("/badges/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        app.finish().await;
    }
}
