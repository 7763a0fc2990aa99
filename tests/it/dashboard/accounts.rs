//! Who may put an account into which organisation (issue 27), on both databases through the
//! real router: a typed name never joins an existing organisation, an administrator chooses
//! one from a list, an employer's coordinators see who else coordinates for them, only an
//! administrator re-enables what an administrator disabled, and the invitation form cannot
//! be used to probe which addresses have accounts.

use axum::http::StatusCode;

use super::{call, coordinators, get, json, sign_in, PROVIDER};
use crate::common::forms::scalar;
use crate::common::{backends, Response, TestApp};

const ADD: &str = "/api/dashboard/users/add";
const ACCESS: &str = "/api/dashboard/users/access";
const PINE_CREW_NZBN: &str = "9429041535776";

async fn invite(
    app: &TestApp,
    cookie: &str,
    email: &str,
    organisation: &str,
    nzbn: &str,
) -> Response {
    let args = [
        ("account[email]", email),
        ("account[name]", "Tame Intruder"),
        ("account[role]", "employer"),
        ("account[organisation]", organisation),
        ("account[nzbn]", nzbn),
    ];
    call(app, Some(cookie), ADD, &args).await
}

fn refused_field(res: &Response) -> (String, String) {
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let e = &json(res)["Refused"]["errors"][0];
    (
        e["field"].as_str().unwrap().to_owned(),
        e["message"].as_str().unwrap().to_owned(),
    )
}

async fn user_id(app: &TestApp, email: &str) -> String {
    scalar(
        app,
        &format!("SELECT id FROM users WHERE email = '{email}'"),
    )
    .await
    .to_string()
}

