//! The app's lazy areas: pages whose code is split out of the app's WASM (`tohu`, built
//! with `cargo leptos build --split`) and fetched when someone first opens one of them.
//! Only the app's pages are lazy: the account pages (`auth::ui::routes::AccountPages`) and
//! the coordinators' pages (`dashboard::ui::routes::CoordinatorPages`). The learner's pages
//! are islands pages with a WASM of their own (`ui::islands`, docs/decisions/0005), in which
//! `lazy_area!` makes no split point: that front end never hydrates the app.
//!
//! Pages are split by **area**, not one by one (docs/decisions/0016): wasm-split gives code
//! shared by several split points a chunk of its own for each combination of them, so
//! thirteen lazy pages once made a page fetch and compile 74 small files while it hydrated.
//! An area (`lazy_area!`) is one split point holding the pages one audience uses together;
//! opening one page of it loads the whole area's code, so moving on within it loads
//! nothing. `current_path` tells an area which of its pages the address shows.

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
