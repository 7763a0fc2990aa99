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

pub async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.db.pool).await.expect(sql);
}

/// Sets the seats and waitlist places of intake `INTAKE`.
pub async fn set_capacity(app: &TestApp, seats: i64, waitlist: i64) {
    sqlx::query("UPDATE intakes SET capacity = $1, waitlist_capacity = $2 WHERE code = $3")
        .bind(seats)
        .bind(waitlist)
        .bind(INTAKE)
        .execute(&app.db.pool)
        .await
        .expect("set capacity");
}

/// Registers `email` (family name `family`) without JavaScript; returns the confirmation
/// link the answer redirects to.
pub async fn register_as(app: &TestApp, email: &str, family: &str) -> String {
    let mut fields = learner(email);
    for f in fields.iter_mut().filter(|f| f.0 == "family_name") {
        f.1 = family.to_owned();
    }
    let res = post_form(app, &as_refs(&fields)).await;
    assert_eq!(res.status.as_u16(), 303, "{}", res.body);
    res.headers["location"].to_str().unwrap().to_owned()
}
