//! Limits meant for scripts, not learners: registrations and cancellations per client
//! address (governor, in memory, so per instance: with N instances a script gets N times
//! the burst, which the per-email counts below do not), and the per-email caps, which are
//! counted in the database and hold across instances (`registration::server::store`). A
//! refusal is `AppError::Limited`: HTTP 429 with a message the page shows.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;
use crate::server::client::network;
use crate::server::config::Config;

/// A rate limit: `burst` at once, then one more every `every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub every: std::time::Duration,
}

pub fn parse_rate(v: &str) -> Result<Rate, String> {
    let bad = || "expected BURST/PERIOD such as 10/60s, 5/2m or 100/1h".to_owned();
    let (burst, period) = v.trim().split_once('/').ok_or_else(bad)?;
    let burst: u32 = burst.trim().parse().map_err(|_| bad())?;
    let period = period.trim();
    let unit = period.chars().last().ok_or_else(bad)?;
    let n: u64 = period[..period.len() - unit.len_utf8()]
        .parse()
        .map_err(|_| bad())?;
    let secs = match unit {
        's' => n,
        'm' => n.saturating_mul(60),
        'h' => n.saturating_mul(3600),
        _ => return Err(bad()),
    };
    if burst == 0 || !(1..=86_400).contains(&secs) {
        return Err(bad());
    }
    Ok(Rate {
        burst,
        every: std::time::Duration::from_secs(secs),
    })
}

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
}

impl Limits {
    pub fn new(config: &Config) -> Self {
        let limiter = |r: Rate| RateLimiter::keyed(quota(r.burst, r.every));
        Self {
            register: limiter(config.register_limit),
            cancel: limiter(config.cancel_limit),
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

    /// Forgets addresses whose allowance is whole again (called now and then, so memory
    /// stays bounded under many addresses).
    pub fn forget_idle(&self) {
        self.register.retain_recent();
        self.cancel.retain_recent();
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
    fn rates() {
        assert_eq!(
            parse_rate("10/60s"),
            Ok(Rate {
                burst: 10,
                every: std::time::Duration::from_secs(60)
            })
        );
        assert_eq!(parse_rate("5/2m").unwrap().every.as_secs(), 120);
        for bad in ["", "10", "0/1s", "10/0s", "10/5x", "x/1s", "10/é", "10/2d"] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
    }

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
