//! Ranked, typo-tolerant, macron-insensitive, faceted search, over both databases: through
//! the page a learner reads, and through the search service where counts are compared
//! with the result totals they promise.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use sqlx::Row;
use tohu::catalogue::query::{CatalogueQuery, Facet, Sort, PAGE_SIZE};
use tohu::catalogue::server::synthetic;
use tohu::catalogue::types::SearchResults;

use crate::common::{backends, TestApp, TODAY};

fn query(f: impl FnOnce(&mut CatalogueQuery)) -> CatalogueQuery {
    let mut q = CatalogueQuery::default();
    f(&mut q);
    q.normalised()
}

fn search(app: &TestApp, q: &CatalogueQuery) -> SearchResults {
    app.search.search(q, TODAY).expect("search answers")
}

fn titles(r: &SearchResults) -> Vec<String> {
    r.items.iter().map(|c| c.title.clone()).collect()
}

/// A small catalogue whose words are chosen to test ranking and macrons.
const SMALL: &str = r#"
[[sector]]
slug = "general"
name = "General"

[[unit_standard]]
number = 99001
title = "Describe sustainable waste handling"

[[credential]]
slug = "workshop-safety"
title = "Workshop safety"
sector = "general"
level = 3
credits = 10
status = "current"
summary = "Safe habits in a workshop, including sustainable waste handling."
purpose = "Keep people safe."
outcomes = "Work safely."
entry_requirements = "None."
standards = [99001]

[[credential]]
slug = "sustainable-forestry"
title = "Sustainable forestry"
sector = "general"
level = 4
credits = 20
status = "current"
summary = "Forest management over generations."
purpose = "Manage forests."
outcomes = "Plan harvests."
entry_requirements = "None."

[[credential]]
slug = "tikanga-maori"
title = "Tikanga maori at work"
sector = "general"
level = 2
credits = 5
status = "current"
summary = "Written here without macrons."
purpose = "Tikanga at work."
outcomes = "Practise tikanga."
entry_requirements = "None."

[[credential]]
slug = "te-reo-maori"
title = "Te reo Māori basics"
sector = "general"
level = 2
credits = 5
status = "current"
summary = "Everyday reo."
purpose = "Speak reo."
outcomes = "Greet people."
entry_requirements = "None."
"#;

#[tokio::test]
async fn typos_prefixes_and_words_written_apart_still_find_chainsaw_credentials() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        for q in ["chainsw", "chainsaww", "CHAINSAW", "chain saw", "chains"] {
            let page = app.get(&format!("/?q={}", q.replace(' ', "+"))).await;
            let text = page.text();
            assert!(text.contains("Chainsaw use"), "{backend:?} {q}");
            assert!(
                text.contains("Demonstrate basic chainsaw operation"),
                "{backend:?} {q}"
            );
        }
        // Search as you type: a prefix of the last word is enough.
        let r = search(&app, &query(|q| q.q = "sust".into()));
        assert!(
            titles(&r).contains(&"Sustainable Practices in Manufacturing".to_owned()),
            "{backend:?}: {:?}",
            titles(&r)
        );
        // A short word must be spelled right: no fuzzy match for 4 letters.
        assert_eq!(search(&app, &query(|q| q.q = "xqzv".into())).total, 0);
        app.finish().await;
    }
}

