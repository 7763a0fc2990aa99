//! The dashboard's pages as lazy routes (`ui::lazy`): their code is fetched when a
//! coordinator first opens one, never by a learner.

use crate::dashboard::ui::detail::RegistrationDetailPage;
use crate::dashboard::ui::intakes::{IntakePage, IntakesPage};
use crate::dashboard::ui::overview::OverviewPage;
use crate::dashboard::ui::registrations::RegistrationsPageView;
use crate::dashboard::ui::users::AccountsPage;
use crate::lazy_page;

lazy_page!(OverviewRoute, OverviewPage);
lazy_page!(RegistrationsRoute, RegistrationsPageView);
lazy_page!(RegistrationRoute, RegistrationDetailPage);
lazy_page!(IntakesRoute, IntakesPage);
lazy_page!(IntakeRoute, IntakePage);
lazy_page!(AccountsRoute, AccountsPage);
