//! `/dashboard/registrations/{reference}`: everything the learner gave, the timeline of what
//! happened to the registration (who, when, from what to what, why), and the actions the
//! coordinator can take now, each with a reason. The form is a server-function form: it
//! works without JavaScript (the server redirects back here) and, hydrated, updates in place.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::dashboard::api::{get_registration_detail, ActOnRegistration};
use crate::dashboard::types::{status_label, RegistrationAction, RegistrationDetail};
use crate::dashboard::ui::{refused, successes, DashboardNav};
use crate::format;
use crate::registration::events::EventKind;
use crate::ui::form::{refusal_focused, ErrorSummary, FieldMessage};
use crate::ui::seo::title_text;

#[component]
pub fn RegistrationDetailPage() -> impl IntoView {
    let params = use_params_map();
    let act = ServerAction::<ActOnRegistration>::new();
    let acted = successes(act);
    let detail = Resource::new(
        move || {
            (
                params.read().get("reference").unwrap_or_default(),
                acted.get(),
            )
        },
        |(reference, _)| get_registration_detail(reference),
    );
    view! {
        <Title text="Registration" />
        <DashboardNav current="" />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/dashboard/registrations">"Registrations"</a></nav>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <Detail d act /> }.into_any(),
                    Err(e) => refused(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(d: RegistrationDetail, act: ServerAction<ActOnRegistration>) -> impl IntoView {
    let fact = |term: &'static str, value: String| {
        view! { <div><dt>{term}</dt><dd>{value}</dd></div> }
    };
    let heading = format!(
        "{} {} ({})",
        d.learner.given_name, d.learner.family_name, d.reference
    );
    view! {
        <Title text=title_text(heading.clone()) />
        <h1>{heading}</h1>
        <p class="lede">
            <span class=format!("status status-{}", d.status.as_str())>{status_label(d.status)}</span>
            " · " {d.credential_title.clone()} ", intake " {d.intake_code.clone()}
            " starting " {format::long_date(&d.starts_on)}
        </p>
        <section aria-labelledby="learner-heading">
            <h2 id="learner-heading">"What the learner gave"</h2>
            <dl class="facts facts-detail">
                {fact("Email", d.learner.email.clone())}
                {fact("Phone", d.learner.phone.clone())}
                {fact("Date of birth", format::long_date(&d.learner.date_of_birth))}
                {fact("Region", d.learner.region.clone())}
                {fact("National Student Number", d.learner.nsn.clone().unwrap_or_else(|| "Not given".to_owned()))}
                {fact("Employer (as typed)", d.learner.employer.clone().unwrap_or_else(|| "Not given".to_owned()))}
                {fact("Registered by employer", d.employer_organisation.clone().unwrap_or_else(|| "No".to_owned()))}
                {fact("Provider", d.provider.clone())}
                {fact("Registered", d.registered_at.long())}
            </dl>
            <p><a href=format!("/credentials/{}", d.credential_slug)>"The micro-credential's public page"</a></p>
        </section>
        {d.credential.clone().map(|c| view! {
            <section aria-labelledby="credential-heading">
                <h2 id="credential-heading">"Open Badges credential"</h2>
                <dl class="facts">
                    <div><dt>"Requirements met"</dt><dd>{format::long_date(&c.achieved_on)}</dd></div>
                    <div><dt>"Status"</dt><dd>{if c.revoked { "Revoked" } else { "Issued" }}</dd></div>
                    <div><dt>"Credential id"</dt><dd><code>{format!("urn:uuid:{}", c.id)}</code></dd></div>
                </dl>
            </section>
        })}
        <Actions reference=d.reference.clone() actions=d.actions.clone() achieved_default=d.achieved_default.clone() act />
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Timeline"</h2>
            <ol class="timeline">
                {d.timeline.into_iter().map(|e| {
                    let what = match (e.kind, e.from) {
                        (EventKind::Note, _) => "Note".to_owned(),
                        (EventKind::Email, _) => "Confirmation email sent again".to_owned(),
                        (EventKind::Status, Some(from)) => format!("{} → {}", status_label(from), status_label(e.to)),
                        (EventKind::Status, None) => format!("Registered: {}", status_label(e.to)),
                    };
                    let when = e.at.long();
                    view! {
                        <li>
                            <p class="timeline-what"><strong>{what}</strong>" by "{e.who}</p>
                            <p class="muted"><time datetime=e.at.utc.clone()>{when}</time></p>
                            {(!e.reason.is_empty()).then(|| view! { <p class="timeline-reason">{e.reason}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn Actions(
    reference: String,
    actions: Vec<RegistrationAction>,
    achieved_default: String,
    act: ServerAction<ActOnRegistration>,
) -> impl IntoView {
    let dates = actions.iter().any(|a| a.needs_achieved_on());
    let (errors, message, rendered_refused) = refusal_focused(move || act.value().get());
    let done = move || match act.value().get() {
        Some(Ok(status)) => Some(format!(
            "Done. The registration is now {}.",
            status_label(status).to_lowercase()
        )),
        _ => None,
    };
    if actions.is_empty() {
        return view! { <p>"Your account can read this registration but not change it."</p> }
            .into_any();
    }
    view! {
        <section aria-labelledby="actions-heading">
            <h2 id="actions-heading">"Act on this registration"</h2>
            <p role="status" class="done">{done}</p>
            <ErrorSummary errors message autofocus=rendered_refused heading="That was not done" />
            <ActionForm action=act attr:class="act">
                <input type="hidden" name="reference" value=reference />
                <div class="field">
                    <label for="action">"What to do"</label>
                    <select id="action" name="action">
                        {actions.into_iter().map(|a| view! { <option value=a.as_str()>{a.label()}</option> }).collect_view()}
                    </select>
                </div>
                {dates.then(|| view! {
                    <div class="field">
                        <label for="achieved_on">"Date the learner met the requirements"</label>
                        <p class="hint" id="achieved_on-hint">"Only for marking completed or issuing the credential: the date their credential states. Not after today."</p>
                        <input id="achieved_on" name="achieved_on" type="date" value=achieved_default.clone() aria-describedby="achieved_on-hint achieved_on-error" />
                        <FieldMessage field="achieved_on" errors />
                    </div>
                })}
                <div class="field">
                    <label for="reason">"Reason or note"</label>
                    <p class="hint" id="reason-hint">"Recorded on the timeline with your name. Not sent to the learner."</p>
                    <textarea id="reason" name="reason" rows="3" maxlength="500" aria-describedby="reason-hint reason-error"></textarea>
                    <FieldMessage field="reason" errors />
                </div>
                <button type="submit">"Apply"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
