//! Form pieces every feature's forms share: a field's own message, and the error summary
//! that lists every problem, links to each field and takes focus when a submit is refused.

use leptos::prelude::*;

use crate::error::FieldError;

/// The message for `field`, if any.
pub fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.clone())
}

#[component]
pub fn FieldMessage(field: &'static str, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    view! {
        <p class="field-error" id=format!("{field}-error")>
            {move || error_for(&errors.read(), field)}
        </p>
    }
}

/// The summary's element id, for `ui::focus::refocus` after a refusal.
pub const ERROR_SUMMARY_ID: &str = "error-summary";

/// The summary above a refused form; `autofocus` when the server rendered it with errors
/// (no JavaScript); the hydrated form focuses it by `ERROR_SUMMARY_ID`.
#[component]
pub fn ErrorSummary(
    errors: RwSignal<Vec<FieldError>>,
    message: RwSignal<Option<String>>,
    autofocus: bool,
) -> impl IntoView {
    view! {
        <Show when=move || !errors.read().is_empty() || message.read().is_some()>
            <div id=ERROR_SUMMARY_ID class="error-summary" role="alert" tabindex="-1" autofocus=autofocus>
                <h2>"Please check your registration"</h2>
                {move || message.get().map(|m| view! { <p>{m}</p> })}
                <ul>
                    {move || errors.get().into_iter().map(|e| {
                        let href = if e.field == "intake" { "#intake-error".to_owned() } else { format!("#{}", e.field) };
                        view! { <li><a href=href>{e.message}</a></li> }
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}
