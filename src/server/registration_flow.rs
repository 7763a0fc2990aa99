//! One path for every registration, whether it came from the hydrated page (server
//! function) or a plain form POST: validate with the shared rules, then register.

use crate::error::AppError;
use crate::registration::types::RegisterReply;
use crate::registration::validate::{validate, FieldError, RegistrationForm};
use crate::server::registration::{register, RegisterError};
use crate::server::state::AppState;

fn refuse_field(field: &str, message: &str) -> RegisterReply {
    RegisterReply::Refused {
        errors: vec![FieldError {
            field: field.to_owned(),
            message: message.to_owned(),
        }],
        message: None,
    }
}

pub async fn submit(
    state: &AppState,
    slug: &str,
    form: &RegistrationForm,
) -> Result<RegisterReply, AppError> {
    let today = state.clock.today_iso();
    let valid = match validate(form, &today) {
        Ok(v) => v,
        Err(errors) => {
            return Ok(RegisterReply::Refused {
                errors,
                message: None,
            })
        }
    };
    match register(&state.db.pool, slug, &valid, &today, &state.public_url).await {
        Ok(outcome) => Ok(RegisterReply::Registered(outcome)),
        Err(RegisterError::UnknownIntake) => {
            Ok(refuse_field("intake", "Choose one of the intakes listed."))
        }
        Err(RegisterError::WindowClosed) => Ok(refuse_field(
            "intake",
            "Enrolment for this intake is not open. Choose another intake.",
        )),
        Err(RegisterError::Full) => Ok(refuse_field(
            "intake",
            "Sorry, this intake and its waitlist are full. Please choose another intake.",
        )),
        Err(RegisterError::NotEnrolling) => Ok(RegisterReply::Refused {
            errors: vec![],
            message: Some("This micro-credential is not taking new enrolments.".into()),
        }),
        Err(RegisterError::AlreadyRegistered) => Ok(refuse_field(
            "email",
            "You are already registered for this intake with this email address. Your reference \
             and a link to your registration are in the confirmation email we sent you.",
        )),
        Err(RegisterError::Db(e)) => Err(AppError::from(e)),
    }
}
