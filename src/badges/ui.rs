//! `/verify`: anyone (an employer, a wallet's user, another provider) checks a credential
//! here. Server-rendered, an islands page without islands: the form is an ordinary POST,
//! pasted JSON or an uploaded `.json` / baked `.svg` (multipart, so it leaves the islands
//! router, `data-router="off"`), and the answer is this page again with each check's result
//! (`badges::server::routes`). It works the same with JavaScript off.
//!
//! `/badges/{id}`: an issued credential's public page (the address a learner adds to
//! LinkedIn): the achievement, the issuer and whether it stands; never whose it is.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::badges::api::get_public_badge;
use crate::badges::types::PublicBadge;
use crate::ui::not_found::NotFound;

use crate::badges::types::{Verified, VerifyInput, VerifyReport};
use crate::error::FieldError;
use crate::format;
use crate::ui::form::{ErrorSummary, FieldMessage};

#[component]
pub fn VerifyPage() -> impl IntoView {
    let verified = use_context::<Verified>();
    let input = verified
        .as_ref()
        .map(|v| v.input.clone())
        .unwrap_or_default();
    let report = verified.map(|v| v.report);
    let errors: Vec<FieldError> = match &report {
        Some(VerifyReport::Unreadable { field, message }) => vec![FieldError {
            field: field.clone(),
            message: message.clone(),
        }],
        _ => Vec::new(),
    };
    let refused = !errors.is_empty();
    let errors = Signal::stored(errors);
    view! {
        <Title text="Check a credential · Tohu" />
        <Meta name="description" content="Check an Open Badges credential issued through Tohu: its signature, its issuer's key, whether it was revoked, and whether it names the person you expect." />
        <h1>"Check a credential"</h1>
        <p class="lede">"Paste an Open Badges credential issued through Tohu, or upload its file. Each check below is answered on its own."</p>
        {match report {
            Some(VerifyReport::Checked { stated, findings }) => {
                let trusted = VerifyReport::Checked { stated: stated.clone(), findings: findings.clone() }.trusted();
                Some(view! { <Report trusted stated findings /> }.into_any())
            }
            _ => None,
        }}
        <ErrorSummary errors message=Signal::stored(None::<String>) autofocus=refused heading="That could not be checked" />
        <VerifyForm input errors />
        <p class="muted">"NZQA's Record of Achievement is the official record of New Zealand micro-credentials; a credential from Tohu is the provider's portable statement of it."</p>
    }
}

#[component]
fn Report(
    trusted: bool,
    stated: Option<crate::badges::types::Stated>,
    findings: Vec<crate::badges::types::Finding>,
) -> impl IntoView {
    let verdict = match trusted {
        true => "Verified: every check passed.",
        false => "Not verified: see which check failed.",
    };
    view! {
        <section aria-labelledby="report-heading" class=if trusted { "report report-ok" } else { "report report-bad" } tabindex="-1" autofocus=true>
            <h2 id="report-heading">{verdict}</h2>
            {stated.map(|s| view! {
                <dl class="facts">
                    <div><dt>"Micro-credential"</dt><dd>{s.title}</dd></div>
                    <div><dt>"Issuer"</dt><dd>{s.issuer}</dd></div>
                    <div><dt>"Achieved"</dt><dd>{format::long_date(&s.awarded)}</dd></div>
                    <div><dt>"Credential id"</dt><dd><code>{s.id}</code></dd></div>
                </dl>
            })}
            <ul class="checks">
                {findings.into_iter().map(|f| {
                    let (class, word) = match f.passed {
                        Some(true) => ("check check-pass", "Yes"),
                        Some(false) => ("check check-fail", "No"),
                        None => ("check check-unknown", "Unknown"),
                    };
                    view! {
                        <li class=class data-check=f.check.as_str() data-passed=word>
                            <strong>{f.check.heading()}": "{word}"."</strong>" "{f.detail}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn VerifyForm(input: VerifyInput, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    view! {
        <form method="post" action="/verify" enctype="multipart/form-data" data-router="off" class="verify">
            <div class="field">
                <label for="credential">"The credential (JSON)"</label>
                <p class="hint" id="credential-hint">"Everything from the first { to the last }."</p>
                <textarea id="credential" name="credential" rows="8" spellcheck="false" aria-describedby="credential-hint credential-error">{input.credential}</textarea>
                <FieldMessage field="credential" errors />
            </div>
            <div class="field">
                <label for="file">"Or its file (.json, or a badge .svg)"</label>
                <p class="hint" id="file-hint">"Up to 256 KB. A file, if chosen, is checked instead of the pasted text."</p>
                <input id="file" name="file" type="file" accept=".json,.svg,application/json,application/ld+json,image/svg+xml" aria-describedby="file-hint file-error" />
                <FieldMessage field="file" errors />
            </div>
            <fieldset>
                <legend>"Optional: is it theirs?"</legend>
                <p class="hint">"Type the name or email the person gave you; it is compared with the credential and not kept."</p>
                <div class="field">
                    <label for="name">"Their name"</label>
                    <input id="name" name="name" type="text" autocomplete="off" value=input.name />
                </div>
                <div class="field">
                    <label for="email">"Their email"</label>
                    <input id="email" name="email" type="email" autocomplete="off" value=input.email />
                </div>
            </fieldset>
            <button type="submit">"Check"</button>
        </form>
    }
}

#[component]
pub fn BadgePage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    // A future, not a resource: nothing on this page hydrates.
    let badge = get_public_badge(id);
    view! {
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {Suspend::new(async move {
                match badge.await {
                    Ok(Some(b)) => view! { <Badge b /> }.into_any(),
                    Ok(None) => view! { <NotFound /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Badge(b: PublicBadge) -> impl IntoView {
    let status = match b.revoked {
        false => "Stands: its issuer has not revoked it.",
        true => "Revoked: its issuer withdrew this credential.",
    };
    view! {
        <Title text=format!("{} · credential · Tohu", b.title) />
        <Meta name="robots" content="noindex" />
        <h1>{b.title.clone()}</h1>
        <p class="lede">"A micro-credential issued by "{b.issuer.clone()}" on completion, as an Open Badges credential."</p>
        <p class=if b.revoked { "status status-withdrawn" } else { "status status-completed" }>{status}</p>
        <dl class="facts">
            <div><dt>"Issuer"</dt><dd><a href=b.issuer_profile rel="external">{b.issuer}</a></dd></div>
            <div><dt>"Requirements met"</dt><dd>{format::long_date(&b.achieved_on)}</dd></div>
            <div><dt>"Credits"</dt><dd>{b.credits}</dd></div>
            <div><dt>"NZQF level"</dt><dd>{b.level}</dd></div>
            {b.nzqa_ref.map(|n| view! { <div><dt>"NZQA listing"</dt><dd>{n}</dd></div> })}
            <div><dt>"Credential id"</dt><dd><code>{format!("urn:uuid:{}", b.id)}</code></dd></div>
        </dl>
        <p>{b.description}</p>
        <p><a href=format!("/credentials/{}", b.slug)>"The micro-credential as it is listed now"</a></p>
        <p>"Holding the credential itself? "<a href="/verify" rel="external">"Check it"</a>"."</p>
        <p class="muted">"NZQA's Record of Achievement is the official record of New Zealand micro-credentials; a credential from Tohu is the provider's portable statement of it."</p>
    }
}
