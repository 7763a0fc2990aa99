//! The catalogue's facets: one disclosure per facet, a checkbox per value with its count.
//! Ticking a box applies the query at once (with JavaScript) and keeps focus on that box.

use leptos::prelude::*;

use crate::catalogue::query::CatalogueQuery;
use crate::catalogue::types::{Facet, SearchResults};
use crate::catalogue::ui::page::Go;
use crate::ui::focus::{refocus, FOCUS_AFTER_RENDER};

/// The facets: one disclosure per facet, a checkbox per value with its count; values that
/// would give nothing are disabled, not hidden, so nothing moves as counts change.
#[component]
pub fn Filters(results: SearchResults, go: Go, text: RwSignal<String>) -> impl IntoView {
    Effect::new(move |_| {
        if let Some(id) = FOCUS_AFTER_RENDER.with(|f| f.borrow_mut().take()) {
            refocus(&id);
        }
    });
    let selected = results.query.has_filters();
    let query = results.query.clone();
    let facets = results
        .facets
        .into_iter()
        .map(|facet| {
            let go = go.clone();
            view! { <FacetGroup facet query=query.clone() go text /> }
        })
        .collect_view();
    view! {
        <div class="filters">
            <h2 class="filters-heading">"Filter"</h2>
            {facets}
            <div class="filter-actions">
                <button type="submit" class="secondary">
                    "Apply filters"
                </button>
                {selected
                    .then(|| {
                        view! {
                            <a href=results.query.without_filters().to_url()>"Clear filters"</a>
                        }
                    })}
            </div>
        </div>
    }
}

#[component]
fn FacetGroup(
    facet: Facet,
    query: CatalogueQuery,
    go: Go,
    text: RwSignal<String>,
) -> impl IntoView {
    let any_selected = facet.values.iter().any(|v| v.selected);
    let open = facet.param == "sector" || any_selected;
    let param = facet.param.clone();
    let values = facet
        .values
        .into_iter()
        .map(|v| {
            let id = format!("f-{}-{}", param, v.value);
            let disabled = v.count == 0 && !v.selected;
            let toggle = {
                let (go, query, param, value, id) = (
                    go.clone(),
                    query.clone(),
                    param.clone(),
                    v.value.clone(),
                    id.clone(),
                );
                move |ev: leptos::ev::Event| {
                    let on = event_target_checked(&ev);
                    let mut next = CatalogueQuery {
                        q: text.get_untracked(),
                        page: 1,
                        ..query.clone()
                    };
                    match param.as_str() {
                        "funded" => next.funded = on,
                        "open" => next.open = on,
                        p => {
                            if let Some(values) = next.facet_mut(p) {
                                values.retain(|x| *x != value);
                                if on {
                                    values.push(value.clone());
                                }
                            }
                        }
                    }
                    FOCUS_AFTER_RENDER.with(|f| *f.borrow_mut() = Some(id.clone()));
                    go(next.normalised(), false);
                }
            };
            view! {
                <div class="check" class:zero=disabled>
                    <input
                        type="checkbox"
                        id=id.clone()
                        name=param.clone()
                        value=v.value.clone()
                        checked=v.selected
                        prop:checked=v.selected
                        disabled=disabled
                        on:change=toggle
                    />
                    <label for=id>
                        {format!("{} ", v.label)}
                        <span class="count">{format!("({})", v.count)}</span>
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <details class="facet" open=open>
            <summary>{facet.label.clone()}</summary>
            <fieldset>
                <legend class="visually-hidden">{facet.label}</legend>
                {values}
            </fieldset>
        </details>
    }
}
