//! Passwords through emailed one-time links, on both databases: "forgot password" says the
//! same for any email and is limited; the link (derived, never stored) sets a password
//! once, refuses a short or mismatched one at its field, ends the old sessions, and dies
//! when used or expired. An admin invites, disables and re-enables coordinators.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tohu::auth::server::users::add_user;
use tohu::auth::types::Role;
use tohu::server::links::{password_link, LinkSecret};
use tohu::server::outbox::send_due;

use crate::common::forms::{body, scalar};
use crate::common::smtp::SmtpSink;
use crate::common::{backends, Response, TestApp, TEST_SECRET};
use crate::dashboard::{call, get, json, sign_in, PASSWORD, PROVIDER};
use crate::registration::secrets::{columns_holding, readable, smtp, tokens};

async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Response {
    app.send(
        Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body(fields)))
            .unwrap(),
    )
    .await
}

/// Sends the outbox through an SMTP sink; each message's text.
async fn deliver(app: &TestApp) -> Vec<String> {
    let sink = SmtpSink::start().await;
    send_due(&app.db.pool, &smtp(&sink)).await.unwrap();
    sink.received().iter().map(|m| readable(m)).collect()
}

/// The path and query of the first password link in `mail`.
fn link_in(mail: &str) -> String {
    let start = mail.find("/reset-password?").expect("a password link");
    mail[start..].split_whitespace().next().unwrap().to_owned()
}

fn query_of(link: &str) -> (String, String, String) {
    let q = link.split_once('?').unwrap().1;
    let get = |k: &str| {
        q.split('&')
            .find_map(|p| p.strip_prefix(&format!("{k}=")))
            .unwrap()
            .to_owned()
    };
    (get("user"), get("expires"), get("token"))
}

/// The seeded catalogue with one coordinator of its provider, own@example.co.nz.
async fn with_provider(backend: tohu::server::db::Backend) -> TestApp {
    let app = TestApp::seeded(backend).await;
    add_user(
        &app.db.pool,
        "own@example.co.nz",
        "Mere",
        Role::Provider,
        Some(PROVIDER),
        PASSWORD,
    )
    .await
    .unwrap();
    app
}

