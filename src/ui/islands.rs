//! The learner's pages (the search, a credential, the registration form, the
//! confirmation) render in Leptos's islands mode: the server renders the whole page, and
//! the browser hydrates only its islands (`#[island]` components: the search, the seats,
//! the registration form), never the page around them (docs/decisions/0004). They load a
//! WASM of their own, the learner's (`front_end`, docs/decisions/0005): Leptos's runtime
//! and those islands, none of the app's router, pages or texts; the sign-in, account and
//! coordinators' pages load the app's and hydrate the whole app.
//! Between learner pages the islands router (`islands_routing.js`, a patched copy of
//! Leptos's) fetches the next page's HTML and puts it into this document.
//!
//! `render_for` is the one place that says which addresses are islands pages: the shell
//! asks it which front end and hydration script to send. `learner_page` wraps such a
//! page in the route table: on the server it marks the document (`<meta name="tohu-render"
//! content="islands">`, which the router reads from a fetched page); in the app's build
//! the page is reached only through the app's router from a hydrated page (the brand link
//! on the sign-in page, say), and it then loads the address from the server.

use leptos::prelude::*;

/// How a page at an address is made live in the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Render {
    /// Rendered in islands mode: only its islands hydrate; the islands router moves
    /// between such pages.
    Islands,
    /// The whole app hydrates (sign-in, accounts, the coordinators' pages).
    App,
}

/// How the page at `path` (without its query) is made live: the learner's routes
/// (`/`, `/credentials/:slug`, `/credentials/:slug/register`, `/registrations/:reference`)
/// are islands pages; everything else, `/credentials/:slug/group` included, hydrates.
pub fn render_for(path: &str) -> Render {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    match segments.as_slice() {
        [] => Render::Islands,
        ["credentials", slug] | ["credentials", slug, "register"] if !slug.is_empty() => {
            Render::Islands
        }
        ["registrations", reference] if !reference.is_empty() => Render::Islands,
        ["verify"] => Render::Islands,
        ["badges", id] if !id.is_empty() => Render::Islands,
        _ => Render::App,
    }
}

/// The build settings of the front end a page's hydration script loads. An islands page
/// loads the learner's WASM, the crate built with the `learner` feature under the app's
/// name with `_learner` added, its file hashes in `hash-learner.txt` beside the server
/// (`scripts/build` builds both and puts their files in one `pkg`); every other page loads
/// the app's (docs/decisions/0005).
pub fn front_end(
    mut options: leptos::config::LeptosOptions,
    render: Render,
) -> leptos::config::LeptosOptions {
    if render == Render::Islands {
        options.output_name = format!("{}_learner", options.output_name).into();
        options.hash_file = "hash-learner.txt".into();
    }
    options
}

/// The name of the split loader (`__wasm_split.<hash>.js`) of the front end `options`
/// names, from its hash file beside the server (cargo-leptos writes `split: <hash>` there);
/// unhashed, cargo-leptos's placeholder name.
/// Read once per front end: the binary and its hash files are built together.
#[cfg(feature = "ssr")]
pub fn split_script(options: &leptos::config::LeptosOptions) -> String {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<HashMap<(bool, String), String>>> = OnceLock::new();
    let key = (options.hash_files, options.hash_file.to_string());
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    names
        .entry(key)
        .or_insert_with(|| {
            let hashes = options.hash_files.then(|| {
                let exe = std::env::current_exe().ok()?;
                std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()
            });
            split_script_named(hashes.flatten().as_deref())
        })
        .clone()
}

/// `split_script` given the hash file's text.
#[cfg(feature = "ssr")]
fn split_script_named(hashes: Option<&str>) -> String {
    let hash = hashes.and_then(|text| {
        text.lines()
            .find_map(|line| line.trim().strip_prefix("split:"))
            .map(str::trim)
    });
    format!(
        "__wasm_split.{}.js",
        hash.unwrap_or("______________________")
    )
}

