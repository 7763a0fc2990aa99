//! A search's answer as the page shows it: the result count, sort, cards and page links
//! (`ResultList`), and the head it gives the page (`search_head`). Drawn by the server's
//! render of `/` and by the search island's live render (`catalogue::ui::search`) alike.

use leptos::prelude::*;

use crate::catalogue::facet::Facet;
use crate::catalogue::query::Sort;
use crate::catalogue::types::SearchResults;
use crate::catalogue::ui::card::Card;
use crate::catalogue::ui::filters::{active_filters, Chips};
use crate::catalogue::ui::pager::{EmptyResult, Pages};

/// What a search page tells search engines and the browser's tab: each search is its own
/// page, with its own title (the text, every active filter, the page) and description.
pub struct SearchHead {
    pub title: String,
    pub description: String,
}

/// The head of the page showing `results` (the server's render and the search island's
/// live one both use it).
pub fn search_head(results: &SearchResults) -> SearchHead {
    let q = &results.query;
    if q.is_empty() && results.page <= 1 {
        return SearchHead {
            title: String::new(),
            description: "Search and compare NZQA micro-credentials by sector, level, credits, region and funding: unit standards, intakes, fees.".to_owned(),
        };
    }
    let mut title = vec![if q.q.is_empty() {
        "Micro-credentials".to_owned()
    } else {
        format!("Micro-credentials matching “{}”", q.q)
    }];
    let filters: Vec<String> = active_filters(results)
        .into_iter()
        .map(|f| f.label)
        .collect();
    if !filters.is_empty() {
        title.push(filters.join(", "));
    }
    if results.page > 1 {
        title.push(format!("page {}", results.page));
    }
    let title = title.join(" · ");
    let description = format!(
        "{}: {title}. Compare credits, levels, intakes and funding.",
        result_count(results.total)
    );
    SearchHead { title, description }
}

/// "No micro-credentials found", "1 micro-credential found", "12 micro-credentials found".
fn result_count(total: u64) -> String {
    match total {
        0 => "No micro-credentials found".to_owned(),
        1 => "1 micro-credential found".to_owned(),
        n => format!("{n} micro-credentials found"),
    }
}

/// The results: active filters, their count and sort, the cards and the page links.
#[component]
pub fn ResultList(results: SearchResults) -> impl IntoView {
    let q = results.query.clone();
    let count = result_count(results.total);
    let sector_names: Vec<String> = results
        .facets
        .iter()
        .filter(|f| f.facet == Facet::Sector)
        .flat_map(|f| {
            f.values
                .iter()
                .filter(|v| v.selected)
                .map(|v| v.label.clone())
        })
        .collect();
    let mut description = Vec::new();
    if !q.q.is_empty() {
        description.push(format!("matching “{}”", q.q));
    }
    // The server words it (the first-load WASM carries no text it can do without).
    let partial = results
        .partial
        .clone()
        .map(|m| view! { <p class="partial">{m}</p> });
    if !sector_names.is_empty() {
        description.push(format!("in {}", sector_names.join(" or ")));
    }
    if results.pages > 1 && !results.items.is_empty() {
        description.push(format!("(page {} of {})", results.page, results.pages));
    }
    let description = description.join(" ");

    // The requested order is shown (not the effective one), so that a form submitted
    // without JavaScript keeps "best match" for the next search text.
    let requested = q.sort;

    let chips = view! { <Chips results=results.clone() /> };
    let body = if results.total == 0 {
        view! { <EmptyResult results=results.clone() /> }.into_any()
    } else if results.items.is_empty() {
        let last = q.with_page(results.pages).to_url();
        view! {
            <div class="empty">
                <p>
                    {format!(
                        "There is no page {}: these results end at page {}.",
                        results.page,
                        results.pages,
                    )}
                </p>
                <a class="button" href=last>
                    {format!("Go to page {}", results.pages)}
                </a>
            </div>
        }
        .into_any()
    } else {
        let filtered = !q.is_empty();
        view! {
            {partial}
            <ul class="cards">
                {results.items.into_iter().map(|c| view! { <Card card=c /> }).collect_view()}
            </ul>
            <Pages query=q.clone() page=results.page pages=results.pages />
            {filtered.then(|| view! { <p><a href="/">"Clear search and filters"</a></p> })}
        }
        .into_any()
    };
    view! {
        <section class="results" aria-labelledby="results-heading">
            <h2 id="results-heading" class="visually-hidden">"Results"</h2>
            {chips}
            <div class="results-bar">
                <p class="result-count" role="status">
                    <strong>{count}</strong>
                    {(!description.is_empty()).then(|| format!(" {description}"))}
                </p>
                <div class="sort">
                    <label for="sort">"Sort by"</label>
                    <select id="sort" name="sort">
                        {Sort::ALL
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option value=s.key() selected=s == requested prop:selected=s == requested>
                                        {s.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
            {body}
        </section>
    }
}
