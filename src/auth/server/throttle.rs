//! Sign-in throttling: wrong passwords slow the guesser and never lock the owner out
//! (issue 27: a count that refused even the right password let anyone keep a coordinator
//! out with eleven requests every 15 minutes).
//!
//! - **One network at one account**: after [`NETWORK_FREE`] wrong passwords in
//!   [`WINDOW`] from one client network (an IPv4 address, an IPv6 /64: `server::client::
//!   network`), that network gets one try at the account per [`SPACING`].
//! - **One account from anywhere**: after [`ACCOUNT_FREE`] wrong passwords in the window
//!   from any mix of networks, every network gets one try per [`SPACING`] at it, except a
//!   browser that signed in to the account before (its device cookie, `auth::server::
//!   device`), which keeps its owner's pace.
//! - **One network across accounts**: 30 tries, then one every 20 s (governor, in memory
//!   per instance), so one network cannot sweep many accounts either.
//!
//! A wait is never longer than the `Retry-After` it announces (at most [`SPACING`]); a
//! right password sent when allowed always signs in, and takes its try back; a refused try
//! is not counted. The first two are counted in the database, so every instance behind a
//! load balancer holds the same line. Networks are stored as a keyed hash, never the
//! address; rows are deleted once past the window.

use std::net::IpAddr;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, RateLimiter};
use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use time::OffsetDateTime;

use crate::server::client::network;
use crate::server::clock;
use crate::server::limits::quota;
use crate::server::links::LinkSecret;

/// Wrong passwords one network may send one account within [`WINDOW`] before it is slowed.
pub const NETWORK_FREE: i64 = 5;
/// Wrong passwords one account may get within [`WINDOW`] before every network is slowed.
pub const ACCOUNT_FREE: i64 = 100;
/// The window wrong passwords are counted over.
pub const WINDOW: time::Duration = time::Duration::minutes(15);
/// Once slowed: one try per this, per network and account.
pub const SPACING: time::Duration = time::Duration::seconds(20);

/// The purpose a network's keyed hash is signed for (`server::links`).
const NETWORK_PURPOSE: &str = "sign-in-network";

/// "Forgot password" emails one account may be sent in an hour.
pub const RESET_EMAILS_PER_HOUR: i64 = 3;

#[derive(Debug)]
pub struct SignInThrottle {
    networks: DefaultKeyedRateLimiter<IpAddr>,
    /// "Forgot password" requests per network: its own allowance, so asking for a link
    /// never uses up the sign-in tries, nor the other way round.
    resets: DefaultKeyedRateLimiter<IpAddr>,
    secret: LinkSecret,
}

