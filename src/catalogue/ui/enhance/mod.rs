//! The search page `/` in the browser. It is server-rendered and never hydrated: the WASM
//! a first visit downloads is this module, not Leptos's runtime, router and the page's
//! views (issue 12's first-load budget, `end2end/budget.json`). Without JavaScript the
//! form searches by GET; with it, this module keeps the page live the same way:
//!
//! - results follow the search box as the learner types (after a 250 ms pause), and a
//!   tick, the sort, "Search" or a link inside the results (chips, pages, "did you mean")
//!   apply at once;
//! - each is a GET of the page the form would have loaded; its `.catalogue` (facets and
//!   results) replaces the one on screen, and its title, description and canonical
//!   address replace the head's; the box itself is never replaced, so typing is never
//!   overwritten and focus stays in it;
//! - old results stay until new ones arrive; a newer request aborts an older one, and a
//!   late answer to a superseded request is dropped;
//! - focus stays on the box or control that changed, the phone's filter panel and each
//!   facet's disclosure stay as the learner left them;
//! - the address follows (typing replaces the history entry, so Back skips keystrokes;
//!   everything else pushes one), and Back and Forward show their results;
//! - a failed request keeps the results and says so in an alert.
//!
//! The markup it reads is `catalogue::ui::page`'s: the form `form.search`, its box `#q`
//! and the region `.catalogue`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    AbortController, Document, Element, Event, FormData, HtmlElement, HtmlFormElement,
    HtmlInputElement, MouseEvent, SubmitEvent, UrlSearchParams,
};

mod dom;
use dom::{
    canonical_path, copy_attribute, here, keep_disclosures, on, parse_region, query_text,
    search_link,
};

/// How long typing must pause before the results follow it.
const DEBOUNCE_MS: u32 = 250;

/// The region a search replaces: the facets and the results.
const REGION: &str = ".catalogue";

/// What a new result does to the browser's history.
#[derive(Clone, Copy, PartialEq, Eq)]
enum History {
    /// Typing: the entry is replaced, so Back skips each keystroke.
    Replace,
    /// A tick, the sort, a submit or a link: a new entry.
    Push,
    /// Back or Forward: the entry is already the one shown.
    Keep,
}

/// One search request and what to do with its answer.
struct Load {
    url: String,
    history: History,
    /// The box takes the answer's search text (a link, Back): not while typing.
    set_text: bool,
    /// Scroll to the top (a link, as a page load would).
    scroll: bool,
    /// Close the phone's filter panel ("Show N results").
    close_filters: bool,
}

/// The live search page: its form, box, and the requests in flight.
struct Search {
    document: Document,
    form: HtmlFormElement,
    input: HtmlInputElement,
    typing: RefCell<Option<Timeout>>,
    in_flight: RefCell<Option<AbortController>>,
    /// Counts requests; an answer whose number is not the latest is dropped.
    latest: Cell<u64>,
    /// The path and query of the results on screen.
    shown: RefCell<String>,
}

/// Makes the server-rendered search page live, if this page is it (`form.search`).
pub fn start() {
    if let Some(search) = Search::find() {
        let search = Rc::new(search);
        search.listen();
    }
}

impl Search {
    fn find() -> Option<Self> {
        let document = web_sys::window()?.document()?;
        let form = document
            .query_selector("form.search")
            .ok()??
            .dyn_into::<HtmlFormElement>()
            .ok()?;
        let input = document
            .get_element_by_id("q")?
            .dyn_into::<HtmlInputElement>()
            .ok()?;
        let shown = here(&web_sys::window()?.location())?;
        Some(Self {
            document,
            form,
            input,
            typing: RefCell::new(None),
            in_flight: RefCell::new(None),
            latest: Cell::new(0),
            shown: RefCell::new(shown),
        })
    }

    fn listen(self: &Rc<Self>) {
        let this = self.clone();
        on(&self.form, "input", move |ev: Event| {
            if ev.target().as_ref() != Some(this.input.as_ref()) {
                return;
            }
            let later = this.clone();
            let timeout = Timeout::new(DEBOUNCE_MS, move || {
                later.load(Load::from_form(&later.form, History::Replace));
            });
            this.typing.borrow_mut().replace(timeout);
        });

        let this = self.clone();
        on(&self.form, "change", move |ev: Event| {
            let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                return;
            };
            let is_box = target
                .dyn_ref::<HtmlInputElement>()
                .is_some_and(|i| i.type_() == "checkbox");
            if is_box || target.id() == "sort" {
                this.load(Load::from_form(&this.form, History::Push));
            }
        });

        let this = self.clone();
        on(&self.form, "submit", move |ev: SubmitEvent| {
            ev.prevent_default();
            let mut load = Load::from_form(&this.form, History::Push);
            // "Show N results" in the phone's panel closes it, as it does without script.
            load.close_filters = ev
                .submitter()
                .and_then(|s| s.closest(".filters").ok().flatten())
                .is_some();
            this.load(load);
        });

        let this = self.clone();
        on(&self.form, "click", move |ev: MouseEvent| {
            if let Some(url) = search_link(&ev) {
                ev.prevent_default();
                this.load(Load {
                    url,
                    history: History::Push,
                    set_text: true,
                    scroll: true,
                    close_filters: false,
                });
            }
        });

