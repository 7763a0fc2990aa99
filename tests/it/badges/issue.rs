//! Issuing on completion: the credential recorded in the completion's transaction, its
//! contents, its date, one per learner, a late issue for an earlier completion, what an
//! employer sees, and the same bytes from two instances.

use axum::http::StatusCode;
use serde_json::Value;
use tohu::badges::server::keys::IssuerKeys;
use tohu::badges::server::proof::{self, ProofError};

use super::{complete, credential_of, registration_id, schema_errors, ACT, BASE, BULK};
use crate::common::{backends, test_config, TestApp};
use crate::dashboard::{call, coordinators, get, json, register};

#[tokio::test]
async fn completing_issues_a_signed_credential_that_says_what_was_achieved() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let reference = register(&app, "mahina@example.co.nz").await;
        sqlx::query("UPDATE registrations SET created_at = '2026-11-01T00:00:00Z'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        complete(&app, &c.own, &reference, "2026-11-20").await;

        let cred = credential_of(&app, &reference).await;
        assert_eq!(schema_errors(&cred), Vec::<String>::new(), "{backend:?}");
        assert_eq!(
            cred["type"],
            serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"])
        );
        assert!(cred["id"].as_str().unwrap().starts_with("urn:uuid:"));
        assert_eq!(cred["awardedDate"], "2026-11-20T00:00:00Z");
        assert!(cred["description"]
            .as_str()
            .unwrap()
            .contains("Record of Achievement is the official record"));
        let issuer = cred["issuer"]["id"].as_str().unwrap();
        assert!(issuer.starts_with(&format!("{BASE}/issuers/")), "{issuer}");
        assert!(
            !issuer.contains("Tohu"),
            "the issuer id never names the provider"
        );
        let subject = &cred["credentialSubject"];
        let achievement = &subject["achievement"];
        assert_eq!(achievement["achievementType"], "MicroCredential");
        assert_eq!(achievement["name"], "Demonstrate basic chainsaw operation");
        assert_eq!(subject["creditsEarned"], achievement["creditsAvailable"]);
        // The data note says what is sample data; the standards are sample links here.
        assert!(achievement["description"]
            .as_str()
            .unwrap()
            .contains("Sample data"));
        assert!(achievement.get("alignment").is_none());
        // The name in clear; the email only as a salted hash; no NSN, no date of birth.
        let ids = subject["identifier"].as_array().unwrap();
        assert_eq!(ids[0]["identityHash"], "Māhina Ngāti Tūhoe");
        assert!(ids[1]["identityHash"]
            .as_str()
            .unwrap()
            .starts_with("sha256$"));
        let text = cred.to_string();
        for private in ["mahina@example.co.nz", "1990-04-23", "021 123 4567"] {
            assert!(!text.contains(private), "{private} in the credential");
        }
        // The proof names the issuer's key; it verifies, and one changed character fails.
        let (controller, key) = proof::method(&cred).unwrap();
        assert_eq!(controller, issuer);
        assert_eq!(key, app.state.issuer_keys.key_id());
        let public = tohu::badges::server::keys::public_key(key).unwrap();
        assert_eq!(proof::verify(&cred, &public, &[]).await, Ok(()));
        for (pointer, value) in [
            (
                "/credentialSubject/identifier/0/identityHash",
                "Māhina Ngāti Tūhoa",
            ),
            ("/awardedDate", "2026-11-21T00:00:00Z"),
            (
                "/credentialSubject/achievement/name",
                "Demonstrate basic chainsaw operatioN",
            ),
        ] {
            let mut changed = cred.clone();
            *changed.pointer_mut(pointer).unwrap() = Value::from(value);
            assert_eq!(
                proof::verify(&changed, &public, &[]).await,
                Err(ProofError::Mismatch),
                "{pointer}"
            );
        }
        // The timeline says so; the coordinator's detail shows it; no second credential.
        let detail = json(
            &get(
                &app,
                Some(&c.own),
                &format!("/api/dashboard/registration?reference={reference}"),
            )
            .await,
        );
        assert_eq!(detail["credential"]["achieved_on"], "2026-11-20");
        assert!(detail["timeline"]
            .to_string()
            .contains("Open Badges credential issued"));
        assert!(!detail["actions"].to_string().contains("issue"));
        let again = call(
            &app,
            Some(&c.own),
            ACT,
            &[("reference", reference.as_str()), ("action", "issue")],
        )
        .await;
        assert_eq!(
            again.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            again.body
        );

        // Its profile lists the key; its status list is signed and says "not revoked".
        let profile = json(&get(&app, None, issuer.trim_start_matches(BASE)).await);
        assert_eq!(profile["id"], issuer);
        assert_eq!(profile["assertionMethod"][0], format!("{issuer}#{key}"));
        // The seed's provider is a sample provider, and its profile says so.
        assert!(
            profile["description"]
                .as_str()
                .unwrap()
                .contains("sample provider"),
            "{profile}"
        );
        let list_url = cred["credentialStatus"]["statusListCredential"]
            .as_str()
            .unwrap();
        let list = json(&get(&app, None, list_url.trim_start_matches(BASE)).await);
        assert_eq!(proof::verify(&list, &public, &[]).await, Ok(()));
        let index: i64 = cred["credentialStatus"]["statusListIndex"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
        assert_eq!(
            tohu::badges::server::status::is_set(encoded, index),
            Some(false)
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn the_achievement_date_is_checked_and_bulk_completion_reports_each_learner() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let first = register(&app, "first@example.co.nz").await;
        let second = register(&app, "second@example.co.nz").await;
        for (date, says) in [
            ("2026-11-29", "after today"),
            ("29/11/2026", "day, month and year"),
        ] {
            let res = call(
                &app,
                Some(&c.own),
                ACT,
                &[
                    ("reference", first.as_str()),
                    ("action", "complete"),
                    ("reason", "Done"),
                    ("achieved_on", date),
                ],
            )
            .await;
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{date}");
            let body = json(&res);
            assert_eq!(
                body["Refused"]["errors"][0]["field"], "achieved_on",
                "{}",
                res.body
            );
            assert!(res.body.contains(says), "{}", res.body);
        }
        let none: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM issued_credentials")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(none, 0, "a refused completion issues nothing");

        // One confirmed, one withdrawn first: the bulk change completes one, says why not
        // the other, and issues one credential, dated as the intake's end or today.
        let withdraw = [
            ("reference", second.as_str()),
            ("action", "withdraw"),
            ("reason", "Left"),
        ];
        assert_eq!(
            call(&app, Some(&c.own), ACT, &withdraw).await.status,
            StatusCode::OK
        );
        let res = call(
            &app,
            Some(&c.own),
            BULK,
            &[
                ("references[0]", first.as_str()),
                ("references[1]", second.as_str()),
                ("action", "complete"),
                ("reason", "Assessed"),
            ],
        )
        .await;
        let outcome = json(&res);
        assert_eq!(
            outcome["changed"],
            serde_json::json!([first]),
            "{}",
            res.body
        );
        assert_eq!(outcome["skipped"][0][0], second.as_str());
        assert!(outcome["skipped"][0][1]
            .as_str()
            .unwrap()
            .contains("withdrawn"));
        let cred = credential_of(&app, &first).await;
        // The seed's intake A06 has not ended on the test's "today": today is the default.
        assert_eq!(cred["awardedDate"], "2026-11-28T00:00:00Z");
        app.finish().await;
    }
}

#[tokio::test]
async fn an_earlier_completion_is_issued_late_and_an_employer_never_gets_the_credential() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let reference = register(&app, "earlier@example.co.nz").await;
        // Completed before credentials existed: the status only.
        sqlx::query("UPDATE registrations SET status = 'completed' WHERE reference = $1")
            .bind(reference.clone())
            .execute(&app.db.pool)
            .await
            .unwrap();
        let uri = format!("/api/dashboard/registration?reference={reference}");
        let detail = json(&get(&app, Some(&c.own), &uri).await);
        assert!(detail["credential"].is_null());
        assert!(
            detail["actions"].to_string().contains("\"issue\""),
            "{detail}"
        );
        let issue = [
            ("reference", reference.as_str()),
            ("action", "issue"),
            ("achieved_on", "2026-11-27"),
        ];
        // An employer's coordinator may not; another provider's finds nothing.
        assert_eq!(
            call(&app, Some(&c.employer), ACT, &issue).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            call(&app, Some(&c.other), ACT, &issue).await.status,
            StatusCode::NOT_FOUND
        );
        let res = call(&app, Some(&c.own), ACT, &issue).await;
        assert_eq!(json(&res), serde_json::json!("Completed"), "{}", res.body);
        assert_eq!(
            credential_of(&app, &reference).await["awardedDate"],
            "2026-11-27T00:00:00Z"
        );

        // An employer who registered the learner sees "completed" and no credential.
        let org: i64 = sqlx::query_scalar(
            "SELECT organisation_id FROM users WHERE email = 'employer@example.co.nz'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        sqlx::query("UPDATE registrations SET employer_org_id = $1 WHERE reference = $2")
            .bind(org)
            .bind(reference.clone())
            .execute(&app.db.pool)
            .await
            .unwrap();
        let seen = json(&get(&app, Some(&c.employer), &uri).await);
        assert_eq!(seen["status"], "Completed", "{seen}");
        assert!(seen["credential"].is_null());
        assert!(!seen.to_string().contains("urn:uuid"));
        app.finish().await;
    }
}

