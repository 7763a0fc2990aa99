//! Application state, provided to every route and server function as Leptos context.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use std::sync::Arc;

use crate::auth::server::throttle::SignInThrottle;
use crate::badges::server::keys::IssuerKeys;
use crate::catalogue::server::live::SeatsFeed;
use crate::catalogue::server::search::SearchService;
use crate::server::clock::Clock;
use crate::server::config::Config;
use crate::server::db::Db;
use crate::server::health::Health;
use crate::server::limits::Limits;
use crate::server::links::LinkSecret;

#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// Every setting, as read once at start-up.
    pub config: Arc<Config>,
    /// The catalogue's search index, rebuilt when the catalogue changes.
    pub search: Arc<SearchService>,
    /// Sign-in limits: per network across accounts (per instance), per account and per
    /// network at an account (in the database).
    pub sign_in_throttle: Arc<SignInThrottle>,
    /// Signs the links Tohu emails.
    pub links: LinkSecret,
    /// Signs the Open Badges credentials and status lists Tohu issues.
    pub issuer_keys: IssuerKeys,
    /// Live seats for open detail and registration pages (per instance).
    pub seats: Arc<SeatsFeed>,
    /// Registrations and cancellations per client address (per instance).
    pub limits: Arc<Limits>,
    /// Whether this instance is draining (`/readyz`).
    pub health: Arc<Health>,
}

impl AppState {
    pub fn new(
        leptos_options: LeptosOptions,
        db: Db,
        search: Arc<SearchService>,
        config: Config,
    ) -> Result<Self, String> {
        let seats = SeatsFeed::new(
            db.pool.clone(),
            std::time::Duration::from_millis(config.seats_poll_ms),
            config.seats_max_streams as usize,
        );
        let links = LinkSecret::from_config(&config)?;
        let issuer_keys = IssuerKeys::from_config(&config)?;
        Ok(Self {
            issuer_keys,
            leptos_options,
            seats,
            db,
            sign_in_throttle: Arc::new(SignInThrottle::new(links.clone())),
            links,
            limits: Arc::new(Limits::new(&config)),
            config: Arc::new(config),
            search,
            health: Arc::new(Health::default()),
        })
    }

    /// Where "today" comes from: the configured date, or New Zealand's.
    pub fn clock(&self) -> Clock {
        Clock::from(self.config.as_ref())
    }

    /// The site's public address without a trailing slash, for links in emails.
    pub fn public_url(&self) -> String {
        self.config.public_url()
    }
}

/// The state inside a server function or page render.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        crate::error::AppError::Internal
    })
}
