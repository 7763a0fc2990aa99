//! `/verify`, an ordinary form (pasted JSON, or a `.json` / baked `.svg` upload): each
//! question answered apart for a valid credential, a tampered one, a revoked one, one
//! signed by a key this Tohu does not list, a changed listing; a name and email compared;
//! an unknown context, an undefined term, malformed and oversize input refused with a
//! message at the field; a script held to the limit.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use ed25519_dalek::SigningKey;
use serde_json::Value;
use tohu::badges::server::keys::IssuerKeys;
use tohu::badges::server::proof;

use super::{complete, credential_of};
use crate::common::forms::body;
use crate::common::{backends, Response, TestApp};
use crate::dashboard::{coordinators, register};

fn from(req: axum::http::request::Builder) -> axum::http::request::Builder {
    req.extension(ConnectInfo(SocketAddr::from(([203, 0, 113, 9], 40000))))
}

/// The form posted plainly, as a browser without the file field sends it.
async fn paste(app: &TestApp, credential: &str, name: &str, email: &str) -> Response {
    let req = from(Request::post("/verify"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body(&[
            ("credential", credential),
            ("name", name),
            ("email", email),
        ])))
        .unwrap();
    app.send(req).await
}

/// The form posted with a file, as a browser does (multipart).
async fn upload(app: &TestApp, file_name: &str, content: &[u8]) -> Response {
    let boundary = "tohu-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"credential\"\r\n\r\n\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = from(Request::post("/verify"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

/// Each check's answer on the page: (check, "Yes" / "No" / "Unknown").
fn checks(res: &Response) -> Vec<(String, String)> {
    let html = scraper::Html::parse_document(&res.body);
    let li = scraper::Selector::parse("li[data-check]").unwrap();
    html.select(&li)
        .map(|e| {
            let v = e.value();
            (
                v.attr("data-check").unwrap().to_owned(),
                v.attr("data-passed").unwrap().to_owned(),
            )
        })
        .collect()
}

fn answer(res: &Response, check: &str) -> String {
    checks(res)
        .into_iter()
        .find(|(c, _)| c == check)
        .map(|(_, a)| a)
        .unwrap_or_else(|| format!("no {check} check in: {:?}", checks(res)))
}

/// The page's message at `field`.
fn field_error(res: &Response, field: &str) -> String {
    let html = scraper::Html::parse_document(&res.body);
    let sel = scraper::Selector::parse(&format!("#{field}-error")).unwrap();
    html.select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect()
}

/// A baked badge: an SVG holding the credential, as the spec bakes it.
fn baked(credential: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\" \
         width=\"10\" height=\"10\"><openbadges:credential><![CDATA[{credential}]]></openbadges:credential>\
         <circle r=\"5\"/></svg>"
    )
}