#[tokio::test]
async fn a_provider_cannot_join_anyone_to_an_existing_organisation() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        sqlx::query("UPDATE organisations SET nzbn = $1 WHERE name = 'Pine Crew Ltd'")
            .bind(PINE_CREW_NZBN)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let outbox = scalar(&app, "SELECT COUNT(*) FROM outbox").await;

        // The attack: Pine Crew's name, as read from the employer filter, spelt loosely.
        let res = invite(
            &app,
            &c.own,
            "someone@their-domain.nz",
            "  pine CREW ltd ",
            "9429041535783",
        )
        .await;
        let (field, message) = refused_field(&res);
        assert_eq!(field, "organisation", "{backend:?}");
        assert!(message.contains("ask an administrator"), "{message}");
        // Nothing was made: no account, no email, no link; Pine Crew is as it was.
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM users WHERE email = 'someone@their-domain.nz'"
            )
            .await,
            0
        );
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox").await, outbox);
        let nzbn: String =
            sqlx::query_scalar("SELECT nzbn FROM organisations WHERE name = 'Pine Crew Ltd'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(nzbn, PINE_CREW_NZBN, "{backend:?}");
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM organisations WHERE kind = 'employer'"
            )
            .await,
            1
        );

        // A new employer is created, with its NZBN; a second invitation by the same name,
        // once its only coordinator is disabled, still finds it taken.
        let res = invite(
            &app,
            &c.own,
            "kiri@rimu.nz",
            "Rimu Contractors",
            "9429041535783",
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        let kiri = user_id(&app, "kiri@rimu.nz").await;
        let res = call(
            &app,
            Some(&c.own),
            ACCESS,
            &[("id", &kiri), ("disabled", "true")],
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let res = invite(&app, &c.other, "ana@rimu.nz", "RIMU contractors", "").await;
        assert_eq!(refused_field(&res).0, "organisation", "{backend:?}");

        // An administrator adds the person to Pine Crew by choosing it from the list.
        let list = json(&get(&app, Some(&c.admin), "/api/dashboard/users").await);
        let pine = list["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == "Pine Crew Ltd" && o["employer"] == true)
            .expect("Pine Crew listed")["id"]
            .to_string();
        let args = [
            ("account[email]", "hemi@pinecrew.nz"),
            ("account[name]", "Hēmi Crew"),
            ("account[role]", "employer"),
            ("account[organisation_id]", pine.as_str()),
        ];
        let res = call(&app, Some(&c.admin), ADD, &args).await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        // A provider sending an organisation id is refused outright.
        let res = call(&app, Some(&c.own), ADD, &args).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{backend:?}");

        // The administrator sees who invited each account; Pine Crew's coordinators see,
        // read-only, who coordinates for them, and nobody else's.
        let list = json(&get(&app, Some(&c.admin), "/api/dashboard/users").await);
        let kiri_row = list["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["email"] == "kiri@rimu.nz")
            .unwrap()
            .clone();
        assert_eq!(kiri_row["invited_by"], PROVIDER, "{backend:?}");
        let crew = json(&get(&app, Some(&c.employer), "/api/dashboard/users").await);
        let mut emails: Vec<&str> = crew["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["email"].as_str().unwrap())
            .collect();
        emails.sort_unstable();
        assert_eq!(emails, ["employer@example.co.nz", "hemi@pinecrew.nz"]);
        assert_eq!(crew["roles"], serde_json::json!([]));
        assert_eq!(crew["organisations"], serde_json::json!([]));
        let hemi = user_id(&app, "hemi@pinecrew.nz").await;
        let res = call(
            &app,
            Some(&c.employer),
            ACCESS,
            &[("id", &hemi), ("disabled", "true")],
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{backend:?}");
        // The accounts page renders that list for them.
        let page = get(&app, Some(&c.employer), "/dashboard/users").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("hemi@pinecrew.nz"), "{}", page.body);
        assert!(!page.text().contains("Invite a coordinator"));
        app.finish().await;
    }
}

#[tokio::test]
async fn only_an_administrator_re_enables_what_an_administrator_disabled() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let res = invite(&app, &c.own, "kiri@rimu.nz", "Rimu Contractors", "").await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let kiri = user_id(&app, "kiri@rimu.nz").await;
        let switch = |cookie: &str, disabled: &'static str| {
            let (app, cookie, kiri) = (&app, cookie.to_owned(), kiri.clone());
            async move {
                let args = [("id", kiri.as_str()), ("disabled", disabled)];
                call(app, Some(&cookie), ACCESS, &args).await
            }
        };
        assert_eq!(switch(&c.admin, "true").await.status, StatusCode::OK);
        // The provider who invited them disables it too: it stays an administrator's.
        assert_eq!(switch(&c.own, "true").await.status, StatusCode::OK);
        let res = switch(&c.own, "false").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        assert!(res.body.contains("only an administrator"), "{}", res.body);
        let disabled = format!("SELECT disabled FROM users WHERE id = {kiri}");
        assert_eq!(scalar(&app, &disabled).await, 1);
        let list = json(&get(&app, Some(&c.own), "/api/dashboard/users").await);
        assert_eq!(list["accounts"][0]["disabled_by_admin"], true);
        // The administrator may; then the provider manages it as before.
        assert_eq!(switch(&c.admin, "false").await.status, StatusCode::OK);
        assert_eq!(switch(&c.own, "true").await.status, StatusCode::OK);
        assert_eq!(switch(&c.own, "false").await.status, StatusCode::OK);
        assert_eq!(scalar(&app, &disabled).await, 0, "{backend:?}");
        app.finish().await;
    }
}

#[tokio::test]
async fn the_invitation_form_cannot_probe_for_accounts() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        // Each "already exists" answer counts against the coordinator who asked.
        for n in 0..10 {
            let res = invite(
                &app,
                &c.own,
                "boss@example.co.nz",
                &format!("Probe {n}"),
                "",
            )
            .await;
            assert_eq!(refused_field(&res).0, "email", "{backend:?}");
        }
        // The eleventh is held, whatever it asks about; another provider is not.
        let res = invite(&app, &c.own, "new@example.co.nz", "Fresh Crew", "").await;
        assert_eq!(
            res.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{backend:?}: {}",
            res.body
        );
        assert_eq!(
            scalar(
                &app,
                "SELECT COUNT(*) FROM users WHERE email = 'new@example.co.nz'"
            )
            .await,
            0
        );
        let res = invite(&app, &c.other, "new@example.co.nz", "Fresh Crew", "").await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        // Signing in still works for the coordinator who was held.
        sign_in(&app, "own@example.co.nz").await;
        app.finish().await;
    }
}
