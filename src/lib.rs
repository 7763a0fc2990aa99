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

/// The browser's entry point. The search page `/`, where most visits start, is made live
/// by a small module of its own (`catalogue::ui::enhance`); every other page hydrates the
/// Leptos app, whose code (runtime, router, pages) is a split chunk fetched only then
/// (`cargo leptos --split`), so a first visit to `/` downloads none of it.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    if catalogue::ui::enhance::is_search_page() {
        catalogue::ui::enhance::start();
    } else {
        wasm_bindgen_futures::spawn_local(hydrate_app());
    }
}

/// Hydrates the app; its lazy areas load their own chunks as they hydrate.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn hydrate_app() {
    leptos::mount::hydrate_lazy(app::App);
}
