//! The one submit path for a learner's registration, whichever way it came: the form's
//! island through the `register` server function, or the form's plain POST without
//! JavaScript (`registration::server::routes`). It validates with the rules the browser uses
//! (`registration::validate`), screens (`screen`), counts a valid form against the address's
//! limit, then registers (`register`), and turns each `RegisterError` into the learner's
//! message: an [`AppError::Refused`] (at its field where it has one), or
//! [`AppError::Limited`] (429) for a cap, so both paths show the same words.

use crate::error::AppError;
use crate::registration::server::caps::Caps;
use crate::registration::server::place::RegisterError;
use crate::registration::server::register::register;
use crate::registration::server::screen::screen;
use crate::registration::types::RegistrationForm;
use crate::registration::types::RegistrationOutcome;
use crate::registration::validate::validate;
use crate::server::client::ClientAddr;
use crate::server::state::AppState;

/// Validates and registers `form`. A valid form counts against its client's per-address
/// limit (a mistake corrected does not); the per-email caps are applied with the intake
/// locked, after its own refusals (`register`: a full intake answers every address alike).
pub async fn submit(
    state: &AppState,
    slug: &str,
    form: &RegistrationForm,
    client: ClientAddr,
) -> Result<RegistrationOutcome, AppError> {
    let today = state.clock().today_iso();
    let refused = |errors| AppError::Refused {
        errors,
        message: None,
    };
    let valid = validate(form, &today).map_err(refused)?;
    screen(&valid).map_err(refused)?;
    state.limits.register(client.0)?;
    let caps = Caps::from(state.config.as_ref());
    register(&state.db.pool, slug, &valid, &today, &state.links, caps)
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
        // Never how many: the answer is the same for an address at the cap and past it.
        RegisterError::TooManyActive => AppError::Limited(
            "This email address already holds as many registrations that are confirmed or on \
             a waitlist as one person may hold at once. Cancel one you no longer need (the \
             link is in its confirmation email), or ask the provider."
                .to_owned(),
        ),
        RegisterError::TooManyEmails => AppError::Limited(
            "We have sent this email address as many emails as we will in one day. Please \
             try again tomorrow, or ask the provider to register you."
                .to_owned(),
        ),
        RegisterError::Db(e) => AppError::from(e),
    }
}
