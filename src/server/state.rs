//! Application state, provided to every route and server function as Leptos context.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use time::{Date, OffsetDateTime, UtcOffset};

use std::sync::Arc;

use crate::server::db::Db;
use crate::server::search::SearchService;

/// Where "today" comes from: the clock in New Zealand, or a fixed date for tests and demos.
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    /// New Zealand Standard Time (UTC+12); during daylight saving the date can lag by an
    /// hour at midnight, which no date-granular rule here notices.
    NewZealand,
    Fixed(Date),
}

impl Clock {
    pub fn today(&self) -> Date {
        match self {
            Clock::Fixed(d) => *d,
            Clock::NewZealand => {
                let nzst = UtcOffset::from_hms(12, 0, 0).unwrap_or(UtcOffset::UTC);
                OffsetDateTime::now_utc().to_offset(nzst).date()
            }
        }
    }

    pub fn today_iso(&self) -> String {
        self.today().to_string()
    }
}

#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub clock: Clock,
    /// The site's public address, for links in emails (`TOHU_PUBLIC_URL`).
    pub public_url: String,
    /// The catalogue's search index, rebuilt when the catalogue changes.
    pub search: Arc<SearchService>,
}

/// The state inside a server function or page render.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        crate::error::AppError::Internal
    })
}
