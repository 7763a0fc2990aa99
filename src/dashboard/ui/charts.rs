//! Bar charts drawn as SVG by the same components on the server and in the browser: no
//! chart library. Each has `role="img"`, a title and a summary, and the numbers in a table
//! beside it, so it reads without sight, without JavaScript and at 360 px (the labels sit
//! above their bars, so they keep their size when the chart is narrow).

use leptos::prelude::*;

use crate::dashboard::types::Count;
use crate::format;
use crate::ui::table::ScrollTable;

/// Units of the charts' coordinate space; the SVG scales to its box.
const WIDTH: f64 = 400.0;
const ROW: f64 = 44.0;

/// One horizontal bar per row, its label above it and its value at its end.
#[component]
pub fn BarChart(
    id: &'static str,
    title: &'static str,
    /// What the chart shows, in a sentence (the SVG's description).
    summary: String,
    rows: Vec<Count>,
    /// The table's two column headings: what a row is, what its value is.
    headings: &'static [&'static str],
    /// Turns a value into its label, e.g. "12 of 15 seats".
    #[prop(optional)]
    describe: Option<fn(&Count) -> String>,
    /// The largest value the bars measure against (default: the largest value).
    #[prop(optional)]
    max: Option<i64>,
) -> impl IntoView {
    let describe = describe.unwrap_or(|c| c.value.to_string());
    let max = max
        .unwrap_or_else(|| rows.iter().map(|c| c.value).max().unwrap_or(0))
        .max(1) as f64;
    let height = (rows.len().max(1) as f64) * ROW;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let y = i as f64 * ROW;
            let w = ((c.value.max(0) as f64 / max) * (WIDTH - 90.0)).max(1.0);
            view! {
                <text x="0" y=y + 15.0 class="chart-label">{truncate(&c.label, 48)}</text>
                <rect x="0" y=y + 21.0 width=format!("{w:.1}") height="16" class="bar" />
                <text x=w + 6.0 y=y + 34.0 class="chart-value">{describe(c)}</text>
            }
        })
        .collect_view();
    let table = rows
        .iter()
        .map(|c| view! { <tr><th scope="row">{c.label.clone()}</th><td>{describe(c)}</td></tr> })
        .collect_view();
    view! {
        <figure class="chart">
            <svg
                role="img"
                aria-labelledby=format!("{id}-title")
                aria-describedby=format!("{id}-desc")
                viewBox=format!("0 0 {WIDTH} {height}")
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=format!("{id}-title")>{title}</title>
                <desc id=format!("{id}-desc")>{summary}</desc>
                {bars}
            </svg>
            <ScrollTable label=title caption=title headings class="chart-table">
                {table}
            </ScrollTable>
        </figure>
    }
}

/// Registrations per week: one column a week, the first, middle and last weeks labelled.
#[component]
pub fn WeeklyChart(id: &'static str, title: &'static str, weeks: Vec<Count>) -> impl IntoView {
    const H: f64 = 160.0;
    let max = weeks.iter().map(|c| c.value).max().unwrap_or(0).max(1);
    let n = weeks.len().max(1) as f64;
    let slot = (WIDTH - 30.0) / n;
    let total: i64 = weeks.iter().map(|c| c.value).sum();
    let busiest = weeks
        .iter()
        .max_by_key(|c| c.value)
        .filter(|c| c.value > 0)
        .map(|c| {
            format!(
                " The busiest week began {} with {}.",
                format::long_date(&c.label),
                c.value
            )
        })
        .unwrap_or_default();
    let summary = format!(
        "{total} registrations over the last {} weeks.{busiest}",
        weeks.len()
    );
    let last = weeks.len().saturating_sub(1);
    let columns = weeks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let h = (c.value as f64 / max as f64) * H;
            let x = 30.0 + i as f64 * slot;
            let label = (i == 0 || i == last / 2 || i == last).then(|| {
                view! {
                    <text x=x y=H + 22.0 class="chart-label">{short_date(&c.label)}</text>
                }
            });
            view! {
                <rect x=format!("{:.1}", x + 1.0) y=format!("{:.1}", H - h) width=format!("{:.1}", (slot - 2.0).max(1.0)) height=format!("{h:.1}") class="bar" />
                {label}
            }
        })
        .collect_view();
    let table = weeks
        .iter()
        .map(|c| view! { <tr><th scope="row">{format::long_date(&c.label)}</th><td>{c.value}</td></tr> })
        .collect_view();
    view! {
        <figure class="chart">
            <svg
                role="img"
                aria-labelledby=format!("{id}-title")
                aria-describedby=format!("{id}-desc")
                viewBox=format!("0 0 {WIDTH} {}", H + 30.0)
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=format!("{id}-title")>{title}</title>
                <desc id=format!("{id}-desc")>{summary}</desc>
                <text x="0" y="14" class="chart-value">{max}</text>
                <text x="0" y=H class="chart-value">"0"</text>
                <line x1="28" y1=H x2=WIDTH y2=H class="axis" />
                {columns}
            </svg>
            <details class="chart-numbers">
                <summary>"Registrations week by week"</summary>
                <ScrollTable label="Registrations per week, as a table" caption=title headings=&["Week starting", "Registrations"]>
                    {table}
                </ScrollTable>
            </details>
        </figure>
    }
}

fn truncate(s: &str, n: usize) -> String {
    match s.chars().count() > n {
        true => format!("{}…", s.chars().take(n - 1).collect::<String>()),
        false => s.to_owned(),
    }
}

/// "3 June" from 2026-06-03.
fn short_date(iso: &str) -> String {
    let long = format::long_date(iso);
    long.rsplit_once(' ')
        .map(|(d, _)| d.to_owned())
        .unwrap_or(long)
}
