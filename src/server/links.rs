//! The links Tohu emails (a learner's registration link, a coordinator's password link)
//! carry a token that is derived, never stored: HMAC-SHA256(server secret, purpose ‖ row id
//! ‖ the row's link version ‖ expiry). The outbox keeps only the link's name in its own
//! column (`registration:42`) and a `{link}` marker in the text; the worker derives the link
//! as it sends, for that message's recipient only. So no table holds a usable token,
//! "resend" sends the same link, and bumping the row's version revokes it. Nothing typed into
//! a message's text is ever read as a link.

use std::path::Path;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::AnyPool;

use crate::server::config::Config;
use crate::server::email::email_key;

type HmacSha256 = Hmac<Sha256>;

/// Purposes a link can have; each signs differently, so one kind never opens another.
pub const REGISTRATION: &str = "registration";
pub const PASSWORD: &str = "password";

/// The server secret that links are signed with. `Debug` never shows it.
#[derive(Clone)]
pub struct LinkSecret(Arc<Vec<u8>>);

impl std::fmt::Debug for LinkSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkSecret(..)")
    }
}

impl LinkSecret {
    pub fn new(secret: &[u8]) -> Self {
        Self(Arc::new(secret.to_vec()))
    }

    /// The configured secret; with SQLite and none configured, the one in the file beside
    /// the database, generated on first use (readable by its owner only).
    pub fn from_config(config: &Config) -> Result<Self, String> {
        if let Some(secret) = &config.secret {
            return Ok(Self::new(secret.0.as_bytes()));
        }
        let Some(path) = config.database_url.strip_prefix("sqlite:") else {
            return Err(
                "set TOHU_SECRET (32+ characters, the same on every instance): it signs the \
                 links Tohu emails"
                    .to_owned(),
            );
        };
        let file = format!("{}.secret", path.trim_start_matches("//"));
        Self::from_file(Path::new(&file))
    }

    fn from_file(file: &Path) -> Result<Self, String> {
        if let Ok(text) = std::fs::read_to_string(file) {
            let text = text.trim();
            if text.len() >= 32 {
                return Ok(Self::new(text.as_bytes()));
            }
        }
        let bytes: [u8; 32] = rand::random();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        write_private(file, &hex).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        Ok(Self::new(hex.as_bytes()))
    }

