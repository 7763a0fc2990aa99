//! Sign-in throttling. Each account may have 10 wrong passwords in 15 minutes, counted in the
//! database so that every instance behind a load balancer holds the same line (a guessing
//! script spread over instances gets no more tries); each client address 30 times, then
//! once every 20 s, held in memory per instance with governor (the load balancer can hold
//! addresses across instances, README "Deployment"). A refused attempt is not counted, so
//! a script that keeps guessing does not keep the account's owner out longer.

use std::net::IpAddr;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, RateLimiter};
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use crate::server::clock;
use crate::server::limits::quota;

/// Attempts one account may have within [`ACCOUNT_WINDOW`].
pub const ACCOUNT_ATTEMPTS: i64 = 10;
/// The window an account's attempts are counted over.
pub const ACCOUNT_WINDOW: time::Duration = time::Duration::minutes(15);

#[derive(Debug)]
pub struct SignInThrottle {
    addresses: DefaultKeyedRateLimiter<IpAddr>,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        Self {
            addresses: RateLimiter::keyed(quota(30, Duration::from_secs(20))),
        }
    }
}

/// How an account is named in `sign_in_attempts`: the SHA-256 of its email key.
fn account(email_key: &str) -> String {
    Sha256::digest(email_key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl SignInThrottle {
    /// Counts one attempt from `address`; `false` when the address is over its limit.
    pub fn address_allowed(&self, address: Option<IpAddr>) -> bool {
        address.is_none_or(|a| self.addresses.check_key(&a).is_ok())
    }

    /// Counts one attempt at the account `email_key` from `address`; `Ok(None)` when
    /// either is over its limit, else the attempt, which [`SignInThrottle::succeeded`]
    /// takes back when the password was right.
    pub async fn allow(
        &self,
        pool: &AnyPool,
        email_key: &str,
        address: Option<IpAddr>,
    ) -> Result<Option<Attempt>, sqlx::Error> {
        if !self.address_allowed(address) {
            return Ok(None);
        }
        let account = account(email_key);
        // Insert, then count: each attempt sees itself and every attempt committed before
        // it, so no two instances can both take the tenth try.
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sign_in_attempts (account, at) VALUES ($1, $2) RETURNING id",
        )
        .bind(account.clone())
        .bind(clock::now())
        .fetch_one(pool)
        .await?;
        let tries: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sign_in_attempts WHERE account = $1 AND at > $2",
        )
        .bind(account)
        .bind(clock::from_now(-ACCOUNT_WINDOW))
        .fetch_one(pool)
        .await?;
        let attempt = Attempt(id);
        if tries > ACCOUNT_ATTEMPTS {
            attempt.forget(pool).await?;
            return Ok(None);
        }
        Ok(Some(attempt))
    }
}

/// One counted attempt at an account.
#[derive(Debug, Clone, Copy)]
pub struct Attempt(i64);

impl Attempt {
    /// Takes the attempt back: a right password (or a refused try) does not count against
    /// the account, so only wrong guesses use up its ten.
    pub async fn forget(self, pool: &AnyPool) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM sign_in_attempts WHERE id = $1")
            .bind(self.0)
            .execute(pool)
            .await
            .map(|_| ())
    }
}

/// Deletes attempts older than the window (hourly, `server::start`).
pub async fn forget_old(pool: &AnyPool) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_attempts WHERE at <= $1")
        .bind(clock::from_now(-ACCOUNT_WINDOW))
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_held_after_thirty_attempts() {
        let t = SignInThrottle::default();
        let a: IpAddr = "10.1.1.1".parse().unwrap();
        for _ in 0..30 {
            assert!(t.address_allowed(Some(a)));
        }
        assert!(!t.address_allowed(Some(a)));
        assert!(t.address_allowed(Some("10.1.1.2".parse().unwrap())));
    }

    #[test]
    fn accounts_are_named_by_a_hash_not_the_address() {
        let named = account("aroha@example.nz");
        assert_eq!(named.len(), 64);
        assert!(!named.contains("aroha"));
        assert_eq!(named, account("aroha@example.nz"));
    }
}
