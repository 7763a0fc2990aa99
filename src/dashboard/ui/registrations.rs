//! `/dashboard/registrations`: the registrations a coordinator may see. Text search and
//! filters (status, credential, intake, registered between, employer), sort and page are
//! all in the URL through a plain GET form, so the view works without JavaScript and a link
//! shares it; the CSV link exports exactly this view. Rows can be selected and changed
//! together (confirm, withdraw, complete) with one reason.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::dashboard::api::{list_registrations, ChangeRegistrations};
use crate::dashboard::types::{
    status_label, BulkOutcome, FilterChoice, RegistrationsPage, RegistrationsQuery, Sort,
    REGISTRATIONS_PAGE,
};
use crate::dashboard::ui::{refused, successes, DashboardNav};
use crate::format;
use crate::registration::types::RegistrationStatus;
use crate::ui::form::{refusal_focused, ErrorSummary, FieldMessage};
use crate::ui::table::ScrollTable;

const STATUSES: [RegistrationStatus; 6] = [
    RegistrationStatus::Confirmed,
    RegistrationStatus::Waitlisted,
    RegistrationStatus::Pending,
    RegistrationStatus::Cancelled,
    RegistrationStatus::Withdrawn,
    RegistrationStatus::Completed,
];

#[component]
pub fn RegistrationsPageView() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.read();
        RegistrationsQuery::from_params(|k| p.get(k))
    });
    let change = ServerAction::<ChangeRegistrations>::new();
    let changed = successes(change);
    let page = Resource::new(
        move || (query.get(), changed.get()),
        |(q, _)| list_registrations(q),
    );
    view! {
        <Title text="Registrations" />
        <DashboardNav current="/dashboard/registrations" />
        <h1>"Registrations"</h1>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let q = query.get_untracked();
                        view! {
                            <Filters query=q.clone() p=p.clone() />
                            <Table p query=q change />
                        }.into_any()
                    }
                    Err(e) => refused(e),
                }
            })}
        </Suspense>
    }
}

