//! `/verify`: anyone (an employer, a wallet's user, another provider) checks a credential
//! here. Server-rendered, an islands page without islands: the form is an ordinary POST,
//! pasted JSON or an uploaded `.json` / baked `.svg` (multipart, so it leaves the islands
//! router, `data-router="off"`), and the answer is this page again with each check's result
//! (`badges::server::routes`). It works the same with JavaScript off.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

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
