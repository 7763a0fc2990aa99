//! The learner's registration page `/registrations/{reference}?token=…`: what was
//! registered, and a cancel button. The token in the link is the learner's secret. An
//! islands page without islands (`ui::islands`): the cancel button is a form POST to the
//! server function, which sends the learner back here (with JavaScript the islands router
//! makes that POST and shows the answer in the same document).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::format;
use crate::registration::api::{get_registration, CancelRegistration};
use crate::registration::types::{RegistrationStatus, RegistrationView};
use crate::ui::form::refusal;
use crate::ui::not_found::NotFound;
use crate::ui::seo::title_text;

#[component]
pub fn ConfirmationPage() -> impl IntoView {
    let (reference, token) = (
        use_params_map().with_untracked(|p| p.get("reference").unwrap_or_default()),
        use_query_map().with_untracked(|q| q.get("token").unwrap_or_default()),
    );
    let cancel = ServerAction::<CancelRegistration>::new();
    // A future, not a resource: nothing on this page hydrates; a cancel is a form POST
    // that comes back to it.
    let registration = get_registration(reference, token.clone());
    view! {
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {Suspend::new(async move {
                match registration.await {
                    Ok(Some(r)) => view! { <Confirmation r token cancel /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Confirmation(
    r: RegistrationView,
    token: String,
    cancel: ServerAction<CancelRegistration>,
) -> impl IntoView {
    let (heading, detail) = match (r.status, r.waitlist_position) {
        (RegistrationStatus::Confirmed, _) => ("You're registered", "Your seat is confirmed.".to_owned()),
        (RegistrationStatus::Waitlisted, Some(p)) => (
            "You're on the waitlist",
            format!("The intake is full. You are number {p} on the waitlist; we will email you if a seat comes free."),
        ),
        (RegistrationStatus::Cancelled, _) => ("Registration cancelled", "This registration is cancelled and its seat has been released.".to_owned()),
        (RegistrationStatus::Withdrawn, _) => ("Registration withdrawn", "This registration was withdrawn.".to_owned()),
        (RegistrationStatus::Completed, _) => ("Completed", "You have completed this intake.".to_owned()),
        _ => ("Registration received", "We will confirm your seat soon.".to_owned()),
    };
    let active = r.status.is_active();
    // A refused cancel (too many from one address, say) says why, with or without
    // JavaScript.
    let (_, refused) = refusal(move || cancel.value().get());
    view! {
        <Title text=title_text(heading) />
        // A learner's own page behind a secret link: never indexed.
        <Meta name="robots" content="noindex" />
        <h1>{heading}</h1>
        <p class="lede" role="status">{detail}</p>
        <dl class="facts facts-detail">
            <div>
                <dt>"Reference"</dt>
                <dd class="reference">{r.reference.clone()}</dd>
            </div>
            <div class="facts-wide">
                <dt>"Micro-credential"</dt>
                <dd><a href=format!("/credentials/{}", r.credential_slug)>{r.credential_title.clone()}</a></dd>
            </div>
            <div class="facts-wide">
                <dt>"Intake"</dt>
                <dd>{format!("{} to {}, {} ({})", format::long_date(&r.starts_on), format::long_date(&r.ends_on), r.region, r.delivery_mode)}</dd>
            </div>
            <div class="facts-wide">
                <dt>"Learner"</dt>
                <dd>{format!("{} {} ({})", r.given_name, r.family_name, r.email)}</dd>
            </div>
        </dl>
        {r.credential.clone().map(|c| {
            let query = format!("?token={token}");
            let json = format!("/registrations/{}/credential.json{query}", r.reference);
            let svg = format!("/registrations/{}/badge.svg{query}", r.reference);
            view! {
                <section aria-labelledby="credential-heading" class="credential">
                    <h2 id="credential-heading">"Your credential"</h2>
                    <p>{format!(
                        "{} issued you an Open Badges credential for {}: requirements met on {}. Anyone you give it to can check it.",
                        c.issuer, c.title, format::long_date(&c.achieved_on)
                    )}</p>
                    <ul class="downloads">
                        <li><a href=json download="" rel="external">"Download credential (JSON)"</a></li>
                        <li><a href=svg download="" rel="external">"Download badge (SVG with the credential baked in)"</a></li>
                        <li><a href=c.linkedin rel="external noopener" target="_blank">"Add to LinkedIn"</a></li>
                        <li><a href=c.public_page rel="external">"Its public page"</a>" (no name on it)"</li>
                    </ul>
                    <p class="muted">"NZQA's Record of Achievement is the official record of your micro-credential."</p>
                </section>
            }
        })}
        <p>"We have emailed you this link. Keep it private: anyone with it can cancel your registration."</p>
        {active.then(|| view! {
            <ActionForm action=cancel attr:class="cancel">
                <input type="hidden" name="reference" value=r.reference.clone() />
                <input type="hidden" name="token" value=token.clone() />
                <button type="submit">"Cancel my registration"</button>
            </ActionForm>
            <Show when=move || refused.read().is_some()>
                <p class="error" role="alert">{move || refused.get()}</p>
            </Show>
        })}
    }
}
