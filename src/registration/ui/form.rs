//! The registration form `/credentials/{slug}/register`: choose an intake, then details.
//! It POSTs to its own address (`registration::server::routes`) and the server answers
//! with a redirect to the confirmation, or this page again with every typed value, each
//! message at its field and HTTP 422. The page is an islands page (`ui::islands`): the
//! form is its island (`RegisterForm`), which with JavaScript sends it through the
//! `register` server function instead, and whose seat figures follow the live stream
//! (`catalogue::ui::seats`).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::catalogue::api::get_credential;
use crate::catalogue::types::{CredentialDetail, EnrolmentState};
use crate::catalogue::ui::seats::{self, SeatsLabel};
use crate::format;
use crate::registration::types::{RegistrationForm, REGIONS};
use crate::registration::types::{Submitted, PRIVACY_STATEMENT};
use crate::registration::validate::FieldError;
use crate::ui::form::{error_for, submitted_now, ErrorSummary, FieldMessage};
use crate::ui::not_found::NotFound;
use crate::ui::seo::PageMeta;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    // What the server refused, when this render answers a POST of the form.
    let prior = submitted_now::<Submitted>();
    let intake = use_query_map().with_untracked(|q| q.get("intake").unwrap_or_default());
    // A future, not a resource: nothing hydrates this page.
    let credential = get_credential(slug);
    view! {
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {Suspend::new(async move {
                match credential.await {
                    Ok(Some(c)) => {
                        let Submitted { form, errors, message } = prior.unwrap_or_else(|| Submitted {
                            form: RegistrationForm { intake, ..Default::default() },
                            errors: vec![],
                            message: None,
                        });
                        register_form(&c, form, errors, message).into_any()
                    }
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One intake to choose: its code, how it reads, and its seats as the server read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeChoice {
    pub code: String,
    pub text: String,
    pub enrolment: EnrolmentState,
    pub seats_left: i64,
}

/// The form (the server's render and the island) for credential `c`, with what was typed
/// and, after a refused POST without JavaScript, its messages.
fn register_form(
    c: &CredentialDetail,
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
    // The open intakes, and the learner's own choice even if it closed meanwhile, so a
    // refusal never silently drops what they picked.
    let chosen = form.intake.clone();
    let choices: Vec<IntakeChoice> = c
        .intakes
        .iter()
        .filter(|i| i.enrolment == EnrolmentState::Open || i.code == chosen)
        .map(|i| IntakeChoice {
            code: i.code.clone(),
            text: format!(
                "{} to {}, {} ({}), {}. ",
                format::long_date(&i.starts_on),
                format::long_date(&i.ends_on),
                i.region,
                i.delivery_mode,
                format::fee(i.fee_cents)
            ),
            enrolment: i.enrolment,
            seats_left: i.seats_left,
        })
        .collect();
    let enrolling = c.status == "current" && !choices.is_empty();
    view! {
        <PageMeta
            title=format!("Register: {}", c.title)
            description=format!("Register for an intake of {}: choose an intake, give your details, and get a confirmation by email.", c.title)
            path=format!("/credentials/{}/register", c.slug)
        />
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <a href=format!("/credentials/{}", c.slug)>{format!("Back to {}", c.title)}</a>
        </nav>
        <h1>"Register for " {c.title.clone()}</h1>
        {if enrolling {
            view! { <RegisterForm slug=c.slug.clone() today=today() choices form errors message /> }.into_any()
        } else {
            view! { <p>"This micro-credential has no intake open for enrolment right now."</p> }.into_any()
        }}
    }
}

/// The registration form, an island: it submits through the `register` server function,
/// shows a refusal's messages in place (every value stays as typed), rechecks a field as
/// it is corrected with the server's own rules, ignores a second press while the first is
/// on its way, and goes to the confirmation through the islands router. Without
/// JavaScript it is a plain POST to its own address. `today` is the server's date (which
/// `TOHU_TODAY` may fix), for the age check.
#[island]
fn RegisterForm(
    slug: String,
    today: String,
    choices: Vec<IntakeChoice>,
    form: RegistrationForm,
    errors: Vec<FieldError>,
    message: Option<String>,
) -> impl IntoView {
    let refused = !errors.is_empty() || message.is_some();
    crate::ui::islands::island_hydrated();
    let errors = RwSignal::new(errors);
    let message = RwSignal::new(message);
    let sending = RwSignal::new(false);
    let node = NodeRef::<leptos::html::Form>::new();
    let action_url = format!("/credentials/{slug}/register");
    let intakes = choices
        .into_iter()
        .map(|i| {
            let id = format!("intake-{}", i.code);
            let label = SeatsLabel::Choice { enrolment: i.enrolment };
            let left = seats::follow(&slug, &i.code, i.seats_left);
            view! {
                <div class="check">
                    <input type="radio" id=id.clone() name="intake" value=i.code.clone()
                        checked=form.intake == i.code />
                    <label for=id>
                        {i.text}
                        <span class="seats" data-intake=i.code>{move || label.text(left.get())}</span>
                    </label>
                </div>
            }
        })
        .collect_view();
    let on_submit = {
        let (slug, today) = (slug.clone(), today.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            #[cfg(feature = "hydrate")]
            browser::submit(&slug, &today, node, errors, message, sending);
            #[cfg(not(feature = "hydrate"))]
            let _ = (&slug, &today);
        }
    };
    let recheck = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        browser::recheck(&today, &ev, node, errors, message);
        #[cfg(not(feature = "hydrate"))]
        let _ = (&today, ev);
    };
    view! {
        <ErrorSummary errors message autofocus=refused />
        <form class="register" method="post" action=action_url novalidate node_ref=node
            on:submit=on_submit on:input=recheck.clone() on:change=recheck>
            <fieldset class="intake-choice" aria-describedby="intake-error">
                <legend>"1. Choose an intake"</legend>
                <FieldMessage field="intake" errors />
                {intakes}
            </fieldset>
            <fieldset>
                <legend>"2. Your details"</legend>
                {text_field("given_name", "Given name", "given-name", "text", &form, errors)}
                {text_field("family_name", "Family name", "family-name", "text", &form, errors)}
                {text_field("email", "Email", "email", "email", &form, errors)}
                {text_field("phone", "Phone", "tel", "tel", &form, errors)}
                {text_field("employer", "Employer (optional)", "organization", "text", &form, errors)}
                {region_field(&form, errors)}
                {text_field("nsn", "National Student Number (optional)", "off", "text", &form, errors)}
                {text_field("date_of_birth", "Date of birth (YYYY-MM-DD)", "bday", "text", &form, errors)}
            </fieldset>
            <fieldset>
                <legend>"3. Privacy"</legend>
                <p class="privacy" id="privacy-statement">{PRIVACY_STATEMENT}</p>
                <FieldMessage field="consent" errors />
                <div class="check">
                    <input type="checkbox" id="consent" name="consent" value="on"
                        aria-describedby="privacy-statement consent-error"
                        checked=form.consent.is_some() />
                    <label for="consent">"I agree to the privacy statement"</label>
                </div>
            </fieldset>
            <button type="submit" class="button-primary">
                {move || if sending.get() { "Registering…" } else { "Register" }}
            </button>
        </form>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Element, FormData, HtmlFormElement};

    use crate::error::{AppError, FieldError};
    use crate::registration::api::register;
    use crate::registration::types::RegistrationForm;
    use crate::registration::validate::validate;
    use crate::ui::form::{error_for, ERROR_SUMMARY_ID};

    /// Sends the form through `register`; a refusal's messages go in place, success goes
    /// to the confirmation.
    pub fn submit(
        slug: &str,
        today: &str,
        node: NodeRef<leptos::html::Form>,
        errors: RwSignal<Vec<FieldError>>,
        message: RwSignal<Option<String>>,
        sending: RwSignal<bool>,
    ) {
        // A second press while the first is on its way: the learner would be told their
        // own registration is a duplicate.
        if sending.get_untracked() {
            return;
        }
        let Some(values) = node.get_untracked().and_then(|f| read(&f)) else {
            return;
        };
        let _ = today;
        sending.set(true);
        let slug = slug.to_owned();
        leptos::task::spawn_local(async move {
            let answer = register(slug, values).await;
            // Registered: the form stays "Registering…" while the confirmation loads, so a
            // press meanwhile cannot send it again.
            if answer.is_err() {
                sending.set(false);
            }
            match answer {
                Ok(outcome) => crate::ui::islands::navigate(&outcome.link()),
                Err(AppError::Refused {
                    errors: fields,
                    message: text,
                }) => {
                    errors.set(fields);
                    message.set(text);
                    crate::ui::focus::refocus(ERROR_SUMMARY_ID);
                }
                Err(e) => {
                    errors.set(Vec::new());
                    message.set(Some(e.to_string()));
                    crate::ui::focus::refocus(ERROR_SUMMARY_ID);
                }
            }
        });
    }

    /// After a refusal, checks the field the learner just edited with the server's rules
    /// and shows its message, or none; the others stay until they are edited.
    pub fn recheck(
        today: &str,
        ev: &leptos::ev::Event,
        node: NodeRef<leptos::html::Form>,
        errors: RwSignal<Vec<FieldError>>,
        message: RwSignal<Option<String>>,
    ) {
        if errors.with_untracked(Vec::is_empty) && message.with_untracked(Option::is_none) {
            return;
        }
        let Some(field) = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.get_attribute("name"))
        else {
            return;
        };
        if field != "consent" && !RegistrationForm::TEXT_FIELDS.contains(&field.as_str()) {
            return;
        }
        let Some(values) = node.get_untracked().and_then(|f| read(&f)) else {
            return;
        };
        let fresh = validate(&values, today).err().unwrap_or_default();
        let now = error_for(&fresh, &field);
        errors.update(|errors| {
            let at = errors.iter().position(|e| e.field == field);
            match (at, now) {
                (Some(at), Some(m)) => errors[at].message = m,
                (Some(at), None) => {
                    errors.remove(at);
                }
                (None, Some(m)) => errors.push(FieldError {
                    field: field.clone(),
                    message: m,
                }),
                (None, None) => {}
            }
        });
    }

    /// The form's values, as the server would read them.
    fn read(form: &HtmlFormElement) -> Option<RegistrationForm> {
        let data = FormData::new_with_form(form).ok()?;
        let mut values = RegistrationForm::default();
        for field in RegistrationForm::TEXT_FIELDS {
            values.set(field, data.get(field).as_string().unwrap_or_default());
        }
        values.consent = data.get("consent").as_string();
        Some(values)
    }
}

/// The server's today (YYYY-MM-DD), for the form's `data-today`: the browser rechecks a
/// corrected date of birth's age against the date the server will check it against
/// (which `TOHU_TODAY` may fix), not the phone's clock.
fn today() -> String {
    #[cfg(feature = "ssr")]
    if let Ok(state) = crate::server::state::app_state() {
        return state.clock().today_iso();
    }
    String::new()
}

/// A text box with its label and message, holding what the learner typed.
fn text_field(
    field: &'static str,
    label: &'static str,
    autocomplete: &'static str,
    kind: &'static str,
    form: &RegistrationForm,
    errors: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
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
                value=form.value(field).to_owned()
            />
        </div>
    }
}

fn region_field(form: &RegistrationForm, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let chosen = form.region.clone();
    view! {
        <div class="field">
            <label for="region">"Region"</label>
            <FieldMessage field="region" errors />
            <select
                id="region"
                name="region"
                aria-describedby="region-error"
                aria-invalid=move || error_for(&errors.read(), "region").map(|_| "true")
            >
                <option value="" selected=chosen.is_empty()>"Choose your region"</option>
                {REGIONS.iter().map(|r| {
                    view! { <option value=*r selected=chosen == *r>{*r}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