/// How an account is named in `sign_in_attempts` and `limit_events`: the SHA-256 of its
/// email key.
pub fn account(email_key: &str) -> String {
    Sha256::digest(email_key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What the throttle says to one try.
#[derive(Debug)]
pub enum Verdict {
    /// Go ahead: check the password; [`Attempt::forget`] it when it was right.
    Try(Attempt),
    /// Not now: try again after this long (the `Retry-After`).
    Wait(Duration),
}

impl SignInThrottle {
    pub fn new(secret: LinkSecret) -> Self {
        Self {
            networks: RateLimiter::keyed(quota(30, Duration::from_secs(20))),
            resets: RateLimiter::keyed(quota(10, Duration::from_secs(60))),
            secret,
        }
    }

    /// Counts one try from `address` across accounts; the wait when its network is over.
    pub fn network_allowed(&self, address: Option<IpAddr>) -> Result<(), Duration> {
        let Some(address) = address else {
            return Ok(());
        };
        self.networks
            .check_key(&network(address))
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Counts one "forgot password" request from `address`; the wait when its network is
    /// over (10 at once, then one a minute).
    pub fn reset_allowed(&self, address: Option<IpAddr>) -> Result<(), Duration> {
        let Some(address) = address else {
            return Ok(());
        };
        self.resets
            .check_key(&network(address))
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Forgets networks whose allowance is whole again (hourly, with the other limits).
    pub fn forget_idle(&self) {
        self.networks.retain_recent();
        self.resets.retain_recent();
    }

    /// The keyed hash a network is stored as ("" when the address is unknown).
    fn network_name(&self, address: Option<IpAddr>) -> String {
        address.map_or_else(String::new, |a| {
            self.secret
                .token(NETWORK_PURPOSE, 0, 0, &network(a).to_string())
        })
    }

    /// Counts one try at the account `email_key` from `address`; `trusted` when the browser
    /// holds a device cookie for this account (it is not slowed by the account-wide brake).
    pub async fn allow(
        &self,
        pool: &AnyPool,
        email_key: &str,
        address: Option<IpAddr>,
        trusted: bool,
    ) -> Result<Verdict, sqlx::Error> {
        if let Err(wait) = self.network_allowed(address) {
            return Ok(Verdict::Wait(wait));
        }
        let account = account(email_key);
        let network = self.network_name(address);
        let now = OffsetDateTime::now_utc();
        // Insert, then count the others: each try sees every try committed before it, so
        // two instances cannot both take the last free one.
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sign_in_attempts (account, network, at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(account.clone())
        .bind(network.clone())
        .bind(clock::stamp(now))
        .fetch_one(pool)
        .await?;
        let (all, from_network, last): (i64, Option<i64>, Option<String>) = sqlx::query_as(
            "SELECT COUNT(*), SUM(CASE WHEN network = $2 THEN 1 ELSE 0 END), \
               MAX(CASE WHEN network = $2 THEN at END) \
             FROM sign_in_attempts WHERE account = $1 AND at > $3 AND id <> $4",
        )
        .bind(account)
        .bind(network)
        .bind(clock::stamp(now - WINDOW))
        .bind(id)
        .fetch_one(pool)
        .await?;
        let attempt = Attempt(id);
        let slowed = from_network.unwrap_or(0) >= NETWORK_FREE || (all >= ACCOUNT_FREE && !trusted);
        if let Some(wait) = last
            .and_then(|t| clock::parse(&t))
            .map(|t| spacing_left(t, now))
            .filter(|w| slowed && !w.is_zero())
        {
            attempt.forget(pool).await?;
            return Ok(Verdict::Wait(wait));
        }
        Ok(Verdict::Try(attempt))
    }
}

/// How long until a network whose last try was at `last` may try again; zero when it may.
/// Stamps have whole seconds, so both ends are taken in whole seconds: a client that waits
/// the answer and tries finds the previous try outside [`SPACING`].
fn spacing_left(last: OffsetDateTime, now: OffsetDateTime) -> Duration {
    let next = last.unix_timestamp() + SPACING.whole_seconds();
    Duration::from_secs(u64::try_from(next - now.unix_timestamp()).unwrap_or(0))
}

/// One counted try at an account.
#[derive(Debug, Clone, Copy)]
pub struct Attempt(i64);

impl Attempt {
    /// Takes the try back: a right password (or a refused try) is not a wrong guess.
    pub async fn forget(self, pool: &AnyPool) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM sign_in_attempts WHERE id = $1")
            .bind(self.0)
            .execute(pool)
            .await
            .map(|_| ())
    }
}

/// Whether the account `email_key` may be sent another "forgot password" email: at most
/// [`RESET_EMAILS_PER_HOUR`], counted in the database whether or not the account exists (so
/// the count tells nothing either).
pub async fn reset_email_allowed(pool: &AnyPool, email_key: &str) -> Result<bool, sqlx::Error> {
    let subject = account(email_key);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO limit_events (kind, subject, at) VALUES ('reset', $1, $2) RETURNING id",
    )
    .bind(subject.clone())
    .bind(clock::now())
    .fetch_one(pool)
    .await?;
    let sent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM limit_events WHERE kind = 'reset' AND subject = $1 AND at > $2",
    )
    .bind(subject)
    .bind(clock::from_now(-time::Duration::hours(1)))
    .fetch_one(pool)
    .await?;
    if sent > RESET_EMAILS_PER_HOUR {
        sqlx::query("DELETE FROM limit_events WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await?;
        return Ok(false);
    }
    Ok(true)
}

/// Forgets every wrong password counted against the account `email_key` (its owner chose a
/// new password through an emailed link).
pub async fn clear(pool: &AnyPool, email_key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_attempts WHERE account = $1")
        .bind(account(email_key))
        .execute(pool)
        .await
        .map(|_| ())
}

/// Deletes attempts older than the window, and limit events older than a day (hourly,
/// `server::start`).
pub async fn forget_old(pool: &AnyPool) -> Result<u64, sqlx::Error> {
    let attempts = sqlx::query("DELETE FROM sign_in_attempts WHERE at <= $1")
        .bind(clock::from_now(-WINDOW))
        .execute(pool)
        .await?
        .rows_affected();
    let events = sqlx::query("DELETE FROM limit_events WHERE at <= $1")
        .bind(clock::from_now(-time::Duration::days(1)))
        .execute(pool)
        .await?
        .rows_affected();
    Ok(attempts + events)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> SignInThrottle {
        SignInThrottle::new(LinkSecret::new(b"a test secret of thirty-two chars!!"))
    }

    #[test]
    fn a_network_is_held_after_thirty_tries_across_accounts() {
        let t = throttle();
        let a: IpAddr = "10.1.1.1".parse().unwrap();
        for _ in 0..30 {
            assert!(t.network_allowed(Some(a)).is_ok());
        }
        let wait = t.network_allowed(Some(a)).unwrap_err();
        assert!(wait <= Duration::from_secs(20), "{wait:?}");
        assert!(t.network_allowed(Some("10.1.1.2".parse().unwrap())).is_ok());
        // The same /64 is one network.
        let b: IpAddr = "2001:db8::1".parse().unwrap();
        for _ in 0..30 {
            assert!(t.network_allowed(Some(b)).is_ok());
        }
        assert!(t
            .network_allowed(Some("2001:db8::ffff".parse().unwrap()))
            .is_err());
    }

    #[test]
    fn networks_and_accounts_are_stored_as_hashes() {
        let t = throttle();
        let named = account("aroha@example.nz");
        assert_eq!(named.len(), 64);
        assert!(!named.contains("aroha"));
        assert_eq!(named, account("aroha@example.nz"));
        let net = t.network_name("203.0.113.9".parse().ok());
        assert!(!net.contains("203"), "{net}");
        assert_eq!(net, t.network_name("::ffff:203.0.113.9".parse().ok()));
        assert_eq!(t.network_name(None), "");
    }

    #[test]
    fn the_wait_ends_when_the_spacing_has_passed() {
        let last = OffsetDateTime::from_unix_timestamp(1_000).unwrap();
        let at = |s: i64| OffsetDateTime::from_unix_timestamp(s).unwrap();
        assert_eq!(spacing_left(last, at(1_000)), Duration::from_secs(20));
        assert_eq!(spacing_left(last, at(1_015)), Duration::from_secs(5));
        assert_eq!(spacing_left(last, at(1_020)), Duration::ZERO);
        assert_eq!(spacing_left(last, at(2_000)), Duration::ZERO);
    }
}
