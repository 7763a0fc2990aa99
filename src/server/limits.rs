//! Limits meant for scripts, not learners: registrations and cancellations per client
//! address (governor, in memory, so per instance: with N instances a script gets N times
//! the burst, which the per-email counts below do not), and the per-email caps, which are
//! counted in the database and hold across instances (`registration::server::caps`). A
//! refusal is `AppError::Limited`: HTTP 429 with a message the page shows.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;
use crate::server::client::network;
use crate::server::config::{Config, Rate};

/// A governor quota: `burst` at once, then one more every `every`.
pub fn quota(burst: u32, every: std::time::Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(every)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

/// The per-address limits of one instance.
#[derive(Debug)]
pub struct Limits {
    register: DefaultKeyedRateLimiter<IpAddr>,
    cancel: DefaultKeyedRateLimiter<IpAddr>,
    api: DefaultKeyedRateLimiter<IpAddr>,
    verify: DefaultKeyedRateLimiter<IpAddr>,
}

impl Limits {
    pub fn new(config: &Config) -> Self {
        let limiter = |r: Rate| RateLimiter::keyed(quota(r.burst, r.every));
        Self {
            register: limiter(config.register_limit),
            cancel: limiter(config.cancel_limit),
            api: RateLimiter::keyed(quota(config.api_burst, config.api_limit)),
            verify: limiter(config.verify_limit),
        }
    }

    /// Counts one registration from `client`; refused when its address is over the limit.
    pub fn register(&self, client: Option<IpAddr>) -> Result<(), AppError> {
        check(&self.register, client, "registrations")
    }

    /// Counts one cancellation from `client`.
    pub fn cancel(&self, client: Option<IpAddr>) -> Result<(), AppError> {
        check(&self.cancel, client, "cancellations")
    }

    /// Counts one credential check on `/verify` from `client`.
    pub fn verify(&self, client: Option<IpAddr>) -> Result<(), AppError> {
        check(&self.verify, client, "credential checks")
    }

    /// Counts one public API request from `client`; refused with how long to wait.
    pub fn api(&self, client: Option<IpAddr>) -> Result<(), std::time::Duration> {
        let Some(address) = client else {
            return Ok(());
        };
        self.api
            .check_key(&network(address))
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Forgets addresses whose allowance is whole again (called now and then, so memory
    /// stays bounded under many addresses).
    pub fn forget_idle(&self) {
        self.register.retain_recent();
        self.cancel.retain_recent();
        self.api.retain_recent();
        self.verify.retain_recent();
    }
}

fn check(
    limiter: &DefaultKeyedRateLimiter<IpAddr>,
    client: Option<IpAddr>,
    what: &str,
) -> Result<(), AppError> {
    let Some(address) = client else {
        return Ok(());
    };
    limiter.check_key(&network(address)).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        AppError::Limited(format!(
            "Too many {what} from your network in a short time. Please try again in {}.",
            in_words(wait)
        ))
    })
}

/// "1 minute", "3 minutes", "40 seconds".
pub fn in_words(d: std::time::Duration) -> String {
    let secs = (d.as_secs_f64().ceil() as u64).max(1);
    match secs {
        1 => "1 second".to_owned(),
        s if s < 60 => format!("{s} seconds"),
        s if s < 120 => "1 minute".to_owned(),
        s => format!("{} minutes", s.div_ceil(60)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::config::Cli;

    #[test]
    fn a_script_is_held_and_another_address_is_not() {
        let cli = Cli::parse_args(["tohu", "--register-limit", "3/60s"]).unwrap();
        let limits = Limits::new(&cli.config);
        let script: Option<IpAddr> = "203.0.113.9".parse().ok();
        for _ in 0..3 {
            assert!(limits.register(script).is_ok());
        }
        match limits.register(script) {
            Err(AppError::Limited(m)) => assert!(m.contains("try again in 1 minute"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert!(limits.register("198.51.100.7".parse().ok()).is_ok());
        assert!(limits.cancel(script).is_ok(), "a separate allowance");
        assert!(
            limits.register(None).is_ok(),
            "no address, no per-address limit"
        );
        assert_eq!(AppError::Limited(String::new()).status_code(), 429);
    }
}
