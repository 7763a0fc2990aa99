//! `/dashboard/intakes` (the provider's intakes: seats, waitlist, enrolment, state) and
//! `/dashboard/intakes/{id}` (change capacity and dates, close enrolment, cancel). The forms
//! are server-function forms: without JavaScript the server redirects back here; a refusal
//! names its field.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::dashboard::api::{get_intake, list_intakes, ChangeIntake, CloseIntake};
use crate::dashboard::types::IntakeSummary;
use crate::dashboard::ui::{refused, successes, DashboardNav};
use crate::format;
use crate::ui::form::{refusal, ErrorSummary, FieldMessage, ERROR_SUMMARY_ID};
use crate::ui::seo::title_text;
use crate::ui::table::ScrollTable;

fn state(i: &IntakeSummary) -> String {
    let mut s = match i.cancelled {
        true => "Cancelled".to_owned(),
        false => format!(
            "Enrolment {} to {}",
            format::long_date(&i.enrolment_opens_on),
            format::long_date(&i.enrolment_closes_on)
        ),
    };
    if i.edited {
        s.push_str(" (edited here)");
    }
    s
}

#[component]
pub fn IntakesPage() -> impl IntoView {
    let intakes = Resource::new(|| (), |_| list_intakes());
    view! {
        <Title text="Intakes" />
        <DashboardNav current="/dashboard/intakes" />
        <h1>"Intakes"</h1>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match intakes.await {
                    Ok(list) if list.is_empty() => view! { <p>"Your organisation has no intakes yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ScrollTable label="Intakes table" caption="Intakes, soonest first"
                            headings=&["Intake", "Starts", "Seats taken", "Waitlist", "Enrolment"] class="intakes-table">
                            {list.into_iter().map(|i| view! {
                                <tr>
                                    <th scope="row"><a href=format!("/dashboard/intakes/{}", i.id)>{format!("{} {}", i.credential_title, i.code)}</a><br /><span class="muted">{i.region.clone()}</span></th>
                                    <td>{format::long_date(&i.starts_on)}</td>
                                    <td>{format!("{} of {}", i.seats_taken, i.capacity)}{i.nearly_full().then_some(" (nearly full)")}</td>
                                    <td>{format!("{} of {}", i.waitlisted, i.waitlist_capacity)}</td>
                                    <td>{state(&i)}</td>
                                </tr>
                            }).collect_view()}
                        </ScrollTable>
                    }.into_any(),
                    Err(e) => refused(e),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn IntakePage() -> impl IntoView {
    let params = use_params_map();
    let change = ServerAction::<ChangeIntake>::new();
    let close = ServerAction::<CloseIntake>::new();
    let (changed, closed) = (successes(change), successes(close));
    let intake = Resource::new(
        move || {
            let id = params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i64>().ok());
            (id.unwrap_or(0), changed.get() + closed.get())
        },
        |(id, _)| get_intake(id),
    );
    view! {
        <Title text="Intake" />
        <DashboardNav current="" />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/dashboard/intakes">"Intakes"</a></nav>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match intake.await {
                    Ok(i) => view! { <IntakeForms i change close /> }.into_any(),
                    Err(e) => refused(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn IntakeForms(
    i: IntakeSummary,
    change: ServerAction<ChangeIntake>,
    close: ServerAction<CloseIntake>,
) -> impl IntoView {
    let (errors, message) = refusal(move || change.value().get());
    let (close_errors, close_message) = refusal(move || close.value().get());
    let all_errors = Signal::derive(move || [errors.get(), close_errors.get()].concat());
    let any_message = Signal::derive(move || message.get().or_else(|| close_message.get()));
    Effect::new(move |_| {
        if any_message.read().is_some() || !all_errors.read().is_empty() {
            crate::ui::focus::refocus(ERROR_SUMMARY_ID);
        }
    });
    let rendered_refused =
        any_message.get_untracked().is_some() || !all_errors.get_untracked().is_empty();
    let done = move || {
        let ok = matches!(change.value().get(), Some(Ok(_)))
            || matches!(close.value().get(), Some(Ok(_)));
        ok.then_some("Saved. Learners affected have been emailed.")
    };
    let heading = format!("{} {}", i.credential_title, i.code);
    let id = i.id.to_string();
    let close_id = id.clone();
    view! {
        <Title text=title_text(heading.clone()) />
        <h1>{heading}</h1>
        <dl class="facts facts-detail">
            <div><dt>"Seats taken"</dt><dd>{format!("{} of {}", i.seats_taken, i.capacity)}</dd></div>
            <div><dt>"Waitlist"</dt><dd>{format!("{} of {}", i.waitlisted, i.waitlist_capacity)}</dd></div>
            <div><dt>"Region"</dt><dd>{i.region.clone()}</dd></div>
            <div><dt>"State"</dt><dd>{state(&i)}</dd></div>
        </dl>
        <p><a href=format!("/dashboard/registrations?intake={}", i.id)>"Registrations for this intake"</a></p>
        <p role="status" class="done">{done}</p>
        <ErrorSummary errors=all_errors message=any_message autofocus=rendered_refused heading="The intake was not changed" />
        {match i.cancelled {
            true => view! { <p>"This intake was cancelled and can no longer be changed."</p> }.into_any(),
            false => view! {
                <section aria-labelledby="change-heading">
                    <h2 id="change-heading">"Seats and dates"</h2>
                    <p class="hint">"Raising the capacity gives seats to the waitlist in the order learners joined it. Learners are emailed if the dates move, and those with a seat get the change for their calendar. An import of a catalogue file exported before this change leaves the intake as you leave it."</p>
                    <ActionForm action=change attr:class="intake-form">
                        <input type="hidden" name="id" value=id />
                        <Field name="change[capacity]" id="capacity" label="Seats (capacity)" kind="number" value=i.capacity.to_string() errors />
                        <Field name="change[starts_on]" id="starts_on" label="Starts" kind="date" value=i.starts_on.clone() errors />
                        <Field name="change[ends_on]" id="ends_on" label="Ends" kind="date" value=i.ends_on.clone() errors />
                        <Field name="change[enrolment_closes_on]" id="enrolment_closes_on" label="Enrolment closes" kind="date" value=i.enrolment_closes_on.clone() errors />
                        <button type="submit">"Save changes"</button>
                    </ActionForm>
                </section>
                <section aria-labelledby="close-heading">
                    <h2 id="close-heading">"Close enrolment or cancel"</h2>
                    <p class="hint">"Closing stops new registrations and keeps everyone registered. Cancelling cancels every registration. Either way the learners are emailed your reason."</p>
                    <ActionForm action=close attr:class="intake-form">
                        <input type="hidden" name="id" value=close_id />
                        <div class="field">
                            <label for="reason">"Reason (sent to the learners)"</label>
                            <textarea id="reason" name="reason" rows="2" maxlength="500" aria-describedby="reason-error"></textarea>
                            <FieldMessage field="reason" errors=close_errors />
                        </div>
                        <fieldset class="choice">
                            <legend>"What to do"</legend>
                            <div class="check">
                                <input type="radio" id="close-only" name="cancel" value="false" checked />
                                <label for="close-only">"Close enrolment now (everyone registered stays)"</label>
                            </div>
                            <div class="check">
                                <input type="radio" id="cancel-intake" name="cancel" value="true" />
                                <label for="cancel-intake">"Cancel this intake (every registration is cancelled)"</label>
                            </div>
                        </fieldset>
                        <button type="submit">"Close or cancel"</button>
                    </ActionForm>
                </section>
            }.into_any(),
        }}
    }
}

#[component]
fn Field(
    name: &'static str,
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    errors: Signal<Vec<crate::error::FieldError>>,
) -> impl IntoView {
    // The input's id is the field's name in refusals.
    let field = id;
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id name=name type=kind value=value aria-describedby=format!("{field}-error") />
            <FieldMessage field errors />
        </div>
    }
}