#[tokio::test]
async fn a_forgotten_password_is_set_once_through_the_emailed_link() {
    for backend in backends() {
        let app = with_provider(backend).await;
        let old_session = sign_in(&app, "own@example.co.nz").await;

        // Unknown and known email: the same answer; only the known one gets mail.
        for email in ["nobody@example.co.nz", "OWN@example.co.nz"] {
            let res = post(&app, "/forgot-password", &[("email", email)]).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{backend:?}");
            assert_eq!(res.headers[header::LOCATION], "/forgot-password?sent=1");
        }
        assert_eq!(scalar(&app, "SELECT COUNT(*) FROM outbox").await, 1);
        let res = post(&app, "/forgot-password", &[("email", "not an email")]).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res
            .text()
            .contains("Enter the email address you sign in with."));

        let mail = deliver(&app).await;
        assert_eq!(mail.len(), 1);
        let link = link_in(&mail[0]);
        let (user, expires, token) = query_of(&link);
        assert_eq!(tokens(&mail[0]), vec![token.clone()]);
        assert!(
            columns_holding(&app, &token).await.is_empty(),
            "{backend:?}: the token is stored nowhere"
        );

        let page = get(&app, None, &link).await;
        assert!(page.text().contains("Choose a password"), "{}", page.body);
        assert!(page.body.contains("name=\"token\""));

        let set = |password: &'static str, confirm: &'static str| {
            let (user, expires, token) = (user.clone(), expires.clone(), token.clone());
            let app = &app;
            async move {
                post(
                    app,
                    "/reset-password",
                    &[
                        ("user", &user),
                        ("expires", &expires),
                        ("token", &token),
                        ("password", password),
                        ("confirm", confirm),
                    ],
                )
                .await
            }
        };
        let short = set("kiwi", "kiwi").await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(short.text().contains("Use at least 12 characters"));
        assert!(!short.body.contains("kiwi"), "a password is never echoed");
        let mismatch = set("tūī-in-the-flax-bush", "tui-in-the-flax-bush").await;
        assert!(mismatch
            .text()
            .contains("The two passwords are not the same."));

        let done = set("tūī-in-the-flax-bush", "tūī-in-the-flax-bush").await;
        assert_eq!(
            done.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            done.body
        );
        assert_eq!(done.headers[header::LOCATION], "/sign-in?password_set=1");
        // The old password's session is over; the new password signs in.
        let old = get(&app, Some(&old_session), "/api/dashboard/overview").await;
        assert_eq!(old.status, StatusCode::UNAUTHORIZED, "{backend:?}");
        let res = post(
            &app,
            "/sign-in",
            &[
                ("email", "own@example.co.nz"),
                ("password", "tūī-in-the-flax-bush"),
            ],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);

        // Used once: dead. An expired link, even correctly signed: dead.
        let again = set("another-long-password", "another-long-password").await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.text().contains("expired or has already been used"));
        let secret = LinkSecret::new(TEST_SECRET.as_bytes());
        let id: i64 = user.parse().unwrap();
        let version = scalar(
            &app,
            &format!("SELECT link_version FROM users WHERE id = {id}"),
        )
        .await;
        let stale = password_link(&secret, "", id, version, 1_000_000_000);
        let page = get(&app, None, &stale).await;
        assert!(
            page.text().contains("expired or has already been used"),
            "{}",
            page.body
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn forgot_password_sends_three_links_an_hour_and_answers_alike() {
    for backend in backends() {
        let app = with_provider(backend).await;
        // A known account asked 6 times, an unknown one 6 times: every answer is the same
        // redirect, and the known account gets 3 emails.
        let mut answers = Vec::new();
        for email in ["own@example.co.nz", "nobody@example.co.nz"] {
            for _ in 0..6 {
                let res = post(&app, "/forgot-password", &[("email", email)]).await;
                answers.push((res.status, res.headers[header::LOCATION].clone()));
            }
        }
        assert!(
            answers
                .iter()
                .all(|(s, l)| *s == StatusCode::SEE_OTHER && l == "/forgot-password?sent=1"),
            "{backend:?} {answers:?}"
        );
        // Three were let through for the account (requests within one second share one
        // email: the outbox keys it by the link's expiry); from then on, none is queued.
        let allowed = "SELECT COUNT(*) FROM limit_events WHERE kind = 'reset'";
        assert_eq!(scalar(&app, allowed).await, 3 + 3, "{backend:?}: 3 each");
        assert!(scalar(&app, "SELECT COUNT(*) FROM outbox").await >= 1);
        sqlx::query("DELETE FROM outbox")
            .execute(&app.db.pool)
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let res = post(&app, "/forgot-password", &[("email", "own@example.co.nz")]).await;
        assert_eq!(res.headers[header::LOCATION], "/forgot-password?sent=1");
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM outbox").await,
            0,
            "{backend:?}"
        );
        // Asking never used up the owner's sign-in.
        sign_in(&app, "own@example.co.nz").await;
        app.finish().await;
    }
}

