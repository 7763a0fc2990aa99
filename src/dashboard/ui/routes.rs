//! The coordinators' pages as one lazy area (`ui::lazy`): the dashboard's pages and an
//! employer's group registration. Their code is fetched when a coordinator first opens
//! one, never by a learner, and then moving between them loads nothing more.

use crate::dashboard::ui::catalogue::{CataloguePage, RecordPage};
use crate::dashboard::ui::completions::CompletionsPage;
use crate::dashboard::ui::detail::RegistrationDetailPage;
use crate::dashboard::ui::intakes::{IntakePage, IntakesPage};
use crate::dashboard::ui::overview::OverviewPage;
use crate::dashboard::ui::registrations::RegistrationsPageView;
use crate::dashboard::ui::users::AccountsPage;
use crate::lazy_area;
use crate::registration::ui::group::GroupRegisterPage;

lazy_area!(CoordinatorPages, coordinator_page {
    Overview => OverviewPage,
    Registrations => RegistrationsPageView,
    Registration => RegistrationDetailPage,
    Intakes => IntakesPage,
    Intake => IntakePage,
    Accounts => AccountsPage,
    Completions => CompletionsPage,
    Catalogue => CataloguePage,
    Record => RecordPage,
    Group => GroupRegisterPage,
});

/// Which coordinator's page a path shows: `/dashboard`, `/dashboard/registrations`,
/// `/dashboard/registrations/{reference}`, `/dashboard/intakes`,
/// `/dashboard/intakes/{id}`, `/dashboard/users`, `/dashboard/completions`,
/// `/dashboard/catalogue`, `/dashboard/catalogue/{kind}/{key}` or
/// `/credentials/{slug}/group`.
pub fn coordinator_page(path: &str) -> CoordinatorPages {
    if path.starts_with("/credentials/") {
        return CoordinatorPages::Group;
    }
    let rest = path.strip_prefix("/dashboard").unwrap_or_default();
    let mut parts = rest.split('/').filter(|p| !p.is_empty());
    match (parts.next(), parts.next()) {
        (Some("registrations"), None) => CoordinatorPages::Registrations,
        (Some("registrations"), Some(_)) => CoordinatorPages::Registration,
        (Some("intakes"), None) => CoordinatorPages::Intakes,
        (Some("intakes"), Some(_)) => CoordinatorPages::Intake,
        (Some("users"), _) => CoordinatorPages::Accounts,
        (Some("completions"), _) => CoordinatorPages::Completions,
        (Some("catalogue"), None) => CoordinatorPages::Catalogue,
        (Some("catalogue"), Some(_)) => CoordinatorPages::Record,
        _ => CoordinatorPages::Overview,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_coordinator_path_shows_its_page() {
        use CoordinatorPages::*;
        for (path, page) in [
            ("/dashboard", Overview),
            ("/dashboard/registrations", Registrations),
            ("/dashboard/registrations/TOHU-7K3M9Q", Registration),
            ("/dashboard/intakes", Intakes),
            ("/dashboard/intakes/12", Intake),
            ("/dashboard/users", Accounts),
            ("/dashboard/completions", Completions),
            ("/dashboard/catalogue", Catalogue),
            ("/dashboard/catalogue/credential/chainsaw-use", Record),
            ("/dashboard/catalogue/intake/new", Record),
            ("/credentials/chainsaw/group", Group),
        ] {
            assert_eq!(coordinator_page(path), page, "{path}");
        }
    }
}
