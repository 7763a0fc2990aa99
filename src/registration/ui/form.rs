//! The registration form `/credentials/{slug}/register`: choose an intake, then details.
//! Without JavaScript it POSTs to its own address and the server answers with a redirect
//! to the confirmation, or this page again with every typed value and the errors. With
//! JavaScript the same checks run as the learner submits, then the server function.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::catalogue::api::get_credential;
use crate::catalogue::types::{CredentialDetail, EnrolmentState};
use crate::catalogue::ui::live;
use crate::error::AppError;
use crate::format;
use crate::registration::api::register;
use crate::registration::types::PRIVACY_STATEMENT;
use crate::registration::validate::{validate, FieldError, RegistrationForm, REGIONS};
use crate::ui::focus::refocus;
use crate::ui::form::{error_for, ErrorSummary, FieldMessage, ERROR_SUMMARY_ID};
use crate::ui::not_found::NotFound;
use crate::ui::seo::PageMeta;

/// What the server refused when JavaScript was off, carried into the hydrated page.
#[server(endpoint = "registration/submitted", output = crate::codec::JsonText, input = leptos::server_fn::codec::GetUrl)]
async fn submitted_form(
) -> Result<Option<(RegistrationForm, Vec<FieldError>, Option<String>)>, crate::error::AppError> {
    Ok(use_context::<crate::registration::types::Submitted>()
        .map(|s| (s.form, s.errors, s.message)))
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let credential = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_credential,
    );
    let submitted = Resource::new(|| (), |_| submitted_form());
    view! {
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let prior = submitted.await.ok().flatten();
                match credential.await {
                    Ok(Some(c)) => {
                        let (form, errors, message) = prior.unwrap_or_else(|| {
                            let intake = query.get_untracked().get("intake").unwrap_or_default();
                            (RegistrationForm { intake, ..Default::default() }, vec![], None)
                        });
                        view! { <RegisterForm c form errors message /> }.into_any()
                    }
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RegisterForm(
    c: CredentialDetail,
    form: RegistrationForm,
    errors: Vec<FieldError>,
    message: Option<String>,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if !errors.is_empty() || message.is_some() {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
    let slug = c.slug.clone();
    let action_url = format!("/credentials/{}/register", c.slug);
    let values = RwSignal::new(form);
    let errors = RwSignal::new(errors);
    let message = RwSignal::new(message);
    let submit = Action::new(|(slug, form): &(String, RegistrationForm)| {
        register(slug.clone(), form.clone())
    });
    // A page the server re-rendered with errors (no JavaScript) focuses the summary through
    // `autofocus`; with JavaScript, every refusal focuses it once it is drawn.
    let rendered_refused = !errors.get_untracked().is_empty() || message.get_untracked().is_some();
    let focus_summary = || refocus(ERROR_SUMMARY_ID);
    let navigate = use_navigate();
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(outcome)) => navigate(&outcome.link(), Default::default()),
        Some(Err(AppError::Refused {
            errors: e,
            message: m,
        })) => {
            errors.set(e);
            message.set(m);
            focus_summary();
        }
        Some(Err(e)) => {
            message.set(Some(e.to_string()));
            focus_summary();
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = values.get_untracked();
        // The browser does not know today's date for certain; the server checks age.
        match validate(&form, "") {
            Err(e) => {
                errors.set(e);
                message.set(None);
                focus_summary();
            }
            Ok(_) => {
                errors.set(vec![]);
                submit.dispatch((slug.clone(), form));
            }
        }
    };
    // The open intakes, and the learner's own choice even if it closed meanwhile, so a
    // refusal never silently drops what they picked.
    let chosen = values.get_untracked().intake;
    let open: Vec<_> = c
        .intakes
        .iter()
        .filter(|i| i.enrolment == EnrolmentState::Open || i.code == chosen)
        .cloned()
        .collect();
    let enrolling = c.status == "current" && !open.is_empty();
    let live = live::follow(&c.slug);
    let title = c.title.clone();
    view! {
        <PageMeta
            title=format!("Register: {}", c.title)
            description=format!("Register for an intake of {}: choose an intake, give your details, and get a confirmation by email.", c.title)
            path=format!("/credentials/{}/register", c.slug)
        />
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <a href=format!("/credentials/{}", c.slug)>{format!("Back to {}", c.title)}</a>
        </nav>
        <h1>"Register for " {title}</h1>
        <ErrorSummary errors message autofocus=rendered_refused />
        {if !enrolling {
            view! { <p>"This micro-credential has no intake open for enrolment right now."</p> }.into_any()
        } else {
            view! {
                <form class="register" method="post" action=action_url novalidate on:submit=on_submit>
                    <fieldset class="intake-choice" aria-describedby="intake-error">
                        <legend>"1. Choose an intake"</legend>
                        <FieldMessage field="intake" errors />
                        {open.into_iter().map(|i| {
                            let id = format!("intake-{}", i.code);
                            let code = i.code.clone();
                            let code2 = i.code.clone();
                            // Follows the live stream while the form is open (`ui::live`).
                            let (enrolment, initial, seat_code) = (i.enrolment, i.seats_left, i.code.clone());
                            let seats = move || match (enrolment, live.left(&seat_code, initial)) {
                                (EnrolmentState::Open, 1) => "1 seat left".to_owned(),
                                (EnrolmentState::Open, n) if n > 0 => format!("{n} seats left"),
                                (EnrolmentState::Open, _) => "Full: join the waitlist".to_owned(),
                                (EnrolmentState::Closed, _) => "Enrolment has closed".to_owned(),
                                (EnrolmentState::NotYetOpen, _) => "Enrolment is not open yet".to_owned(),
                            };
                            view! {
                                <div class="check">
                                    <input type="radio" id=id.clone() name="intake" value=i.code.clone()
                                        checked=values.get_untracked().intake == i.code
                                        prop:checked=move || values.read().intake == code
                                        on:change=move |_| {
                                            values.update(|v| v.intake = code2.clone());
                                            recheck(values, errors, "intake");
                                        } />
                                    <label for=id>
                                        {format!("{} to {}, {} ({}), {}. ", format::long_date(&i.starts_on), format::long_date(&i.ends_on), i.region, i.delivery_mode, format::fee(i.fee_cents))}
                                        <span class="seats" data-intake=i.code.clone()>{seats}</span>
                                    </label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <fieldset>
                        <legend>"2. Your details"</legend>
                        <TextField field="given_name" label="Given name" autocomplete="given-name" kind="text" values errors />
                        <TextField field="family_name" label="Family name" autocomplete="family-name" kind="text" values errors />
                        <TextField field="email" label="Email" autocomplete="email" kind="email" values errors />
                        <TextField field="phone" label="Phone" autocomplete="tel" kind="tel" values errors />
                        <TextField field="employer" label="Employer (optional)" autocomplete="organization" kind="text" values errors />
                        <RegionField values errors />
                        <TextField field="nsn" label="National Student Number (optional)" autocomplete="off" kind="text" values errors />
                        <TextField field="date_of_birth" label="Date of birth (YYYY-MM-DD)" autocomplete="bday" kind="text" values errors />
                    </fieldset>
                    <fieldset>
                        <legend>"3. Privacy"</legend>
                        <p class="privacy" id="privacy-statement">{PRIVACY_STATEMENT}</p>
                        <FieldMessage field="consent" errors />
                        <div class="check">
                            <input type="checkbox" id="consent" name="consent" value="on"
                                aria-describedby="privacy-statement consent-error"
                                checked=values.get_untracked().consent.is_some()
                                prop:checked=move || values.read().consent.is_some()
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    values.update(|v| v.consent = on.then(|| "on".to_owned()));
                                    recheck(values, errors, "consent");
                                } />
                            <label for="consent">"I agree to the privacy statement"</label>
                        </div>
                    </fieldset>
                    <button type="submit" class="button-primary" disabled=move || submit.pending().get()>
                        {move || if submit.pending().get() { "Registering…" } else { "Register" }}
                    </button>
                </form>
            }.into_any()
        }}
    }
}

/// After a first attempt, re-checks the field being edited as the learner types, so its
/// message goes (or changes) at once; other fields' messages, including the server's,
/// stay until those fields are edited.
fn recheck(values: RwSignal<RegistrationForm>, errors: RwSignal<Vec<FieldError>>, field: &str) {
    if errors.read_untracked().is_empty() {
        return;
    }
    let fresh = validate(&values.get_untracked(), "")
        .err()
        .unwrap_or_default();
    errors.update(|e| {
        e.retain(|x| x.field != field);
        e.extend(fresh.into_iter().filter(|x| x.field == field));
    });
}

fn field_value(v: &RegistrationForm, field: &str) -> String {
    match field {
        "given_name" => v.given_name.clone(),
        "family_name" => v.family_name.clone(),
        "email" => v.email.clone(),
        "phone" => v.phone.clone(),
        "employer" => v.employer.clone(),
        "nsn" => v.nsn.clone(),
        "date_of_birth" => v.date_of_birth.clone(),
        "region" => v.region.clone(),
        _ => String::new(),
    }
}

fn set_field(v: &mut RegistrationForm, field: &str, value: String) {
    match field {
        "given_name" => v.given_name = value,
        "family_name" => v.family_name = value,
        "email" => v.email = value,
        "phone" => v.phone = value,
        "employer" => v.employer = value,
        "nsn" => v.nsn = value,
        "date_of_birth" => v.date_of_birth = value,
        "region" => v.region = value,
        _ => {}
    }
}

#[component]
fn TextField(
    field: &'static str,
    label: &'static str,
    autocomplete: &'static str,
    kind: &'static str,
    values: RwSignal<RegistrationForm>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let initial = field_value(&values.get_untracked(), field);
    view! {
        <div class="field">
            <label for=field>{label}</label>
            <FieldMessage field errors />
            <input
                id=field
                name=field
                type=kind
                autocomplete=autocomplete
                maxlength="300"
                aria-describedby=format!("{field}-error")
                aria-invalid=move || error_for(&errors.read(), field).map(|_| "true")
                value=initial
                prop:value=move || field_value(&values.read(), field)
                on:input=move |ev| {
                    values.update(|v| set_field(v, field, event_target_value(&ev)));
                    recheck(values, errors, field);
                }
            />
        </div>
    }
}

#[component]
fn RegionField(
    values: RwSignal<RegistrationForm>,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let initial = values.get_untracked().region;
    view! {
        <div class="field">
            <label for="region">"Region"</label>
            <FieldMessage field="region" errors />
            <select
                id="region"
                name="region"
                aria-describedby="region-error"
                aria-invalid=move || error_for(&errors.read(), "region").map(|_| "true")
                on:change=move |ev| {
                    values.update(|v| v.region = event_target_value(&ev));
                    recheck(values, errors, "region");
                }
            >
                <option value="" selected=initial.is_empty()>"Choose your region"</option>
                {REGIONS.iter().map(|r| {
                    let selected = initial == *r;
                    let r2 = *r;
                    view! { <option value=*r selected=selected prop:selected=move || values.read().region == r2>{*r}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
