//! The search island: the form on `/` that keeps the results live. The server renders the
//! whole page, the results included, as this island's children; without JavaScript the
//! form searches by GET. With it, the island is the only part of the page that hydrates:
//!
//! - typing (after a 250 ms pause), a tick, the sort, "Search" and a link inside the
//!   results (chips, pages, "did you mean") each call the `search_catalogue` server
//!   function once; from the first answer on, the island draws the results itself with
//!   the components the server used (`Filters`, `ResultList`), whose code is a `#[lazy]`
//!   chunk fetched when the box first gets focus (or with the first answer);
//! - a newer search drops an older one in flight (its request is aborted);
//! - focus stays on the control that changed, and the phone's filter panel and each
//!   facet's disclosure stay as the learner left them;
//! - the address, title, description and canonical address follow (typing replaces the
//!   history entry, so Back skips keystrokes; everything else pushes one), and Back and
//!   Forward between those entries search again (the islands router leaves entries
//!   marked `island` on this page to it);
//! - a failed search keeps the results and the typed text, and says so in an alert.

use leptos::prelude::*;

/// The search form around the server's results (`children`); `text` is the search text
/// the page was rendered for.
#[island]
pub fn SearchForm(text: String, children: Children) -> impl IntoView {
    let form = NodeRef::<leptos::html::Form>::new();
    let served = NodeRef::<leptos::html::Div>::new();
    let state = State::new(form, served);
    // The island's own render of the latest answer, taken by the view as it draws it
    // (the server's results are then removed).
    #[cfg(feature = "hydrate")]
    let results = {
        let live = state.live;
        move || {
            live.track();
            live.try_update_untracked(Option::take).flatten()
        }
    };
    // Nothing is live on the server (and a thread-local value must not be made there).
    #[cfg(not(feature = "hydrate"))]
    let results = || None::<AnyView>;
    let failed = state.failed;
    let busy = state.busy;
    #[cfg(feature = "hydrate")]
    browser::follow_history(state);
    crate::ui::islands::island_hydrated();
    view! {
        <form
            class="search"
            method="get"
            action="/"
            role="search"
            node_ref=form
            on:input=move |ev| state.on_input(ev)
            on:change=move |ev| state.on_change(ev)
            on:submit=move |ev| state.on_submit(ev)
            on:click=move |ev| state.on_click(ev)
            on:focusin=move |_| state.preload()
        >
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
            <div class="catalogue" aria-busy=move || busy.get().then_some("true")>
                {move || failed.get().map(|m| view! { <p class="error search-failed" role="alert">{m}</p> })}
                <div class="served" node_ref=served>
                    {children()}
                </div>
                {results}
            </div>
        </form>
    }
}

/// One search's answer as the island shows it: drawn with the server's components, and the
/// page's new head and address.
#[cfg(feature = "hydrate")]
struct Answer {
    view: AnyView,
    title: String,
    description: String,
    address: String,
    text: String,
}

/// Calls the search server function and draws its answer, as the server draws the page.
/// In a chunk of its own (the request's encoder, the answer's decoder and the views), so
/// a first visit does not download it.
#[cfg(feature = "hydrate")]
#[lazy]
async fn live_search(
    query: crate::catalogue::query::CatalogueQuery,
) -> Result<Answer, crate::error::AppError> {
    use crate::catalogue::ui::filters::Filters;
    use crate::catalogue::ui::results::{search_head, ResultList};
    let results = crate::catalogue::api::search_catalogue(query).await?;
    let head = search_head(&results);
    let (address, text) = (results.query.to_url(), results.query.q.clone());
    let view = view! {
        <Filters results=results.clone() />
        <ResultList results />
    }
    .into_any();
    Ok(Answer {
        view,
        title: head.title,
        description: head.description,
        address,
        text,
    })
}

/// The island's state: plain copies of signals and stored values, so every handler can
/// hold one.
#[derive(Clone, Copy)]
struct State {
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    form: NodeRef<leptos::html::Form>,
    /// The server's results, until the first live answer replaces them.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    served: NodeRef<leptos::html::Div>,
    /// The next render of the results, taken by the view as it draws it.
    #[cfg(feature = "hydrate")]
    live: RwSignal<Option<AnyView>, LocalStorage>,
    failed: RwSignal<Option<&'static str>>,
    busy: RwSignal<bool>,
    #[cfg(feature = "hydrate")]
    inner: StoredValue<browser::Inner, LocalStorage>,
}

