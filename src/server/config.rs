//! The one typed configuration, read once at start-up from flags and environment variables
//! (clap with `env`, so `tohu --help` lists every setting, its variable and its default) and
//! kept in `AppState`. Nothing else in the crate reads the environment.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, CommandFactory, Parser, ValueEnum};
use time::Date;

use crate::server::trace::LogFormat;

pub use crate::server::commands::{Command, FormatArg, PrivacyCommand, RoleArg, UserCommand};

/// Tohu: the micro-credential catalogue. Every setting can be given as a flag or as the
/// environment variable named beside it.
#[derive(Debug, Clone, Parser)]
#[command(name = "tohu", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    /// What to do; `serve` when none is given.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Every setting of the server and its commands.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// `sqlite:PATH` (a file, created when missing) or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite:tohu.db", global = true,
          hide_env_values = true,
          value_parser = parse_database_url)]
    pub database_url: String,

    /// Where the server listens.
    #[arg(
        long,
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub site_addr: SocketAddr,

    /// The site's public address (`https://tohu.example.nz`): links in emails, the Origin
    /// that forms may come from, and https means Secure cookies. Required when listening on
    /// anything but loopback or behind a proxy [default: http:// + the listen address].
    #[arg(long, env = "TOHU_PUBLIC_URL", global = true, value_parser = parse_public_url)]
    pub public_url: Option<String>,

    /// The catalogue that `serve` imports into an empty database.
    #[arg(
        long,
        env = "TOHU_SEED",
        default_value = "seed/catalogue.toml",
        global = true
    )]
    pub seed: PathBuf,

    /// Fixes "today" (YYYY-MM-DD) for demos and tests [default: New Zealand's date].
    #[arg(long, env = "TOHU_TODAY", global = true, value_parser = parse_date)]
    pub today: Option<Date>,

    /// SMTP relay for the outbox worker; unset, emails wait in the outbox.
    #[arg(long, env = "TOHU_SMTP_HOST", global = true)]
    pub smtp_host: Option<String>,

    /// The SMTP relay's port.
    #[arg(long, env = "TOHU_SMTP_PORT", default_value_t = 25, global = true)]
    pub smtp_port: u16,

    /// The secret that signs the links Tohu emails (32+ characters, the same on every
    /// instance); required with PostgreSQL. With SQLite and none given, one is generated
    /// into `<database file>.secret` beside the database.
    #[arg(long, env = "TOHU_SECRET", hide_env_values = true, global = true,
          value_parser = parse_secret)]
    pub secret: Option<Secret>,

    /// The Ed25519 key (a PKCS#8 PEM file) that signs the Open Badges credentials Tohu
    /// issues; required with PostgreSQL, the same file on every instance. With SQLite and
    /// none given, one is generated into `<database file>.issuer-key.pem`. Keep it out of
    /// backups of the database, and never lose it.
    #[arg(long, env = "TOHU_ISSUER_KEY", global = true)]
    pub issuer_key: Option<PathBuf>,

    /// Key ids (`z6Mk…`, comma-separated) of issuer keys no longer used to sign, whose
    /// credentials still verify: the old key's id when `TOHU_ISSUER_KEY` is replaced.
    #[arg(
        long,
        env = "TOHU_ISSUER_RETIRED_KEYS",
        value_delimiter = ',',
        global = true
    )]
    pub issuer_retired_keys: Vec<String>,

    /// The sender of every email.
    #[arg(
        long,
        env = "TOHU_MAIL_FROM",
        default_value = "Tohu <no-reply@tohu.invalid>",
        global = true
    )]
    pub mail_from: String,

    /// SQLite durability: `normal` survives a crash of the process, `full` also a power
    /// cut, at about two thirds of the write throughput.
    #[arg(long, env = "TOHU_SQLITE_SYNC", value_enum, default_value_t = SqliteSync::Normal,
          global = true)]
    pub sqlite_sync: SqliteSync,

    /// Log filter (tracing's syntax). Logs never carry learners' data.
    #[arg(
        long,
        env = "RUST_LOG",
        default_value = "info,sqlx=warn",
        global = true
    )]
    pub log: String,

    /// Log lines as `text` or `json` (one object per line, with the request id).
    #[arg(long, env = "TOHU_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text,
          global = true)]
    pub log_format: LogFormat,

    /// Where Prometheus scrapes `/metrics` (a private address; never the public one)
    /// [default: no metrics endpoint].
    #[arg(long, env = "TOHU_METRICS_ADDR", global = true)]
    pub metrics_addr: Option<SocketAddr>,

    /// Seconds between SIGTERM and closing the listener, while `/readyz` answers 503, so a
    /// load balancer that checks readiness stops sending requests first.
    #[arg(long, env = "TOHU_DRAIN_SECS", default_value_t = 0, global = true,
          value_parser = clap::value_parser!(u64).range(0..=300))]
    pub drain_secs: u64,

    /// How often, in milliseconds, each instance's outbox worker looks for email to send.
    #[arg(long, env = "TOHU_OUTBOX_POLL_MS", default_value_t = 1000, global = true,
          value_parser = clap::value_parser!(u64).range(50..=600_000))]
    pub outbox_poll_ms: u64,

    /// How often, in seconds, each instance checks for catalogue changes to re-index.
    #[arg(long, env = "TOHU_INDEX_POLL_SECS", default_value_t = 5, global = true,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub index_poll_secs: u64,

    /// How often, in milliseconds, each instance reads the seats of the intakes someone is
    /// watching live (one query per instance, shared by every open page).
    #[arg(long, env = "TOHU_SEATS_POLL_MS", default_value_t = 2000, global = true,
          value_parser = clap::value_parser!(u64).range(100..=60_000))]
    pub seats_poll_ms: u64,

    /// Most live seat streams one instance keeps open; more are refused with 503 and the
    /// page keeps its render-time figure.
    #[arg(long, env = "TOHU_SEATS_MAX_STREAMS", default_value_t = 2000, global = true,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub seats_max_streams: u32,

    /// Proxies whose X-Forwarded-For is believed (comma-separated addresses, e.g. the load
    /// balancer's). From anyone else the TCP peer is the client.
    #[arg(
        long,
        env = "TOHU_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// Registrations one client address may make: BURST/PERIOD, that many at once and one
    /// more every PERIOD (s, m or h). Per instance.
    #[arg(long, env = "TOHU_REGISTER_LIMIT", default_value = "10/60s", global = true,
          value_parser = parse_rate)]
    pub register_limit: Rate,

    /// Requests one client address may make to the public API (`/api/v1`), as
    /// COUNT/PERIOD kept up over time (120/1m: one every half second). Per instance.
    #[arg(long, env = "TOHU_API_LIMIT", default_value = "120/1m", global = true,
          value_parser = parse_pace)]
    pub api_limit: std::time::Duration,

    /// Requests to the public API one client address may make at once, before
    /// `TOHU_API_LIMIT`'s pace applies.
    #[arg(long, env = "TOHU_API_BURST", default_value_t = 60, global = true,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub api_burst: u32,

    /// Credentials one client address may check on `/verify`, as BURST/PERIOD. Per
    /// instance.
    #[arg(long, env = "TOHU_VERIFY_LIMIT", default_value = "20/60s", global = true,
          value_parser = parse_rate)]
    pub verify_limit: Rate,

    /// Cancellations one client address may make, as BURST/PERIOD. Per instance.
    #[arg(long, env = "TOHU_CANCEL_LIMIT", default_value = "10/60s", global = true,
          value_parser = parse_rate)]
    pub cancel_limit: Rate,

    /// Emails a learner's actions may send one address in 24 hours (counted in the
    /// database, so across instances).
    #[arg(long, env = "TOHU_EMAILS_PER_RECIPIENT_DAY", default_value_t = 10, global = true,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub emails_per_recipient_day: u32,

    /// Active registrations (confirmed, waitlisted) one email may hold across intakes.
    #[arg(long, env = "TOHU_ACTIVE_PER_EMAIL", default_value_t = 5, global = true,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub active_per_email: u32,

    /// Rows one employer coordinator's account may send to group registration in 24 hours
    /// (counted in the database, so across instances); a list that would go past it is
    /// refused whole, and the intake's provider sees the refusal on its overview.
    #[arg(long, env = "TOHU_GROUP_ROWS_PER_DAY", default_value_t = 1000, global = true,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub group_rows_per_day: u32,

    /// Seconds a client may take to send a request's headers before the connection closes.
    #[arg(long, env = "TOHU_HEADER_TIMEOUT_SECS", default_value_t = 10, global = true,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub header_timeout_secs: u64,

    /// Seconds a request may take before it is answered 408 (live streams excepted).
    #[arg(long, env = "TOHU_REQUEST_TIMEOUT_SECS", default_value_t = 30, global = true,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout_secs: u64,

    /// Requests one instance works on at once; more are answered 503 at once (live streams
    /// have their own cap).
    #[arg(long, env = "TOHU_MAX_CONCURRENT", default_value_t = 512, global = true,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_concurrent: u32,

    /// PostgreSQL: the longest one statement may run (milliseconds), and the longest it may
    /// wait for a lock.
    #[arg(long, env = "TOHU_STATEMENT_TIMEOUT_MS", default_value_t = 30_000, global = true,
          value_parser = clap::value_parser!(u64).range(100..=3_600_000))]
    pub statement_timeout_ms: u64,

    /// PostgreSQL: the longest a statement may wait for a lock (milliseconds).
    #[arg(long, env = "TOHU_LOCK_TIMEOUT_MS", default_value_t = 10_000, global = true,
          value_parser = clap::value_parser!(u64).range(100..=3_600_000))]
    pub lock_timeout_ms: u64,

    /// Months after an intake ends that its cancelled, withdrawn and never-placed
    /// registrations keep their personal details before they are removed.
    #[arg(long, env = "TOHU_RETENTION_MONTHS", default_value_t = 12, global = true,
          value_parser = clap::value_parser!(u32).range(1..=120))]
    pub retention_months: u32,
}

