//! Below the results: page links, and what an empty result offers instead.

use std::collections::BTreeSet;

use leptos::prelude::*;

use crate::catalogue::query::CatalogueQuery;
use crate::catalogue::types::SearchResults;

/// "No micro-credentials found", with a nearby search made of the catalogue's own words and
/// one-click ways out.
#[component]
pub fn EmptyResult(results: SearchResults) -> impl IntoView {
    let q = results.query;
    let suggestion = results.suggestion.map(|s| {
        let href = CatalogueQuery {
            q: s.clone(),
            page: 1,
            ..q.clone()
        }
        .to_url();
        view! {
            <p class="suggestion">
                "Did you mean " <a href=href>{s}</a> "?"
            </p>
        }
    });
    let drop_filters = (q.has_filters() && !q.q.is_empty()).then(|| {
        let href = q.without_filters().to_url();
        view! {
            <a class="button" href=href>
                {format!("Search “{}” without filters", q.q)}
            </a>
        }
    });
    view! {
        <div class="empty">
            {suggestion}
            <p>"Try fewer or different words, a unit standard number, or fewer filters."</p>
            <p class="empty-actions">
                {drop_filters} <a class="button secondary" href="/">
                    "Clear search and filters"
                </a>
            </p>
        </div>
    }
}

/// Page links: previous, first, a window around the current page, last, next. Plain links,
/// so they work without JavaScript.
#[component]
pub fn Pages(query: CatalogueQuery, page: u32, pages: u32) -> impl IntoView {
    if pages <= 1 {
        return None;
    }
    let mut shown: BTreeSet<u32> = [1, pages].into_iter().collect();
    for p in page.saturating_sub(2).max(1)..=(page + 2).min(pages) {
        shown.insert(p);
    }
    let mut links = Vec::new();
    let mut previous = 0;
    for p in shown {
        if p > previous + 1 {
            links.push(view! { <li class="gap" aria-hidden="true">"…"</li> }.into_any());
        }
        previous = p;
        let href = query.with_page(p).to_url();
        links.push(if p == page {
            view! {
                <li>
                    <a href=href aria-current="page">
                        <span class="visually-hidden">"Page "</span>
                        {p}
                    </a>
                </li>
            }
            .into_any()
        } else {
            view! {
                <li>
                    <a href=href>
                        <span class="visually-hidden">"Page "</span>
                        {p}
                    </a>
                </li>
            }
            .into_any()
        });
    }
    let prev = (page > 1).then(|| {
        let href = query.with_page(page - 1).to_url();
        view! {
            <li>
                <a href=href rel="prev">
                    "Previous"
                </a>
            </li>
        }
    });
    let next = (page < pages).then(|| {
        let href = query.with_page(page + 1).to_url();
        view! {
            <li>
                <a href=href rel="next">
                    "Next"
                </a>
            </li>
        }
    });
    Some(view! {
        <nav class="pages" aria-label="Pages">
            <ul>{prev} {links} {next}</ul>
        </nav>
    })
}
