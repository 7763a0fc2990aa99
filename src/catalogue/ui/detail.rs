//! The detail page `/credentials/{slug}`: every field, unit standards, intakes, funding.
//! An islands page (`ui::islands`): its only islands are the seat figures, which follow
//! the live stream (`catalogue::ui::seats`).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::catalogue::api::get_credential;
use crate::catalogue::jsonld;
use crate::catalogue::types::{CredentialDetail, EnrolmentState, Funding, FundingStatus, Intake};
use crate::catalogue::ui::seats::{Seats, SeatsLabel};
use crate::format;
use crate::ui::not_found::NotFound;
use crate::ui::seo::{absolute, PageMeta};
use crate::ui::table::ScrollTable;

#[component]
pub fn DetailPage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    // A future, not a resource: nothing hydrates this page, so the credential is not
    // serialised into it for a browser that would never read it.
    let credential = get_credential(slug);
    view! {
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {Suspend::new(async move {
                match credential.await {
                    Ok(Some(c)) => view! { <Detail c /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn optional(label: &'static str, text: String) -> impl IntoView {
    (!text.trim().is_empty()).then(|| {
        view! {
            <section class="prose">
                <h2>{label}</h2>
                <p>{text}</p>
            </section>
        }
    })
}

#[component]
fn Detail(c: CredentialDetail) -> impl IntoView {
    let reference = match (c.nzqa_ref, c.nzqa_version) {
        (Some(r), Some(v)) => format!("{r} version {v}"),
        (Some(r), None) => r.to_string(),
        _ => "Not stated".to_owned(),
    };
    let status = match c.status.as_str() {
        "expiring" => Some("Expiring: no new enrolments"),
        "discontinued" => Some("Discontinued: no new enrolments"),
        _ => None,
    };
    let delivery = if c.delivery_modes.is_empty() {
        "To be confirmed".to_owned()
    } else {
        c.delivery_modes.join(", ")
    };
    let hours = c.credits * 10;
    let has_intakes = !c.intakes.is_empty();
    let path = format!("/credentials/{}", c.slug);
    view! {
        <PageMeta title=c.title.clone() description=c.summary.clone() path=path.clone() />
        <script type="application/ld+json" inner_html=jsonld::course(&c, &absolute(&path))></script>
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <a href="/">"All micro-credentials"</a>
        </nav>
        <article class="detail">
            <header>
                <p class="card-sector">{c.sector.name.clone()}</p>
                <h1>{c.title.clone()}</h1>
                {status.map(|s| view! { <p class="badge badge-warning">{s}</p> })}
                <p class="lede">{c.summary.clone()}</p>
            </header>
            <dl class="facts facts-detail">
                <div>
                    <dt>"Credits"</dt>
                    <dd>{format!("{} (about {hours} hours)", c.credits)}</dd>
                </div>
                <div>
                    <dt>"NZQCF level"</dt>
                    <dd>{c.level}</dd>
                </div>
                <div>
                    <dt>"NZQA reference"</dt>
                    <dd>{reference}</dd>
                </div>
                <div>
                    <dt>"Delivery"</dt>
                    <dd>{delivery}</dd>
                </div>
                {c.nzsced_code.clone().map(|code| view! {
                    <div>
                        <dt>"Field of study (NZSCED)"</dt>
                        <dd>{code}</dd>
                    </div>
                })}
                {c.review_date.clone().map(|d| view! {
                    <div>
                        <dt>"Next NZQA review"</dt>
                        <dd>{crate::format::long_date(&d)}</dd>
                    </div>
                })}
                <div class="facts-wide">
                    <dt>"Developer"</dt>
                    <dd>{if c.developer.is_empty() { "Not stated".to_owned() } else { c.developer.clone() }}</dd>
                </div>
            </dl>
            <p class="cta">
                <a class="button button-primary" href=format!("/credentials/{}/register", c.slug)>"Register for an intake"</a>
            </p>
            {optional("Purpose", c.purpose.clone())}
            {optional("What you will be able to do", c.outcomes.clone())}
            {optional("Entry requirements", c.entry_requirements.clone())}
            {optional("Education pathway", c.education_pathway.clone())}
            {optional("Employment and cultural pathway", c.employment_pathway.clone())}
            <Standards c=c.clone() />
            <section id="intakes" aria-labelledby="intakes-heading">
                <h2 id="intakes-heading">"Intakes"</h2>
                {if has_intakes {
                    view! {
                        <ul class="intakes">
                            {c.intakes.clone().into_iter().map(|i| view! { <IntakeItem i slug=c.slug.clone() /> }).collect_view()}
                        </ul>
                        <p>
                            "Enrolling your staff? Employers' training coordinators can "
                            <a href=format!("/credentials/{}/group", c.slug)>"register a group"</a>
                            " from a pasted list or a CSV file."
                        </p>
                    }
                        .into_any()
                } else {
                    view! { <p>"No intakes are scheduled yet. Check back soon."</p> }.into_any()
                }}
            </section>
            <section aria-labelledby="funding-heading">
                <h2 id="funding-heading">"Funding"</h2>
                {if c.funding.is_empty() {
                    view! { <p>"No funding scheme is recorded for this micro-credential."</p> }.into_any()
                } else {
                    view! {
                        <ul class="funding">
                            {c.funding.clone().into_iter().map(|f| view! { <FundingItem f /> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
            <footer class="provenance">
                {(!c.data_note.is_empty()).then(|| view! { <p>{c.data_note.clone()}</p> })}
                {c.source_url.clone().map(|u| {
                    let first = u.split_whitespace().next().unwrap_or_default().to_owned();
                    view! {
                        <p>
                            <a href=first rel="noopener noreferrer">"Public source for this listing"</a>
                        </p>
                    }
                })}
            </footer>
        </article>
    }
}

#[component]
fn Standards(c: CredentialDetail) -> impl IntoView {
    let dash = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_else(|| "—".to_owned());
    view! {
        <section aria-labelledby="standards-heading">
            <h2 id="standards-heading">"Unit standards"</h2>
            {if c.standards.is_empty() {
                view! { <p>"The unit standards for this micro-credential are not listed yet."</p> }.into_any()
            } else {
                view! {
                    <ScrollTable
                        label="Unit standards table"
                        caption="Unit standards in this micro-credential"
                        headings=&["Number", "Title", "Version", "Level", "Credits"]
                    >
                        {c.standards.into_iter().map(|u| view! {
                            <tr>
                                <th scope="row">{u.number}</th>
                                <td>{u.title}</td>
                                <td>{dash(u.version)}</td>
                                <td>{dash(u.level)}</td>
                                <td>{dash(u.credits)}</td>
                            </tr>
                        }).collect_view()}
                    </ScrollTable>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn IntakeItem(i: Intake, slug: String) -> impl IntoView {
    let dates = format!(
        "{} to {}",
        format::long_date(&i.starts_on),
        format::long_date(&i.ends_on)
    );
    let enrolment = match i.enrolment {
        EnrolmentState::Open => format!(
            "Enrolment open until {}",
            format::long_date(&i.enrolment_closes_on)
        ),
        EnrolmentState::NotYetOpen => format!(
            "Enrolment opens {}",
            format::long_date(&i.enrolment_opens_on)
        ),
        EnrolmentState::Closed => "Enrolment closed".to_owned(),
    };
    // Follows the live stream while the page is open (an island).
    let seats = SeatsLabel::Intake {
        capacity: i.capacity,
    };
    view! {
        <li class="intake">
            <h3>{dates}</h3>
            <dl class="facts">
                <div>
                    <dt>"Where"</dt>
                    <dd>{i.region}</dd>
                </div>
                <div>
                    <dt>"Delivery"</dt>
                    <dd>{i.delivery_mode}</dd>
                </div>
                <div>
                    <dt>"Fee"</dt>
                    <dd>{format::fee(i.fee_cents)}</dd>
                </div>
                <div>
                    <dt>"Seats"</dt>
                    <dd><Seats slug intake=i.code.clone() label=seats left=i.seats_left /></dd>
                </div>
                {(!i.provider.is_empty()).then(|| view! {
                    <div class="facts-wide">
                        <dt>"Provider"</dt>
                        <dd>{i.provider.clone()}</dd>
                    </div>
                })}
            </dl>
            <p class="enrolment">{enrolment}</p>
        </li>
    }
}

#[component]
fn FundingItem(f: Funding) -> impl IntoView {
    let (class, status) = match &f.status {
        FundingStatus::EligibleUntil(d) => (
            "eligible",
            format!("Eligible until {}", format::long_date(d)),
        ),
        FundingStatus::EligibleOngoing => ("eligible", "Eligible".to_owned()),
        FundingStatus::OpensOn(d) => ("pending", format!("Eligible from {}", format::long_date(d))),
        FundingStatus::SchemeEnded(d) => {
            ("ended", format!("Scheme ended {}", format::long_date(d)))
        }
        FundingStatus::NotEligible => ("ended", "Not eligible".to_owned()),
    };
    view! {
        <li class=format!("funding-item funding-{class}")>
            <h3>{f.scheme}</h3>
            <p class="funding-status"><strong>{status}</strong></p>
            {(!f.note.is_empty()).then(|| view! { <p>{f.note.clone()}</p> })}
            {(!f.description.is_empty()).then(|| view! { <p>{f.description.clone()}</p> })}
        </li>
    }
}