/// A setting that must never be printed: its `Debug` hides the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

fn parse_secret(s: &str) -> Result<Secret, String> {
    match s.trim().chars().count() {
        n if n >= 32 => Ok(Secret(s.trim().to_owned())),
        _ => Err("a secret needs at least 32 characters".to_owned()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SqliteSync {
    Normal,
    Full,
}

impl Config {
    /// Why `serve` must not start with these settings, if it must not. Without a public
    /// URL the site's address is guessed from the listen address: right on a developer's
    /// loopback, wrong as soon as others reach it directly or through a proxy (links in
    /// emails would name the wrong host, the Origin check would trust whatever `Host` a
    /// request names, and behind TLS the session cookie would lack `Secure`).
    pub fn serve_problem(&self) -> Option<String> {
        if self.public_url.is_some() {
            return None;
        }
        let why = if !self.site_addr.ip().to_canonical().is_loopback() {
            format!("it listens on {}, beyond this machine", self.site_addr)
        } else if !self.trusted_proxies.is_empty() {
            "it runs behind a proxy (--trusted-proxies, TOHU_TRUSTED_PROXIES)".to_owned()
        } else {
            return None;
        };
        Some(format!(
            "set the site's public address with --public-url or TOHU_PUBLIC_URL (e.g. \
             https://tohu.example.nz): {why}, so it cannot be guessed from the listen address \
             (it makes emailed links, the Origin check on forms, and Secure cookies on https)"
        ))
    }

    /// The public address without a trailing slash.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.site_addr))
            .trim_end_matches('/')
            .to_owned()
    }
}

impl Cli {
    /// Parses the command line and environment. A bad value's message names the environment
    /// variable as well as the flag, since most deployments set the variable.
    pub fn parse_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString> + Clone,
    {
        Self::try_parse_from(args).map_err(name_the_variable)
    }
}

fn name_the_variable(mut e: clap::Error) -> clap::Error {
    if !matches!(
        e.kind(),
        ErrorKind::ValueValidation | ErrorKind::InvalidValue
    ) {
        return e;
    }
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg).cloned() else {
        return e;
    };
    let long = arg
        .trim_start_matches("--")
        .split([' ', '='])
        .next()
        .unwrap_or_default()
        .to_owned();
    let command = Cli::command();
    let env = command
        .get_arguments()
        .find(|a| a.get_long() == Some(long.as_str()))
        .and_then(|a| a.get_env())
        .map(|v| v.to_string_lossy().into_owned());
    if let Some(env) = env {
        e.insert(
            ContextKind::InvalidArg,
            ContextValue::String(format!("{arg} (environment variable {env})")),
        );
    }
    e
}

fn parse_date(v: &str) -> Result<Date, String> {
    Date::parse(
        v,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| "expected a date such as 2026-11-28".to_owned())
}

fn parse_database_url(v: &str) -> Result<String, String> {
    let known = ["sqlite:", "postgres:", "postgresql:"];
    if known.iter().any(|k| v.starts_with(k)) {
        Ok(v.to_owned())
    } else {
        Err("expected sqlite:PATH or postgres://user@host/db".to_owned())
    }
}

fn parse_public_url(v: &str) -> Result<String, String> {
    if (v.starts_with("http://") || v.starts_with("https://")) && v.len() > "https://".len() {
        Ok(v.to_owned())
    } else {
        Err("expected an address such as https://tohu.example.nz".to_owned())
    }
}

/// A rate limit: `burst` at once, then one more every `every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub every: std::time::Duration,
}

