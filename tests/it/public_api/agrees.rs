//! The API says what the pages say. Every seed credential's page is parsed as a reader
//! would read it (title, NZQA reference, credits, level, each intake's dates and seats,
//! each funding scheme's state) and compared with `/api/v1/credentials/{slug}`; and 20
//! searches give the same credentials in the same order on the page and in the API.

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::{all_items, json};
use crate::common::{backends, TestApp};

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn text(e: ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `<dd>` after the `<dt>` with this label, within `scope`.
fn fact(scope: ElementRef, label: &str) -> String {
    scope
        .select(&sel("dl > div"))
        .find(|d| d.select(&sel("dt")).next().map(text).as_deref() == Some(label))
        .and_then(|d| d.select(&sel("dd")).next())
        .map(text)
        .unwrap_or_else(|| panic!("no fact {label}"))
}

/// What the page shows of one credential.
struct PageFacts {
    title: String,
    credits: String,
    level: String,
    reference: String,
    /// Each intake's dates and seats.
    intakes: Vec<(String, String)>,
    /// Each scheme's name and state class.
    funding: Vec<(String, String)>,
}

fn page_facts(html: &str) -> PageFacts {
    let doc = Html::parse_document(html);
    let article = doc.select(&sel("article.detail")).next().expect("article");
    PageFacts {
        title: text(article.select(&sel("h1")).next().expect("h1")),
        credits: fact(article, "Credits"),
        level: fact(article, "NZQCF level"),
        reference: fact(article, "NZQA reference"),
        intakes: article
            .select(&sel("li.intake"))
            .map(|i| {
                (
                    text(i.select(&sel("h3")).next().expect("dates")),
                    fact(i, "Seats"),
                )
            })
            .collect(),
        funding: article
            .select(&sel("li.funding-item"))
            .map(|f| {
                let class = f.value().attr("class").unwrap_or_default();
                let state = class
                    .split_whitespace()
                    .find(|c| c.starts_with("funding-") && *c != "funding-item")
                    .unwrap_or_default()
                    .to_owned();
                (text(f.select(&sel("h3")).next().expect("scheme")), state)
            })
            .collect(),
    }
}

fn seats_text(i: &Value) -> String {
    let (left, capacity) = (
        i["seats_left"].as_i64().unwrap(),
        i["capacity"].as_i64().unwrap(),
    );
    match left {
        0 => "Full".to_owned(),
        1 => "1 seat left".to_owned(),
        n => format!("{n} of {capacity} seats left"),
    }
}

#[tokio::test]
async fn every_credential_in_the_api_reads_as_its_page_does() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let listed = all_items(&app, "/api/v1/credentials?per_page=100").await;
        assert!(listed.len() >= 40, "{backend:?}: {}", listed.len());
        for item in &listed {
            let slug = item["slug"].as_str().expect("slug");
            let api = json(&app.get(&format!("/api/v1/credentials/{slug}")).await);
            let page = app.get(&format!("/credentials/{slug}")).await;
            assert_eq!(page.status, 200, "{slug}");
            let PageFacts {
                title,
                credits,
                level,
                reference,
                intakes,
                funding,
            } = page_facts(&page.body);
            assert_eq!(title, api["title"], "{backend:?} {slug}");
            assert_eq!(item["title"], api["title"]);
            let api_credits = api["credits"].as_i64().expect("credits");
            assert!(
                credits.starts_with(&format!("{api_credits} ")),
                "{slug}: {credits}"
            );
            assert_eq!(level, api["level"].to_string(), "{slug}");
            match api["nzqa_ref"].as_i64() {
                Some(r) => assert!(reference.contains(&r.to_string()), "{slug}: {reference}"),
                None => assert!(!reference.chars().any(|c| c.is_ascii_digit()), "{slug}"),
            }
            let api_intakes = api["intakes"].as_array().expect("intakes");
            assert_eq!(intakes.len(), api_intakes.len(), "{slug}");
            for ((dates, seats), i) in intakes.iter().zip(api_intakes) {
                let long = |k: &str| tohu::format::long_date(i[k].as_str().expect("date"));
                assert_eq!(
                    dates,
                    &format!("{} to {}", long("starts_on"), long("ends_on"))
                );
                assert_eq!(seats, &seats_text(i), "{slug}");
            }
            let mut api_funding: Vec<(String, String)> = api["funding"]
                .as_array()
                .expect("funding")
                .iter()
                .map(|f| {
                    let class = match f["state"].as_str().expect("state") {
                        "available" => "funding-eligible",
                        "opens-later" => "funding-pending",
                        _ => "funding-ended",
                    };
                    (
                        f["name"].as_str().expect("name").to_owned(),
                        class.to_owned(),
                    )
                })
                .collect();
            let mut funding = funding;
            api_funding.sort();
            funding.sort();
            assert_eq!(funding, api_funding, "{backend:?} {slug}");
        }
        app.finish().await;
    }
}

/// The credentials a search page lists, in order.
fn page_slugs(html: &str) -> Vec<String> {
    Html::parse_document(html)
        .select(&sel("li.card h3 a"))
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/credentials/").to_owned())
        .collect()
}

#[tokio::test]
async fn twenty_searches_list_the_same_credentials_in_the_same_order() {
    let searches = [
        "q=chainsaw",
        "q=safety",
        "q=maori",
        "q=first+aid&sort=title",
        "sector=forestry",
        "sector=forestry&sector=construction",
        "level=3",
        "level=4&sort=credits",
        "credits=5-10",
        "credits=11-20&sort=next-intake",
        "mode=online",
        "mode=workshop&mode=on-job",
        "funded=true",
        "open=true",
        "q=forklift&open=true",
        "sort=credits",
        "sort=next-intake",
        "q=data&sort=relevance",
        "sector=manufacturing&level=3",
        "q=chainsw",
    ];
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let mut found = 0;
        for s in searches {
            // The page writes flags as 1; the API as true.
            let page_query = s.replace("=true", "=1");
            let page = page_slugs(&app.get(&format!("/?{page_query}")).await.body);
            let api = json(
                &app.get(&format!("/api/v1/credentials?{s}&per_page=20"))
                    .await,
            );
            let api: Vec<String> = api["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|c| c["slug"].as_str().expect("slug").to_owned())
                .collect();
            assert_eq!(page, api, "{backend:?} {s}");
            found += usize::from(!api.is_empty());
        }
        // Compared on what they list, not on two empty pages.
        assert!(
            found >= 18,
            "{backend:?}: only {found} searches found anything"
        );
        app.finish().await;
    }
}
