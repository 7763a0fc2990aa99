//! One credential in the results list: what a learner compares at a glance.

use leptos::prelude::*;

use crate::catalogue::types::{CredentialCard, FundingBadge};
use crate::format;

/// One credential in the results list.
#[component]
pub fn Card(card: CredentialCard) -> impl IntoView {
    let href = format!("/credentials/{}", card.slug);
    // A credential without linked standards says nothing rather than "0".
    let standards = (card.standards_count > 0).then(|| {
        let label = if card.standards_count == 1 {
            "Unit standard"
        } else {
            "Unit standards"
        };
        view! {
            <div>
                <dt>{label}</dt>
                <dd>{card.standards_count}</dd>
            </div>
        }
    });
    let next = match &card.next_intake {
        Some(i) => format!("{}, {}", format::long_date(&i.starts_on), i.region),
        None => "No upcoming intake".to_owned(),
    };
    view! {
        <li class="card">
            <article>
                <h3 class="card-title">
                    <a href=href>{card.title}</a>
                </h3>
                <p class="card-sector">{card.sector.name}</p>
                <p class="card-summary">{card.summary}</p>
                <dl class="facts">
                    <div>
                        <dt>"Credits"</dt>
                        <dd>{card.credits}</dd>
                    </div>
                    <div>
                        <dt>"Level"</dt>
                        <dd>{card.level}</dd>
                    </div>
                    {standards}
                    <div class="facts-wide">
                        <dt>"Next intake"</dt>
                        <dd>{next}</dd>
                    </div>
                </dl>
                {(card.funding == FundingBadge::Available)
                    .then(|| view! { <p class="badge badge-funding">"Funding available"</p> })}
            </article>
        </li>
    }
}
