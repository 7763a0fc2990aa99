//! The catalogue's facets: one disclosure per facet, a checkbox per value with its count.
//! Ticking a box applies the query at once (with JavaScript) and keeps focus on that box.
//! On a phone the facets sit behind one "Filters" disclosure (a native `<details>`, so it
//! opens without JavaScript) so that results come first; from 48rem they stand beside the
//! results and the disclosure's summary is hidden (`style/main.css`). The active filters
//! show above the results as chips, each a link that removes it.

use leptos::prelude::*;

use crate::catalogue::facet::Facet;
use crate::catalogue::types::{FacetCounts, SearchResults};

/// The facets: one disclosure per facet, a checkbox per value with its count; values that
/// would give nothing are disabled, not hidden, so nothing moves as counts change. With
/// JavaScript a tick applies at once and the phone's panel stays open
/// (`catalogue::ui::search`; each disclosure's `id` is how it keeps its state); "Show N results" submits and closes it.
#[component]
pub fn Filters(results: SearchResults) -> impl IntoView {
    let active = active_filters(&results).len();
    let show = match results.total {
        1 => "Show 1 result".to_owned(),
        n => format!("Show {n} results"),
    };
    let clear = results.query.without_filters().to_url();
    let facets = results
        .facets
        .into_iter()
        .map(|counts| view! { <FacetGroup counts /> })
        .collect_view();
    view! {
        <details class="filters" id="filters">
            <summary class="filters-toggle">
                "Filters"
                {(active > 0).then(|| view! { <span class="filters-active">{format!("{active} active")}</span> })}
            </summary>
            <h2 class="filters-heading">"Filter"</h2>
            {facets}
            <div class="filter-actions">
                <button type="submit" class="secondary">
                    {show}
                </button>
                {(active > 0).then(|| view! { <a href=clear>"Clear filters"</a> })}
            </div>
        </details>
    }
}

/// One selected filter: its label and the URL without it.
pub struct ActiveFilter {
    pub label: String,
    pub remove_url: String,
}

/// Every selected facet value, in facet order, with the link that removes it.
pub fn active_filters(results: &SearchResults) -> Vec<ActiveFilter> {
    results
        .facets
        .iter()
        .flat_map(|f| {
            f.values
                .iter()
                .filter(|v| v.selected)
                .map(|v| ActiveFilter {
                    label: v.label.clone(),
                    remove_url: results.query.toggled(f.facet, &v.value, false).to_url(),
                })
        })
        .collect()
}

/// The active filters above the results, each a link that removes it (a plain link: it
/// works without JavaScript, and with it the search island follows it in place).
#[component]
pub fn Chips(results: SearchResults) -> impl IntoView {
    let chips = active_filters(&results);
    (!chips.is_empty()).then(|| {
        view! {
            <ul class="chips" aria-label="Active filters">
                {chips
                    .into_iter()
                    .map(|c| {
                        view! {
                            <li>
                                <a class="chip" href=c.remove_url>
                                    {c.label.clone()}
                                    <span aria-hidden="true">" ×"</span>
                                    <span class="visually-hidden">{format!(" (remove filter {})", c.label)}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// One facet's disclosure: a checkbox per value, its `name` the facet's query parameter and
/// its `value` the value's, as the form submits them.
#[component]
fn FacetGroup(counts: FacetCounts) -> impl IntoView {
    let any_selected = counts.values.iter().any(|v| v.selected);
    let open = counts.facet == Facet::Sector || any_selected;
    let (param, heading) = (counts.facet.param(), counts.facet.heading());
    let values = counts
        .values
        .into_iter()
        .map(|v| {
            let id = format!("f-{}-{}", param, v.value);
            let disabled = v.count == 0 && !v.selected;
            view! {
                <div class="check" class:zero=disabled>
                    <input
                        type="checkbox"
                        id=id.clone()
                        name=param
                        value=v.value
                        checked=v.selected
                        // The box's state, not only its default: a box the learner ticked
                        // follows the live render's answer (the search island).
                        prop:checked=v.selected
                        disabled=disabled
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
        <details class="facet" id=format!("facet-{param}") open=open>
            <summary>{heading}</summary>
            <fieldset>
                <legend class="visually-hidden">{heading}</legend>
                {values}
            </fieldset>
        </details>
    }
}
