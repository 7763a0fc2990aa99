//! Search in learners' own words (issue 13), on both databases: a synonym finds what the
//! catalogue calls it but ranks below the catalogue's own word; a word form finds its stem;
//! part of a compound finds the compound; a search no credential matches in full shows
//! those matching most of its words and says so; "did you mean" never leads nowhere.

use tohu::catalogue::query::CatalogueQuery;
use tohu::catalogue::types::SearchResults;

use crate::common::{backends, TestApp, TODAY};

fn search(app: &TestApp, text: &str) -> SearchResults {
    let q = CatalogueQuery {
        q: text.to_owned(),
        ..CatalogueQuery::default()
    };
    app.search.search(&q, TODAY).expect("search answers")
}

fn slugs(r: &SearchResults) -> Vec<&str> {
    r.items.iter().map(|c| c.slug.as_str()).collect()
}

#[tokio::test]
async fn synonyms_stems_and_compounds_find_the_catalogues_words() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        // One credential says "truck"; the synonyms ("heavy vehicle", "road transport")
        // bring the other three road transport credentials.
        let truck = search(&app, "truck");
        assert!(truck.total >= 4, "{backend:?}: {:?}", slugs(&truck));
        assert!(slugs(&truck)[..3]
            .iter()
            .all(|s| s.contains("road-transport")));
        // An exact word outranks a synonym: "seafood" puts the seafood credential first,
        // though the fish group's other terms also match "fish" and "aquaculture".
        let seafood = search(&app, "seafood");
        assert_eq!(slugs(&seafood)[0], "introduction-to-seafood-processing");
        assert!(seafood.total >= 3, "{backend:?}");
        // A word form: "planting" finds the credential that says "plant", below the one
        // that says "planting" itself.
        let planting = search(&app, "planting");
        assert_eq!(slugs(&planting)[0], "forestry-planting", "{backend:?}");
        assert!(
            slugs(&planting).contains(&"plant-plantation-trees"),
            "{backend:?}"
        );
        let sustainability = search(&app, "sustainability");
        assert_eq!(
            slugs(&sustainability).first().copied(),
            Some("sustainable-practices-in-manufacturing"),
            "{backend:?}"
        );
        // Part of a compound.
        let water = search(&app, "water");
        assert_eq!(
            slugs(&water).first().copied(),
            Some("assess-and-manage-risks-to-freshwater-from-horticultural-production")
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_search_matching_no_credential_in_full_shows_those_matching_most_of_it() {
    for backend in backends() {
        let app = TestApp::seeded(backend).await;
        let r = search(&app, "dairy farming");
        assert_eq!(
            r.partial.as_deref(),
            Some("No micro-credential matches all of “dairy farming”; showing those that match “dairy”."),
            "{backend:?}"
        );
        assert_eq!(slugs(&r).first().copied(), Some("contract-milking-101"));
        let page = app.get("/?q=dairy+farming").await;
        let text = page.text();
        assert!(
            text.contains(
                "No micro-credential matches all of “dairy farming”; showing those that match “dairy”."
            ),
            "{backend:?}: {text}"
        );
        // Nothing in the catalogue at all: no partial results, and no suggestion that
        // would itself find nothing.
        let r = search(&app, "underwater basket weaving");
        assert_eq!((r.total, r.partial.as_deref()), (0, None), "{backend:?}");
        assert_eq!(r.suggestion, None, "{backend:?}");
        // A suggestion that finds something is still offered.
        let r = search(&app, "chaimsww");
        assert_eq!(r.suggestion.as_deref(), Some("chainsaw"));
        app.finish().await;
    }
}
