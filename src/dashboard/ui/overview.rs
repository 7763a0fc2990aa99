//! `/dashboard`: where a coordinator lands after signing in. Who is signed in, the
//! registration counts that matter this week, any group lists refused for its intakes over
//! an employer account's daily rows (the provider should know someone tried), and three
//! charts (per week, by sector, seats filled per upcoming intake) each with its numbers
//! beside it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::api::who_am_i;
use crate::auth::types::CurrentUser;
use crate::dashboard::api::get_overview;
use crate::dashboard::types::{Count, Overview};
use crate::dashboard::ui::charts::{BarChart, WeeklyChart};
use crate::dashboard::ui::{refused, DashboardNav};
use crate::format;

#[component]
pub fn OverviewPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| who_am_i());
    let figures = Resource::new(|| (), |_| get_overview());
    view! {
        <Title text="Dashboard" />
        <DashboardNav current="/dashboard" />
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (me.await, figures.await) {
                    (Ok(Some(user)), Ok(o)) => view! { <Welcome user /> <Figures o /> }.into_any(),
                    (Ok(None), _) => refused(crate::error::AppError::Unauthorized),
                    (Err(e), _) | (_, Err(e)) => refused(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Welcome(user: CurrentUser) -> impl IntoView {
    let role = user
        .organisation
        .clone()
        .map(|o| format!("{}, {o}", user.role.label()))
        .unwrap_or_else(|| user.role.label().to_owned());
    use crate::auth::types::Role;
    let accounts = match user.role {
        Role::Admin => "Coordinator accounts",
        Role::Provider => "Employer coordinators: invite your learners' employers",
        Role::Employer => "Who coordinates for your organisation",
    };
    view! {
        <h1>"Kia ora, " {user.name.clone()}</h1>
        <p class="lede">"Signed in as " {user.email.clone()} " · " {role}</p>
        <p><a href="/dashboard/users">{accounts}</a></p>
    }
}

#[component]
fn Figures(o: Overview) -> impl IntoView {
    let stat = |label: &'static str, value: i64, href: &'static str| {
        view! {
            <div class="stat">
                <dt>{label}</dt>
                <dd><a href=href>{value}</a></dd>
            </div>
        }
    };
    let nearly_full: Vec<_> = o
        .upcoming
        .iter()
        .filter(|i| i.nearly_full())
        .cloned()
        .collect();
    let seats: Vec<Count> = o
        .upcoming
        .iter()
        .map(|i| Count {
            label: format!(
                "{} {} ({})",
                i.credential_title,
                i.code,
                format::long_date(&i.starts_on)
            ),
            value: if i.capacity == 0 {
                0
            } else {
                i.seats_taken * 100 / i.capacity
            },
        })
        .collect();
    let seat_text: Vec<String> = o
        .upcoming
        .iter()
        .map(|i| {
            format!(
                "{} of {} seats, {} waitlisted",
                i.seats_taken, i.capacity, i.waitlisted
            )
        })
        .collect();
    // The bars measure percent full; the labels give the seats themselves.
    let seats = seats
        .into_iter()
        .zip(seat_text)
        .map(|(c, text)| Count {
            label: format!("{}: {text}", c.label),
            value: c.value,
        })
        .collect::<Vec<_>>();
    let percent: fn(&Count) -> String = |c| format!("{}%", c.value);
    let refusals = o.group_refusals.clone();
    let sectors_summary = match o.by_sector.first() {
        Some(top) => format!(
            "Registrations by sector; the most are in {} ({}).",
            top.label, top.value
        ),
        None => "No registrations yet.".to_owned(),
    };
    let seats_summary = format!(
        "Seats filled in the next {} intakes to start; {} of them are at least 90% full.",
        o.upcoming.len(),
        nearly_full.len()
    );
    view! {
        <section aria-labelledby="counts-heading">
            <h2 id="counts-heading">"Registrations"</h2>
            <dl class="stats">
                {stat("In the last 7 days", o.last_7_days, "/dashboard/registrations?sort=newest")}
                {stat("In the last 30 days", o.last_30_days, "/dashboard/registrations?sort=newest")}
                {stat("Confirmed", o.confirmed, "/dashboard/registrations?status=confirmed")}
                {stat("Waitlisted", o.waitlisted, "/dashboard/registrations?status=waitlisted")}
                {stat("Cancelled or withdrawn", o.cancelled, "/dashboard/registrations?status=cancelled")}
            </dl>
        </section>
        {(o.unreported_overdue > 0).then(|| view! {
            <section aria-labelledby="overdue-heading">
                <h2 id="overdue-heading">"NZQA reporting overdue"</h2>
                <p class="warning">
                    {match o.unreported_overdue {
                        1 => "1 completion achieved more than two months ago is not yet reported to NZQA.".to_owned(),
                        n => format!("{n} completions achieved more than two months ago are not yet reported to NZQA."),
                    }}
                    " "<a href="/dashboard/completions">"See the worksheet"</a>
                </p>
            </section>
        })}
        {(!refusals.is_empty()).then(|| view! {
            <section aria-labelledby="refusals-heading">
                <h2 id="refusals-heading">"Group lists refused"</h2>
                <ul class="group-refusals">
                    {refusals.into_iter().map(|g| view! { <li>{g.sentence()}</li> }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="nearly-full-heading">
            <h2 id="nearly-full-heading">"Intakes nearly full"</h2>
            {match nearly_full.is_empty() {
                true => view! { <p>"None of the next intakes is 90% full yet."</p> }.into_any(),
                false => view! {
                    <ul class="nearly-full">
                        {nearly_full.into_iter().map(|i| view! {
                            <li>
                                <a href=format!("/dashboard/intakes/{}", i.id)>{format!("{} {}", i.credential_title, i.code)}</a>
                                {format!(": {} of {} seats, {} waitlisted, starts {}", i.seats_taken, i.capacity, i.waitlisted, format::long_date(&i.starts_on))}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
        <div class="charts">
            <section aria-labelledby="weekly-heading">
                <h2 id="weekly-heading">"Registrations per week"</h2>
                <WeeklyChart id="weekly" title="Registrations per week, last 26 weeks" weeks=o.weekly />
            </section>
            <section aria-labelledby="sectors-heading">
                <h2 id="sectors-heading">"By sector"</h2>
                <BarChart id="sectors" title="Registrations by sector" summary=sectors_summary
                    rows=o.by_sector headings=&["Sector", "Registrations"] />
            </section>
            <section aria-labelledby="seats-heading">
                <h2 id="seats-heading">"Seats filled, next intakes"</h2>
                <BarChart id="seats" title="Seats filled per upcoming intake" summary=seats_summary
                    rows=seats headings=&["Intake", "Percent full"] max=100
                    describe=percent />
            </section>
        </div>
    }
}
