//! The registration form `/credentials/{slug}/register`: choose an intake, then details.
//! It POSTs to its own address (`registration::server::routes`) and the server answers
//! with a redirect to the confirmation, or this page again with every typed value, each
//! message at its field and HTTP 422. The page is rendered on the server only
//! (`ui::server_page`); in the browser `registration::ui::enhance` clears a message as
//! its field is corrected and keeps a second press from sending the form twice, and the
//! seat figures follow the live stream (`catalogue::ui::live`).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::catalogue::api::get_credential;
use crate::catalogue::types::{CredentialDetail, EnrolmentState};
use crate::catalogue::ui::live::{self, SeatsLabel};
use crate::format;
use crate::registration::types::{RegistrationForm, REGIONS};
use crate::registration::types::{Submitted, PRIVACY_STATEMENT};
use crate::registration::validate::FieldError;
use crate::ui::form::{error_for, ErrorSummary, FieldMessage};
use crate::ui::not_found::NotFound;
use crate::ui::seo::PageMeta;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    // What the server refused, when this render answers a POST of the form.
    let prior = use_context::<Submitted>();
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
    let action_url = format!("/credentials/{}/register", c.slug);
    // A refused form focuses its summary as the page loads.
    let refused = !errors.is_empty() || message.is_some();
    // The open intakes, and the learner's own choice even if it closed meanwhile, so a
    // refusal never silently drops what they picked.
    let chosen = form.intake.clone();
    let open: Vec<_> = c
        .intakes
        .iter()
        .filter(|i| i.enrolment == EnrolmentState::Open || i.code == chosen)
        .cloned()
        .collect();
    let enrolling = c.status == "current" && !open.is_empty();
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
        <ErrorSummary errors=errors.clone() message autofocus=refused />
        {if !enrolling {
            view! { <p>"This micro-credential has no intake open for enrolment right now."</p> }.into_any()
        } else {
            view! {
                <form class="register" method="post" action=action_url novalidate data-today=today()>
                    <fieldset class="intake-choice" aria-describedby="intake-error" data-seats-stream=live::stream_url(&c.slug)>
                        <legend>"1. Choose an intake"</legend>
                        <FieldMessage field="intake" errors=errors.clone() />
                        {open.into_iter().map(|i| {
                            let id = format!("intake-{}", i.code);
                            // Follows the live stream while the form is open.
                            let seats = SeatsLabel::Choice { enrolment: i.enrolment };
                            view! {
                                <div class="check">
                                    <input type="radio" id=id.clone() name="intake" value=i.code.clone()
                                        checked=form.intake == i.code />
                                    <label for=id>
                                        {format!("{} to {}, {} ({}), {}. ", format::long_date(&i.starts_on), format::long_date(&i.ends_on), i.region, i.delivery_mode, format::fee(i.fee_cents))}
                                        <span class="seats" data-intake=i.code.clone() data-seats=seats.attribute()>{seats.text(i.seats_left)}</span>
                                    </label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <fieldset>
                        <legend>"2. Your details"</legend>
                        {text_field("given_name", "Given name", "given-name", "text", &form, &errors)}
                        {text_field("family_name", "Family name", "family-name", "text", &form, &errors)}
                        {text_field("email", "Email", "email", "email", &form, &errors)}
                        {text_field("phone", "Phone", "tel", "tel", &form, &errors)}
                        {text_field("employer", "Employer (optional)", "organization", "text", &form, &errors)}
                        {region_field(&form, &errors)}
                        {text_field("nsn", "National Student Number (optional)", "off", "text", &form, &errors)}
                        {text_field("date_of_birth", "Date of birth (YYYY-MM-DD)", "bday", "text", &form, &errors)}
                    </fieldset>
                    <fieldset>
                        <legend>"3. Privacy"</legend>
                        <p class="privacy" id="privacy-statement">{PRIVACY_STATEMENT}</p>
                        <FieldMessage field="consent" errors=errors.clone() />
                        <div class="check">
                            <input type="checkbox" id="consent" name="consent" value="on"
                                aria-describedby="privacy-statement consent-error"
                                checked=form.consent.is_some() />
                            <label for="consent">"I agree to the privacy statement"</label>
                        </div>
                    </fieldset>
                    <button type="submit" class="button-primary">"Register"</button>
                </form>
            }.into_any()
        }}
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
    errors: &[FieldError],
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=field>{label}</label>
            <FieldMessage field errors=errors.to_vec() />
            <input
                id=field
                name=field
                type=kind
                autocomplete=autocomplete
                maxlength="300"
                aria-describedby=format!("{field}-error")
                aria-invalid=error_for(errors, field).map(|_| "true")
                value=form.value(field).to_owned()
            />
        </div>
    }
}

fn region_field(form: &RegistrationForm, errors: &[FieldError]) -> impl IntoView {
    let chosen = form.region.clone();
    view! {
        <div class="field">
            <label for="region">"Region"</label>
            <FieldMessage field="region" errors=errors.to_vec() />
            <select
                id="region"
                name="region"
                aria-describedby="region-error"
                aria-invalid=error_for(errors, "region").map(|_| "true")
            >
                <option value="" selected=chosen.is_empty()>"Choose your region"</option>
                {REGIONS.iter().map(|r| {
                    view! { <option value=*r selected=chosen == *r>{*r}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