/// The meta tag's name and content that mark an islands page.
pub const RENDER_META: (&str, &str) = ("tohu-render", "islands");

/// The islands router's script, sent inline (with the response's nonce) on islands pages.
pub const ROUTER_SCRIPT: &str = include_str!("islands_routing.js");

/// The page `page` as a learner's page (see the module's comment). In the app's build
/// `page` is never called, so its views are not in the app's chunk.
pub fn learner_page<V: IntoView + 'static>(page: fn() -> V) -> AnyView {
    if cfg!(feature = "hydrate") {
        #[cfg(feature = "hydrate")]
        {
            let location = leptos_router::hooks::use_location();
            let (path, search) = (
                location.pathname.get_untracked(),
                location.search.get_untracked(),
            );
            browser::load_from_server(if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            });
        }
        return view! { <p role="status">"Loading…"</p> }.into_any();
    }
    view! {
        <leptos_meta::Meta name=RENDER_META.0 content=RENDER_META.1 />
        {page()}
    }
    .into_any()
}

/// Every island calls this in its body: once each island of the page a document was
/// loaded with has hydrated, the document is marked live (`data-hydrated`, which the
/// end-to-end tests wait for; the router marks the pages it brings itself).
pub fn island_hydrated() {
    #[cfg(feature = "hydrate")]
    Effect::new(|_| browser::island_live());
}

#[cfg(feature = "hydrate")]
pub use browser::{
    load_from_server, mark_when_live, navigate, reload_history_until_live, reload_if_moved,
};

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::Cell;

    use gloo_timers::callback::Timeout;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Event, PerformanceEntry, Url};

    thread_local! {
        /// Islands of the first page that have hydrated, until the page is marked live.
        static LIVE: Cell<Option<u32>> = const { Cell::new(Some(0)) };
    }

    /// Sets `data-hydrated` on the document once every island of the page loaded with it
    /// has hydrated (at once if it has none): the end-to-end tests wait for it, as they
    /// do for a hydrated page (`ui::hydrated::MarkHydrated`). The router marks the pages it brings.
    pub fn mark_when_live() {
        Timeout::new(0, check).forget();
    }

    /// Called by each island once it has hydrated.
    pub fn island_live() {
        LIVE.with(|live| {
            if let Some(n) = live.get() {
                live.set(Some(n + 1));
            }
        });
        check();
    }

    fn check() {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let islands = document.get_elements_by_tag_name("leptos-island").length();
        LIVE.with(|live| {
            if live.get().is_some_and(|n| n >= islands) {
                live.set(None);
                if let Some(root) = document.document_element() {
                    let _ = root.set_attribute("data-hydrated", "true");
                }
            }
        });
    }

    /// Goes to `address` through the islands router (`window.__tohuNavigate`), or loads
    /// it if the router is not on the page.
    pub fn navigate(address: &str) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let router = js_sys::Reflect::get(&window, &"__tohuNavigate".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match router {
            Some(router) => {
                let _ = router.call1(&JsValue::NULL, &address.into());
            }
            None => {
                let _ = window.location().assign(address);
            }
        }
    }

    /// Reloads the page, and says so, when the address bar left the address this document
    /// was loaded from (its path or query; a fragment is the same page) before the
    /// browser's code started: a Back or Forward to an entry of the same document while
    /// the WASM was on its way. The document still holds the page it was loaded with, so
    /// hydrating it for the address shown would not be right.
    pub fn reload_if_moved() -> bool {
        let Some(window) = web_sys::window() else {
            return false;
        };
        let loaded = window
            .performance()
            .map(|p| p.get_entries_by_type("navigation").get(0))
            .and_then(|entry| entry.dyn_into::<PerformanceEntry>().ok())
            .and_then(|entry| Url::new(&entry.name()).ok());
        let location = window.location();
        let moved = match (loaded, location.pathname(), location.search()) {
            (Some(loaded), Ok(path), Ok(search)) => {
                loaded.pathname() != path || loaded.search() != search
            }
            _ => false,
        };
        if moved {
            let _ = location.reload();
        }
        moved
    }

    /// Until the hydrated app marks the page live, a Back or Forward loads its address
    /// from the server instead of reaching the router. A lazy area hydrates after its
    /// chunk arrives, and the router, already listening, would otherwise draw the other
    /// entry's route while the document still holds this page's HTML, which panics
    /// hydration (a learner pressing Forward during the sign-in page's first second).
    /// Registered before the app, so it runs before the router's listener.
    pub fn reload_history_until_live() {
        let Some(window) = web_sys::window() else {
            return;
        };
        let handler = Closure::<dyn Fn(Event)>::new(|event: Event| {
            let Some(window) = web_sys::window() else {
                return;
            };
            let live = window
                .document()
                .and_then(|d| d.document_element())
                .is_some_and(|root| root.has_attribute("data-hydrated"));
            if !live {
                event.stop_immediate_propagation();
                let _ = window.location().reload();
            }
        });
        let _ =
            window.add_event_listener_with_callback("popstate", handler.as_ref().unchecked_ref());
        handler.forget();
    }

    /// Loads the page at `address` from the server when the app's router reaches a
    /// learner's page. The router puts the address in the bar after the view is drawn,
    /// so this waits a turn, then reloads that address, or goes to it if the bar still
    /// shows the page before.
    pub fn load_from_server(address: String) {
        Timeout::new(0, move || {
            let Some(location) = web_sys::window().map(|w| w.location()) else {
                return;
            };
            let shown = match (location.pathname(), location.search()) {
                (Ok(path), Ok(search)) => Some(format!("{path}{search}")),
                _ => None,
            };
            let _ = if shown.as_deref() == Some(address.as_str()) {
                location.reload()
            } else {
                location.assign(&address)
            };
        })
        .forget();
    }
}

