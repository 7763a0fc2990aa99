//! The catalogue page `/`: search box, facets with counts, sort, result cards and pages.
//! The URL holds the whole state. The page is an islands page (`ui::islands`): the server
//! renders everything, and without JavaScript the form submits by GET; with it, only the
//! search form is an island (`catalogue::ui::search`), which calls the search server
//! function and draws each answer with this module's `ResultList` and the `Filters`.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::catalogue::api::search_catalogue;
use crate::catalogue::query::CatalogueQuery;
use crate::catalogue::ui::filters::Filters;
use crate::catalogue::ui::results::{search_head, ResultList};
use crate::catalogue::ui::search::SearchForm;
use crate::ui::seo::PageMeta;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let query = use_query_map().with_untracked(|m| {
        CatalogueQuery::from_params(|name| m.get_all(name).unwrap_or_default())
    });
    let text = query.q.clone();
    // A future, not a resource: the results reach the browser as HTML, never as data.
    let results = search_catalogue(query);

    view! {
        <h1>"Find a micro-credential"</h1>
        <p class="lede">
            "Short, nationally recognised courses of 5 to 40 credits, made of NZQA unit standards. Search by topic or standard number, filter, then choose an intake."
        </p>
        <Suspense fallback=|| view! { <p role="status">"Searching…"</p> }>
            {Suspend::new(async move {
                match results.await {
                    Ok(r) => {
                        let head = search_head(&r);
                        view! {
                            <PageMeta title=head.title description=head.description path=r.query.to_url() />
                            <SearchForm text>
                                <Filters results=r.clone() />
                                <ResultList results=r />
                            </SearchForm>
                        }
                            .into_any()
                    }
                    Err(e) => {
                        view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
    .into_any()
}
