//! The registration pages as lazy routes (`ui::lazy`): the form, the group form and the
//! confirmation load their code when someone opens them, not with the catalogue.

use crate::lazy_page;
use crate::registration::ui::confirmation::ConfirmationPage;
use crate::registration::ui::form::RegisterPage;
use crate::registration::ui::group::GroupRegisterPage;

lazy_page!(RegisterRoute, RegisterPage);
lazy_page!(ConfirmationRoute, ConfirmationPage);
lazy_page!(GroupRoute, GroupRegisterPage);
