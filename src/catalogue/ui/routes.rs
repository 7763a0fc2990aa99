//! The learner's pages after the search, as one lazy area (`ui::lazy`): a credential's
//! detail page, its registration form and the confirmation. Their code comes with the
//! first visit to a credential, so the search page a learner lands on loads only what it
//! needs, and the step from detail to form to confirmation loads nothing more.

use crate::catalogue::ui::detail::DetailPage;
use crate::lazy_area;
use crate::registration::ui::confirmation::ConfirmationPage;
use crate::registration::ui::form::RegisterPage;

lazy_area!(LearnerPages, learner_page {
    Detail => DetailPage,
    Register => RegisterPage,
    Confirmation => ConfirmationPage,
});

/// Which learner's page a path shows: `/credentials/{slug}`,
/// `/credentials/{slug}/register` or `/registrations/{reference}`.
pub fn learner_page(path: &str) -> LearnerPages {
    if path.starts_with("/registrations/") {
        LearnerPages::Confirmation
    } else if path.ends_with("/register") {
        LearnerPages::Register
    } else {
        LearnerPages::Detail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_learner_path_shows_its_page() {
        assert_eq!(learner_page("/credentials/chainsaw"), LearnerPages::Detail);
        assert_eq!(
            learner_page("/credentials/register-now"),
            LearnerPages::Detail
        );
        assert_eq!(
            learner_page("/credentials/chainsaw/register"),
            LearnerPages::Register
        );
        assert_eq!(
            learner_page("/registrations/TOHU-7K3M9Q"),
            LearnerPages::Confirmation
        );
    }
}