#[tokio::test]
async fn verify_answers_each_question_apart() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let c = coordinators(&app).await;
        let reference = register(&app, "Verify.Me@example.co.nz").await;
        complete(&app, &c.own, &reference, "").await;
        let cred = credential_of(&app, &reference).await;
        let text = cred.to_string();

        // Valid; the name and email compared (spacing, case and the email's case aside).
        let res = paste(
            &app,
            &text,
            "  māhina  NGĀTI tūhoe ",
            "verify.me@EXAMPLE.co.nz",
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{backend:?}");
        for check in [
            "signature",
            "key",
            "status",
            "issued",
            "listing",
            "name",
            "email",
        ] {
            assert_eq!(answer(&res, check), "Yes", "{check} on {backend:?}");
        }
        assert!(res.body.contains("Verified: every check passed."));
        let wrong = paste(&app, &text, "Someone Else", "other@example.co.nz").await;
        assert_eq!(
            (answer(&wrong, "name"), answer(&wrong, "email")),
            ("No".into(), "No".into())
        );
        assert!(!wrong.body.contains("Verified: every check passed."));

        // The same credential uploaded as a file and baked into an SVG.
        assert_eq!(
            answer(&upload(&app, "mine.json", text.as_bytes()).await, "issued"),
            "Yes"
        );
        let svg = upload(&app, "badge.svg", baked(&text).as_bytes()).await;
        assert_eq!(answer(&svg, "signature"), "Yes", "{}", svg.body);

        // Tampered: one character of the name.
        let tampered = text.replace("Māhina", "Māhino");
        let res = paste(&app, &tampered, "", "").await;
        assert_eq!(answer(&res, "signature"), "No");
        assert_eq!(answer(&res, "issued"), "No");

        // Signed by a key this Tohu does not list, naming the issuer.
        let stranger = IssuerKeys::new(SigningKey::from_bytes(&[9; 32]), Vec::new());
        let (document, mut options) = proof::split(&cred).unwrap();
        let issuer = cred["issuer"]["id"].as_str().unwrap();
        options.remove("proofValue");
        options.insert(
            "verificationMethod".into(),
            Value::from(format!("{issuer}#{}", stranger.key_id())),
        );
        let forged = proof::sign(document, Value::Object(options), &stranger)
            .await
            .unwrap();
        let res = paste(&app, &forged.to_string(), "", "").await;
        assert_eq!(
            (answer(&res, "signature"), answer(&res, "key")),
            ("Yes".into(), "No".into())
        );

        // The listing changed since: said, and the credential still stands.
        sqlx::query("UPDATE credentials SET summary = 'Changed since.' WHERE slug = 'demonstrate-basic-chainsaw-operation'")
            .execute(&app.db.pool).await.unwrap();
        let res = paste(&app, &text, "", "").await;
        assert_eq!(answer(&res, "listing"), "No");
        assert!(res.body.contains("Verified: every check passed."));

        // Revoked.
        sqlx::query("UPDATE issued_credentials SET status = 'revoked'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let res = paste(&app, &text, "", "").await;
        assert_eq!(
            (answer(&res, "signature"), answer(&res, "status")),
            ("Yes".into(), "No".into())
        );
        assert!(res.body.contains("Not verified"));
        app.finish().await;
    }
}

#[tokio::test]
async fn verify_refuses_what_it_cannot_read_with_a_message_and_keeps_the_text() {
    let app = TestApp::empty_with(tohu::server::db::Backend::Sqlite, |config| {
        config.verify_limit = tohu::server::config::parse_rate("9/60s").unwrap();
    })
    .await;
    let unknown = r#"{"@context":["https://www.w3.org/ns/credentials/v2","https://evil.example/v1"],"type":["VerifiableCredential"],"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"assertionMethod","verificationMethod":"https://x.example/i#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2","proofValue":"z1"}}"#;
    let res = paste(&app, unknown, "", "").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        field_error(&res, "credential").contains("https://evil.example/v1"),
        "{}",
        res.body
    );
    // What was pasted is shown again, escaped.
    assert!(res.body.contains("evil.example/v1&quot;") || res.body.contains("evil.example/v1\""));
    let undefined = unknown
        .replace(r#","https://evil.example/v1""#, "")
        .replace(
            r#""type":["VerifiableCredential"]"#,
            r#""type":["VerifiableCredential"],"sneaky":"unsigned""#,
        );
    let res = paste(&app, &undefined, "", "").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        field_error(&res, "credential").contains("do not define"),
        "{}",
        res.body
    );
    let res = paste(&app, "{not json", "", "").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&res, "credential").contains("not JSON"));
    let res = upload(&app, "big.json", &vec![b' '; 300 * 1024]).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(field_error(&res, "file").contains("256 KB"), "{}", res.body);
    let res = upload(&app, "picture.svg", b"<svg><circle/></svg>").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&res, "file").contains("no Open Badges credential"));
    // A credential this Tohu never issued: the id is unknown.
    let res = paste(
        &app,
        &unknown.replace(r#","https://evil.example/v1""#, ""),
        "",
        "",
    )
    .await;
    assert_ne!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    // Over the limit: 429 with when to come back.
    let mut last = StatusCode::OK;
    for _ in 0..5 {
        last = paste(&app, "{}", "", "").await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    app.finish().await;
}
