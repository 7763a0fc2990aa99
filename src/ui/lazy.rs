//! Pages whose code is split out of the app's chunk: with `cargo leptos build --split`
//! a lazy route's view becomes its own chunk, fetched when someone opens that page. The
//! learner's pages load none of the app (they are islands pages, `ui::islands`); every
//! other page hydrates the app, whose chunk holds the router. The account pages and the
//! coordinators' pages are lazy, so each area carries only its own.
//!
//! Pages are split by **area**, not one by one: wasm-split gives code shared by several
//! split points a chunk of its own for each combination of them, so thirteen lazy pages
//! made a registration form fetch and compile 74 small files while it hydrated (most of
//! a phone's blocking time in Lighthouse). An area (`lazy_area!`) is one split point
//! holding a few pages that are used together: the account pages, the coordinators'
//! pages. Opening one page of an area loads the whole area's code, so moving on to the
//! next page of it loads nothing. The learner's front end (`learner` feature) has no
//! areas: it never hydrates the app.

use leptos::prelude::*;

/// The path being rendered: the request's on the server, the address bar's in the
/// browser, without a trailing slash (`/dashboard/` is `/dashboard`).
pub fn current_path() -> String {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    match path.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed.to_owned(),
        _ => path,
    }
}

/// A lazy area: `lazy_area!(AccountPages, page_for { SignIn => SignInPage, … });` defines
/// the enum `AccountPages` (one variant per page) for
/// `<Route view={Lazy::<AccountPages>::new()} />` on each of the area's paths, and makes
/// the area one split point. `page_for(&str) -> AccountPages`, written beside the area,
/// says which page a path shows; the route table has already matched the path, so it
/// only tells the area's own paths apart. Each page's resources begin as its view runs
/// (and, on a first load, come with the server's HTML).
#[macro_export]
macro_rules! lazy_area {
    ($area:ident, $page_for:path { $($variant:ident => $page:ident),+ $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $area {
            $($variant),+
        }

        #[cfg(not(feature = "learner"))]
        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $area {
            fn data() -> Self {
                $page_for(&$crate::ui::lazy::current_path())
            }

            fn view(this: Self) -> leptos::prelude::AnyView {
                use leptos::prelude::*;
                match this {
                    $($area::$variant => {
                        view! { <$page /> <$crate::ui::hydrated::MarkHydrated /> }.into_any()
                    })+
                }
            }
        }

        // The learner's front end never hydrates the app (`crate::hydrate`), so it has no
        // area to split out: a split point's export would otherwise keep the whole area,
        // texts and all, in its main module.
        #[cfg(feature = "learner")]
        impl leptos_router::LazyRoute for $area {
            fn data() -> Self {
                $page_for(&$crate::ui::lazy::current_path())
            }

            async fn view(this: Self) -> leptos::prelude::AnyView {
                use leptos::prelude::IntoAny;
                // Names each page (so their imports stay used) without drawing any.
                match this {
                    $($area::$variant => {
                        let _ = $page;
                    })+
                }
                ().into_any()
            }
        }
    };
}