#[tokio::test]
async fn a_reset_through_the_link_clears_the_wrong_passwords_counted() {
    for backend in backends() {
        let app = with_provider(backend).await;
        for n in 0..7 {
            let guess = format!("guess-{n}");
            post(
                &app,
                "/sign-in",
                &[("email", "own@example.co.nz"), ("password", &guess)],
            )
            .await;
        }
        assert!(scalar(&app, "SELECT COUNT(*) FROM sign_in_attempts").await >= 5);
        post(&app, "/forgot-password", &[("email", "own@example.co.nz")]).await;
        let mail = deliver(&app).await;
        let (user, expires, token) = query_of(&link_in(&mail[0]));
        let res = post(
            &app,
            "/reset-password",
            &[
                ("user", &user),
                ("expires", &expires),
                ("token", &token),
                ("password", "tōtara-grove-at-dawn"),
                ("confirm", "tōtara-grove-at-dawn"),
            ],
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            res.body
        );
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM sign_in_attempts").await,
            0,
            "{backend:?}"
        );
        let res = post(
            &app,
            "/sign-in",
            &[
                ("email", "own@example.co.nz"),
                ("password", "tōtara-grove-at-dawn"),
            ],
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{backend:?}: {}",
            res.body
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn an_admin_invites_disables_and_re_enables_coordinators() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        add_user(
            &app.db.pool,
            "boss@example.co.nz",
            "Aroha",
            Role::Admin,
            None,
            PASSWORD,
        )
        .await
        .unwrap();
        add_user(
            &app.db.pool,
            "own@example.co.nz",
            "Mere",
            Role::Provider,
            Some(PROVIDER),
            PASSWORD,
        )
        .await
        .unwrap();
        let admin = sign_in(&app, "boss@example.co.nz").await;
        let provider = sign_in(&app, "own@example.co.nz").await;

        // A provider's coordinator sees only the employer coordinators they invited (none
        // yet) and may invite nobody else.
        let theirs = get(&app, Some(&provider), "/api/dashboard/users").await;
        assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.body);
        assert_eq!(json(&theirs)["accounts"], serde_json::json!([]));
        assert_eq!(json(&theirs)["roles"], serde_json::json!(["Employer"]));
        assert_eq!(
            get(&app, None, "/api/dashboard/users").await.status,
            StatusCode::UNAUTHORIZED
        );
        let invite = [
            ("account[email]", "new@example.co.nz"),
            ("account[name]", "Hēmi"),
            ("account[role]", "provider"),
            ("account[organisation]", PROVIDER),
        ];
        assert_eq!(
            call(&app, Some(&provider), "/api/dashboard/users/add", &invite)
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        // Each bad field is named.
        let bad = call(
            &app,
            Some(&admin),
            "/api/dashboard/users/add",
            &[
                ("account[email]", "nope"),
                ("account[name]", ""),
                ("account[role]", "provider"),
                ("account[organisation]", ""),
            ],
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = json(&bad)["Refused"]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(fields, ["email", "name", "organisation"]);

        // Typing an existing organisation's name joins nobody to it, even for an admin.
        let res = call(&app, Some(&admin), "/api/dashboard/users/add", &invite).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        assert_eq!(json(&res)["Refused"]["errors"][0]["field"], "organisation");
        // The admin chooses it from the list instead.
        let list = json(&get(&app, Some(&admin), "/api/dashboard/users").await);
        let chosen = list["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == PROVIDER)
            .expect("the provider is listed")["id"]
            .to_string();
        let invite = [
            ("account[email]", "new@example.co.nz"),
            ("account[name]", "Hēmi"),
            ("account[role]", "provider"),
            ("account[organisation_id]", chosen.as_str()),
        ];
        let res = call(&app, Some(&admin), "/api/dashboard/users/add", &invite).await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        let again = call(&app, Some(&admin), "/api/dashboard/users/add", &invite).await;
        assert_eq!(json(&again)["Refused"]["errors"][0]["field"], "email");
        // The invitation's link lets them choose a password; nobody else knew one.
        let mail = deliver(&app).await;
        let invitation = mail
            .iter()
            .find(|m| m.contains("To: new@example.co.nz"))
            .expect("invitation");
        let (user, expires, token) = query_of(&link_in(invitation));
        let res = post(
            &app,
            "/reset-password",
            &[
                ("user", &user),
                ("expires", &expires),
                ("token", &token),
                ("password", "kōwhai-blossom-spring"),
                ("confirm", "kōwhai-blossom-spring"),
            ],
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

        // Disable the provider: their session ends at once; re-enable: they sign in again.
        let id = scalar(
            &app,
            "SELECT id FROM users WHERE email = 'own@example.co.nz'",
        )
        .await
        .to_string();
        let res = call(
            &app,
            Some(&admin),
            "/api/dashboard/users/access",
            &[("id", &id), ("disabled", "true")],
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(
            get(&app, Some(&provider), "/api/dashboard/overview")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let list = json(&get(&app, Some(&admin), "/api/dashboard/users").await);
        let row = list["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["email"] == "own@example.co.nz")
            .unwrap()
            .clone();
        assert_eq!(row["disabled"], true);
        call(
            &app,
            Some(&admin),
            "/api/dashboard/users/access",
            &[("id", &id), ("disabled", "false")],
        )
        .await;
        // The cookie kept while the account was disabled opens nothing again; signing in
        // afresh does.
        assert_eq!(
            get(&app, Some(&provider), "/api/dashboard/overview")
                .await
                .status,
            StatusCode::UNAUTHORIZED,
            "{backend:?}"
        );
        let fresh = sign_in(&app, "own@example.co.nz").await;
        assert_eq!(
            get(&app, Some(&fresh), "/api/dashboard/overview")
                .await
                .status,
            StatusCode::OK
        );
        // An admin cannot lock themselves out.
        let me = scalar(
            &app,
            "SELECT id FROM users WHERE email = 'boss@example.co.nz'",
        )
        .await
        .to_string();
        let res = call(
            &app,
            Some(&admin),
            "/api/dashboard/users/access",
            &[("id", &me), ("disabled", "true")],
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        app.finish().await;
    }
}

#[tokio::test]
async fn a_provider_invites_employer_coordinators_and_manages_only_those() {
    for backend in backends() {
        let app = TestApp::empty(backend).await;
        for (email, role, org) in [
            ("boss@example.co.nz", Role::Admin, None),
            ("own@example.co.nz", Role::Provider, Some(PROVIDER)),
            (
                "rival@example.co.nz",
                Role::Provider,
                Some("Another Polytechnic"),
            ),
            ("crew@example.co.nz", Role::Employer, Some("Pine Crew Ltd")),
        ] {
            add_user(&app.db.pool, email, "Coordinator", role, org, PASSWORD)
                .await
                .unwrap();
        }
        let provider = sign_in(&app, "own@example.co.nz").await;
        let rival = sign_in(&app, "rival@example.co.nz").await;
        let employer = sign_in(&app, "crew@example.co.nz").await;
        let admin = sign_in(&app, "boss@example.co.nz").await;
        let invite = [
            ("account[email]", "kiri@example.co.nz"),
            ("account[name]", "Kiri Walker"),
            ("account[role]", "employer"),
            ("account[organisation]", "Ngāti Porou Forestry"),
            ("account[nzbn]", "9429041535776"),
        ];
        // An employer's coordinator manages no accounts: they see their organisation's.
        let res = call(&app, Some(&employer), "/api/dashboard/users/add", &invite).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{backend:?}");
        let theirs = json(&get(&app, Some(&employer), "/api/dashboard/users").await);
        assert_eq!(theirs["roles"], serde_json::json!([]));
        assert_eq!(theirs["accounts"][0]["email"], "crew@example.co.nz");

        // A mistyped NZBN (its check digit off) is refused at its field, nobody invited.
        let mut typo = invite;
        typo[4].1 = "9429041535775";
        let res = call(&app, Some(&provider), "/api/dashboard/users/add", &typo).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        assert!(res.body.contains("\"field\":\"nzbn\""), "{}", res.body);

        let res = call(&app, Some(&provider), "/api/dashboard/users/add", &invite).await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);
        let list = json(&get(&app, Some(&provider), "/api/dashboard/users").await);
        assert_eq!(list["accounts"][0]["nzbn"], "9429041535776", "{backend:?}");
        let emails = |cookie: &str| {
            let (app, cookie) = (&app, cookie.to_owned());
            async move {
                let list = json(&get(app, Some(&cookie), "/api/dashboard/users").await);
                list["accounts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["email"].as_str().unwrap().to_owned())
                    .collect::<Vec<_>>()
            }
        };
        // The inviter's organisation sees its employer coordinator; another provider does
        // not; the admin sees everyone.
        assert_eq!(emails(&provider).await, ["kiri@example.co.nz"]);
        assert!(emails(&rival).await.is_empty());
        assert_eq!(emails(&admin).await.len(), 5);
        // The invitation is good for 7 days.
        let mail = deliver(&app).await;
        let invitation = mail
            .iter()
            .find(|m| m.contains("To: kiri@example.co.nz"))
            .expect("invitation");
        assert!(invitation.contains("7 days"), "{invitation}");
        let (_, expires, _) = query_of(&link_in(invitation));
        let days = (expires.parse::<i64>().unwrap()
            - time::OffsetDateTime::now_utc().unix_timestamp())
            / 86_400;
        assert!((6..=7).contains(&days), "{days} days left, not 3");

        // Another provider cannot disable it, nor can the inviter disable anyone else.
        let id = scalar(
            &app,
            "SELECT id FROM users WHERE email = 'kiri@example.co.nz'",
        )
        .await
        .to_string();
        let crew = scalar(
            &app,
            "SELECT id FROM users WHERE email = 'crew@example.co.nz'",
        )
        .await
        .to_string();
        let disable = |cookie: &str, id: &str| {
            let (app, cookie, id) = (&app, cookie.to_owned(), id.to_owned());
            async move {
                let args = [("id", id.as_str()), ("disabled", "true")];
                call(app, Some(&cookie), "/api/dashboard/users/access", &args).await
            }
        };
        assert_eq!(disable(&rival, &id).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            disable(&provider, &crew).await.status,
            StatusCode::NOT_FOUND
        );
        let res = disable(&provider, &id).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(
            scalar(&app, "SELECT COUNT(*) FROM users WHERE disabled = 1").await,
            1
        );
        app.finish().await;
    }
}
