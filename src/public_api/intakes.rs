//! Intakes across the catalogue: a JSON list and the same as an iCalendar feed
//! (`intakes.ics`, RFC 5545 `METHOD:PUBLISH`) that a calendar app subscribes to. Each
//! intake is an all-day event over its dates, with a UID that stays the same while the
//! intake exists, so a subscriber's calendar updates it rather than adding it again.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use time::Duration;
use utoipa::IntoParams;

use crate::catalogue::query::slugify;
use crate::catalogue::server::detail::enrolment_state;
use crate::public_api::credentials::{enrolment, register_url};
use crate::public_api::paging;
use crate::public_api::params::{self, Kind, Parsed, Spec, PAGE, PER_PAGE};
use crate::public_api::problem::Problem;
use crate::public_api::store::{self, IntakeFilter, IntakeRow, Window};
use crate::public_api::types::{CredentialRef, Fee, IntakeDetail, IntakeItem, Page, SectorRef};
use crate::server::ical::{self, DayEvent, Method};
use crate::server::state::AppState;

/// The feed covers intakes starting within this many days of today…
pub const FEED_DAYS: i64 = 366;
/// …and at most this many.
pub const FEED_MAX: u32 = 1_000;

const FROM: Spec = Spec {
    name: "from",
    kind: Kind::Date,
    repeated: false,
    description: "Intakes starting on or after this date (default today).",
};
const TO: Spec = Spec {
    name: "to",
    kind: Kind::Date,
    repeated: false,
    description: "Intakes starting on or before this date.",
};
const REGION: Spec = Spec {
    name: "region",
    kind: Kind::Key,
    repeated: true,
    description: "Regions, as slugs (`bay-of-plenty`); several combine with OR.",
};
const SECTOR: Spec = Spec {
    name: "sector",
    kind: Kind::Key,
    repeated: true,
    description: "Sector slugs; several combine with OR.",
};

pub const LIST_SPECS: [Spec; 6] = [FROM, TO, REGION, SECTOR, PAGE, PER_PAGE];
pub const FEED_SPECS: [Spec; 4] = [FROM, TO, REGION, SECTOR];

pub struct ListParams;
pub struct FeedParams;

impl IntoParams for ListParams {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        params::documented(&LIST_SPECS)
    }
}

impl IntoParams for FeedParams {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        params::documented(&FEED_SPECS)
    }
}

/// The filter the parameters ask for; `from` defaults to today. A `to` before `from` is an
/// empty window, not an error.
async fn filter(state: &AppState, p: &Parsed, today: &str) -> Result<IntakeFilter, Problem> {
    let from = p.one("from").unwrap_or(today).to_owned();
    let to = p.one("to").map(str::to_owned);
    let wanted = p.all("region");
    let regions = match wanted.is_empty() {
        true => Vec::new(),
        false => {
            let names = store::region_names(&state.db.pool).await?;
            let mut regions: Vec<String> = names
                .into_iter()
                .filter(|n| wanted.contains(&slugify(n)))
                .collect();
            // A region no intake has selects nothing, not everything.
            if regions.is_empty() {
                regions.push(String::new());
            }
            regions
        }
    };
    Ok(IntakeFilter {
        from,
        to,
        regions,
        sectors: p.all("sector").to_vec(),
    })
}

fn detail(base: &str, r: &IntakeRow, today: &str) -> IntakeDetail {
    IntakeDetail {
        code: r.code.clone(),
        starts_on: r.starts_on.clone(),
        ends_on: r.ends_on.clone(),
        enrolment_opens_on: r.enrolment_opens_on.clone(),
        enrolment_closes_on: r.enrolment_closes_on.clone(),
        enrolment: enrolment(enrolment_state(
            &r.enrolment_opens_on,
            &r.enrolment_closes_on,
            today,
        )),
        region: r.region.clone(),
        delivery_mode: r.delivery_mode.clone(),
        provider: r.provider.clone(),
        fee: Fee {
            amount_cents: r.fee_cents,
            currency: "NZD".to_owned(),
        },
        capacity: r.capacity,
        seats_left: (r.capacity - r.seats_taken).max(0),
        register_url: register_url(base, &r.credential_slug, &r.code),
    }
}

