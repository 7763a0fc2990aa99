//! `/credentials/{slug}/group`: an employer's coordinator registers their staff for one
//! intake. A plain multipart form (it carries an upload): "Check the list" answers with a
//! preview of every row and its problems, writing nothing; "Register" checks again, places
//! the rows and answers with what happened to each, as a table and a CSV download. Every
//! step is the server's page, the same with or without JavaScript; the paste box keeps the
//! list (an uploaded file's text too), so a fix is made there.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::catalogue::types::{CredentialDetail, EnrolmentState};
use crate::error::{AppError, FieldError};
use crate::format;
use crate::registration::api::group_page;
use crate::registration::group::{GroupResult, GroupState, PreviewRow, RowOutcome};
use crate::registration::types::PRIVACY_STATEMENT;
use crate::ui::form::{submitted, ErrorSummary, FieldMessage};
use crate::ui::not_found::NotFound;
use crate::ui::seo::PageMeta;
use crate::ui::table::ScrollTable;

#[component]
pub fn GroupRegisterPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        group_page,
    );
    let sent = submitted::<GroupState>();
    view! {
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let state = sent.await.unwrap_or_else(|| {
                    let mut s = GroupState::default();
                    s.form.intake = query.get_untracked().get("intake").unwrap_or_default();
                    s
                });
                match page.await {
                    Ok(Some(p)) => view! { <GroupSteps c=p.credential employer=p.employer state /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(AppError::Forbidden) => view! {
                        <h1>"Register a group"</h1>
                        <p>"Group registration is for employers' training coordinators. Sign in with your organisation's coordinator account, or register yourself from the micro-credential's page."</p>
                    }.into_any(),
                    Err(e) => crate::dashboard::ui::refused(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn GroupSteps(c: CredentialDetail, employer: String, state: GroupState) -> impl IntoView {
    let ready = state.ready();
    let GroupState {
        form,
        errors,
        message,
        preview,
        result,
    } = state;
    let refused = !errors.is_empty() || message.is_some();
    let action = format!("/credentials/{}/group", c.slug);
    let open: Vec<_> = c
        .intakes
        .iter()
        .filter(|i| i.enrolment == EnrolmentState::Open || i.code == form.intake)
        .cloned()
        .collect();
    let done = result.as_ref().is_some_and(|r| r.taken);
    // The summary lists each row's problems too (linked to the box they are fixed in), so
    // they are read out and seen at the top whatever the screen's width.
    let listed: Vec<FieldError> = errors
        .iter()
        .cloned()
        .chain(preview.iter().flat_map(|r| {
            r.problems.iter().map(|p| FieldError {
                field: "rows".to_owned(),
                message: format!("Line {}, {}: {}", r.line, field_label(&p.field), p.message),
            })
        }))
        .collect();
    let listed = Signal::stored(listed);
    let errors = Signal::stored(errors);
    let message = Signal::stored(message);
    let count = preview.len();
    view! {
        <PageMeta
            title=format!("Register a group: {}", c.title)
            description=format!("Register your staff for an intake of {}.", c.title)
            path=format!("/credentials/{}/group", c.slug)
        />
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <a href=format!("/credentials/{}", c.slug)>{format!("Back to {}", c.title)}</a>
        </nav>
        <h1>"Register a group for " {c.title.clone()}</h1>
        <p class="hint">{format!("You are registering staff of {employer}. Each person gets their own confirmation email, saying you enrolled them, with their own link to cancel.")}</p>
        <ErrorSummary errors=listed message autofocus=refused heading="Please check the group" />
        {result.map(|r| view! { <GroupResultView r again=action.clone() /> })}
        {(!done).then(|| view! {
            <form class="register" method="post" action=action enctype="multipart/form-data" novalidate>
                <fieldset class="intake-choice" aria-describedby="intake-error">
                    <legend>"1. Choose an intake"</legend>
                    <FieldMessage field="intake" errors />
                    {open.into_iter().map(|i| {
                        let id = format!("intake-{}", i.code);
                        let seats = match (i.enrolment, i.seats_left) {
                            (EnrolmentState::Open, 1) => "1 seat left".to_owned(),
                            (EnrolmentState::Open, n) if n > 0 => format!("{n} seats left"),
                            (EnrolmentState::Open, _) => "Full: the group joins the waitlist".to_owned(),
                            _ => "Enrolment is not open".to_owned(),
                        };
                        view! {
                            <div class="check">
                                <input type="radio" id=id.clone() name="intake" value=i.code.clone() checked=form.intake == i.code />
                                <label for=id>
                                    {format!("{} to {}, {} ({}), {}. {seats}", format::long_date(&i.starts_on), format::long_date(&i.ends_on), i.region, i.delivery_mode, format::fee(i.fee_cents))}
                                </label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <fieldset>
                    <legend>"2. Your staff"</legend>
                    <p class="hint" id="rows-hint">"One person per line, columns in this order (or a first row naming them): given name, family name, email, region, and if you have them phone, National Student Number, date of birth (YYYY-MM-DD). Copy the rows from a spreadsheet and paste them, or upload the sheet saved as CSV UTF-8. At most 200 people."</p>
                    <div class="field">
                        <label for="rows">"Paste the rows"</label>
                        <FieldMessage field="rows" errors />
                        <textarea id="rows" name="rows" rows="8" spellcheck="false"
                            aria-describedby="rows-hint rows-error">{form.rows.clone()}</textarea>
                    </div>
                    <div class="field">
                        <label for="file">"Or upload a CSV file (at most 1 MB)"</label>
                        <FieldMessage field="file" errors />
                        <input type="file" id="file" name="file" accept=".csv,.txt,text/csv,text/plain" aria-describedby="file-error" />
                    </div>
                </fieldset>
                {(!preview.is_empty()).then(|| view! { <Preview rows=preview /> })}
                <fieldset>
                    <legend>"3. Confirm"</legend>
                    <div class="check">
                        <input type="checkbox" id="all_or_none" name="all_or_none" value="on" checked=form.all_or_none />
                        <label for="all_or_none">"All together or none: register the group only if every person gets a seat"</label>
                    </div>
                    <p class="hint">"The privacy statement each person agrees to:"</p>
                    <p class="privacy" id="privacy-statement">{PRIVACY_STATEMENT}</p>
                    <FieldMessage field="attest" errors />
                    <div class="check">
                        <input type="checkbox" id="attest" name="attest" value="on" checked=form.attest
                            aria-describedby="privacy-statement attest-error" />
                        <label for="attest">"Every person on this list has read the privacy statement above and agreed to be registered"</label>
                    </div>
                </fieldset>
                <div class="form-actions">
                    <button type="submit" name="step" value="check" class=if ready { "secondary" } else { "" }>"Check the list"</button>
                    {ready.then(|| view! {
                        <button type="submit" name="step" value="confirm" class="button-primary">
                            {match count { 1 => "Register 1 person".to_owned(), n => format!("Register {n} people") }}
                        </button>
                    })}
                </div>
            </form>
        })}
    }
}

/// Every row as the server read it, with its problems tied to the line and the field.
#[component]
fn Preview(rows: Vec<PreviewRow>) -> impl IntoView {
    let bad = rows.iter().filter(|r| !r.problems.is_empty()).count();
    let summary = match bad {
        0 if rows.len() == 1 => {
            "The person on the list is ready to register. Nothing has been registered yet."
                .to_owned()
        }
        0 => format!(
            "All {} people are ready to register. Nothing has been registered yet.",
            rows.len()
        ),
        n => format!(
            "{n} of {} rows need fixing: correct them in the box above and check the list again.",
            rows.len()
        ),
    };
    view! {
        <section aria-labelledby="preview-heading" class="group-step">
            <h2 id="preview-heading">"Check the list"</h2>
            <p role="status">{summary}</p>
            <ScrollTable label="The group, row by row" caption="Each row of the list and whether it is ready" headings=&["Line", "Ready?", "Name", "Email", "Region"]>
                {rows.into_iter().map(|r| {
                    let ok = r.problems.is_empty();
                    let status = if ok {
                        view! { "Ready" }.into_any()
                    } else {
                        view! {
                            <ul class="row-problems">
                                {r.problems.into_iter().map(|p| view! {
                                    <li>{format!("{}: {}", field_label(&p.field), p.message)}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    };
                    view! {
                        <tr>
                            <td>{r.line}</td>
                            <td>{status}</td>
                            <td>{format!("{} {}", r.given_name, r.family_name)}</td>
                            <td>{r.email}</td>
                            <td>{r.region}</td>
                        </tr>
                    }
                }).collect_view()}
            </ScrollTable>
        </section>
    }
}

/// What happened to each person, and the same as a CSV file.
#[component]
fn GroupResultView(r: GroupResult, again: String) -> impl IntoView {
    let confirmed = r.count(|o| matches!(o, RowOutcome::Confirmed));
    let waitlisted = r.count(|o| matches!(o, RowOutcome::Waitlisted(_)));
    let refused = r.rows.len() - confirmed - waitlisted;
    let heading = if r.taken {
        "Your group is registered"
    } else {
        "Nobody has been registered"
    };
    let summary = if r.taken {
        format!("{confirmed} confirmed, {waitlisted} waitlisted, {refused} refused. Each person registered has been sent their confirmation.")
    } else {
        "What each person would have got:".to_owned()
    };
    let taken = r.taken;
    view! {
        <section aria-labelledby="result-heading" class="group-step">
            <h2 id="result-heading">{heading}</h2>
            <p role="status" class=if taken { "done" } else { "" }>{summary}</p>
            <ScrollTable label="The group's result" caption="What happened to each person" headings=&["Line", "Result", "Name", "Email", "Reference"]>
                {r.rows.into_iter().map(|row| view! {
                    <tr>
                        <td>{row.line}</td>
                        <td>{row.outcome.label(taken)}</td>
                        <td>{format!("{} {}", row.given_name, row.family_name)}</td>
                        <td>{row.email}</td>
                        <td>{row.reference.unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </ScrollTable>
            <p>
                <a href=r.csv_href download="group-registration.csv">"Download this result (CSV)"</a>
                {taken.then(|| view! {
                    " · " <a href="/dashboard/registrations">"See your registrations"</a>
                    " · " <a href=again>"Register another group"</a>
                })}
            </p>
        </section>
    }
}

fn field_label(field: &str) -> &'static str {
    match field {
        "given_name" => "given name",
        "family_name" => "family name",
        "email" => "email",
        "phone" => "phone",
        "region" => "region",
        "nsn" => "National Student Number",
        "date_of_birth" => "date of birth",
        _ => "row",
    }
}
