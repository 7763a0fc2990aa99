//! Setting a password through an emailed one-time link: "forgot password" (valid 30
//! minutes) and an invitation (valid 7 days). The link is signed with the server
//! secret over the user's id, their link version and the expiry (`server::links`); setting
//! the password bumps the version, so a link works once, and the new hash ends every
//! session signed in with the old password (axum-login's session hash). Setting it also
//! clears the wrong passwords counted against the account (`auth::server::throttle`).

use sqlx::AnyPool;
use time::OffsetDateTime;

use crate::auth::server::{argon, work};
use crate::auth::types::DEAD_LINK;
use crate::error::AppError;
use crate::server::email::email_key;
use crate::server::links::{self, LinkSecret, PASSWORD};
use crate::server::outbox::{self, Email};

/// How long a "forgot password" link works.
pub const RESET_SECS: i64 = 30 * 60;
/// How long an invitation works.
pub const INVITE_SECS: i64 = 7 * 24 * 60 * 60;
/// Shortest and longest password accepted.
pub const MIN_PASSWORD: usize = 12;
pub const MAX_PASSWORD: usize = 1024;

fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Queues a password link for the active account with this email, if there is one. The
/// answer is the same either way, so the form tells nobody which emails have accounts.
pub async fn request_reset(pool: &AnyPool, email: &str) -> Result<(), AppError> {
    let user: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, email FROM users WHERE email_key = $1 AND disabled = 0")
            .bind(email_key(email))
            .fetch_optional(pool)
            .await?;
    let Some((id, name, address)) = user else {
        return Ok(());
    };
    let expires = now() + RESET_SECS;
    let mut tx = pool.begin().await?;
    outbox::queue(
        &mut tx,
        &format!("password:{id}:{expires}"),
        &address,
        &reset_email(&name, &links::password_spec(id, expires)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Queues the invitation of a new account, whose password is not set yet.
pub async fn invite(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    name: &str,
    address: &str,
    organisation: &str,
) -> Result<(), sqlx::Error> {
    let expires = now() + INVITE_SECS;
    let email = Email {
        subject: "Your Tohu coordinator account".to_owned(),
        body: format!(
            "Kia ora {name},\n\nAn account has been made for you on Tohu's coordinator \
             dashboard ({organisation}). Choose your password here; the link works once, for \
             7 days:\n{}\n\nNgā mihi,\nTohu\n",
            links::MARKER
        ),
        link: Some(links::password_spec(id, expires)),
        calendar: None,
    };
    outbox::queue(tx, &format!("invite:{id}:{expires}"), address, &email).await
}

fn reset_email(name: &str, link: &str) -> Email {
    Email {
        subject: "Choose a new Tohu password".to_owned(),
        body: format!(
            "Kia ora {name},\n\nSomeone asked to reset the password of your Tohu account. If \
             it was you, choose a new one here (the link works once, for 30 minutes):\n{link}\n\n\
             If it was not you, ignore this email: your password stays as it is.\n\nNgā mihi,\nTohu\n",
            link = links::MARKER,
        ),
        link: Some(link.to_owned()),
        calendar: None,
    }
}

/// A password link as it arrives: the query of `/reset-password`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PasswordLink {
    #[serde(default)]
    pub user: i64,
    #[serde(default)]
    pub expires: i64,
    #[serde(default)]
    pub token: String,
}

/// The user's current link version if `link` is theirs, unexpired and not yet used.
pub async fn check(
    pool: &AnyPool,
    secret: &LinkSecret,
    link: &PasswordLink,
) -> Result<Option<i64>, AppError> {
    if link.expires <= now() || link.token.len() != 32 {
        return Ok(None);
    }
    let version: Option<i64> =
        sqlx::query_scalar("SELECT link_version FROM users WHERE id = $1 AND disabled = 0")
            .bind(link.user)
            .fetch_optional(pool)
            .await?;
    Ok(version.filter(|v| {
        secret.verify(
            PASSWORD,
            link.user,
            *v,
            &link.expires.to_string(),
            &link.token,
        )
    }))
}

/// Sets the password of the link's user and spends the link. Refusals are tied to the
/// field (`password`, `confirm`) or, for a dead link, to the form.
pub async fn set_password(
    pool: &AnyPool,
    secret: &LinkSecret,
    link: &PasswordLink,
    password: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(AppError::field(
            "password",
            format!("Use at least {MIN_PASSWORD} characters; a few words together work well."),
        ));
    }
    if password.len() > MAX_PASSWORD {
        return Err(AppError::field("password", "That password is too long."));
    }
    if password != confirm {
        return Err(AppError::field(
            "confirm",
            "The two passwords are not the same.",
        ));
    }
    let Some(version) = check(pool, secret, link).await? else {
        return Err(AppError::form(DEAD_LINK));
    };
    let owned = password.to_owned();
    let Some(hash) = work::run(move || argon::generate_hash(owned.as_bytes())).await? else {
        tracing::error!("password not hashed");
        return Err(AppError::Internal);
    };
    // The version in the WHERE makes two uses of one link race to one winner.
    let changed = sqlx::query(
        "UPDATE users SET password_hash = $1, link_version = link_version + 1 \
         WHERE id = $2 AND link_version = $3",
    )
    .bind(hash)
    .bind(link.user)
    .bind(version)
    .execute(pool)
    .await?
    .rows_affected();
    match changed {
        1 => {
            tracing::info!(user_id = link.user, "password set through a link");
            // The owner proved they hold the mailbox: wrong passwords counted against the
            // account (perhaps someone else's) no longer slow anyone down.
            let key: Option<String> =
                sqlx::query_scalar("SELECT email_key FROM users WHERE id = $1")
                    .bind(link.user)
                    .fetch_optional(pool)
                    .await?;
            if let Some(key) = key {
                crate::auth::server::throttle::clear(pool, &key).await?;
            }
            Ok(())
        }
        _ => Err(AppError::form(DEAD_LINK)),
    }
}
