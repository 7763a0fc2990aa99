//! Tohu: the micro-credential catalogue. One crate, built twice by cargo-leptos: the server
//! binary (`ssr`) and the browser WASM that hydrates its pages (`hydrate`).

pub mod app;
pub mod auth;
pub mod catalogue;
pub mod codec;
pub mod dashboard;
pub mod error;
pub mod format;
pub mod registration;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

/// The browser's entry point, called by Leptos's hydration script. The learner's pages
/// (the search, a credential, the registration form, the confirmation) are islands pages
/// (`ui::islands`): this starts the reactive system and Leptos's island script then
/// hydrates each island; the app's runtime, router and pages are not loaded for them.
/// Every other page (sign-in, the dashboard) hydrates the Leptos app, whose code (router
/// and pages) is a split chunk fetched only then (`cargo leptos --split`).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    if ui::islands::reload_if_moved() {
        return;
    }
    match ui::islands::render_here() {
        ui::islands::Render::Islands => {
            leptos::mount::hydrate_islands();
            ui::islands::mark_when_live();
        }
        ui::islands::Render::App => {
            ui::islands::reload_history_until_live();
            wasm_bindgen_futures::spawn_local(hydrate_app());
        }
    }
}

/// Hydrates the app; its lazy areas load their own chunks as they hydrate.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn hydrate_app() {
    leptos::mount::hydrate_lazy(app::App);
}
