//! `/dashboard/registrations`: the registrations a coordinator may see, with a text search
//! and a status filter held in the URL, pages of 50. A plain GET form, so it works without
//! JavaScript; anyone not signed in is sent to `/sign-in`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::dashboard::api::list_registrations;
use crate::dashboard::types::{RegistrationsPage, RegistrationsQuery};
use crate::error::AppError;
use crate::format;
use crate::registration::types::RegistrationStatus;
use crate::ui::table::ScrollTable;

const STATUSES: [RegistrationStatus; 6] = [
    RegistrationStatus::Confirmed,
    RegistrationStatus::Waitlisted,
    RegistrationStatus::Pending,
    RegistrationStatus::Cancelled,
    RegistrationStatus::Withdrawn,
    RegistrationStatus::Completed,
];

fn status_label(s: RegistrationStatus) -> &'static str {
    match s {
        RegistrationStatus::Pending => "Pending",
        RegistrationStatus::Confirmed => "Confirmed",
        RegistrationStatus::Waitlisted => "Waitlisted",
        RegistrationStatus::Cancelled => "Cancelled",
        RegistrationStatus::Withdrawn => "Withdrawn",
        RegistrationStatus::Completed => "Completed",
    }
}

#[component]
pub fn RegistrationsPageView() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.read();
        RegistrationsQuery::from_params(|k| p.get(k))
    });
    let page = Resource::new(move || query.get(), list_registrations);
    view! {
        <Title text="Registrations" />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/dashboard">"Dashboard"</a></nav>
        <h1>"Registrations"</h1>
        <Filters query=query.get_untracked() />
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <Table p query=query.get_untracked() /> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        #[cfg(feature = "ssr")]
                        leptos_axum::redirect("/sign-in");
                        view! { <p><a href="/sign-in">"Sign in to see registrations"</a></p> }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Filters(query: RegistrationsQuery) -> impl IntoView {
    let status = query.status;
    view! {
        <form class="search" method="get" action="/dashboard/registrations" role="search">
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
            <button type="submit">"Filter"</button>
        </form>
    }
}

#[component]
fn Table(p: RegistrationsPage, query: RegistrationsQuery) -> impl IntoView {
    let summary = match p.total {
        0 => "No registrations match.".to_owned(),
        1 => "1 registration".to_owned(),
        n => format!("{n} registrations, page {} of {}", p.page, p.pages),
    };
    let prev = (p.page > 1).then(|| query.url(p.page - 1));
    let next = (p.page < p.pages).then(|| query.url(p.page + 1));
    view! {
        <p role="status">{summary}</p>
        <ScrollTable
            label="Registrations table"
            caption="Registrations, newest first"
            headings=&["Reference", "Learner", "Credential and intake", "Status", "Registered"]
            class="registrations"
        >
                    {p.rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.reference}</th>
                            <td>{format!("{} {}", r.given_name, r.family_name)}<br /><span class="muted">{r.email}</span></td>
                            <td>{r.credential_title}<br /><span class="muted">{format!("{}, starts {}", r.intake_code, format::long_date(&r.starts_on))}</span></td>
                            <td>{status_label(r.status)}</td>
                            <td>{format::long_date(r.registered_at.get(..10).unwrap_or_default())}</td>
                        </tr>
                    }).collect_view()}
        </ScrollTable>
        <nav aria-label="Pages" class="pager">
            {prev.map(|href| view! { <a href=href rel="prev">"Previous page"</a> })}
            {next.map(|href| view! { <a href=href rel="next">"Next page"</a> })}
        </nav>
    }
}
