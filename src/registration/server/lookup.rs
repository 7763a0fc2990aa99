//! The registration behind a learner's secret link, for the confirmation page (with the
//! learner's credential, once they completed), and for its downloads.

use sqlx::AnyPool;

use crate::badges::server::issue;
use crate::error::AppError;
use crate::registration::server::tokens::verify_link;
use crate::registration::types::{RegistrationStatus, RegistrationView};
use crate::server::links::LinkSecret;

/// What the confirmation page shows, as one row.
#[derive(sqlx::FromRow)]
struct ViewRow {
    id: i64,
    reference: String,
    status: String,
    given_name: String,
    family_name: String,
    email: String,
    intake_id: i64,
    starts_on: String,
    ends_on: String,
    region: String,
    delivery_mode: String,
    credential_title: String,
    credential_slug: String,
}

/// The id of the registration behind a learner's secret link; `None` unless reference and
/// token match.
pub async fn registration_id(
    pool: &AnyPool,
    links: &LinkSecret,
    reference: &str,
    token: &str,
) -> Result<Option<i64>, sqlx::Error> {
    if reference.len() > 20 || token.len() > 64 {
        return Ok(None);
    }
    verify_link(pool, links, reference, token).await
}

/// The registration behind a learner's secret link; `None` unless reference and token match.
pub async fn find(
    pool: &AnyPool,
    links: &LinkSecret,
    reference: &str,
    token: &str,
    base: &str,
) -> Result<Option<RegistrationView>, AppError> {
    let Some(id) = verify_link(pool, links, reference, token).await? else {
        return Ok(None);
    };
    let Some(r) = sqlx::query_as::<_, ViewRow>(
        "SELECT r.id, r.reference, r.status, r.given_name, r.family_name, r.email, \
           i.id AS intake_id, i.starts_on, i.ends_on, i.region, i.delivery_mode, \
           c.title AS credential_title, c.slug AS credential_slug \
         FROM registrations r JOIN intakes i ON i.id = r.intake_id \
           JOIN credentials c ON c.id = i.credential_id \
         WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let status = RegistrationStatus::parse(&r.status).unwrap_or(RegistrationStatus::Pending);
    let waitlist_position = if status == RegistrationStatus::Waitlisted {
        let ahead: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM registrations WHERE intake_id = $1 AND status = 'waitlisted' AND id < $2",
        )
        .bind(r.intake_id)
        .bind(r.id)
        .fetch_one(pool)
        .await?;
        Some(ahead + 1)
    } else {
        None
    };
    let credential = match issue::of_registration(pool, r.id).await? {
        Some(issued) if issued.status == "active" => Some(issued.for_learner(base)),
        _ => None,
    };
    Ok(Some(RegistrationView {
        credential,
        reference: r.reference,
        status,
        waitlist_position,
        given_name: r.given_name,
        family_name: r.family_name,
        email: r.email,
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        region: r.region,
        delivery_mode: r.delivery_mode,
        credential_title: r.credential_title,
        credential_slug: r.credential_slug,
    }))
}