/// A filter's select: "any" first, then the choices, `chosen` selected.
#[component]
fn ChoiceSelect(
    id: &'static str,
    label: &'static str,
    any: &'static str,
    choices: Vec<FilterChoice>,
    chosen: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=id>
                <option value="" selected=chosen.is_empty()>{any}</option>
                {choices.into_iter().map(|c| {
                    let selected = c.value == chosen;
                    view! { <option value=c.value selected=selected>{c.label}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn Filters(query: RegistrationsQuery, p: RegistrationsPage) -> impl IntoView {
    let status = query.status;
    let intake = query.intake.map(|i| i.to_string()).unwrap_or_default();
    let employer = query.employer.map(|i| i.to_string()).unwrap_or_default();
    let has_employers = !p.choices.employers.is_empty();
    view! {
        <form class="search dashboard-filters" method="get" action="/dashboard/registrations" role="search" aria-label="Filter registrations">
            <div class="field">
                <label for="q">"Name, email or reference"</label>
                <input id="q" name="q" type="search" maxlength="100" value=query.q.clone() />
            </div>
            <div class="field">
                <label for="status">"Status"</label>
                <select id="status" name="status">
                    <option value="" selected=status.is_none()>"Any status"</option>
                    {STATUSES.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=status == Some(s)>{status_label(s)}</option>
                    }).collect_view()}
                </select>
            </div>
            <ChoiceSelect id="credential" label="Micro-credential" any="Any micro-credential"
                choices=p.choices.credentials.clone() chosen=query.credential.clone() />
            {(!p.choices.intakes.is_empty()).then(|| view! {
                <ChoiceSelect id="intake" label="Intake" any="Any intake"
                    choices=p.choices.intakes.clone() chosen=intake />
            })}
            <div class="field">
                <label for="from">"Registered from"</label>
                <input id="from" name="from" type="date" value=query.from.clone() />
            </div>
            <div class="field">
                <label for="to">"Registered to"</label>
                <input id="to" name="to" type="date" value=query.to.clone() />
            </div>
            {has_employers.then(|| view! {
                <ChoiceSelect id="employer" label="Employer" any="Any employer"
                    choices=p.choices.employers.clone() chosen=employer />
            })}
            <div class="field">
                <label for="sort">"Sort by"</label>
                <select id="sort" name="sort">
                    {Sort::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=query.sort == s>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit">"Show registrations"</button>
                <a href="/dashboard/registrations">"Clear filters"</a>
            </div>
        </form>
    }
}

fn outcome_text(o: &BulkOutcome) -> String {
    let mut text = match o.changed.len() {
        1 => "1 registration changed.".to_owned(),
        n => format!("{n} registrations changed."),
    };
    for (reference, why) in &o.skipped {
        text.push_str(&format!(" {reference} left as it was: {why}"));
    }
    text
}

#[component]
fn Table(
    p: RegistrationsPage,
    query: RegistrationsQuery,
    change: ServerAction<ChangeRegistrations>,
) -> impl IntoView {
    let summary = match (p.total, p.more) {
        (_, true) if p.rows.is_empty() => format!("No registrations on page {}.", p.page),
        (n, true) => format!(
            "More than {} registrations, page {}. Narrow the search to count them.",
            format::thousands(n),
            p.page
        ),
        (0, _) => "No registrations match.".to_owned(),
        (1, _) => "1 registration".to_owned(),
        (n, _) => format!(
            "{} registrations, page {} of {}",
            format::thousands(n),
            p.page,
            format::thousands(p.pages)
        ),
    };
    let prev = (p.page > 1).then(|| query.url(p.page - 1));
    let next = match p.more {
        true => (p.rows.len() as i64 == REGISTRATIONS_PAGE).then(|| query.url(p.page + 1)),
        false => (p.page < p.pages).then(|| query.url(p.page + 1)),
    };
    let (errors, message, rendered_refused) = refusal_focused(move || change.value().get());
    let done = move || match change.value().get() {
        Some(Ok(o)) => Some(outcome_text(&o)),
        _ => None,
    };
    let empty = p.rows.is_empty();
    let actions = p.actions.clone();
    let dates = actions.iter().any(|a| a.needs_achieved_on());
    view! {
        <div class="results-bar">
            <p role="status" class="result-count">{summary}</p>
            {(!empty).then(|| view! {
                <a class="button secondary" href=query.csv_url() download="">"Download these as CSV"</a>
            })}
        </div>
        <p role="status" class="done">{done}</p>
        <ErrorSummary errors message autofocus=rendered_refused heading="The change was not made" />
        <ActionForm action=change attr:class="bulk" attr:aria-label="Change selected registrations">
            <ScrollTable
                label="Registrations table"
                caption="Registrations"
                headings=&["Select", "Reference", "Learner", "Credential and intake", "Status", "Registered"]
                class="registrations"
            >
                {p.rows.into_iter().enumerate().map(|(i, r)| {
                    let id = format!("select-{}", r.reference);
                    let label = format!("Select {} {} ({})", r.given_name, r.family_name, r.reference);
                    view! {
                        <tr>
                            <td class="select">
                                <input type="checkbox" id=id.clone() name=format!("references[{i}]") value=r.reference.clone() />
                                <label for=id class="visually-hidden">{label}</label>
                            </td>
                            <th scope="row"><a href=format!("/dashboard/registrations/{}", r.reference)>{r.reference.clone()}</a></th>
                            <td>{format!("{} {}", r.given_name, r.family_name)}<br /><span class="muted">{r.email}</span></td>
                            <td>{r.credential_title}<br /><span class="muted">{format!("{}, starts {}", r.intake_code, format::long_date(&r.starts_on))}</span></td>
                            <td>{status_label(r.status)}</td>
                            <td><time datetime=r.registered_at.utc.clone()>{format::long_date(&r.registered_at.date)}</time></td>
                        </tr>
                    }
                }).collect_view()}
            </ScrollTable>
            {(!empty && !actions.is_empty()).then(|| view! {
                <fieldset class="bulk-actions" id="references">
                    <legend>"Change the selected registrations"</legend>
                    <FieldMessage field="references" errors />
                    <div class="field">
                        <label for="action">"Change to"</label>
                        <select id="action" name="action">
                            {actions.into_iter().map(|a| view! {
                                <option value=a.as_str()>{a.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    {dates.then(|| view! {
                        <div class="field">
                            <label for="achieved_on">"Date they met the requirements (for mark completed)"</label>
                            <p class="hint" id="achieved_on-hint">"Leave empty for each intake's end date, or today if it has not ended."</p>
                            <input id="achieved_on" name="achieved_on" type="date" aria-describedby="achieved_on-hint achieved_on-error" />
                            <FieldMessage field="achieved_on" errors />
                        </div>
                    })}
                    <div class="field">
                        <label for="reason">"Reason (goes on each registration's timeline)"</label>
                        <input id="reason" name="reason" type="text" maxlength="500" aria-describedby="reason-error" />
                        <FieldMessage field="reason" errors />
                    </div>
                    <button type="submit">"Change selected"</button>
                </fieldset>
            })}
        </ActionForm>
        <nav aria-label="Pages" class="pager">
            {prev.map(|href| view! { <a href=href rel="prev">"Previous page"</a> })}
            {next.map(|href| view! { <a href=href rel="next">"Next page"</a> })}
        </nav>
    }
}