        let this = self.clone();
        if let Some(window) = web_sys::window() {
            on(&window, "popstate", move |_: Event| {
                let Some(location) = web_sys::window().map(|w| w.location()) else {
                    return;
                };
                // An entry the app's router made before this page was loaded (the page
                // it came from) is another page: load it.
                if location.pathname().ok().as_deref() != Some("/") {
                    let _ = location.reload();
                    return;
                }
                let Some(url) = here(&location) else { return };
                // Only the fragment changed (the skip link): the results are the same.
                if *this.shown.borrow() == url {
                    return;
                }
                this.load(Load {
                    url,
                    history: History::Keep,
                    set_text: true,
                    scroll: false,
                    close_filters: false,
                });
            });
        }
    }

    /// Starts `load`, superseding any request in flight and any pending keystrokes.
    fn load(self: &Rc<Self>, load: Load) {
        self.typing.borrow_mut().take();
        if let Some(old) = self.in_flight.borrow_mut().take() {
            old.abort();
        }
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        self.in_flight.replace(controller);
        let number = self.latest.get() + 1;
        self.latest.set(number);
        if let Some(region) = self.region() {
            let _ = region.set_attribute("aria-busy", "true");
        }
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let answer = async {
                let response = Request::get(&load.url)
                    .header("Accept", "text/html")
                    .abort_signal(signal.as_ref())
                    .send()
                    .await
                    .map_err(|_| Failure::Network)?;
                response.text().await.map_err(|_| Failure::Network)
            }
            .await;
            if this.latest.get() != number {
                return;
            }
            this.in_flight.borrow_mut().take();
            match answer.and_then(|html| parse_region(&html)) {
                Ok(page) => this.show(&page, &load),
                Err(failure) => this.fail(failure),
            }
        });
    }

    fn region(&self) -> Option<Element> {
        self.document.query_selector(REGION).ok().flatten()
    }

    /// Puts the answer's region and head on the page, keeping what the learner set.
    fn show(&self, page: &Document, load: &Load) {
        let (Some(old), Some(new)) = (self.region(), page.query_selector(REGION).ok().flatten())
        else {
            return;
        };
        let focused = self
            .document
            .active_element()
            .filter(|el| old.contains(Some(el)))
            .map(|el| el.id())
            .filter(|id| !id.is_empty());
        keep_disclosures(&old, &new, load.close_filters);
        let Ok(new) = self.document.import_node_with_deep(&new, true) else {
            return;
        };
        if old.replace_with_with_node_1(&new).is_err() {
            return;
        }
        if let Some(id) = focused {
            if let Some(el) = self
                .document
                .get_element_by_id(&id)
                .and_then(|el| el.dyn_into::<HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        }
        self.document.set_title(&page.title());
        for (selector, attribute) in [
            ("meta[name=description]", "content"),
            ("link[rel=canonical]", "href"),
            ("meta[property='og:title']", "content"),
            ("meta[property='og:description']", "content"),
            ("meta[property='og:url']", "content"),
        ] {
            copy_attribute(page, &self.document, selector, attribute);
        }
        // The canonical address is the query in its normal form; the request's address
        // is the form's fields as they were.
        let address = canonical_path(page).unwrap_or_else(|| load.url.clone());
        // What the address bar shows from now on: the entry's own after Back or Forward.
        self.shown.replace(match load.history {
            History::Keep => load.url.clone(),
            History::Push | History::Replace => address.clone(),
        });
        if let Some(window) = web_sys::window() {
            if let Ok(history) = window.history() {
                let _ = match load.history {
                    History::Push => {
                        history.push_state_with_url(&JsValue::NULL, "", Some(&address))
                    }
                    History::Replace => {
                        history.replace_state_with_url(&JsValue::NULL, "", Some(&address))
                    }
                    History::Keep => Ok(()),
                };
            }
            if load.scroll {
                window.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
        if load.set_text {
            self.input.set_value(&query_text(&address));
        }
    }

    /// Keeps the results on screen and says above them why they did not change.
    fn fail(&self, failure: Failure) {
        let Some(region) = self.region() else { return };
        let _ = region.remove_attribute("aria-busy");
        let alert = match region.query_selector(".search-failed").ok().flatten() {
            Some(alert) => alert,
            None => {
                let Ok(alert) = self.document.create_element("p") else {
                    return;
                };
                alert.set_class_name("error search-failed");
                let _ = alert.set_attribute("role", "alert");
                let _ = region.prepend_with_node_1(&alert);
                alert
            }
        };
        alert.set_text_content(Some(match failure {
            Failure::Network => {
                "The results could not be updated: check your connection, then try again."
            }
            Failure::Server => {
                "The results could not be updated just now. Please try again in a moment."
            }
        }));
    }
}

/// Why a search's answer could not be shown.
#[derive(Clone, Copy)]
enum Failure {
    /// No answer (offline, or the request failed).
    Network,
    /// An answer that is not a search page (a refusal or an error from a proxy).
    Server,
}

impl Load {
    /// The search the form's fields now make (what submitting it without script loads).
    fn from_form(form: &HtmlFormElement, history: History) -> Self {
        let query = FormData::new_with_form(form)
            .and_then(|data| UrlSearchParams::new_with_str_sequence_sequence(&data))
            .map(|params| String::from(params.to_string()))
            .unwrap_or_default();
        Self {
            url: format!("/?{query}"),
            history,
            set_text: false,
            scroll: false,
            close_filters: false,
        }
    }
}
