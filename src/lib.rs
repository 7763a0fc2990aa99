//! Tohu: the micro-credential catalogue. One crate, built three times (`scripts/build`):
//! the server binary (`ssr`), the app's browser WASM that hydrates the signed-in pages
//! (`hydrate`), and the learner's, which hydrates only the islands of the learner's pages
//! (`learner`, docs/decisions/0005).

pub mod app;
pub mod auth;
pub mod badges;
pub mod catalogue;
pub mod codec;
pub mod dashboard;
pub mod error;
pub mod format;
#[cfg(feature = "ssr")]
pub mod public_api;
pub mod registration;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

/// The browser's entry point, called by Leptos's hydration script. The crate is built into
/// two front ends (`scripts/build`, docs/decisions/0005): the learner's (`learner`
/// feature), sent with the learner's pages (the search, a credential, the registration
/// form, the confirmation), which are islands pages (`ui::islands`): this starts the
/// reactive system and Leptos's island script then hydrates each island; none of the
/// app's router, pages or texts is in it. The app's, sent with every other page (sign-in,
/// the accounts, the dashboard), hydrates the Leptos app, whose areas are split chunks
/// fetched as they are opened (`cargo leptos --split`, `ui::lazy`).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    if ui::islands::reload_if_moved() {
        return;
    }
    #[cfg(feature = "learner")]
    {
        leptos::mount::hydrate_islands();
        ui::islands::mark_when_live();
    }
    #[cfg(not(feature = "learner"))]
    {
        ui::islands::reload_history_until_live();
        leptos::mount::hydrate_lazy(app::App);
    }
}