/// A rate as the settings write it: `BURST/PERIOD`, the period in s, m or h (at most a
/// day).
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

/// A pace as the settings write it, COUNT/PERIOD (`120/1m`): the time between two requests.
pub fn parse_pace(v: &str) -> Result<std::time::Duration, String> {
    let bad = || "expected COUNT/PERIOD such as 120/1m or 10/1s".to_owned();
    let r = parse_rate(v).map_err(|_| bad())?;
    let each = r.every / r.burst;
    match each.is_zero() {
        true => Err(bad()),
        false => Ok(each),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            parse_pace("120/1m"),
            Ok(std::time::Duration::from_millis(500))
        );
        assert!(parse_pace("0/1m").is_err());
        for bad in ["", "10", "0/1s", "10/0s", "10/5x", "x/1s", "10/é", "10/2d"] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn defaults_and_subcommands() {
        let cli = Cli::parse_args(["tohu", "--today", "2026-11-28", "import", "x.toml"]).unwrap();
        assert_eq!(
            cli.config.today.map(|d| d.to_string()).as_deref(),
            Some("2026-11-28")
        );
        assert!(
            matches!(cli.command, Some(Command::Import { ref file, .. }) if file.ends_with("x.toml"))
        );
        let cli = Cli::parse_args(["tohu", "serve", "--site-addr", "127.0.0.1:3100"]).unwrap();
        assert_eq!(cli.config.public_url(), "http://127.0.0.1:3100");
    }

    #[test]
    fn a_bad_value_names_the_flag_and_the_variable() {
        let e = Cli::parse_args(["tohu", "--today", "28/11/2026"]).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("--today"), "{text}");
        assert!(text.contains("TOHU_TODAY"), "{text}");
        assert!(text.contains("2026-11-28"), "{text}");
        let e = Cli::parse_args(["tohu", "serve", "--sqlite-sync", "sometimes"]).unwrap_err();
        assert!(e.to_string().contains("TOHU_SQLITE_SYNC"), "{e}");
        let e = Cli::parse_args(["tohu", "generate", "0"]).unwrap_err();
        assert!(
            e.to_string().contains("1..=1000000") || e.to_string().contains("1000000"),
            "{e}"
        );
    }

    #[test]
    fn serving_beyond_loopback_or_behind_a_proxy_needs_a_public_url() {
        let problem = |args: &[&str]| {
            let mut all = vec!["tohu"];
            all.extend_from_slice(args);
            Cli::parse_args(all).unwrap().config.serve_problem()
        };
        for args in [
            &["--site-addr", "0.0.0.0:3000"][..],
            &["--site-addr", "[::]:3000"],
            &["--site-addr", "10.0.0.5:3000"],
            &["--trusted-proxies", "127.0.0.1"],
        ] {
            let text = problem(args).unwrap_or_else(|| panic!("{args:?} should be refused"));
            assert!(text.contains("--public-url"), "{text}");
            assert!(text.contains("TOHU_PUBLIC_URL"), "{text}");
        }
        for args in [
            &[][..],
            &["--site-addr", "[::1]:3000"],
            &["--site-addr", "[::ffff:127.0.0.1]:3000"],
            &[
                "--site-addr",
                "0.0.0.0:3000",
                "--public-url",
                "https://tohu.example.nz",
            ],
            &[
                "--trusted-proxies",
                "127.0.0.1",
                "--public-url",
                "https://tohu.example.nz",
            ],
        ] {
            assert_eq!(problem(args), None, "{args:?}");
        }
    }

    #[test]
    fn trusted_proxies_are_a_list() {
        let cli = Cli::parse_args(["tohu", "--trusted-proxies", "10.0.0.1,::1"]).unwrap();
        assert_eq!(cli.config.trusted_proxies.len(), 2);
        assert!(Cli::parse_args(["tohu", "--register-limit", "10"]).is_err());
    }

    #[test]
    fn every_setting_has_a_variable() {
        let command = Cli::command();
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if matches!(id, "help" | "version") {
                continue;
            }
            assert!(
                arg.get_env().is_some(),
                "--{id} has no environment variable"
            );
        }
    }
}
