//! The registration form in the browser. The form is rendered on the server only and
//! works without JavaScript (`registration::ui::form`); this module adds two things to
//! the server's HTML:
//!
//! - after a refused submit, a field's message goes (or changes) as the learner corrects
//!   that field, in the field and in the summary, by the same rules the server applies
//!   (`registration::validate`); other fields' messages, the server's included, stay
//!   until those fields are edited, and the summary goes with its last message;
//! - a second press of "Register" while the first is on its way does nothing, so a
//!   learner who double-clicks is not told their own registration is a duplicate.
//!
//! The markup it reads: `form.register` (its `data-today` is the server's date), the
//! summary `#error-summary` with one link per message (`#field`, or `#intake-error` for
//! the intake), and `#{field}-error` under each field.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, FormData, HtmlFormElement};

use crate::registration::types::RegistrationForm;
use crate::registration::validate::validate;
use crate::ui::form::{error_for, ERROR_SUMMARY_ID};

/// What the button says while the form is on its way.
const SENDING: &str = "Registering…";

/// Enhances the page's registration form, if it has one.
pub fn start() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(form) = document
        .query_selector("form.register")
        .ok()
        .flatten()
        .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    let recheck = {
        let (document, form) = (document.clone(), form.clone());
        move |event: Event| recheck(&document, &form, &event)
    };
    listen(&form, "input", recheck.clone());
    listen(&form, "change", recheck);
    let button = form.query_selector("button[type=submit]").ok().flatten();
    let label = button.as_ref().and_then(|b| b.text_content());
    listen(&form, "submit", {
        let (form, button) = (form.clone(), button.clone());
        move |event: Event| {
            if form.has_attribute("data-sending") {
                event.prevent_default();
                return;
            }
            let _ = form.set_attribute("data-sending", "");
            if let Some(button) = &button {
                button.set_text_content(Some(SENDING));
            }
        }
    });
    // Back to a page kept in the browser's memory: the form is not on its way any more.
    if let Some(window) = web_sys::window() {
        let reset = Closure::<dyn Fn()>::new(move || {
            let _ = form.remove_attribute("data-sending");
            if let Some(button) = &button {
                button.set_text_content(label.as_deref());
            }
        });
        let _ = window.add_event_listener_with_callback("pageshow", reset.as_ref().unchecked_ref());
        reset.forget();
    }
}

/// Calls `handler` for every `kind` event on `target`, for as long as the page lives.
fn listen(target: &Element, kind: &str, handler: impl Fn(Event) + 'static) {
    let closure = Closure::<dyn Fn(Event)>::new(handler);
    let _ = target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref());
    closure.forget();
}

/// After a refusal (the summary is on the page), checks the field the learner just edited
/// and shows its message, or none.
fn recheck(document: &Document, form: &HtmlFormElement, event: &Event) {
    let Some(summary) = document.get_element_by_id(ERROR_SUMMARY_ID) else {
        return;
    };
    let Some(field) = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.get_attribute("name"))
    else {
        return;
    };
    if field != "consent" && !RegistrationForm::TEXT_FIELDS.contains(&field.as_str()) {
        return;
    }
    let Some(values) = read(form) else {
        return;
    };
    // Today as the server rendered it (`data-today`); without it the age is left to the
    // server.
    let today = form.get_attribute("data-today").unwrap_or_default();
    let fresh = validate(&values, &today).err().unwrap_or_default();
    show(
        document,
        &summary,
        &field,
        error_for(&fresh, &field).as_deref(),
    );
}

/// The form's values, as the server would read them.
fn read(form: &HtmlFormElement) -> Option<RegistrationForm> {
    let data = FormData::new_with_form(form).ok()?;
    let mut values = RegistrationForm::default();
    for field in RegistrationForm::TEXT_FIELDS {
        values.set(field, data.get(field).as_string().unwrap_or_default());
    }
    values.consent = data.get("consent").as_string();
    Some(values)
}

/// Shows `message` (or no message) for `field`: under the field, on the field's
/// `aria-invalid`, and in the summary, which goes when it has nothing left to say.
fn show(document: &Document, summary: &Element, field: &str, message: Option<&str>) {
    if let Some(under) = document.get_element_by_id(&format!("{field}-error")) {
        under.set_text_content(message);
    }
    if field != "intake" {
        if let Some(control) = document.get_element_by_id(field) {
            let _ = match message {
                Some(_) => control.set_attribute("aria-invalid", "true"),
                None => control.remove_attribute("aria-invalid"),
            };
        }
    }
    let anchor = if field == "intake" {
        "#intake-error".to_owned()
    } else {
        format!("#{field}")
    };
    let link = summary
        .query_selector(&format!("a[href=\"{anchor}\"]"))
        .ok()
        .flatten();
    match (link, message) {
        (Some(link), Some(message)) => link.set_text_content(Some(message)),
        (Some(link), None) => {
            if let Some(item) = link.parent_element() {
                item.remove();
            }
        }
        (None, Some(message)) => {
            let list = summary.query_selector("ul").ok().flatten();
            let item = document.create_element("li").ok();
            let link = document.create_element("a").ok();
            if let (Some(list), Some(item), Some(link)) = (list, item, link) {
                let _ = link.set_attribute("href", &anchor);
                link.set_text_content(Some(message));
                let _ = item.append_child(&link);
                let _ = list.append_child(&item);
            }
        }
        (None, None) => {}
    }
    let said = summary.query_selector("li, p").ok().flatten().is_some();
    if !said {
        summary.remove();
    }
}
