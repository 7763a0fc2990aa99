//! The browser's history as islands use it. An island that changes the address of the
//! page it is on (the search) marks its entries `island`, and the islands router
//! (`ui::islands_routing.js`) leaves Back and Forward between such entries of the page
//! shown to that island instead of fetching the page again.

/// What a change does to the browser's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A new entry (a tick, a link, a submit).
    Push,
    /// The current entry changes its address (typing: Back skips each keystroke).
    Replace,
    /// Back or Forward: the entry is already the one shown.
    Keep,
}

#[cfg(feature = "hydrate")]
pub use browser::{is_island_entry, mark_current, record};

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::JsValue;

    use super::Entry;

    /// The state an island's entries carry (the router's own flag kept).
    fn island_state() -> JsValue {
        let state = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&state, &"island".into(), &JsValue::TRUE);
        let _ = js_sys::Reflect::set(&state, &"router".into(), &JsValue::TRUE);
        state.into()
    }

    /// Marks the entry shown as the island's: Back to it from the island's next entry is
    /// the island's to answer.
    pub fn mark_current() {
        if let Ok(history) = leptos::prelude::window().history() {
            let _ = history.replace_state(&island_state(), "");
        }
    }

    /// Puts `address` in the address bar as `entry` says.
    pub fn record(entry: Entry, address: &str) {
        let Ok(history) = leptos::prelude::window().history() else {
            return;
        };
        let _ = match entry {
            Entry::Push => history.push_state_with_url(&island_state(), "", Some(address)),
            Entry::Replace => history.replace_state_with_url(&island_state(), "", Some(address)),
            Entry::Keep => Ok(()),
        };
    }

    /// Whether a Back or Forward reached an entry an island made.
    pub fn is_island_entry(ev: &web_sys::PopStateEvent) -> bool {
        js_sys::Reflect::get(&ev.state(), &"island".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }
}
