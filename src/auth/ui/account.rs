//! `/dashboard`: where a coordinator lands after signing in. It says who is signed in, for
//! which organisation, and signs out. Anyone not signed in is sent to `/sign-in`.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::api::who_am_i;
use crate::auth::types::CurrentUser;

#[component]
pub fn AccountPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| who_am_i());
    view! {
        <Title text="Dashboard" />
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => view! { <SignedIn user /> }.into_any(),
                    Ok(None) => {
                        #[cfg(feature = "ssr")]
                        leptos_axum::redirect("/sign-in");
                        view! {
                            <h1>"Sign in to continue"</h1>
                            <p><a href="/sign-in">"Sign in"</a></p>
                        }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignedIn(user: CurrentUser) -> impl IntoView {
    let organisation = user
        .organisation
        .clone()
        .map(|o| format!("{}, {o}", user.role.label()))
        .unwrap_or_else(|| user.role.label().to_owned());
    view! {
        <h1>"Kia ora, " {user.name.clone()}</h1>
        <dl class="facts facts-detail">
            <div>
                <dt>"Signed in as"</dt>
                <dd>{user.email.clone()}</dd>
            </div>
            <div>
                <dt>"Role"</dt>
                <dd>{organisation}</dd>
            </div>
        </dl>
        <p><a href="/dashboard/registrations">"Registrations"</a></p>
        <form method="post" action="/sign-out">
            <button type="submit" class="secondary">"Sign out"</button>
        </form>
    }
}
