//! `/dashboard/catalogue` (what the coordinator may edit) and
//! `/dashboard/catalogue/{kind}/{key}` (one record's form; `new` for a new one). The form
//! is drawn from the fields the server describes. With JavaScript a save calls
//! `save_record` and the form keeps what was typed on a refusal; without, it posts to its
//! own address (`dashboard::server::catalogue::routes`) and comes back with every value
//! and message (`RecordSubmission`). A stale copy (409) shows what someone saved meanwhile.

use std::collections::BTreeMap;

use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::dashboard::api::{get_catalogue, get_record, SaveRecord};
use crate::dashboard::types::{
    CatalogueList, Change, Control, FormField, RecordForm, RecordKind, RecordLink, RecordSubmission,
};
use crate::dashboard::ui::{refused, successes, DashboardNav};
use crate::error::{AppError, FieldError};
use crate::ui::form::{error_for, submitted, ErrorSummary, ERROR_SUMMARY_ID};
use crate::ui::seo::title_text;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let list = Resource::new(|| (), |_| get_catalogue());
    view! {
        <Title text="Catalogue" />
        <DashboardNav current="/dashboard/catalogue" />
        <h1>"Catalogue"</h1>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) => view! { <Lists l /> }.into_any(),
                    Err(e) => refused(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Section(
    heading: &'static str,
    id: &'static str,
    rows: Vec<RecordLink>,
    #[prop(optional)] add: Option<(&'static str, String)>,
) -> impl IntoView {
    view! {
        <section aria-labelledby=id class="catalogue-section">
            <h2 id=id>{heading}</h2>
            {add.map(|(text, href)| view! { <p><a class="button" href=href>{text}</a></p> })}
            {match rows.is_empty() {
                true => view! { <p class="muted">"None yet."</p> }.into_any(),
                false => view! {
                    <ul class="record-list">
                        {rows.into_iter().map(|r| view! {
                            <li><a href=r.href>{r.label}</a>" "<span class="muted">{r.detail}</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Lists(l: CatalogueList) -> impl IntoView {
    let CatalogueList {
        admin,
        sectors,
        unit_standards,
        funding_schemes,
        credentials,
        intakes,
    } = l;
    let new = |k: RecordKind| k.href("new");
    match admin {
        true => view! {
            <p>"Slugs, standard numbers, scheme codes and intake codes are in addresses and the API, so they are fixed once a record is created. Nothing is deleted: discontinue a micro-credential, cancel an intake."</p>
            <Section heading="Micro-credentials" id="credentials-heading" rows=credentials add=("Add a micro-credential", new(RecordKind::Credential)) />
            <Section heading="Intakes" id="intakes-heading" rows=intakes />
            <Section heading="Sectors" id="sectors-heading" rows=sectors add=("Add a sector", new(RecordKind::Sector)) />
            <Section heading="Unit standards" id="standards-heading" rows=unit_standards add=("Add a unit standard", new(RecordKind::UnitStandard)) />
            <Section heading="Funding schemes" id="schemes-heading" rows=funding_schemes add=("Add a funding scheme", new(RecordKind::FundingScheme)) />
        }
        .into_any(),
        false => {
            // A provider adds intakes to current credentials: each links to a new intake.
            let add: Vec<RecordLink> = credentials
                .into_iter()
                .map(|c| RecordLink {
                    href: format!(
                        "{}?credential={}",
                        RecordKind::Intake.href("new"),
                        c.href.rsplit('/').next().unwrap_or_default()
                    ),
                    label: format!("Add an intake of {}", c.label),
                    detail: String::new(),
                })
                .collect();
            view! {
                <Section heading="Your intakes" id="intakes-heading" rows=intakes />
                <Section heading="Add an intake" id="add-heading" rows=add />
            }
            .into_any()
        }
    }
}

#[component]
pub fn RecordPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let save = ServerAction::<SaveRecord>::new();
    let saved = successes(save);
    let sent = submitted::<RecordSubmission>();
    let record = Resource::new(
        move || {
            let p = params.read();
            let q = query.read();
            (
                p.get("kind").unwrap_or_default(),
                p.get("key").unwrap_or_default(),
                q.get("credential").unwrap_or_default(),
                saved.get(),
            )
        },
        |(kind, key, credential, _)| async move {
            match RecordKind::from_path(&kind) {
                Some(kind) => get_record(kind, key, credential).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // After a save, the record's own page (a new record's address is new).
    Effect::new(move |_| {
        if let Some(Ok(href)) = save.value().get() {
            let here = params.read_untracked().get("key").unwrap_or_default();
            if here == "new" {
                use_navigate()(&format!("{href}?saved=1"), Default::default());
            }
        }
    });
    view! {
        <Title text="Catalogue" />
        <DashboardNav current="" />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/dashboard/catalogue">"Catalogue"</a></nav>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let sent = sent.await;
                match record.await {
                    Ok(form) => view! { <Editor form sent save /> }.into_any(),
                    Err(e) => refused(e),
                }
            })}
        </Suspense>
    }
}

/// What the page shows of the last refusal: the save's in the browser, else the one the
/// server rendered the page again for.
fn refusal_of(e: &AppError) -> (Vec<FieldError>, Option<String>) {
    match e {
        AppError::Refused { errors, message } => (errors.clone(), message.clone()),
        other => (Vec::new(), Some(other.to_string())),
    }
}

#[component]
fn Editor(
    form: RecordForm,
    sent: Option<RecordSubmission>,
    save: ServerAction<SaveRecord>,
) -> impl IntoView {
    let rendered_error = sent.as_ref().map(|s| s.error.clone());
    let error = Signal::derive({
        let rendered = rendered_error.clone();
        move || match save.value().get() {
            Some(Err(e)) => Some(e),
            Some(Ok(_)) => None,
            None => rendered.clone(),
        }
    });
    let errors = Signal::derive(move || error.get().map(|e| refusal_of(&e).0).unwrap_or_default());
    let message = Signal::derive(move || error.get().and_then(|e| refusal_of(&e).1));
    Effect::new(move |_| {
        if save.value().read().as_ref().is_some_and(|r| r.is_err()) {
            crate::ui::focus::refocus(ERROR_SUMMARY_ID);
        }
    });
    let version = {
        let loaded = form.version;
        Signal::derive(move || match error.get() {
            Some(AppError::Stale { version, .. }) => version,
            _ => loaded,
        })
    };
    let values = sent
        .as_ref()
        .map(|s| s.values.clone())
        .unwrap_or_else(|| form.values.clone());
    let loaded_values = form.values.clone();
    let labels: BTreeMap<String, String> = form
        .fields
        .iter()
        .map(|f| (f.name.clone(), f.label.clone()))
        .collect();
    let stale = move || match error.get() {
        Some(AppError::Stale { current, .. }) => {
            let changed: Vec<(String, String)> = current
                .into_iter()
                .map(|now| (now.field, now.message))
                .filter(|(k, v)| loaded_values.get(k) != Some(v))
                .collect();
            Some(view! {
                <section class="stale" aria-labelledby="stale-heading">
                    <h2 id="stale-heading">"Saved meanwhile"</h2>
                    <p>"These fields now hold:"</p>
                    <dl class="facts">
                        {changed.into_iter().map(|(k, v)| {
                            // A checkbox or funding value is named `{field}.{choice}`.
                            let field = k.split('.').next().unwrap_or_default();
                            let label = labels.get(field).cloned().unwrap_or_else(|| k.clone());
                            let shown = if k.contains('.') { format!("{label} ({})", k.split_once('.').map(|(_, c)| c).unwrap_or_default()) } else { label };
                            view! { <div><dt>{shown}</dt><dd>{v}</dd></div> }
                        }).collect_view()}
                    </dl>
                </section>
            })
        }
        _ => None,
    };
    let query = use_query_map();
    let saved_now = move || {
        let here = query.read().get("saved").is_some();
        (matches!(save.value().get(), Some(Ok(_))) || (here && save.value().get().is_none()))
            .then_some("Saved.")
    };
    let action = match form.credential.is_empty() || form.key != "new" {
        true => form.kind.href(&form.key),
        false => format!(
            "{}?credential={}",
            form.kind.href(&form.key),
            form.credential
        ),
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if let Ok(input) = SaveRecord::from_event(&ev) {
            ev.prevent_default();
            save.dispatch(input);
        }
    };
    let pending = save.pending();
    let RecordForm {
        kind,
        key,
        heading,
        credential,
        fields,
        note,
        links,
        history,
        ..
    } = form;
    view! {
        <Title text=title_text(heading.clone()) />
        <h1>{heading}</h1>
        <p role="status" class="done">{saved_now}</p>
        {(!note.is_empty()).then(|| view! { <p class="hint">{note}</p> })}
        <ErrorSummary errors message autofocus=rendered_error.is_some() heading="The record was not saved" />
        {stale}
        <form method="post" action=action class="record-form" on:submit=on_submit novalidate>
            <input type="hidden" name="kind" value=kind.path() />
            <input type="hidden" name="key" value=key />
            <input type="hidden" name="credential" value=credential />
            <input type="hidden" name="version" prop:value=move || version.get().to_string() value=version.get_untracked().to_string() />
            {fields.into_iter().map(|f| view! { <FieldControl f values=values.clone() errors /> }).collect_view()}
            <button type="submit" disabled=move || pending.get()>"Save"</button>
        </form>
        {(!links.is_empty()).then(|| view! {
            <section aria-labelledby="links-heading">
                <h2 id="links-heading">"Related"</h2>
                <ul class="record-list">
                    {links.into_iter().map(|l| view! { <li><a href=l.href>{l.label}</a>" "<span class="muted">{l.detail}</span></li> }).collect_view()}
                </ul>
            </section>
        })}
        {(!history.is_empty()).then(|| view! { <History history /> })}
    }
}

fn message_for(errors: Signal<Vec<FieldError>>, name: String) -> impl IntoView {
    let id = format!("{name}-error");
    view! { <p class="field-error" id=id>{move || error_for(&errors.read(), &name)}</p> }
}

#[component]
fn FieldControl(
    f: FormField,
    values: BTreeMap<String, String>,
    errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let FormField {
        name,
        label,
        hint,
        control,
        fixed,
    } = f;
    let value = values.get(&name).cloned().unwrap_or_default();
    let input_name = format!("values[{name}]");
    let described = format!("{name}-hint {name}-error");
    let hint_view = {
        let id = format!("{name}-hint");
        view! { <p class="hint" id=id>{hint}</p> }
    };
    let message = message_for(errors, name.clone());
    match control {
        Control::Text | Control::Number | Control::Date => {
            let kind = match control {
                Control::Date => "date",
                _ => "text",
            };
            let mode = matches!(control, Control::Number).then_some("numeric");
            view! {
                <div class="field">
                    <label for=name.clone()>{label}</label>
                    {hint_view}
                    <input id=name type=kind inputmode=mode name=input_name value=value readonly=fixed aria-describedby=described />
                    {message}
                </div>
            }
            .into_any()
        }
        Control::LongText => view! {
            <div class="field">
                <label for=name.clone()>{label}</label>
                {hint_view}
                <textarea id=name name=input_name rows="4" aria-describedby=described>{value}</textarea>
                {message}
            </div>
        }
        .into_any(),
        Control::Select(_) if fixed => view! {
            <div class="field">
                <label for=name.clone()>{label}</label>
                {hint_view}
                <input id=name type="text" name=input_name value=value readonly=true aria-describedby=described />
                {message}
            </div>
        }
        .into_any(),
        Control::Select(choices) => view! {
            <div class="field">
                <label for=name.clone()>{label}</label>
                {hint_view}
                <select id=name name=input_name aria-describedby=described>
                    <option value="" selected=value.is_empty()>"Choose…"</option>
                    {choices.into_iter().map(|c| {
                        let selected = c.value == value;
                        view! { <option value=c.value selected=selected>{c.label}</option> }
                    }).collect_view()}
                </select>
                {message}
            </div>
        }
        .into_any(),
        Control::Check => view! {
            <div class="field check">
                <input id=name.clone() type="checkbox" name=input_name value="on" checked=!value.is_empty() aria-describedby=described />
                <label for=name>{label}</label>
                {message}
            </div>
        }
        .into_any(),
        Control::Checks(choices) => view! {
            <fieldset class="choice" id=name.clone() aria-describedby=described>
                <legend>{label}</legend>
                {choices.into_iter().map(|c| {
                    let key = format!("{name}.{}", c.value);
                    let checked = values.contains_key(&key);
                    let id = format!("{name}-{}", c.value);
                    view! {
                        <div class="check">
                            <input type="checkbox" id=id.clone() name=format!("values[{key}]") value="on" checked=checked />
                            <label for=id>{c.label}</label>
                        </div>
                    }
                }).collect_view()}
                {message}
            </fieldset>
        }
        .into_any(),
        Control::Funding(schemes) => view! {
            <fieldset class="funding-links" id=name.clone() aria-describedby=described>
                <legend>{label}</legend>
                {hint_view}
                {schemes.into_iter().map(|s| {
                    let key = format!("funding.{}", s.value);
                    let note_key = format!("funding_note.{}", s.value);
                    let chosen = values.get(&key).cloned().unwrap_or_default();
                    let note = values.get(&note_key).cloned().unwrap_or_default();
                    let (select_id, note_id) = (format!("funding-{}", s.value), format!("funding-note-{}", s.value));
                    view! {
                        <div class="funding-row">
                            <label for=select_id.clone()>{s.label.clone()}</label>
                            <select id=select_id name=format!("values[{key}]")>
                                <option value="" selected=chosen.is_empty()>"Not listed"</option>
                                <option value="eligible" selected=chosen == "eligible">"Eligible"</option>
                                <option value="not-eligible" selected=chosen == "not-eligible">"Not eligible"</option>
                            </select>
                            <label for=note_id.clone() class="visually-hidden">{format!("Note on {}", s.label)}</label>
                            <input id=note_id type="text" name=format!("values[{note_key}]") value=note placeholder="Note (optional)" />
                        </div>
                    }
                }).collect_view()}
                {message}
            </fieldset>
        }
        .into_any(),
    }
}

#[component]
fn History(history: Vec<Change>) -> impl IntoView {
    view! {
        <section aria-labelledby="history-heading">
            <h2 id="history-heading">"Change history"</h2>
            <ol class="history">
                {history.into_iter().map(|c| view! {
                    <li>
                        <p><strong>{c.who}</strong>" "{c.action}" "<time class="muted" datetime=c.at.utc.clone()>{c.at.long()}</time></p>
                        <ul>
                            {c.fields.into_iter().map(|f| view! {
                                <li><code>{f.field}</code>": "{
                                    match f.before.is_empty() { true => "(empty)".to_owned(), false => f.before }
                                }" → "{
                                    match f.after.is_empty() { true => "(empty)".to_owned(), false => f.after }
                                }</li>
                            }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
