//! One path for every registration, whether it came from the hydrated page (server
//! function) or a plain form POST: validate with the shared rules, then register. Every
//! refusal is an [`AppError::Refused`] tied to its field, so both paths show the same message.

use crate::error::AppError;
use crate::registration::server::store::{register, RegisterError};
use crate::registration::types::RegistrationOutcome;
use crate::registration::validate::{validate, RegistrationForm};
use crate::server::state::AppState;

pub async fn submit(
    state: &AppState,
    slug: &str,
    form: &RegistrationForm,
) -> Result<RegistrationOutcome, AppError> {
    let today = state.clock().today_iso();
    let valid = validate(form, &today).map_err(|errors| AppError::Refused {
        errors,
        message: None,
    })?;
    register(&state.db.pool, slug, &valid, &today, &state.links)
        .await
        .map_err(refusal)
}

/// What the learner is told when a valid form still cannot be registered.
fn refusal(e: RegisterError) -> AppError {
    match e {
        RegisterError::UnknownIntake => {
            AppError::field("intake", "Choose one of the intakes listed.")
        }
        RegisterError::WindowClosed => AppError::field(
            "intake",
            "Enrolment for this intake is not open. Choose another intake.",
        ),
        RegisterError::Full => AppError::field(
            "intake",
            "Sorry, this intake and its waitlist are full. Please choose another intake.",
        ),
        RegisterError::NotEnrolling => {
            AppError::form("This micro-credential is not taking new enrolments.")
        }
        RegisterError::AlreadyRegistered => AppError::field(
            "email",
            "You are already registered for this intake with this email address. Your reference \
             and a link to your registration are in the confirmation email we sent you.",
        ),
        RegisterError::Db(e) => AppError::from(e),
    }
}
