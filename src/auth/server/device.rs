//! The device cookie: a browser that signed in to an account before is not slowed when
//! that account is under attack from everywhere (`auth::server::throttle`'s account-wide
//! brake), so a guessing campaign cannot keep the owner out of their own dashboard. This is
//! OWASP's "device cookie" answer to lockout.
//!
//! The cookie (`tohu_device`, `HttpOnly`, path `/sign-in`, 180 days) holds up to
//! [`MAX_ENTRIES`] entries `EXPIRES.TOKEN`, one per account signed in from this browser,
//! newest first. A token is the server's HMAC over the account's hashed name and the expiry
//! (`server::links`), so it names nobody, cannot be forged, and proves only that this
//! browser once knew the password. It signs nobody in: the password is still checked, and
//! the per-network spacing still applies.

use axum::http::{header, HeaderMap, HeaderValue};
use time::OffsetDateTime;
use tower_sessions::cookie::{Cookie, SameSite};

use crate::server::links::LinkSecret;

pub const COOKIE: &str = "tohu_device";
/// Accounts remembered per browser.
pub const MAX_ENTRIES: usize = 4;
/// How long a browser is remembered after its last sign-in.
pub const LIFETIME: time::Duration = time::Duration::days(180);
const PURPOSE: &str = "device";

/// The cookie's entries as sent, unchecked (at most [`MAX_ENTRIES`], each bounded).
fn entries(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .filter(|c| c.name() == COOKIE)
        .flat_map(|c| {
            c.value()
                .split('_')
                .take(MAX_ENTRIES)
                .filter(|e| e.len() <= 64)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .take(MAX_ENTRIES)
        .collect()
}

fn token(secret: &LinkSecret, account: &str, expires: i64) -> String {
    secret.token(PURPOSE, 0, 0, &format!("{account}\u{0}{expires}"))
}

/// Whether this request's browser signed in to `account` (its hashed name) before.
pub fn trusted(secret: &LinkSecret, headers: &HeaderMap, account: &str) -> bool {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    entries(headers).iter().any(|e| {
        let Some((expires, tag)) = e.split_once('.') else {
            return false;
        };
        let Ok(expires) = expires.parse::<i64>() else {
            return false;
        };
        expires > now && secret.verify(PURPOSE, 0, 0, &format!("{account}\u{0}{expires}"), tag)
    })
}

/// The `Set-Cookie` that remembers this browser for `account` (after a right password),
/// keeping the browser's other accounts' entries that are still good.
pub fn remember(
    secret: &LinkSecret,
    headers: &HeaderMap,
    account: &str,
    secure: bool,
) -> Option<HeaderValue> {
    let expires = (OffsetDateTime::now_utc() + LIFETIME).unix_timestamp();
    let mine = format!("{expires}.{}", token(secret, account, expires));
    // Entries of other accounts stay; this account's older entry goes (only the newest is
    // kept per account, but an entry names no account: drop the ones that verify for it).
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let others = entries(headers).into_iter().filter(|e| {
        e.split_once('.')
            .and_then(|(x, tag)| Some((x.parse::<i64>().ok()?, tag)))
            .is_some_and(|(x, tag)| {
                x > now && !secret.verify(PURPOSE, 0, 0, &format!("{account}\u{0}{x}"), tag)
            })
    });
    let value: Vec<String> = std::iter::once(mine)
        .chain(others)
        .take(MAX_ENTRIES)
        .collect();
    let cookie = Cookie::build((COOKIE, value.join("_")))
        .path("/sign-in")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(LIFETIME)
        .build();
    HeaderValue::from_str(&cookie.to_string()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> LinkSecret {
        LinkSecret::new(b"a test secret of thirty-two chars!!")
    }

    fn sent(set_cookie: &HeaderValue) -> HeaderMap {
        let pair = set_cookie.to_str().unwrap().split(';').next().unwrap();
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(pair).unwrap());
        h
    }

    #[test]
    fn a_browser_is_trusted_for_the_accounts_it_signed_in_to_only() {
        let s = secret();
        assert!(!trusted(&s, &HeaderMap::new(), "aaaa"));
        let first = remember(&s, &HeaderMap::new(), "aaaa", true).unwrap();
        let text = first.to_str().unwrap();
        assert!(
            text.contains("HttpOnly") && text.contains("Secure"),
            "{text}"
        );
        assert!(text.contains("Path=/sign-in"), "{text}");
        let h = sent(&first);
        assert!(trusted(&s, &h, "aaaa"));
        assert!(!trusted(&s, &h, "bbbb"), "another account");
        // A second account joins the first; signing in to the first again keeps one entry.
        let both = sent(&remember(&s, &h, "bbbb", false).unwrap());
        assert!(trusted(&s, &both, "aaaa") && trusted(&s, &both, "bbbb"));
        let again = sent(&remember(&s, &both, "aaaa", false).unwrap());
        let value = again.get(header::COOKIE).unwrap().to_str().unwrap();
        let entries = value.trim_start_matches("tohu_device=").split('_').count();
        assert_eq!(entries, 2, "{value}");
        // Another server's secret, or an edited expiry, proves nothing.
        let other = LinkSecret::new(b"another secret of thirty-two chars!");
        assert!(!trusted(&other, &h, "aaaa"));
        let one = h.get(header::COOKIE).unwrap().to_str().unwrap();
        let (expires, tag) = one
            .trim_start_matches("tohu_device=")
            .split_once('.')
            .unwrap();
        let later = expires.parse::<i64>().unwrap() + 1;
        let mut f = HeaderMap::new();
        let forged = format!("tohu_device={later}.{tag}");
        f.insert(header::COOKIE, HeaderValue::from_str(&forged).unwrap());
        assert!(!trusted(&s, &f, "aaaa"));
    }
}
