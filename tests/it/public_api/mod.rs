//! The public API over the real router on both databases: its list shape and paging, its
//! refusals as problem+json, caching and CORS, the per-address limit, the calendar feed,
//! and that it says what the pages say.

mod agrees;
mod http;

use serde_json::Value;

use crate::common::{Response, TestApp};

/// A GET's JSON body; panics with the body when it is not JSON.
pub fn json(res: &Response) -> Value {
    serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body))
}

/// Every page of a list, following `links.next`.
pub async fn all_items(app: &TestApp, first: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut next = Some(first.to_owned());
    while let Some(url) = next {
        let path = url.split_once("://").map_or(url.as_str(), |(_, rest)| {
            rest.find('/').map_or("/", |i| &rest[i..])
        });
        let res = app.get(path).await;
        assert_eq!(res.status, 200, "{path}: {}", res.body);
        let page = json(&res);
        items.extend(page["items"].as_array().expect("items").iter().cloned());
        next = page["links"]["next"].as_str().map(str::to_owned);
    }
    items
}
