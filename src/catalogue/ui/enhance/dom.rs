//! What `enhance` reads from and does to the document: the server's answer parsed as a
//! page, the links it follows, the disclosures and head tags it carries over, and the
//! page-long listeners it adds. Kept apart from the search's flow in `mod.rs`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, DomParser, Element, Event, HtmlDetailsElement, Location, MouseEvent, SupportedType,
    Url, UrlSearchParams,
};

use super::{Failure, REGION};

/// The path and query the address bar shows.
pub(super) fn here(location: &Location) -> Option<String> {
    Some(format!(
        "{}{}",
        location.pathname().ok()?,
        location.search().ok()?
    ))
}

/// The answer as a document, if it is a search page, whatever its status: a search the
/// server refused is still a page whose region says what went wrong.
pub(super) fn parse_region(html: &str) -> Result<Document, Failure> {
    let page = DomParser::new()
        .and_then(|p| p.parse_from_string(html, SupportedType::TextHtml))
        .map_err(|_| Failure::Server)?;
    match page.query_selector(REGION) {
        Ok(Some(_)) => Ok(page),
        _ => Err(Failure::Server),
    }
}

/// The address of a plain click on a link to the search page inside the form (chips,
/// pages, "did you mean", "clear"), which a modified click or another page's link is not.
pub(super) fn search_link(ev: &MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return None;
    }
    let target = ev.target()?.dyn_into::<Element>().ok()?;
    let link = target.closest("a[href]").ok()??;
    if link.has_attribute("target") || link.has_attribute("download") {
        return None;
    }
    let window = web_sys::window()?;
    let here = window.location().origin().ok()?;
    let url = Url::new_with_base(&link.get_attribute("href")?, &here).ok()?;
    (url.origin() == here && url.pathname() == "/").then(|| format!("/{}", url.search()))
}

/// The new region's disclosures open as the learner left the old ones: the phone's filter
/// panel (closed by "Show N results"), and each facet by its name.
pub(super) fn keep_disclosures(old: &Element, new: &Element, close_filters: bool) {
    let details = |root: &Element, selector: &str| -> Vec<HtmlDetailsElement> {
        let Ok(list) = root.query_selector_all(selector) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<HtmlDetailsElement>().ok())
            .collect()
    };
    let summary = |d: &HtmlDetailsElement| {
        d.query_selector("summary")
            .ok()
            .flatten()
            .and_then(|s| s.text_content())
    };
    let was_open = details(old, "details.filters")
        .first()
        .is_some_and(|d| d.open());
    for panel in details(new, "details.filters") {
        panel.set_open(was_open && !close_filters);
    }
    let old_facets = details(old, "details.facet");
    for facet in details(new, "details.facet") {
        let name = summary(&facet);
        if let Some(before) = old_facets.iter().find(|d| summary(d) == name) {
            facet.set_open(before.open());
        }
    }
}

/// Sets `attribute` of the element `selector` finds in `to` to its value in `from`.
pub(super) fn copy_attribute(from: &Document, to: &Document, selector: &str, attribute: &str) {
    let value = from
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|el| el.get_attribute(attribute));
    if let (Some(value), Ok(Some(el))) = (value, to.query_selector(selector)) {
        let _ = el.set_attribute(attribute, &value);
    }
}

/// The canonical link's path and query (its origin is the configured public address).
pub(super) fn canonical_path(page: &Document) -> Option<String> {
    let href = page
        .query_selector("link[rel=canonical]")
        .ok()??
        .get_attribute("href")?;
    let url = Url::new(&href).ok()?;
    Some(format!("{}{}", url.pathname(), url.search()))
}

/// The search text (`q`) of a path with its query.
pub(super) fn query_text(address: &str) -> String {
    let search = address.split_once('?').map_or("", |(_, s)| s);
    UrlSearchParams::new_with_str(search)
        .ok()
        .and_then(|p| p.get("q"))
        .unwrap_or_default()
}

/// Adds a listener for the page's lifetime.
pub(super) fn on<E: JsCast + 'static>(
    target: &web_sys::EventTarget,
    name: &str,
    f: impl FnMut(E) + 'static,
) {
    let mut f = f;
    let closure = Closure::<dyn FnMut(Event)>::new(move |ev: Event| {
        if let Ok(ev) = ev.dyn_into::<E>() {
            f(ev);
        }
    });
    let _ = target.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
    closure.forget();
}
