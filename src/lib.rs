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

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy: the dashboard's routes are split out of the main WASM (`cargo leptos --split`).
    leptos::mount::hydrate_lazy(app::App);
}
