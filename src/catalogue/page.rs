//! The catalogue page `/`: search box, sector filter, result count and cards. The URL holds
//! the state; without JavaScript the form submits by GET and the server renders the results,
//! with JavaScript the results follow the form as the learner types.

use std::time::Duration;

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::catalogue::api::{list_sectors, search_catalogue};
use crate::catalogue::card::Card;
use crate::catalogue::types::{CatalogueQuery, SearchResults, Sector};

/// How long typing must pause before the results follow it.
const DEBOUNCE: Duration = Duration::from_millis(250);

#[component]
pub fn CataloguePage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let m = query_map.read();
        CatalogueQuery::from_parts(m.get("q"), m.get_all("sector").unwrap_or_default())
    });
    let results = Resource::new(move || query.get(), search_catalogue);
    let sectors = Resource::new(|| (), |_| list_sectors());

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

    let navigate = use_navigate();
    let go = move |next: CatalogueQuery, replace: bool| {
        last_sent.set_value(next.q.clone());
        navigate(
            &next.to_url(),
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        );
    };

    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            text.set(event_target_value(&ev));
            if let Some(h) = pending.get_value() {
                h.clear();
            }
            let go = go.clone();
            let handle = set_timeout_with_handle(
                move || {
                    let q = query.get_untracked();
                    go(
                        CatalogueQuery::from_parts(Some(text.get_untracked()), q.sectors),
                        true,
                    );
                },
                DEBOUNCE,
            );
            pending.set_value(handle.ok());
        }
    };
    let on_submit = {
        let go = go.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if let Some(h) = pending.get_value() {
                h.clear();
            }
            let q = query.get_untracked();
            go(
                CatalogueQuery::from_parts(Some(text.get_untracked()), q.sectors),
                false,
            );
        }
    };
    let toggle_sector = move |slug: String, on: bool| {
        let mut q = query.get_untracked();
        q.q = text.get_untracked();
        q.sectors.retain(|s| *s != slug);
        if on {
            q.sectors.push(slug);
        }
        go(CatalogueQuery::from_parts(Some(q.q), q.sectors), false);
    };

    view! {
        <Title text="" />
        <Meta
            name="description"
            content="Search and compare NZQA micro-credentials by sector: unit standards, intakes, fees and funding."
        />
        <h1>"Find a micro-credential"</h1>
        <p class="lede">
            "Short, nationally recognised courses of 5 to 40 credits, made of NZQA unit standards. Search by topic or standard number, filter by sector, then choose an intake."
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
            <fieldset class="sector-filter">
                <legend>"Sector"</legend>
                <Suspense fallback=|| view! { <p>"Loading sectors…"</p> }>
                    {move || {
                        let toggle_sector = toggle_sector.clone();
                        Suspend::new(async move {
                        sectors
                            .await
                            .unwrap_or_default()
                            .into_iter()
                            .map(|s| {
                                let id = format!("sector-{}", s.slug);
                                let slug = s.slug.clone();
                                let checked_slug = s.slug.clone();
                                let toggle = toggle_sector.clone();
                                view! {
                                    <div class="check">
                                        <input
                                            type="checkbox"
                                            id=id.clone()
                                            name="sector"
                                            value=s.slug.clone()
                                            prop:checked=move || {
                                                query.get().sectors.contains(&checked_slug)
                                            }
                                            checked=query.get_untracked().sectors.contains(&s.slug)
                                            on:change=move |ev| toggle(
                                                slug.clone(),
                                                event_target_checked(&ev),
                                            )
                                        />
                                        <label for=id>{s.name}</label>
                                    </div>
                                }
                            })
                            .collect_view()
                    })
                    }}
                </Suspense>
            </fieldset>
        </form>
        <section class="results" aria-labelledby="results-heading">
            <h2 id="results-heading" class="visually-hidden">"Results"</h2>
            <Transition fallback=|| view! { <p role="status">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    // The sector list is loaded once for the filter; it names the selection.
                    let sectors = sectors.await.unwrap_or_default();
                    match results.await {
                        Ok(r) => view! { <ResultList results=r sectors /> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ResultList(results: SearchResults, sectors: Vec<Sector>) -> impl IntoView {
    let count = match results.total {
        0 => "No micro-credentials found".to_owned(),
        1 => "1 micro-credential found".to_owned(),
        n => format!("{n} micro-credentials found"),
    };
    let names: Vec<String> = results
        .query
        .sectors
        .iter()
        .filter_map(|slug| sectors.iter().find(|s| &s.slug == slug))
        .map(|s| s.name.clone())
        .collect();
    let filtered = !results.query.is_empty();
    let empty = results.items.is_empty();
    let description = {
        let mut parts = Vec::new();
        if !results.query.q.is_empty() {
            parts.push(format!("matching “{}”", results.query.q));
        }
        if !names.is_empty() {
            parts.push(format!("in {}", names.join(" or ")));
        }
        parts.join(" ")
    };
    view! {
        <p class="result-count" role="status">
            <strong>{count}</strong>
            {(!description.is_empty()).then(|| format!(" {description}"))}
        </p>
        {if empty {
            view! {
                <div class="empty">
                    <p>"Try fewer or different words, a unit standard number, or another sector."</p>
                    {filtered
                        .then(|| view! { <a class="button" href="/">"Clear search and filters"</a> })}
                </div>
            }
                .into_any()
        } else {
            view! {
                <ul class="cards">
                    {results.items.into_iter().map(|c| view! { <Card card=c /> }).collect_view()}
                </ul>
                {filtered.then(|| view! { <p><a href="/">"Clear search and filters"</a></p> })}
            }
                .into_any()
        }}
    }
}