#[tokio::test]
async fn macrons_do_not_matter_either_way_and_title_matches_rank_first() {
    for backend in backends() {
        let app = TestApp::with_catalogue(backend, SMALL).await;
        for q in ["maori", "Māori", "MĀORI"] {
            let found: BTreeSet<String> = search(&app, &query(|x| x.q = q.into()))
                .items
                .into_iter()
                .map(|c| c.slug)
                .collect();
            assert_eq!(
                found,
                BTreeSet::from(["te-reo-maori".to_owned(), "tikanga-maori".to_owned()]),
                "{backend:?} {q}"
            );
        }
        // "sustainable" is in one title and in another's summary and standard: the title
        // match comes first, and both are found.
        let r = search(&app, &query(|q| q.q = "sustainable".into()));
        assert_eq!(
            titles(&r),
            vec!["Sustainable forestry", "Workshop safety"],
            "{backend:?}"
        );
        assert_eq!(r.sort, Sort::Relevance);
        // Without a search text, relevance means title order.
        let r = search(&app, &query(|_| {}));
        assert_eq!(r.sort, Sort::Title);
        assert_eq!(
            titles(&r),
            vec![
                "Sustainable forestry",
                "Te reo Māori basics",
                "Tikanga maori at work",
                "Workshop safety"
            ]
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_unit_standard_number_finds_every_credential_with_that_standard() {
    for backend in backends() {
        let app = TestApp::with_catalogue(backend, &synthetic::catalogue(400, 3)).await;
        let number = synthetic::FIRST_STANDARD + 25;
        let expected: BTreeSet<String> = sqlx::query(
            "SELECT c.slug FROM credentials c \
             JOIN credential_standards cs ON cs.credential_id = c.id \
             JOIN unit_standards u ON u.id = cs.unit_standard_id WHERE u.number = $1",
        )
        .bind(number)
        .fetch_all(&app.db.pool)
        .await
        .expect("query")
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
        assert!(expected.len() > 1, "the fixture shares standards");
        let mut found = BTreeSet::new();
        let mut page = 1;
        loop {
            let r = search(
                &app,
                &query(|q| {
                    q.q = number.to_string();
                    q.page = page;
                }),
            );
            found.extend(r.items.iter().map(|c| c.slug.clone()));
            if page >= r.pages {
                break;
            }
            page += 1;
        }
        assert_eq!(found, expected, "{backend:?}");
        app.finish().await;
    }
}

#[tokio::test]
async fn facet_counts_promise_the_totals_that_ticking_them_gives() {
    for backend in backends() {
        let app = TestApp::with_catalogue(backend, &synthetic::catalogue(600, 11)).await;
        // Two sectors (OR) and a credits band (AND).
        let base = query(|q| {
            q.q = "safety".into();
            *q = q
                .with(Facet::Sector, ["forestry", "construction"])
                .with(Facet::Credits, ["5-10"]);
        });
        let r = search(&app, &base);
        assert!(r.total > 0, "{backend:?}");
        let sector = r
            .facets
            .iter()
            .find(|f| f.facet == Facet::Sector)
            .expect("sector facet");
        // Within a facet: ticked values' counts add up to the total (OR, one sector each).
        let ticked: u64 = sector
            .values
            .iter()
            .filter(|v| v.selected)
            .map(|v| v.count)
            .sum();
        assert_eq!(ticked, r.total, "{backend:?}");
        // Every value's count is the total that selecting it alone (in its facet) gives,
        // keeping the other facets' selections.
        for facet in &r.facets {
            for v in &facet.values {
                let alone = search(
                    &app,
                    &query(|q| {
                        *q = base.with(facet.facet, [v.value.clone()]);
                    }),
                );
                assert_eq!(
                    alone.total,
                    v.count,
                    "{backend:?}: {}={} promised {} but gives {}",
                    facet.facet.param(),
                    v.value,
                    v.count,
                    alone.total
                );
            }
        }
        // A zero count is shown, disabled, not hidden.
        let page = app.get("/?q=safety&sector=forestry&credits=5-10").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("disabled"),
            "{backend:?}: some value has no results"
        );
        assert!(page.text().contains("Level 2"), "{backend:?}");
        app.finish().await;
    }
}

#[tokio::test]
async fn sorts_order_results_and_pages_split_them_by_twenty() {
    for backend in backends() {
        let app = TestApp::with_catalogue(backend, &synthetic::catalogue(45, 5)).await;
        let by = |sort: Sort, page: u32| {
            search(
                &app,
                &query(|q| {
                    q.sort = sort;
                    q.page = page;
                }),
            )
        };
        let credits: Vec<i64> = (1..=3)
            .flat_map(|p| by(Sort::Credits, p).items)
            .map(|c| c.credits)
            .collect();
        assert_eq!(credits.len(), 45);
        assert!(credits.windows(2).all(|w| w[0] <= w[1]), "{credits:?}");

        let starts: Vec<Option<String>> = (1..=3)
            .flat_map(|p| by(Sort::NextIntake, p).items)
            .map(|c| c.next_intake.map(|i| i.starts_on))
            .collect();
        let dated: Vec<&String> = starts.iter().flatten().collect();
        assert!(dated.windows(2).all(|w| w[0] <= w[1]), "{dated:?}");
        let first_none = starts
            .iter()
            .position(Option::is_none)
            .unwrap_or(starts.len());
        assert!(
            starts[first_none..].iter().all(Option::is_none),
            "undated last"
        );

        let first = by(Sort::Title, 1);
        assert_eq!(
            (first.total, first.pages, first.items.len()),
            (45, 3, PAGE_SIZE)
        );
        let last = by(Sort::Title, 3);
        assert_eq!(last.items.len(), 5);
        let mut all: Vec<String> = (1..=3).flat_map(|p| titles(&by(Sort::Title, p))).collect();
        let sorted = {
            let mut s = all.clone();
            s.sort_by_key(|t| t.to_lowercase());
            s
        };
        assert_eq!(all, sorted, "title order across pages");
        all.dedup();
        assert_eq!(all.len(), 45, "no credential on two pages");

        // The last page through the page, and a page past the end.
        let page = app.get("/?sort=title&page=3").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("(page 3 of 3)"), "{backend:?}");
        assert!(
            page.body.contains(r#"href="/?sort=title&amp;page=2""#),
            "{backend:?}"
        );
        let beyond = app.get("/?sort=title&page=9").await;
        assert_eq!(beyond.status, StatusCode::OK);
        assert!(beyond.text().contains("There is no page 9"), "{backend:?}");
        assert!(
            beyond.body.contains(r#"href="/?sort=title&amp;page=3""#),
            "{backend:?}"
        );
        assert_eq!(beyond.result_count(), 45);
        app.finish().await;
    }
}

#[tokio::test]
async fn an_empty_result_suggests_a_word_from_the_catalogue_and_a_way_out() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let r = search(&app, &query(|q| q.q = "chaimsww".into()));
        assert_eq!(r.total, 0);
        assert_eq!(r.suggestion.as_deref(), Some("chainsaw"), "{backend:?}");
        let page = app.get("/?q=chaimsww&sector=forestry").await;
        let text = page.text();
        assert!(text.contains("Did you mean"), "{backend:?}");
        assert!(page
            .body
            .contains(r#"href="/?q=chainsaw&amp;sector=forestry""#));
        assert!(text.contains("Clear search and filters"));
        // Filters alone emptied it: one click drops them and keeps the words.
        let page = app.get("/?q=chainsaw&sector=hospitality").await;
        assert_eq!(page.result_count(), 0);
        assert!(page.body.contains(r#"href="/?q=chainsaw""#), "{backend:?}");
        app.finish().await;
    }
}

#[tokio::test]
async fn an_import_rebuilds_the_index_while_readers_keep_the_old_one() {
    for backend in backends() {
        let app = TestApp::with_catalogue(backend, SMALL).await;
        let before = app.search.snapshot();
        let changed = SMALL.replace("Workshop safety", "Workshop safety and kaitiakitanga");
        // The rebuild happens while a reader holds the old snapshot.
        app.import(&changed).await;
        let q = query(|q| q.q = "kaitiakitanga".into());
        assert_eq!(before.search(&q, TODAY).expect("old answers").total, 0);
        assert_eq!(search(&app, &q).total, 1, "{backend:?}");
        assert!(app.search.snapshot().revision > before.revision);
        // Nothing changed since: no rebuild.
        assert!(!app.search.refresh(&app.db).await.expect("check"));
        app.finish().await;
    }
}