impl State {
    fn new(form: NodeRef<leptos::html::Form>, served: NodeRef<leptos::html::Div>) -> Self {
        Self {
            form,
            served,
            #[cfg(feature = "hydrate")]
            live: RwSignal::new_local(None),
            failed: RwSignal::new(None),
            busy: RwSignal::new(false),
            #[cfg(feature = "hydrate")]
            inner: StoredValue::new_local(browser::Inner::default()),
        }
    }
}

#[cfg(not(feature = "hydrate"))]
impl State {
    fn on_input(&self, _: leptos::ev::Event) {}
    fn on_change(&self, _: leptos::ev::Event) {}
    fn on_submit(&self, _: leptos::ev::SubmitEvent) {}
    fn on_click(&self, _: leptos::ev::MouseEvent) {}
    fn preload(&self) {}
}

#[cfg(feature = "hydrate")]
mod browser {
    use futures::future::{AbortHandle, Abortable};
    use gloo_timers::callback::Timeout;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{
        Element, FormData, HtmlElement, HtmlFormElement, HtmlInputElement, UrlSearchParams,
    };

    use super::{live_search, Answer, State};
    use crate::catalogue::query::CatalogueQuery;
    use crate::error::AppError;
    use crate::ui::history::{self, Entry};

    /// How long typing must pause before the results follow it.
    const DEBOUNCE_MS: u32 = 250;

    /// What the island keeps between events.
    #[derive(Default)]
    pub struct Inner {
        typing: Option<Timeout>,
        in_flight: Option<AbortHandle>,
        preloaded: bool,
    }

    /// One search and what to do with its answer.
    struct Load {
        query: CatalogueQuery,
        history: Entry,
        /// The box takes the answer's search text (a link, Back): not while typing.
        set_text: bool,
        /// Scroll to the top (a link, as a page load would).
        scroll: bool,
        /// Close the phone's filter panel ("Show N results").
        close_filters: bool,
    }

    impl Load {
        fn new(query: CatalogueQuery, history: Entry) -> Self {
            Self {
                query,
                history,
                set_text: false,
                scroll: false,
                close_filters: false,
            }
        }
    }

    /// Back and Forward between this island's entries search again; an entry of another
    /// page (or this island gone from the page) is the router's.
    pub fn follow_history(state: State) {
        history::mark_current();
        let handle = window_event_listener(leptos::ev::popstate, move |ev| {
            let attached = state.form.get_untracked().is_some_and(|f| f.is_connected());
            if !attached || !history::is_island_entry(&ev) {
                return;
            }
            let search = window().location().search().unwrap_or_default();
            let mut load = Load::new(query_from(&search), Entry::Keep);
            load.set_text = true;
            state.search(load);
        });
        // The island lives as long as the document (islands are not unmounted).
        std::mem::forget(handle);
    }

    impl State {
        pub fn on_input(&self, ev: leptos::ev::Event) {
            let is_box = ev
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .is_some_and(|i| i.id() == "q");
            if !is_box {
                return;
            }
            let this = *self;
            let timeout = Timeout::new(DEBOUNCE_MS, move || {
                if let Some(query) = this.form_query() {
                    this.search(Load::new(query, Entry::Replace));
                }
            });
            self.inner.update_value(|i| i.typing = Some(timeout));
        }

        pub fn on_change(&self, ev: leptos::ev::Event) {
            let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                return;
            };
            let is_box = target
                .dyn_ref::<HtmlInputElement>()
                .is_some_and(|i| i.type_() == "checkbox");
            if is_box || target.id() == "sort" {
                if let Some(query) = self.form_query() {
                    self.search(Load::new(query, Entry::Push));
                }
            }
        }

        pub fn on_submit(&self, ev: leptos::ev::SubmitEvent) {
            ev.prevent_default();
            let Some(query) = self.form_query() else {
                return;
            };
            let mut load = Load::new(query, Entry::Push);
            // "Show N results" in the phone's panel closes it, as it does without script.
            load.close_filters = ev
                .submitter()
                .and_then(|s| s.closest("details.filters").ok().flatten())
                .is_some();
            self.search(load);
        }

