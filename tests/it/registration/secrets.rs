//! Emailed links, on both databases: the learner's link is derived from the server secret
//! and the row (never stored), the outbox keeps a placeholder the worker signs as it sends,
//! a promotion email now carries the same working link, bumping the row's version revokes
//! it, and after the flows no text column of any table holds a token.

use axum::http::StatusCode;

use crate::common::forms::{as_refs, learner, post_form, SLUG};
use crate::common::smtp::SmtpSink;
use crate::common::{backends, TestApp, TEST_SECRET};
use tohu::server::links::LinkSecret;
use tohu::server::outbox::{send_due, SmtpSettings};

/// The message text with quoted-printable soft line breaks and `=3D` undone.
pub fn readable(raw: &str) -> String {
    raw.replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

/// Every `token=` value (32 hex digits) in `text`.
pub fn tokens(text: &str) -> Vec<String> {
    text.match_indices("token=")
        .map(|(i, _)| {
            text[i + 6..]
                .chars()
                .take_while(char::is_ascii_hexdigit)
                .collect::<String>()
        })
        .filter(|t| t.len() == 32)
        .collect()
}

/// How many (table, column) pairs of text hold `needle` anywhere in the database.
pub async fn columns_holding(app: &TestApp, needle: &str) -> Vec<String> {
    let columns: Vec<(String, String)> = if app.url.starts_with("sqlite:") {
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE '_sqlx%'",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let mut all = Vec::new();
        for t in tables {
            let cols: Vec<(String, String)> =
                sqlx::query_as(&format!("SELECT name, type FROM pragma_table_info('{t}')"))
                    .fetch_all(&app.db.pool)
                    .await
                    .unwrap();
            all.extend(
                cols.into_iter()
                    .filter(|(_, ty)| ty == "TEXT")
                    .map(|(c, _)| (t.clone(), c)),
            );
        }
        all
    } else {
        sqlx::query_as(
            "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns \
             WHERE table_schema = 'public' AND data_type = 'text'",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
    };
    assert!(columns.len() > 40, "every text column: {}", columns.len());
    let mut found = Vec::new();
    for (table, column) in columns {
        let n: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table} WHERE {column} LIKE $1"
        ))
        .bind(format!("%{needle}%"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        if n > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

pub fn smtp(sink: &SmtpSink) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port: sink.port,
        from: "Tohu <no-reply@tohu.test>".into(),
        links: LinkSecret::new(TEST_SECRET.as_bytes()),
        base_url: "http://127.0.0.1:3000".into(),
    }
}

async fn view(app: &TestApp, reference: &str, token: &str) -> serde_json::Value {
    // The read is a POST: the token stays out of URLs, and the answer out of caches.
    let req = axum::http::Request::post("/api/registration/get")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!(
            "reference={reference}&token={token}"
        )))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.headers["cache-control"], "no-store");
    serde_json::from_str(&res.body).unwrap()
}

#[tokio::test]
async fn emailed_links_are_derived_when_sent_and_never_stored() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        sqlx::query(
            "UPDATE intakes SET capacity = 1, waitlist_capacity = 5 WHERE code = 'A06' \
             AND credential_id = (SELECT id FROM credentials WHERE slug = $1)",
        )
        .bind(SLUG)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let mut links = Vec::new();
        for email in ["seat@example.co.nz", "wait@example.co.nz"] {
            let res = post_form(&app, &as_refs(&learner(email))).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER);
            links.push(res.headers["location"].to_str().unwrap().to_owned());
        }
        let parts = |link: &str| {
            let (path, token) = link.split_once("?token=").unwrap();
            (
                path.trim_start_matches("/registrations/").to_owned(),
                token.to_owned(),
            )
        };
        let (first, first_token) = parts(&links[0]);
        let (second, second_token) = parts(&links[1]);
        assert!(!view(&app, &second, &second_token).await.is_null());
        assert!(
            view(&app, &second, &first_token).await.is_null(),
            "one row's token opens no other"
        );

        // The first learner cancels; the second is promoted and emailed.
        let res = app
            .send(
                axum::http::Request::post("/api/registration/cancel")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(axum::body::Body::from(format!(
                        "reference={first}&token={first_token}"
                    )))
                    .unwrap(),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}: {}", res.body);

        // Nothing in the database holds either token: not the registrations, not the outbox.
        for token in [&first_token, &second_token] {
            assert_eq!(
                columns_holding(&app, token).await,
                Vec::<String>::new(),
                "{backend:?}"
            );
        }

        // Two confirmations, the first learner's cancelled seat, the promotion.
        let sink = SmtpSink::start().await;
        assert_eq!(
            send_due(&app.db.pool, &smtp(&sink)).await.unwrap(),
            4,
            "{backend:?}"
        );
        let mail: Vec<String> = sink.received().iter().map(|m| readable(m)).collect();
        let promoted = mail
            .iter()
            .find(|m| m.contains("A seat came free"))
            .expect("promotion email");
        // The promotion email carries the second learner's own, working link.
        assert_eq!(tokens(promoted), vec![second_token.clone()], "{promoted}");
        let sent: Vec<String> = mail.iter().flat_map(|m| tokens(m)).collect();
        assert!(sent.contains(&first_token) && sent.contains(&second_token));
        for token in &sent {
            assert_eq!(columns_holding(&app, token).await, Vec::<String>::new());
        }

        // Revoking: a new link version, and the old link opens nothing.
        sqlx::query(
            "UPDATE registrations SET link_version = link_version + 1 WHERE reference = $1",
        )
        .bind(second.clone())
        .execute(&app.db.pool)
        .await
        .unwrap();
        assert!(
            view(&app, &second, &second_token).await.is_null(),
            "{backend:?}"
        );
        app.finish().await;
    }
}

/// Typed text is never read as a link: a learner who names themselves after a password
/// link gets their own registration link and nobody's password link.
#[tokio::test]
async fn a_link_name_typed_into_a_form_is_just_text() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        tohu::auth::server::users::add_user(
            &app.db.pool,
            "boss@example.co.nz",
            "Aroha",
            tohu::auth::types::Role::Admin,
            None,
            "harakeke-weaving-77",
        )
        .await
        .unwrap();
        let mut form = learner("sly@example.co.nz");
        form[1].1 = "{link:password:1:4102444800}".into();
        let res = post_form(&app, &as_refs(&form)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        let own = res.headers["location"]
            .to_str()
            .unwrap()
            .split("token=")
            .nth(1)
            .unwrap()
            .to_owned();
        let sink = SmtpSink::start().await;
        send_due(&app.db.pool, &smtp(&sink)).await.unwrap();
        let mail = readable(&sink.received()[0]);
        assert!(
            mail.contains("{link:password:1:4102444800}"),
            "{backend:?}: {mail}"
        );
        assert!(!mail.contains("reset-password"), "{backend:?}: {mail}");
        assert_eq!(tokens(&mail), vec![own]);
        app.finish().await;
    }
}
