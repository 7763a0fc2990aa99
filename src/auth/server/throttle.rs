//! Sign-in throttling with governor: each attempt counts against its account (10, then one
//! more every 90 s) and its client address (30, then one every 20 s). Kept in memory, so the
//! limits are per instance; a guessing script is held either way.

use std::net::IpAddr;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, RateLimiter};

use crate::server::limits::quota;

#[derive(Debug)]
pub struct SignInThrottle {
    accounts: DefaultKeyedRateLimiter<String>,
    addresses: DefaultKeyedRateLimiter<IpAddr>,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        Self {
            accounts: RateLimiter::keyed(quota(10, Duration::from_secs(90))),
            addresses: RateLimiter::keyed(quota(30, Duration::from_secs(20))),
        }
    }
}

impl SignInThrottle {
    /// Counts one attempt; `false` when the account or the address is over its limit.
    pub fn allow(&self, email_key: &str, address: Option<IpAddr>) -> bool {
        let by_address = address.is_none_or(|a| self.addresses.check_key(&a).is_ok());
        by_address && self.accounts.check_key(&email_key.to_owned()).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_held_after_ten_attempts_while_another_is_not() {
        let t = SignInThrottle::default();
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        for _ in 0..10 {
            assert!(t.allow("aroha@example.nz", Some(a)));
        }
        assert!(
            !t.allow("aroha@example.nz", Some(b)),
            "same account, other address"
        );
        assert!(t.allow("tama@example.nz", Some(a)));
    }

    #[test]
    fn an_address_is_held_after_thirty_attempts_across_accounts() {
        let t = SignInThrottle::default();
        let a: IpAddr = "10.1.1.1".parse().unwrap();
        for n in 0..30 {
            assert!(t.allow(&format!("user{n}@example.nz"), Some(a)));
        }
        assert!(!t.allow("fresh@example.nz", Some(a)));
    }
}
