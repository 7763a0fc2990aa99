//! Registration form helpers shared by the registration and email tests.

use axum::body::Body;
use axum::http::Request;
use tohu::catalogue::query::encode_component;

use super::{Response, TestApp};

pub const SLUG: &str = "demonstrate-basic-chainsaw-operation";
pub const INTAKE: &str = "A06";

pub fn body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn learner(email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("intake", INTAKE.into()),
        ("given_name", "Māhina".into()),
        ("family_name", "Ngāti Tūhoe".into()),
        ("email", email.into()),
        ("phone", "021 123 4567".into()),
        ("employer", "".into()),
        ("region", "Bay of Plenty".into()),
        ("nsn", "".into()),
        ("date_of_birth", "1990-04-23".into()),
        ("consent", "on".into()),
    ]
}

pub fn as_refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

pub async fn post_form(app: &TestApp, fields: &[(&str, &str)]) -> Response {
    let req = Request::post(format!("/credentials/{SLUG}/register"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body(fields)))
        .expect("request");
    app.send(req).await
}

pub async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .expect(sql)
}
