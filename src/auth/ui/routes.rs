//! The account pages as lazy routes (`ui::lazy`): only coordinators open them.

use crate::auth::ui::password::{ForgotPasswordPage, ResetPasswordPage};
use crate::auth::ui::sign_in::SignInPage;
use crate::lazy_page;

lazy_page!(SignInRoute, SignInPage);
lazy_page!(ForgotPasswordRoute, ForgotPasswordPage);
lazy_page!(ResetPasswordRoute, ResetPasswordPage);
