//! The catalogue page `/`: search box, facets with counts, sort, result cards and pages.
//! The URL holds the whole state. The page is rendered on the server only: without
//! JavaScript the form submits by GET and the server renders everything; with it,
//! `catalogue::ui::enhance` (not Leptos's hydration) keeps it live, swapping in the
//! server's render of each new search, so a first visit downloads none of this code.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::catalogue::api::search_catalogue;
use crate::catalogue::query::{CatalogueQuery, Sort};
use crate::catalogue::types::SearchResults;
use crate::catalogue::ui::card::Card;
use crate::catalogue::ui::filters::{active_filters, Chips, Filters};
use crate::catalogue::ui::pager::{EmptyResult, Pages};
use crate::ui::seo::PageMeta;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let query = use_query_map().with_untracked(|m| {
        CatalogueQuery::from_params(|name| m.get_all(name).unwrap_or_default())
    });
    // A future, not a resource: nothing hydrates this page, so its results are not
    // serialised into it for a browser that would never read them.
    let text = query.q.clone();
    let results = search_catalogue(query);

    view! {
        <h1>"Find a micro-credential"</h1>
        <p class="lede">
            "Short, nationally recognised courses of 5 to 40 credits, made of NZQA unit standards. Search by topic or standard number, filter, then choose an intake."
        </p>
        <form class="search" method="get" action="/" role="search">
            <div class="search-row">
                <label for="q">"Search micro-credentials"</label>
                <input
                    id="q"
                    name="q"
                    type="search"
                    autocomplete="off"
                    maxlength="200"
                    placeholder="e.g. chainsaw, 6917, sustainability"
                    value=text
                />
                <button type="submit">"Search"</button>
            </div>
            <div class="catalogue">
                <Suspense fallback=|| view! { <p role="status">"Searching…"</p> }>
                    {Suspend::new(async move {
                        match results.await {
                            Ok(r) => {
                                view! {
                                    <Filters results=r.clone() />
                                    <ResultList results=r />
                                }
                                    .into_any()
                            }
                            Err(e) => {
                                view! { <p class="error" role="alert">{e.to_string()}</p> }
                                    .into_any()
                            }
                        }
                    })}
                </Suspense>
            </div>
        </form>
    }
    .into_any()
}

#[component]
fn ResultList(results: SearchResults) -> impl IntoView {
    let q = results.query.clone();
    let count = match results.total {
        0 => "No micro-credentials found".to_owned(),
        1 => "1 micro-credential found".to_owned(),
        n => format!("{n} micro-credentials found"),
    };
    let sector_names: Vec<String> = results
        .facets
        .iter()
        .filter(|f| f.param == "sector")
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
    // Each search is its own page to a search engine: its own title (the text, every
    // active filter, the page), description and canonical address.
    let (title, summary) = if q.is_empty() && results.page <= 1 {
        (
            String::new(),
            "Search and compare NZQA micro-credentials by sector, level, credits, region and funding: unit standards, intakes, fees.".to_owned(),
        )
    } else {
        let mut title = vec![if q.q.is_empty() {
            "Micro-credentials".to_owned()
        } else {
            format!("Micro-credentials matching “{}”", q.q)
        }];
        let filters: Vec<String> = active_filters(&results)
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
        let summary = format!("{count}: {title}. Compare credits, levels, intakes and funding.");
        (title, summary)
    };

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
        <PageMeta title description=summary path=q.to_url() />
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
                                    <option value=s.key() selected=s == requested>
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
