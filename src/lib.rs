//! Tohu: the micro-credential catalogue. One crate, built twice by cargo-leptos: the server
//! binary (`ssr`) and the browser WASM that hydrates its pages (`hydrate`).

pub mod app;
pub mod auth;
pub mod catalogue;
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
    leptos::mount::hydrate_body(app::App);
}
