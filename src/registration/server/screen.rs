//! The server's own look at a registration the shared rules have passed: checks whose
//! tables are too big for the browser's WASM. Names and the employer may hold no invisible
//! or unassigned characters (Unicode's format, line and paragraph separator, private-use,
//! unassigned, surrogate and control categories), and the email must be an address the
//! outbox can send to (lettre's parser, and a domain that IDNA accepts).

use icu_properties::props::GeneralCategory;
use icu_properties::CodePointMapData;

use crate::error::FieldError;
use crate::registration::validate::ValidRegistration;

/// A character nobody types in a name: it hides text or has no meaning yet.
pub fn is_hidden(c: char) -> bool {
    matches!(
        CodePointMapData::<GeneralCategory>::new().get(c),
        GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
            | GeneralCategory::PrivateUse
            | GeneralCategory::Unassigned
            | GeneralCategory::Surrogate
            | GeneralCategory::Control
    )
}

/// Whether `email` is an address the outbox can send to.
pub fn deliverable(email: &str) -> bool {
    let Ok(address) = email.trim().parse::<lettre::Address>() else {
        return false;
    };
    idna::domain_to_ascii(address.domain()).is_ok_and(|d| d.contains('.'))
}

/// Every problem, at its field, in the form's words.
pub fn screen(v: &ValidRegistration) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut text = |field: &str, label: &str, value: &str| {
        if value.chars().any(is_hidden) {
            errors.push(FieldError {
                field: field.to_owned(),
                message: format!("{label} contains a hidden or unusual character."),
            });
        }
    };
    text("given_name", "Your given name", &v.learner.given_name);
    text("family_name", "Your family name", &v.learner.family_name);
    text(
        "employer",
        "Employer",
        v.learner.employer.as_deref().unwrap_or_default(),
    );
    if !deliverable(&v.learner.email) {
        errors.push(FieldError {
            field: "email".to_owned(),
            message: "We could not send email to that address. Check it for typing mistakes."
                .to_owned(),
        });
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters() {
        for c in [
            '\u{200D}', '\u{2028}', '\u{2029}', '\u{E000}', '\u{0378}', '\u{00AD}', '\u{0007}',
        ] {
            assert!(is_hidden(c), "{:X}", c as u32);
        }
        for c in ['ā', 'Ō', 'a', ' ', '-', '\'', 'ʻ', '李'] {
            assert!(!is_hidden(c), "{c}");
        }
    }

    #[test]
    fn deliverable_addresses() {
        assert!(deliverable("mere@example.co.nz"));
        assert!(deliverable("mere@māori.nz"));
        assert!(!deliverable("mere@localhost"));
        assert!(!deliverable("mere@exa mple.nz"));
        assert!(!deliverable("<mere@example.nz>"));
    }
}