    fn mac(&self, purpose: &str, id: i64, version: i64, extra: &str) -> HmacSha256 {
        // HMAC takes a key of any length; this cannot fail.
        let mut mac = HmacSha256::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!());
        mac.update(format!("{purpose}\u{0}{id}\u{0}{version}\u{0}{extra}").as_bytes());
        mac
    }

    /// The token of link `purpose` for row `id` at `version` (and `extra`, e.g. an expiry):
    /// 128 bits of the HMAC, as 32 hex digits.
    pub fn token(&self, purpose: &str, id: i64, version: i64, extra: &str) -> String {
        let tag = self
            .mac(purpose, id, version, extra)
            .finalize()
            .into_bytes();
        tag[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether `token` is that link's token, compared in constant time.
    pub fn verify(&self, purpose: &str, id: i64, version: i64, extra: &str, token: &str) -> bool {
        let Some(bytes) = hex_bytes(token) else {
            return false;
        };
        bytes.len() == 16
            && self
                .mac(purpose, id, version, extra)
                .verify_truncated_left(&bytes)
                .is_ok()
    }
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

#[cfg(unix)]
pub(crate) fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(file)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
pub(crate) fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(file, text)
}

/// Where a message's link goes in its text.
pub const MARKER: &str = "{link}";

/// The name of a registration's link, kept in the outbox's `link` column.
pub fn registration_spec(registration_id: i64) -> String {
    format!("{REGISTRATION}:{registration_id}")
}

/// The name of a password link of user `user_id` that expires at `expires` (Unix seconds).
pub fn password_spec(user_id: i64, expires: i64) -> String {
    format!("{PASSWORD}:{user_id}:{expires}")
}

/// The registration link of `reference` (row `id`, link version `version`).
pub fn registration_link(
    secret: &LinkSecret,
    base_url: &str,
    reference: &str,
    id: i64,
    version: i64,
) -> String {
    let token = secret.token(REGISTRATION, id, version, "");
    format!("{base_url}/registrations/{reference}?token={token}")
}

/// The password link of user `id` at `version`, expiring at `expires`.
pub fn password_link(
    secret: &LinkSecret,
    base_url: &str,
    id: i64,
    version: i64,
    expires: i64,
) -> String {
    let token = secret.token(PASSWORD, id, version, &expires.to_string());
    format!("{base_url}/reset-password?user={id}&expires={expires}&token={token}")
}

/// `body` with its `{link}` marker replaced by the link `spec` names, derived now (so a
/// revoked link is not sent) and only for the row that belongs to `recipient`. Without a
/// spec the body is sent as written.
pub async fn render(
    pool: &AnyPool,
    secret: &LinkSecret,
    base_url: &str,
    body: &str,
    spec: Option<&str>,
    recipient: &str,
) -> Result<String, sqlx::Error> {
    let Some(spec) = spec else {
        return Ok(body.to_owned());
    };
    let link = resolve(pool, secret, base_url, spec, recipient).await?;
    Ok(body.replace(MARKER, &link))
}

async fn resolve(
    pool: &AnyPool,
    secret: &LinkSecret,
    base_url: &str,
    spec: &str,
    recipient: &str,
) -> Result<String, sqlx::Error> {
    let parts: Vec<&str> = spec.split(':').collect();
    let gone = format!("{base_url}/ (this link is no longer valid)");
    let theirs = |address: &str| email_key(address) == email_key(recipient);
    match parts.as_slice() {
        [REGISTRATION, id] => {
            let Ok(id) = id.parse::<i64>() else {
                return Ok(gone);
            };
            let row: Option<(String, i64, String)> = sqlx::query_as(
                "SELECT reference, link_version, email FROM registrations WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?;
            Ok(match row {
                Some((reference, v, email)) if theirs(&email) => {
                    registration_link(secret, base_url, &reference, id, v)
                }
                _ => gone,
            })
        }
        [PASSWORD, id, expires] => {
            let (Ok(id), Ok(expires)) = (id.parse::<i64>(), expires.parse::<i64>()) else {
                return Ok(gone);
            };
            let row: Option<(i64, String)> =
                sqlx::query_as("SELECT link_version, email FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_optional(pool)
                    .await?;
            Ok(match row {
                Some((v, email)) if theirs(&email) => {
                    password_link(secret, base_url, id, v, expires)
                }
                _ => gone,
            })
        }
        _ => Ok(gone),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_bind_purpose_row_version_and_expiry() {
        let s = LinkSecret::new(b"0123456789abcdef0123456789abcdef");
        let t = s.token(REGISTRATION, 7, 1, "");
        assert_eq!(t.len(), 32);
        assert!(s.verify(REGISTRATION, 7, 1, "", &t));
        assert!(!s.verify(REGISTRATION, 8, 1, "", &t), "another row");
        assert!(
            !s.verify(REGISTRATION, 7, 2, "", &t),
            "revoked by the version"
        );
        assert!(!s.verify(PASSWORD, 7, 1, "", &t), "another purpose");
        assert!(!s.verify(REGISTRATION, 7, 1, "", &t[..30]), "cut short");
        assert!(!s.verify(REGISTRATION, 7, 1, "", "zz"));
        let other = LinkSecret::new(b"another-secret-another-secret-xx");
        assert!(
            !other.verify(REGISTRATION, 7, 1, "", &t),
            "another server secret"
        );
        assert_eq!(format!("{s:?}"), "LinkSecret(..)");
    }

    #[test]
    fn a_generated_secret_is_kept_in_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tohu.db.secret");
        let a = LinkSecret::from_file(&file).unwrap();
        let b = LinkSecret::from_file(&file).unwrap();
        assert_eq!(
            a.token(REGISTRATION, 1, 1, ""),
            b.token(REGISTRATION, 1, 1, "")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "owner only");
        }
    }
}
