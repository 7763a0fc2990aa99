//! The axum-login backend: users from the database, passwords checked with argon2id
//! (password-auth's defaults: m = 19 MiB, t = 2, p = 1, the OWASP minimum) on a password
//! worker thread, under the process's bound on password work (`work`, `argon`). An unknown
//! email is checked against a dummy hash, so both answers take one Argon2 verification and
//! the timing does not tell which accounts exist.

use std::sync::LazyLock;

use axum_login::{AuthUser, AuthnBackend, UserId};
use sqlx::AnyPool;

use crate::auth::server::argon;
use crate::auth::server::work::{self, WorkError};
use crate::auth::types::Role;
use crate::server::email::email_key;

/// A coordinator's account as the server sees it. Not `Serialize`: it holds the hash.
#[derive(Clone)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<i64>,
    password_hash: String,
    /// The password hash and the account's version, which setting a password and disabling
    /// bump: what a session must still match.
    session_hash: String,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl AuthUser for User {
    type Id = i64;

    fn id(&self) -> i64 {
        self.id
    }

    /// A changed password ends every session signed in with the old one, and disabling the
    /// account ends them all: re-enabling it revives none (issue 27).
    fn session_auth_hash(&self) -> &[u8] {
        self.session_hash.as_bytes()
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    organisation_id: Option<i64>,
    password_hash: Option<String>,
    link_version: i64,
}

impl UserRow {
    fn into_user(self) -> Option<User> {
        let password_hash = self.password_hash?;
        Some(User {
            session_hash: format!("{password_hash}\u{0}{}", self.link_version),
            id: self.id,
            email: self.email,
            name: self.name,
            role: Role::parse(&self.role)?,
            organisation_id: self.organisation_id,
            password_hash,
        })
    }
}

const USER_COLUMNS: &str = "id, email, name, role, organisation_id, password_hash, link_version";

/// The email and password someone typed.
#[derive(Clone)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// The process's password work is at its bound (`work`), or the check stopped.
    #[error(transparent)]
    Work(#[from] WorkError),
}

#[derive(Clone, Debug)]
pub struct Backend {
    pool: AnyPool,
}

impl Backend {
    pub fn new(pool: AnyPool) -> Self {
        Self { pool }
    }
}

/// A real argon2id hash of a password nobody has, made once per process.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| password_auth::generate_hash("no account has this password"));

/// Checks `password` against `hash`, or against the dummy hash when there is no account, so
/// both cases cost one Argon2 verification. True only for a real account's right password.
pub fn verify(password: &str, hash: Option<&str>) -> bool {
    let matched = argon::verify_password(password.as_bytes(), hash.unwrap_or(&DUMMY_HASH));
    matched && hash.is_some()
}

impl AuthnBackend for Backend {
    type User = User;
    type Credentials = Credentials;
    type Error = BackendError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<User>, BackendError> {
        let row = sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email_key = $1 AND disabled = 0"
        ))
        .bind(email_key(&creds.email))
        .fetch_optional(&self.pool)
        .await?;
        let user = row.and_then(UserRow::into_user);
        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let ok = work::run(move || verify(&creds.password, hash.as_deref())).await?;
        Ok(user.filter(|_| ok))
    }

    /// A disabled account's sessions end at its next request.
    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<User>, BackendError> {
        let row = sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE id = $1 AND disabled = 0"
        ))
        .bind(*id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(UserRow::into_user))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_right_password_of_a_real_account_passes() {
        let hash = password_auth::generate_hash("kōwhai-tree-2026");
        assert!(verify("kōwhai-tree-2026", Some(&hash)));
        assert!(!verify("kowhai-tree-2026", Some(&hash)));
        // No account: the dummy hash is checked, and even its own password fails.
        assert!(!verify("no account has this password", None));
        assert!(!verify("anything", None));
    }

    #[test]
    fn hashes_are_argon2id_at_the_owasp_minimum() {
        let hash = password_auth::generate_hash("x");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(DUMMY_HASH.starts_with("$argon2id$"));
    }
}