#[cfg(test)]
mod tests {
    use super::{front_end, render_for, Render};

    #[test]
    fn the_learners_routes_are_islands_pages() {
        for path in [
            "/",
            "",
            "/credentials/chainsaw-use",
            "/credentials/chainsaw-use/",
            "/credentials/chainsaw-use/register",
            "/registrations/TOHU-ABC123",
        ] {
            assert_eq!(render_for(path), Render::Islands, "{path}");
        }
    }

    #[test]
    fn every_other_page_hydrates_the_app() {
        for path in [
            "/sign-in",
            "/forgot-password",
            "/reset-password",
            "/dashboard",
            "/dashboard/registrations/TOHU-ABC123",
            "/credentials/chainsaw-use/group",
            "/credentials",
            "/credentials//register",
            "/registrations",
            "/nowhere",
        ] {
            assert_eq!(render_for(path), Render::App, "{path}");
        }
    }

    #[test]
    fn an_islands_page_loads_the_learners_front_end() {
        let app = leptos::config::LeptosOptions::builder()
            .output_name("tohu")
            .build();
        let learner = front_end(app.clone(), Render::Islands);
        assert_eq!(&*learner.output_name, "tohu_learner");
        assert_eq!(&*learner.hash_file, "hash-learner.txt");
        assert_eq!(learner.site_pkg_dir, app.site_pkg_dir);
        let same = front_end(app.clone(), Render::App);
        assert_eq!(
            (&*same.output_name, &*same.hash_file),
            ("tohu", &*app.hash_file)
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_split_loader_is_named_by_its_hash_file() {
        use super::split_script_named;
        let hashes = "js: a\nwasm: b\ncss: c\nmanifest: d\nsplit: 4wiXAQpd-yg\n";
        assert_eq!(
            split_script_named(Some(hashes)),
            "__wasm_split.4wiXAQpd-yg.js"
        );
        assert_eq!(
            split_script_named(None),
            "__wasm_split.______________________.js"
        );
    }
}
