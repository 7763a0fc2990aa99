//! `/sign-in`: email and password, posted as a plain form (the same path with and without
//! JavaScript). A refused attempt comes back with the email kept and one message. A
//! dashboard address visited signed out comes as `?next=`, rides along in the form, and
//! is where the sign-in lands (when `safe_next` calls it this site's own).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::types::{safe_next, SignInRefused};
use crate::ui::form::submitted;

#[component]
pub fn SignInPage() -> impl IntoView {
    let refusal = submitted::<SignInRefused>();
    let query = use_query_map();
    let signed_out = move || query.read().get("signed_out").is_some();
    let password_set = move || query.read().get("password_set").is_some();
    view! {
        <Title text="Sign in" />
        <h1>"Sign in"</h1>
        <p>"For training coordinators. Learners do not need an account to register."</p>
        <Show when=signed_out>
            <p role="status" class="notice">"You have signed out."</p>
        </Show>
        <Show when=password_set>
            <p role="status" class="notice">"Your password is set. Sign in with it now."</p>
        </Show>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let asked = query.read_untracked().get("next").unwrap_or_default();
                let (email, message, next) = refusal
                    .await
                    .map_or((String::new(), None, asked), |r| (r.email, Some(r.message), r.next));
                let next = safe_next(&next).map(str::to_owned);
                let has_error = message.is_some();
                view! {
                    {message.map(|m| view! {
                        <div class="error-summary" role="alert" tabindex="-1" autofocus=true>
                            <h2>"You are not signed in"</h2>
                            <p>{m}</p>
                        </div>
                    })}
                    <form class="sign-in" method="post" action="/sign-in">
                        {next.map(|next| view! { <input type="hidden" name="next" value=next /> })}
                        <div class="field">
                            <label for="email">"Email"</label>
                            <input id="email" name="email" type="email" autocomplete="username"
                                required maxlength="254" value=email
                                aria-invalid=has_error.then_some("true") />
                        </div>
                        <div class="field">
                            <label for="password">"Password"</label>
                            <input id="password" name="password" type="password"
                                autocomplete="current-password" required maxlength="1024"
                                aria-invalid=has_error.then_some("true") />
                        </div>
                        <button type="submit" class="button-primary">"Sign in"</button>
                    </form>
                    <p><a href="/forgot-password">"Forgot your password?"</a></p>
                }
            })}
        </Suspense>
    }
}
