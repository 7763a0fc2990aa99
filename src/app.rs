//! The document shell, the router and the site frame.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

use crate::auth::ui::routes::AccountPages;
use crate::badges::ui::{BadgePage, VerifyPage};
use crate::catalogue::ui::detail::DetailPage;
use crate::catalogue::ui::page::CataloguePage;
use crate::dashboard::ui::routes::CoordinatorPages;
use crate::registration::ui::confirmation::ConfirmationPage;
use crate::registration::ui::form::RegisterPage;
use crate::ui::islands::{front_end, learner_page, render_for, Render, ROUTER_SCRIPT};
use crate::ui::not_found::NotFound;

/// The HTML document around every server-rendered page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    let render = render_for(&request_path());
    let islands = render == Render::Islands;
    let scripts = front_end(options.clone(), render);
    view! {
        <!DOCTYPE html>
        <html lang="en-NZ">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HashedStylesheet options=options.clone() id="leptos" />
                // Loaded when the browser is idle (at the latest 2 s on): the page is
                // server-rendered and usable, so the WASM stays off the critical path
                // that paints it (Lighthouse LCP); plain links and forms work meanwhile.
                // A learner's page loads the learner's WASM and hydrates only its
                // islands (`ui::islands::front_end`), which Leptos's island script also
                // does at idle.
                <HydrationScripts options=scripts.clone() islands defer=true />
                {islands.then(|| view! { <script nonce=leptos::nonce::use_nonce()>{ROUTER_SCRIPT}</script> })}
                <WithoutChunkPreloads options=scripts.clone() />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The path this render answers (empty outside a request).
fn request_path() -> String {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        return parts.uri.path().to_owned();
    }
    String::new()
}

/// Leaves out the `<link rel="preload">` Leptos adds for a lazy route's split chunks (49
/// files on a detail page). They were fetched at high priority while the page painted,
/// though the hydration that needs them waits for idle time anyway (`defer`); Lighthouse's
/// mobile run measured the detail page at 91 with them and 95 to 97 without. The chunks
/// still load, from `__wasm_split.js`, when the route hydrates. Leptos reads the preload
/// list from the split manifest in context at the end of the render; this puts the
/// manifest back with an empty list, after `HydrationScripts` has provided it, and with
/// the `__wasm_split.js` of this page's front end (`options`): Leptos keeps the manifest
/// of the first page it rendered for every page after, whichever front end that was.
#[component]
fn WithoutChunkPreloads(options: LeptosOptions) -> impl IntoView {
    #[cfg(not(feature = "ssr"))]
    let _ = options;
    #[cfg(feature = "ssr")]
    if let Some(manifest) = use_context::<leptos::WasmSplitManifest>() {
        if let Some(pkg) = manifest.0.try_with_value(|(pkg, _, _)| pkg.clone()) {
            provide_context(leptos::WasmSplitManifest(ArcStoredValue::new((
                pkg,
                Default::default(),
                crate::ui::islands::split_script(&options),
            ))));
        }
    }
}

/// A strict policy: scripts only with this response's nonce (and what they load), WASM
/// compilation allowed, nothing inline otherwise, no framing.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use axum::http::{header, HeaderValue};
    leptos::nonce::provide_nonce();
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        res.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta name="theme-color" content="#0b5563" />
        <Title formatter=|page: String| crate::ui::seo::page_title(&page) />
        <Router>
            <a class="skip-link" href="#main">"Skip to main content"</a>
            <header class="site-header">
                <a class="brand" href="/">
                    <span class="brand-name">"Tohu"</span>
                    <span class="brand-tagline">"Micro-credentials for Aotearoa New Zealand"</span>
                </a>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| learner_page(CataloguePage) ssr=SsrMode::Async />
                    <Route path=path!("/credentials/:slug") view=|| learner_page(DetailPage) ssr=SsrMode::Async />
                    <Route path=path!("/credentials/:slug/register") view=|| learner_page(RegisterPage) ssr=SsrMode::Async />
                    <Route path=path!("/credentials/:slug/group") view={Lazy::<CoordinatorPages>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/registrations/:reference") view=|| learner_page(ConfirmationPage) ssr=SsrMode::Async />
                    <Route path=path!("/verify") view=|| learner_page(VerifyPage) ssr=SsrMode::Async />
                    <Route path=path!("/badges/:id") view=|| learner_page(BadgePage) ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view={Lazy::<AccountPages>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/forgot-password") view={Lazy::<AccountPages>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/reset-password") view={Lazy::<AccountPages>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/dashboard") view={Lazy::<CoordinatorPages>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/registrations") view={Lazy::<CoordinatorPages>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/registrations/:reference") view={Lazy::<CoordinatorPages>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/intakes") view={Lazy::<CoordinatorPages>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/intakes/:id") view={Lazy::<CoordinatorPages>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/users") view={Lazy::<CoordinatorPages>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/completions") view={Lazy::<CoordinatorPages>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/catalogue") view={Lazy::<CoordinatorPages>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/catalogue/:kind/:key") view={Lazy::<CoordinatorPages>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>
                    "Micro-credentials are registered with NZQA and listed on the New Zealand Qualifications and Credentials Framework. One credit is about 10 hours of learning."
                </p>
                <p><a href="/sign-in">"Training coordinators: sign in"</a></p>
            </footer>
        </Router>
    }
}
