//! What search engines and link previews read about a page: its title, description,
//! canonical address and Open Graph tags, from one component every public page uses, so
//! no page goes without them. The address is absolute: on the server from the configured
//! public URL, in the browser from the page's own origin (the same site).

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// The site's name where a page has no title of its own.
pub const SITE_NAME: &str = "Tohu micro-credentials";

/// The browser tab's title for a page titled `page` (empty: the home page).
pub fn page_title(page: &str) -> String {
    if page.is_empty() {
        SITE_NAME.to_owned()
    } else {
        format!("{page} | Tohu")
    }
}

/// Title, description, canonical URL and Open Graph tags for the page at `path` (a path
/// with its query, as `CatalogueQuery::to_url` gives). An empty `title` is the home page.
#[component]
pub fn PageMeta(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    #[prop(into)] path: String,
) -> impl IntoView {
    let url = absolute(&path);
    let og_title = og_title(&title).to_owned();
    view! {
        <Title text=title_text(title) />
        <Meta name="description" content=description.clone() />
        <Link rel="canonical" href=url.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:site_name" content=SITE_NAME />
        <Meta property="og:title" content=og_title />
        <Meta property="og:description" content=description />
        <Meta property="og:url" content=url />
        <Meta property="og:locale" content="en_NZ" />
    }
}

/// The Open Graph title of a page titled `title` (the site's name for the home page).
fn og_title(title: &str) -> &str {
    if title.is_empty() {
        SITE_NAME
    } else {
        title
    }
}

/// A page title as `leptos_meta::Title` must be given it. Its server render writes the
/// text into `<title>` as it is, so a typed search or a learner's name could close the
/// element and inject markup: on the server the text is escaped here; in the browser it
/// is set as `document.title`, which takes plain text.
pub fn title_text(text: impl Into<String>) -> String {
    let text = text.into();
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text
    }
}

/// Puts a new title, description and canonical address (with their Open Graph twins) on
/// the page shown, for an island that changes what the page is (the search). The tags
/// are the server's (`PageMeta`); leptos_meta would add a second set beside them.
#[cfg(feature = "hydrate")]
pub fn show_head(title: &str, description: &str, path: &str) {
    let document = document();
    document.set_title(&page_title(title));
    let Some(head) = document.head() else { return };
    let url = absolute(path);
    let og_title = og_title(title);
    let tags = head.children();
    for i in 0..tags.length() {
        let Some(tag) = tags.item(i) else { continue };
        let key = |name| tag.get_attribute(name).unwrap_or_default();
        let (attribute, value) = match (
            key("name").as_str(),
            key("property").as_str(),
            key("rel").as_str(),
        ) {
            ("description", _, _) | (_, "og:description", _) => ("content", description),
            (_, "og:title", _) => ("content", og_title),
            (_, "og:url", _) => ("content", url.as_str()),
            (_, _, "canonical") => ("href", url.as_str()),
            _ => continue,
        };
        let _ = tag.set_attribute(attribute, value);
    }
}

/// `path` as an absolute URL on this site.
pub fn absolute(path: &str) -> String {
    format!("{}{path}", origin())
}

#[cfg(feature = "ssr")]
fn origin() -> String {
    crate::server::state::app_state()
        .map(|s| s.public_url())
        .unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn origin() -> String {
    window().location().origin().unwrap_or_default()
}
