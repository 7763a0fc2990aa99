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

/// The browser's entry point. The learner's pages (the search, a credential, the
/// registration form, the confirmation) are rendered on the server only
/// (`ui::server_page`): small modules make what must be live on them live, and Leptos's
/// runtime is not loaded. Every other page (sign-in, the dashboard) hydrates the Leptos
/// app, whose code (runtime, router, pages) is a split chunk fetched only then
/// (`cargo leptos --split`).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    if ui::server_page::reload_if_moved() {
        return;
    }
    if ui::server_page::is_server_rendered() {
        // Each looks for its own markup and does nothing on a page without it.
        catalogue::ui::enhance::start();
        catalogue::ui::live::start();
        registration::ui::enhance::start();
        ui::server_page::mark_live();
    } else {
        ui::server_page::reload_history_until_live();
        wasm_bindgen_futures::spawn_local(hydrate_app());
    }
}

/// Hydrates the app; its lazy areas load their own chunks as they hydrate.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
fn hydrate_app() {
    leptos::mount::hydrate_lazy(app::App);
}
