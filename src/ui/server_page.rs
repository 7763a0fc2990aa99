//! Pages rendered on the server only: the public pages a learner reads and registers on
//! (the search page, a credential's page, the registration form, the confirmation). They
//! are complete without JavaScript, so the browser does not hydrate them: Leptos's
//! runtime, router and these pages' views are not downloaded for them at all (issue 12:
//! a phone on one bar of coverage gets the page, then about 90 KB of script, not 380 KB
//! and a hydration that blocks it for a third of a second). What must be live on them is
//! done by small browser modules over the server's HTML, started by `crate::hydrate`:
//! the search that follows typing (`catalogue::ui::enhance`), the seats that follow the
//! live stream (`catalogue::ui::live`), the registration form's messages that go as a
//! field is corrected (`registration::ui::enhance`).
//!
//! `server_only` wraps such a page in the route table. On the server it renders the page
//! and marks the document (`<meta name="tohu-render" content="server">`), which tells the
//! browser's entry point to enhance rather than hydrate. In the browser the page is
//! reached only through the app's router from a hydrated page (the brand link on the
//! sign-in page, say): it then loads the address from the server, so the page a learner
//! sees is always the server's.

use leptos::prelude::*;

/// The meta tag's name and content that mark a page rendered on the server only.
pub const RENDER_META: (&str, &str) = ("tohu-render", "server");

/// The page `page` as a server-only page (see the module's comment). In the browser's
/// build `page` is never called, so its views are not in the WASM.
pub fn server_only<V: IntoView + 'static>(page: fn() -> V) -> AnyView {
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

#[cfg(feature = "hydrate")]
pub use browser::{
    is_server_rendered, load_from_server, mark_live, reload_history_until_live, reload_if_moved,
};

#[cfg(feature = "hydrate")]
mod browser {
    use gloo_timers::callback::Timeout;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Event, PerformanceEntry, Url};

    /// Whether the server rendered this document as a server-only page.
    pub fn is_server_rendered() -> bool {
        let selector = format!(
            "meta[name=\"{}\"][content=\"{}\"]",
            super::RENDER_META.0,
            super::RENDER_META.1
        );
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
            .is_some()
    }

    /// Sets `data-hydrated` on the document: the page is live (what `app::MarkHydrated`
    /// does for a hydrated page; the end-to-end tests wait for it).
    pub fn mark_live() {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    }

    /// Reloads the page, and says so, when the address bar left the address this document
    /// was loaded from (its path or query; a fragment is the same page) before the
    /// browser's code started: a Back or Forward to an entry of the same document while
    /// the WASM was on its way. The document still holds the page it was loaded with, so
    /// neither enhancing nor hydrating it for the address shown would be right.
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
    /// server-only page. The router puts the address in the bar after the view is drawn,
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
