//! Keyboard focus after a re-render: put it on the control (or message) the person should
//! be at once the new content is drawn. Browser only; a no-op on the server.

/// Focuses the element with `id` once the next frame is drawn: a form's error summary
/// after a refusal.
pub fn refocus(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::{document, request_animation_frame};
        let id = id.to_owned();
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&id) {
                use wasm_bindgen::JsCast;
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
