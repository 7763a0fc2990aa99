//! Pages whose code is split out of the WASM every visitor downloads: with
//! `cargo leptos build --split` a lazy route's view becomes its own chunk, fetched when
//! someone opens that page. Only the catalogue's search page (`/`, where most visits
//! start) stays in the main module; the detail, registration and coordinators' pages are
//! lazy, so a learner's first load carries none of them (`end2end/budget.json`).

use leptos::prelude::*;

/// Paths served by lazy routes: they mark themselves hydrated (`MarkHydrated`), after the
/// shell, whose own marker skips them.
pub const LAZY_PATHS: [&str; 6] = [
    "/credentials/",
    "/registrations/",
    "/dashboard",
    "/sign-in",
    "/forgot-password",
    "/reset-password",
];

/// Whether `path` is served by a lazy route.
pub fn is_lazy(path: &str) -> bool {
    LAZY_PATHS.iter().any(|p| path.starts_with(p))
}

/// Sets `data-hydrated` once the lazy route around it has hydrated (an effect runs only in
/// the browser, after its view is live).
#[component]
pub fn MarkHydrated() -> impl IntoView {
    Effect::new(|_| crate::app::mark_hydrated());
}

/// A lazy route for a page component: `lazy_page!(SignInRoute, SignInPage);` defines the
/// unit struct `SignInRoute` for `<Route view={Lazy::<SignInRoute>::new()} />`. `data()`
/// starts nothing: each page's resources begin as its view runs (and, on a first load, come
/// with the server's HTML).
#[macro_export]
macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        pub struct $route;

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(this: Self) -> leptos::prelude::AnyView {
                use leptos::prelude::*;
                let _ = this;
                view! { <$page /> <$crate::ui::lazy::MarkHydrated /> }.into_any()
            }
        }
    };
}
