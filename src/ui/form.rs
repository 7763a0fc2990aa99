//! Form pieces every feature's forms share: a field's own message, the error summary that
//! lists every problem, links to each field and takes focus when a submit is refused, and
//! what a refused plain POST sent (`submitted`), for the page rendered again with it.

use leptos::prelude::*;

use crate::error::{AppError, FieldError};

/// What a refused plain POST sent and why it was refused, when this render answers it:
/// `server::rerender::with_submission` renders the form's page again with that value (the
/// form's own type, from its feature's `types.rs`) in context. The one way a page reads it.
/// A server-only page (the learner's, in islands mode) reads it at once with
/// `submitted_now`; a hydrated page awaits `submitted`, a resource whose value travels with
/// the page, so hydration draws what the server drew. In the browser, later, there is none.
pub fn submitted<T>() -> Resource<Option<T>>
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    Resource::new(
        || (),
        |_| {
            let value = submitted_now::<T>();
            async move { value }
        },
    )
}

/// `submitted`, read during the server's render (`None` in the browser, where nothing
/// provides it).
pub fn submitted_now<T: Clone + Send + Sync + 'static>() -> Option<T> {
    use_context::<T>()
}

/// The message for `field`, if any.
pub fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.clone())
}

#[component]
pub fn FieldMessage(
    field: &'static str,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    view! {
        <p class="field-error" id=format!("{field}-error")>
            {move || error_for(&errors.read(), field)}
        </p>
    }
}

/// The summary's element id, for `ui::focus::refocus` after a refusal.
pub const ERROR_SUMMARY_ID: &str = "error-summary";

/// The summary above a refused form; `autofocus` when the server rendered it with errors
/// (each refusal of the registration form, which posts natively; any form without
/// JavaScript). A live form (the dashboard's, the registration island) focuses it by
/// `ERROR_SUMMARY_ID` after a refusal in the browser.
#[component]
pub fn ErrorSummary(
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(into)] message: Signal<Option<String>>,
    autofocus: bool,
    #[prop(default = "Please check your registration")] heading: &'static str,
) -> impl IntoView {
    view! {
        <Show when=move || !errors.read().is_empty() || message.read().is_some()>
            <div id=ERROR_SUMMARY_ID class="error-summary" role="alert" tabindex="-1" autofocus=autofocus>
                <h2>{heading}</h2>
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

/// The refusal in the last result of a server action, split for `ErrorSummary` and
/// `FieldMessage`: the field errors, and the message for the whole form (for any other
/// error, its text).
pub fn refusal<T>(
    result: impl Fn() -> Option<Result<T, AppError>> + Copy + Send + Sync + 'static,
) -> (Signal<Vec<FieldError>>, Signal<Option<String>>)
where
    T: 'static,
{
    let errors = Signal::derive(move || match result() {
        Some(Err(AppError::Refused { errors, .. })) => errors,
        _ => Vec::new(),
    });
    let message = Signal::derive(move || match result() {
        Some(Err(AppError::Refused { message, .. })) => message,
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    });
    (errors, message)
}

/// `refusal`, plus what every refused form does: the summary takes focus after a refusal
/// in the browser, and `autofocus` (the third value) when the server rendered it refused.
pub fn refusal_focused<T>(
    result: impl Fn() -> Option<Result<T, AppError>> + Copy + Send + Sync + 'static,
) -> (Signal<Vec<FieldError>>, Signal<Option<String>>, bool)
where
    T: 'static,
{
    let (errors, message) = refusal(result);
    Effect::new(move |_| {
        if message.read().is_some() || !errors.read().is_empty() {
            crate::ui::focus::refocus(ERROR_SUMMARY_ID);
        }
    });
    let rendered = message.get_untracked().is_some() || !errors.get_untracked().is_empty();
    (errors, message, rendered)
}
