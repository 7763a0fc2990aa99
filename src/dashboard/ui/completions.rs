//! `/dashboard/completions`: the NZQA reporting worksheet. The completions not yet reported,
//! those ready (NSN and NZQA listing number known) in one table with a "mark reported to
//! NZQA" bulk action, those missing something apart with what they lack; the CSV to send.
//! The form is a server-function form: it works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::dashboard::api::{list_completions, MarkReported};
use crate::dashboard::types::Completion;
use crate::dashboard::ui::{refused, successes, DashboardNav};
use crate::format;
use crate::ui::form::{refusal_focused, ErrorSummary, FieldMessage};
use crate::ui::table::ScrollTable;

const READY: &[&str] = &[
    "Select",
    "Learner",
    "NSN",
    "Date of birth",
    "Micro-credential (NZQA listing)",
    "Requirements met",
];
const INCOMPLETE: &[&str] = &[
    "What is missing",
    "Learner",
    "NSN",
    "Date of birth",
    "Micro-credential (NZQA listing)",
    "Requirements met",
];

#[component]
pub fn CompletionsPage() -> impl IntoView {
    let mark = ServerAction::<MarkReported>::new();
    let marked = successes(mark);
    let sheet = Resource::new(move || marked.get(), |_| list_completions());
    let (errors, message, rendered_refused) = refusal_focused(move || mark.value().get());
    let done = move || match mark.value().get() {
        Some(Ok(1)) => Some("1 completion marked reported to NZQA.".to_owned()),
        Some(Ok(n)) => Some(format!("{n} completions marked reported to NZQA.")),
        _ => None,
    };
    view! {
        <Title text="NZQA report · Tohu" />
        <DashboardNav current="/dashboard/completions" />
        <h1>"Completions to report to NZQA"</h1>
        <p class="lede">"Report each completion to NZQA within about two months: the learner's NSN, the micro-credential's listing and the date of achievement. NZQA's Record of Achievement is the official record."</p>
        <p><a class="button secondary" href="/dashboard/completions.csv" download="">"Download the worksheet (CSV)"</a></p>
        <p role="status" class="done">{done}</p>
        <ErrorSummary errors message autofocus=rendered_refused heading="Nothing was marked" />
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(s) => view! {
                        <ActionForm action=mark attr:class="bulk" attr:aria-label="Mark completions reported">
                            <h2>"Ready to report"</h2>
                            {rows(&s.ready, true)}
                            {(!s.ready.is_empty()).then(|| view! {
                                <FieldMessage field="ids" errors />
                                <button type="submit">"Mark selected reported to NZQA"</button>
                            })}
                        </ActionForm>
                        <h2>"Missing something NZQA needs"</h2>
                        {rows(&s.incomplete, false)}
                    }.into_any(),
                    Err(e) => refused(e),
                }
            })}
        </Suspense>
    }
}

fn rows(list: &[Completion], selectable: bool) -> AnyView {
    if list.is_empty() {
        return view! { <p>"None."</p> }.into_any();
    }
    let rows = list
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let learner = format!("{} {} ({})", c.given_name, c.family_name, c.reference);
            let listing = match (c.nzqa_ref, c.nzqa_version) {
                (Some(n), Some(v)) => format!("{} ({n} version {v})", c.title),
                (Some(n), None) => format!("{} ({n})", c.title),
                _ => format!("{} (no NZQA listing number)", c.title),
            };
            let id = format!("select-{}", c.id);
            let select = match selectable {
                true => view! {
                    <input type="checkbox" id=id.clone() name=format!("ids[{i}]") value=c.id.clone() />
                    <label for=id class="visually-hidden">{format!("Select {learner}")}</label>
                }
                .into_any(),
                false => view! { <span>{c.missing.join(", ")}</span> }.into_any(),
            };
            view! {
                <tr>
                    <td class="select">{select}</td>
                    <th scope="row">{learner}</th>
                    <td>{c.nsn.clone().unwrap_or_else(|| "Not given".to_owned())}</td>
                    <td>{format::long_date(&c.date_of_birth)}</td>
                    <td>{listing}</td>
                    <td>{format::long_date(&c.achieved_on)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ScrollTable
            label=if selectable { "Completions ready to report" } else { "Completions missing something" }
            caption=if selectable { "Completions ready to report" } else { "Completions missing something NZQA needs" }
            headings=if selectable { READY } else { INCOMPLETE }
        >
            {rows}
        </ScrollTable>
    }
    .into_any()
}
