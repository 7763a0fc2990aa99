//! The not-found page, for an unknown address or credential: 404 on the server, the same
//! page when the app's router finds no route.

use leptos::prelude::*;
use leptos_meta::Title;

/// The page for an unknown address or credential; answers with HTTP 404 on the server.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="not-found" aria-labelledby="not-found-heading">
            <h1 id="not-found-heading">"We couldn't find that page"</h1>
            <p>
                "The micro-credential may have been renamed or withdrawn, or the link may be mistyped."
            </p>
            <p>
                <a class="button" href="/">"Browse all micro-credentials"</a>
            </p>
        </section>
        <crate::ui::hydrated::MarkHydrated />
    }
}
