//! The account pages as one lazy area (`ui::lazy`): only coordinators open them.

use crate::auth::ui::password::{ForgotPasswordPage, ResetPasswordPage};
use crate::auth::ui::sign_in::SignInPage;
use crate::lazy_area;

lazy_area!(AccountPages, account_page {
    SignIn => SignInPage,
    ForgotPassword => ForgotPasswordPage,
    ResetPassword => ResetPasswordPage,
});

/// Which account page a path shows: `/sign-in`, `/forgot-password` or `/reset-password`.
pub fn account_page(path: &str) -> AccountPages {
    match path {
        "/forgot-password" => AccountPages::ForgotPassword,
        "/reset-password" => AccountPages::ResetPassword,
        _ => AccountPages::SignIn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_account_path_shows_its_page() {
        assert_eq!(account_page("/sign-in"), AccountPages::SignIn);
        assert_eq!(
            account_page("/forgot-password"),
            AccountPages::ForgotPassword
        );
        assert_eq!(account_page("/reset-password"), AccountPages::ResetPassword);
    }
}