#[tokio::test]
async fn two_instances_with_the_same_key_issue_the_same_bytes() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let reference = register(&app, "twice@example.co.nz").await;
        complete(&app, &c.own, &reference, "").await;
        let first = credential_of(&app, &reference).await.to_string();
        // Another instance: its own state, the same key file and database.
        let other = IssuerKeys::from_config(&test_config(&app.url)).unwrap();
        let id = registration_id(&app, &reference).await;
        let issued = tohu::badges::server::issue::of_registration(&app.db.pool, id)
            .await
            .unwrap()
            .unwrap();
        let second = issued.signed(BASE, &other).await.unwrap().to_string();
        assert_eq!(first, second, "{backend:?}");
        // And again later, after the listing changed: the stored snapshot is what is signed.
        sqlx::query("UPDATE credentials SET title = 'Renamed' WHERE slug = 'demonstrate-basic-chainsaw-operation'")
            .execute(&app.db.pool).await.unwrap();
        assert_eq!(credential_of(&app, &reference).await.to_string(), first);
        app.finish().await;
    }
}

#[tokio::test]
async fn the_api_serves_the_achievement_a_completion_would_state() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let reference = register(&app, "api@example.co.nz").await;
        complete(&app, &c.own, &reference, "").await;
        let cred = credential_of(&app, &reference).await;
        let slug = "demonstrate-basic-chainsaw-operation";
        let res = get(
            &app,
            None,
            &format!("/api/v1/credentials/{slug}/achievement"),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK);
        let achievement = json(&res);
        assert_eq!(achievement, cred["credentialSubject"]["achievement"]);
        // Valid against the 1EdTech schema's own `Achievement` definition.
        let mut only = super::schema();
        only["$ref"] = Value::from("#/$defs/Achievement");
        only.as_object_mut().unwrap().remove("required");
        only.as_object_mut().unwrap().remove("properties");
        let validator = jsonschema::draft201909::new(&only).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&achievement)
            .map(|e| e.to_string())
            .collect();
        assert_eq!(errors, Vec::<String>::new());
        // A listing with verified unit standards aligns each one.
        let lcq = json(
            &get(
                &app,
                None,
                "/api/v1/credentials/licence-controller-qualification-lcq/achievement",
            )
            .await,
        );
        let codes: Vec<&str> = lcq["alignment"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x["targetCode"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(codes, ["4646", "16705"], "{lcq}");
        assert_eq!(
            get(&app, None, "/api/v1/credentials/nope/achievement")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        app.finish().await;
    }
}

/// The issuer key is never at rest in the database (so never in its backups): after
/// completions, no text column holds any line of its PEM or its secret bytes in hex.
#[tokio::test]
async fn the_issuer_key_is_not_in_the_database() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let reference = register(&app, "keyless@example.co.nz").await;
        complete(&app, &c.own, &reference, "").await;
        let pem = std::fs::read_to_string(crate::common::test_issuer_key()).unwrap();
        let mut needles: Vec<String> = pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .map(str::to_owned)
            .collect();
        needles.push("2a".repeat(32));
        for needle in needles {
            let found = crate::registration::secrets::columns_holding(&app, &needle).await;
            assert_eq!(found, Vec::<String>::new(), "{backend:?}");
        }
        app.finish().await;
    }
}
