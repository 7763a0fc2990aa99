//! A data table that scrolls sideways inside its own focusable region on a narrow screen,
//! with a caption for screen readers and column headings: the shape every table here has.

use leptos::prelude::*;

#[component]
pub fn ScrollTable(
    /// The region's name, e.g. "Registrations table".
    label: &'static str,
    /// What the table holds, read out before it.
    caption: &'static str,
    headings: &'static [&'static str],
    #[prop(optional)] class: &'static str,
    /// The `<tr>` rows.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" aria-label=label tabindex="0">
            <table class=class>
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        {headings.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
