//! The coordinators' pages: overview (with its SVG `charts`), registrations (the table) and
//! a registration's `detail`, `intakes`, `users`, the `catalogue` editor; `routes` makes them, with an employer's
//! group page, one lazy area (`CoordinatorPages`). Here, what they share: `DashboardNav`,
//! `refused` (every page shows the same thing for the same refusal of its guarded server
//! function) and `successes` (reload a page's data after a change went through).

pub mod catalogue;
pub mod charts;
pub mod completions;
pub mod detail;
pub mod intakes;
pub mod overview;
pub mod registrations;
pub mod routes;
pub mod users;

use leptos::prelude::*;

use crate::error::AppError;

/// What a dashboard page shows when its server function refused: nobody signed in goes to
/// the sign-in page, which returns here afterwards (a redirect when rendered on the server,
/// a navigation in the browser); anything else is said plainly.
pub fn refused(e: AppError) -> AnyView {
    match e {
        AppError::Unauthorized => {
            let location = leptos_router::hooks::use_location();
            let (path, query) = (
                location.pathname.get_untracked(),
                location.search.get_untracked(),
            );
            let here = match query.is_empty() {
                true => path,
                false => format!("{path}?{query}"),
            };
            let sign_in = crate::auth::types::sign_in_for(&here);
            #[cfg(feature = "ssr")]
            leptos_axum::redirect(&sign_in);
            #[cfg(not(feature = "ssr"))]
            {
                let navigate = leptos_router::hooks::use_navigate();
                let to = sign_in.clone();
                request_animation_frame(move || navigate(&to, Default::default()));
            }
            view! { <p><a href=sign_in>"Sign in to see this page"</a></p> }.into_any()
        }
        AppError::NotFound => {
            #[cfg(feature = "ssr")]
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.set_status(axum::http::StatusCode::NOT_FOUND);
            }
            view! {
                <h1>"Not found"</h1>
                <p>"There is nothing here that your organisation can see."</p>
            }
            .into_any()
        }
        e => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
    }
}

/// The dashboard's own navigation, on every dashboard page; `current` is this page's path.
#[component]
pub fn DashboardNav(current: &'static str) -> impl IntoView {
    let link = move |href: &'static str, text: &'static str| {
        let here = (href == current).then_some("page");
        view! { <li><a href=href aria-current=here>{text}</a></li> }
    };
    view! {
        <nav class="dashboard-nav" aria-label="Dashboard">
            <ul>
                {link("/dashboard", "Overview")}
                {link("/dashboard/registrations", "Registrations")}
                {link("/dashboard/intakes", "Intakes")}
                {link("/dashboard/completions", "NZQA report")}
                {link("/dashboard/catalogue", "Catalogue")}
            </ul>
            <form method="post" action="/sign-out">
                <button type="submit" class="secondary">"Sign out"</button>
            </form>
        </nav>
    }
}

/// A counter that moves each time `action` succeeds: a page's resource keyed on it reloads
/// after a change went through, and not after a refusal (which would clear what the
/// coordinator typed).
pub fn successes<A, T>(action: ServerAction<A>) -> RwSignal<u32>
where
    A: leptos::server_fn::ServerFn<Output = T, Error = AppError> + Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
    ServerAction<A>: Copy,
{
    let n = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            n.update(|n| *n += 1);
        }
    });
    n
}
