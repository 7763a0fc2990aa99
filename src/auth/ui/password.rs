//! `/forgot-password` (ask for a link) and `/reset-password?user&expires&token` (choose a
//! password through it): plain POST forms, the same with and without JavaScript. A refusal
//! comes back with its field's message; passwords are never echoed.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::auth::api::password_link_works;
use crate::auth::types::PasswordRefusal;
use crate::ui::form::{submitted, ErrorSummary, FieldMessage};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let refusal = submitted::<PasswordRefusal>();
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    view! {
        <Title text="Forgot your password" />
        <h1>"Forgot your password?"</h1>
        <Show when=sent>
            <p role="status" class="notice">
                "If an account uses that email, we have sent it a link to choose a new password. The link works once, for 30 minutes."
            </p>
        </Show>
        <p>"Enter the email you sign in with, and we will email you a link to choose a new password."</p>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let r = refusal.await.unwrap_or_default();
                let refused = !r.errors.is_empty() || r.message.is_some();
                let errors = Signal::stored(r.errors.clone());
                view! {
                    <ErrorSummary errors message=Signal::stored(r.message.clone()) autofocus=refused heading="No link was sent" />
                    <form class="sign-in" method="post" action="/forgot-password">
                        <div class="field">
                            <label for="email">"Email"</label>
                            <input id="email" name="email" type="email" autocomplete="username"
                                required maxlength="254" value=r.email.clone() aria-describedby="email-error" />
                            <FieldMessage field="email" errors />
                        </div>
                        <button type="submit">"Email me a link"</button>
                    </form>
                    <p><a href="/sign-in">"Back to sign in"</a></p>
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let link = move || {
        let q = query.read();
        (
            q.get("user")
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(0),
            q.get("expires")
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(0),
            q.get("token").unwrap_or_default(),
        )
    };
    let works = Resource::new(link, |(user, expires, token)| {
        password_link_works(user, expires, token)
    });
    let refusal = submitted::<PasswordRefusal>();
    view! {
        <Title text="Choose a password" />
        <h1>"Choose a password"</h1>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let r: PasswordRefusal = refusal.await.unwrap_or_default();
                let ok = works.await.unwrap_or(false);
                if !ok && r.errors.is_empty() {
                    return view! {
                        <p class="error-summary" role="alert">{crate::auth::types::DEAD_LINK}</p>
                        <p><a href="/forgot-password">"Ask for a new link"</a></p>
                    }.into_any();
                }
                let (user, expires, token) = link();
                let refused = !r.errors.is_empty() || r.message.is_some();
                let errors = Signal::stored(r.errors.clone());
                view! {
                    <ErrorSummary errors message=Signal::stored(r.message.clone()) autofocus=refused heading="Your password was not set" />
                    <form class="sign-in" method="post" action="/reset-password">
                        <input type="hidden" name="user" value=user.to_string() />
                        <input type="hidden" name="expires" value=expires.to_string() />
                        <input type="hidden" name="token" value=token />
                        <div class="field">
                            <label for="password">"New password"</label>
                            <p class="hint" id="password-hint">"At least 12 characters. A few words together are easy to remember and hard to guess."</p>
                            <input id="password" name="password" type="password" autocomplete="new-password"
                                required minlength="12" maxlength="1024" aria-describedby="password-hint password-error" />
                            <FieldMessage field="password" errors />
                        </div>
                        <div class="field">
                            <label for="confirm">"The same password again"</label>
                            <input id="confirm" name="confirm" type="password" autocomplete="new-password"
                                required maxlength="1024" aria-describedby="confirm-error" />
                            <FieldMessage field="confirm" errors />
                        </div>
                        <button type="submit">"Set my password"</button>
                    </form>
                }.into_any()
            })}
        </Suspense>
    }
}
