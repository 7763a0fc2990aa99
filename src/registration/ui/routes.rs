//! The registration pages as lazy routes (`ui::lazy`): the form and the confirmation load
//! their code when a learner opens them, not with the catalogue.

use crate::lazy_page;
use crate::registration::ui::confirmation::ConfirmationPage;
use crate::registration::ui::form::RegisterPage;

lazy_page!(RegisterRoute, RegisterPage);
lazy_page!(ConfirmationRoute, ConfirmationPage);
