//! When a page is live: `data-hydrated` on the document, which the end-to-end tests wait
//! for before they use a page (`MarkHydrated` for the app's pages; an islands page is
//! marked by `ui::islands` once its islands have hydrated).

use leptos::prelude::*;

/// Sets `data-hydrated` on the document once the page around it has hydrated, for the
/// end-to-end tests that must wait for the WASM. Every hydrated route's view ends with one
/// (the not-found page, each lazy area's pages), so a lazy page, which hydrates after its
/// code arrives, marks itself when it is live, and no list of paths has to say which
/// pages are lazy. An effect runs only in the browser, after hydration. The learner's
/// pages hydrate only their islands (`ui::islands`): `crate::hydrate` marks them once
/// those have hydrated.
#[component]
pub fn MarkHydrated() -> impl IntoView {
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