        /// A link to another search (chips, pages, "did you mean", "clear") searches in
        /// place; every other link is the router's.
        pub fn on_click(&self, ev: leptos::ev::MouseEvent) {
            if ev.default_prevented()
                || ev.button() != 0
                || ev.meta_key()
                || ev.ctrl_key()
                || ev.shift_key()
                || ev.alt_key()
            {
                return;
            }
            let link = ev
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest("a[href]").ok().flatten())
                .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
            let Some(link) = link else { return };
            let here = window().location().origin().unwrap_or_default();
            if link.origin() != here || link.pathname() != "/" {
                return;
            }
            ev.prevent_default();
            let mut load = Load::new(query_from(&link.search()), Entry::Push);
            load.set_text = true;
            load.scroll = true;
            self.search(load);
        }

        /// Fetches the live render's chunk, so the first answer draws without waiting.
        pub fn preload(&self) {
            if self.inner.with_value(|i| i.preloaded) {
                return;
            }
            self.inner.update_value(|i| i.preloaded = true);
            let _ = lazy_preload!(super::live_search);
        }

        /// The search the form's fields now make (what submitting it without script loads).
        fn form_query(&self) -> Option<CatalogueQuery> {
            let form: HtmlFormElement = self.form.get_untracked()?;
            let data = FormData::new_with_form(&form).ok()?;
            let params = UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
            Some(from_params(&params))
        }

        /// Starts `load`, superseding any search in flight and any pending keystrokes.
        fn search(&self, load: Load) {
            let (abort, registration) = AbortHandle::new_pair();
            self.inner.update_value(|i| {
                i.typing = None;
                if let Some(old) = i.in_flight.replace(abort) {
                    old.abort();
                }
            });
            self.busy.set(true);
            let this = *self;
            leptos::task::spawn_local(async move {
                let answer = Abortable::new(live_search(load.query.clone()), registration);
                // Aborted: a newer search took over (dropping the request aborts it).
                let Ok(answer) = answer.await else { return };
                this.inner.update_value(|i| i.in_flight = None);
                this.busy.set(false);
                match answer {
                    Ok(answer) => this.show(answer, load).await,
                    Err(AppError::Unreachable) => this.failed.set(Some(
                        "The results could not be updated: check your connection, then try again.",
                    )),
                    Err(_) => this.failed.set(Some(
                        "The results could not be updated just now. Please try again in a moment.",
                    )),
                }
            });
        }

        /// Shows a search's answer, keeping what the learner set.
        async fn show(&self, answer: Answer, load: Load) {
            let Answer {
                view,
                title,
                description,
                address,
                text,
            } = answer;
            let kept = Kept::read(self.form.get_untracked());
            self.failed.set(None);
            if let Some(served) = self.served.get_untracked() {
                served.remove();
            }
            self.live.set(Some(view));
            // The view is drawn on the next turn of the reactive system.
            leptos::task::tick().await;
            kept.restore(load.close_filters);
            crate::ui::seo::show_head(&title, &description, &address);
            history::record(load.history, &address);
            if load.set_text {
                if let Some(input) = document()
                    .get_element_by_id("q")
                    .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
                {
                    input.set_value(&text);
                }
            }
            if load.scroll {
                window().scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
    }

    /// What the learner set on the results before they are drawn again: the focused
    /// control and which disclosures are open (each has an `id`).
    struct Kept {
        focused: Option<String>,
        open: Vec<(String, bool)>,
    }

    impl Kept {
        fn read(form: Option<HtmlFormElement>) -> Self {
            let focused = document()
                .active_element()
                .map(|e| e.id())
                .filter(|id| !id.is_empty());
            let mut open = Vec::new();
            if let Some(form) = form {
                let details = form.get_elements_by_tag_name("details");
                for i in 0..details.length() {
                    if let Some(d) = details
                        .item(i)
                        .and_then(|d| d.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                    {
                        if !d.id().is_empty() {
                            open.push((d.id(), d.open()));
                        }
                    }
                }
            }
            Self { focused, open }
        }

        fn restore(self, close_filters: bool) {
            let document = document();
            for (id, open) in self.open {
                if let Some(d) = document
                    .get_element_by_id(&id)
                    .and_then(|d| d.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                {
                    d.set_open(open && !(close_filters && id == "filters"));
                }
            }
            if let Some(el) = self
                .focused
                .and_then(|id| document.get_element_by_id(&id))
                .and_then(|e| e.dyn_into::<HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        }
    }

    /// The search an address's query (`?q=…&sector=…`) names.
    fn query_from(search: &str) -> CatalogueQuery {
        UrlSearchParams::new_with_str(search)
            .map(|p| from_params(&p))
            .unwrap_or_default()
    }

    fn from_params(params: &UrlSearchParams) -> CatalogueQuery {
        CatalogueQuery::from_params(|name| {
            params
                .get_all(name)
                .iter()
                .filter_map(|v| v.as_string())
                .collect()
        })
    }
}