/// Intakes starting from a date, soonest first, with seats left and enrolment state.
#[utoipa::path(get, path = "/intakes", tag = "intakes", params(ListParams),
    responses(
        (status = 200, description = "One page of intakes", body = Page<IntakeItem>),
        (status = 400, description = "A parameter is not valid", body = Problem,
         content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem,
         content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<IntakeItem>>, Problem> {
    let parsed = params::parse(raw.as_deref(), &LIST_SPECS).map_err(Problem::bad_request)?;
    let today = state.clock().today_iso();
    let f = filter(&state, &parsed, &today).await?;
    let (page, per_page) = parsed.paging();
    let (rows, total) = store::intakes(&state.db.pool, &f, Window { page, per_page }).await?;
    let base = state.public_url();
    let items = rows
        .iter()
        .map(|r| {
            let credential = CredentialRef {
                slug: r.credential_slug.clone(),
                title: r.credential_title.clone(),
                url: format!("{base}/api/v1/credentials/{}", r.credential_slug),
            };
            IntakeItem {
                slug: format!("{}:{}", r.credential_slug, r.code),
                title: format!("{} ({})", r.credential_title, r.region),
                url: credential.url.clone(),
                credential,
                sector: SectorRef {
                    slug: r.sector_slug.clone(),
                    name: r.sector_name.clone(),
                },
                intake: detail(&base, r, &today),
            }
        })
        .collect();
    let total = total.max(0) as u64;
    let pages = paging::pages(total, per_page);
    Ok(Json(Page {
        items,
        total,
        page,
        pages,
        per_page,
        links: paging::links(&base, "/api/v1/intakes", &LIST_SPECS, &parsed, pages),
    }))
}

/// The same intakes as an iCalendar feed: all-day events, starting in the next 12 months,
/// at most 1,000.
#[utoipa::path(get, path = "/intakes.ics", tag = "intakes", params(FeedParams),
    responses(
        (status = 200, description = "An iCalendar (RFC 5545) feed", body = String,
         content_type = "text/calendar"),
        (status = 400, description = "A parameter is not valid", body = Problem,
         content_type = "application/problem+json"),
        (status = 429, description = "Too many requests", body = Problem,
         content_type = "application/problem+json"),
    ))]
pub async fn feed(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let parsed = params::parse(raw.as_deref(), &FEED_SPECS).map_err(Problem::bad_request)?;
    let today = state.clock().today();
    let today_iso = today.to_string();
    let mut f = filter(&state, &parsed, &today_iso).await?;
    // Bounded: from today at the earliest, to a year ahead at the latest.
    let last = (today + Duration::days(FEED_DAYS)).to_string();
    f.from = f.from.max(today_iso.clone());
    f.to = Some(f.to.map_or(last.clone(), |to| to.min(last)));
    let window = Window {
        page: 1,
        per_page: FEED_MAX,
    };
    let (rows, _) = store::intakes(&state.db.pool, &f, window).await?;
    let body = calendar(&state.public_url(), &rows, today, &today_iso);
    let mut res = body.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    Ok(res)
}

/// The feed. DTSTAMP is the start of today (UTC), so the feed's bytes (and its ETag) change
/// only when the intakes, their seats or the day do.
fn calendar(base: &str, rows: &[IntakeRow], today: time::Date, today_iso: &str) -> String {
    let host = base.split("://").nth(1).unwrap_or(base);
    let events = rows.iter().map(|r| {
        let d = detail(base, r, today_iso);
        DayEvent {
            uid: format!("{}.{}@{host}", r.code, r.credential_slug),
            first_day: &r.starts_on,
            last_day: &r.ends_on,
            summary: format!("{} ({})", r.credential_title, r.region),
            location: &r.region,
            description: format!(
                "{}. {} delivery in {}. Seats left: {} of {}. Enrolment {} to {}. {}",
                r.credential_title,
                r.delivery_mode,
                r.region,
                d.seats_left,
                r.capacity,
                r.enrolment_opens_on,
                r.enrolment_closes_on,
                d.register_url
            ),
            url: format!("{base}/credentials/{}", r.credential_slug),
            scheduling: None,
        }
    });
    ical::calendar(
        Method::Publish,
        Some("Micro-credential intakes"),
        today.midnight().assume_utc(),
        events,
    )
}
