//! The catalogue page `/`: search box, facets with counts, sort, result cards and pages.
//! The URL holds the whole state. Without JavaScript the form submits by GET and the server
//! renders everything; with JavaScript the results follow the form as the learner types or
//! ticks, old results stay on screen until new ones arrive, and focus stays where it was.

use std::time::Duration;

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::app::MarkHydrated;
use crate::catalogue::api::search_catalogue;
use crate::catalogue::query::{CatalogueQuery, Sort};
use crate::catalogue::types::SearchResults;
use crate::catalogue::ui::card::Card;
use crate::catalogue::ui::filters::{active_filters, Chips, Filters};
use crate::catalogue::ui::pager::{EmptyResult, Pages};
use crate::error::AppError;
use crate::ui::focus::FOCUS_AFTER_RENDER;
use crate::ui::seo::PageMeta;

/// How long typing must pause before the results follow it.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// Navigates to a query's URL; `replace` for typing, so Back skips each keystroke.
pub(super) type Go = std::sync::Arc<dyn Fn(CatalogueQuery, bool) + Send + Sync>;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let m = query_map.read();
        CatalogueQuery::from_params(|name| m.get_all(name).unwrap_or_default())
    });
    // A newer query aborts the request still in flight for an older one (dropping a server
    // function's future aborts its fetch), so a slow network never carries stale answers.
    let in_flight = StoredValue::new(None::<AbortHandle>);
    let results = Resource::new(
        move || query.get(),
        move |q| {
            let (handle, registration) = AbortHandle::new_pair();
            if let Some(old) = in_flight.try_update_value(|v| v.replace(handle)).flatten() {
                old.abort();
            }
            async move {
                Abortable::new(search_catalogue(q), registration)
                    .await
                    // An aborted request belongs to a superseded query; the resource
                    // discards its outcome.
                    .unwrap_or(Err(AppError::BadRequest))
            }
        },
    );

    // What the search box shows; follows the URL only when the URL changed for another
    // reason than our own typing (back, forward, a link), so typing is never overwritten.
    let text = RwSignal::new(query.get_untracked().q);
    let last_sent = StoredValue::new(query.get_untracked().q);
    Effect::new(move |_| {
        let q = query.get().q;
        if q != last_sent.get_value() {
            last_sent.set_value(q.clone());
            text.set(q);
        }
    });

    // Whether the phone's filter panel is open; kept here so it stays open while the
    // results re-render behind it.
    let filters_open = RwSignal::new(false);

    let navigate = use_navigate();
    let go: Go = std::sync::Arc::new(move |next: CatalogueQuery, replace: bool| {
        last_sent.set_value(next.q.clone());
        navigate(
            &next.to_url(),
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        );
    });
    // The query as the form now reads: the typed text, the URL's facets, back to page 1.
    let current = move || CatalogueQuery {
        q: text.get_untracked(),
        page: 1,
        ..query.get_untracked()
    };

    let pending = StoredValue::new(None::<TimeoutHandle>);
    let cancel_pending = move || {
        if let Some(h) = pending.get_value() {
            h.clear();
        }
    };
    let on_input = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            text.set(event_target_value(&ev));
            cancel_pending();
            let go = go.clone();
            let handle =
                set_timeout_with_handle(move || go(current().normalised(), true), DEBOUNCE);
            pending.set_value(handle.ok());
        }
    };
    let on_submit = {
        let go = go.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            cancel_pending();
            go(current().normalised(), false);
        }
    };

    view! {
        <h1>"Find a micro-credential"</h1>
        <p class="lede">
            "Short, nationally recognised courses of 5 to 40 credits, made of NZQA unit standards. Search by topic or standard number, filter, then choose an intake."
        </p>
        <form class="search" method="get" action="/" role="search" on:submit=on_submit>
            <div class="search-row">
                <label for="q">"Search micro-credentials"</label>
                <input
                    id="q"
                    name="q"
                    type="search"
                    autocomplete="off"
                    maxlength="200"
                    placeholder="e.g. chainsaw, 6917, sustainability"
                    value=move || query.get().q
                    prop:value=move || text.get()
                    on:input=on_input
                />
                <button type="submit">"Search"</button>
            </div>
            <div class="catalogue">
                <Transition fallback=|| view! { <p role="status">"Searching…"</p> }>
                    {
                        let go = go.clone();
                        move || {
                            let go = go.clone();
                            Suspend::new(async move {
                                match results.await {
                                    Ok(r) => {
                                        view! {
                                            <Filters results=r.clone() go=go.clone() text open=filters_open />
                                            <ResultList results=r go text />
                                        }
                                            .into_any()
                                    }
                                    Err(e) => {
                                        view! { <p class="error" role="alert">{e.to_string()}</p> }
                                            .into_any()
                                    }
                                }
                            })
                        }
                    }
                </Transition>
            </div>
        </form>
        <MarkHydrated />
    }
}

#[component]
fn ResultList(results: SearchResults, go: Go, text: RwSignal<String>) -> impl IntoView {
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
    let on_sort = {
        let (go, q) = (go.clone(), q.clone());
        move |ev: leptos::ev::Event| {
            let sort = Sort::from_key(&event_target_value(&ev)).unwrap_or_default();
            FOCUS_AFTER_RENDER.with(|f| *f.borrow_mut() = Some("sort".to_owned()));
            go(
                CatalogueQuery {
                    q: text.get_untracked(),
                    sort,
                    page: 1,
                    ..q.clone()
                }
                .normalised(),
                false,
            );
        }
    };

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
                    <select id="sort" name="sort" prop:value=requested.key() on:change=on_sort>
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
