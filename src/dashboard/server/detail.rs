//! One registration for the detail page, read only through the coordinator's scope: a
//! registration of another organisation is "not found", never "forbidden", so references
//! cannot be probed. Its timeline holds only the kinds of line the coordinator's role may
//! read (`EventKind::visible_to`: an employer never reads the provider's notes), chosen in
//! the query.

use sqlx::AnyPool;

use crate::auth::server::guard::Scope;
use crate::auth::types::Role;
use crate::dashboard::server::moment::moment;
use crate::dashboard::server::sql::{scoped, Binds, FROM};
use crate::dashboard::types::{
    IssuedCredential, RegistrationAction, RegistrationDetail, TimelineEntry,
};
use crate::error::AppError;
use crate::registration::events::EventKind;
use crate::registration::types::{Learner, RegistrationStatus};

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    reference: String,
    status: String,
    #[sqlx(flatten)]
    learner: Learner,
    created_at: String,
    credential_title: String,
    credential_slug: String,
    intake_id: i64,
    intake_code: String,
    starts_on: String,
    ends_on: String,
    provider: String,
    employer_organisation: Option<String>,
    credential_id: Option<String>,
    achieved_on: Option<String>,
    credential_status: Option<String>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    at: String,
    kind: String,
    from_status: Option<String>,
    to_status: String,
    actor: String,
    reason: String,
    user_name: Option<String>,
}

fn status(s: &str) -> RegistrationStatus {
    RegistrationStatus::parse(s).unwrap_or(RegistrationStatus::Pending)
}

/// The registration `reference` if `scope` may see it, with its timeline oldest first.
pub async fn detail(
    pool: &AnyPool,
    scope: Scope,
    role: Role,
    reference: &str,
    today: &str,
) -> Result<RegistrationDetail, AppError> {
    let mut binds = Binds::default();
    let scope_sql = scoped(scope, &mut binds);
    let sql = format!(
        "SELECT r.id, r.reference, r.status, r.given_name, r.family_name, r.email, r.phone, \
           r.employer, r.region, r.nsn, r.date_of_birth, r.created_at, \
           c.title AS credential_title, c.slug AS credential_slug, i.id AS intake_id, \
           i.code AS intake_code, i.starts_on, i.ends_on, i.provider, \
           o.name AS employer_organisation, ic.id AS credential_id, ic.achieved_on, \
           ic.status AS credential_status \
         {FROM} LEFT JOIN organisations o ON o.id = r.employer_org_id \
           LEFT JOIN issued_credentials ic ON ic.registration_id = r.id AND ic.status = 'active' \
         WHERE {scope_sql} AND r.reference = {}",
        binds.text(reference)
    );
    let row: DetailRow = binds
        .to(sqlx::query_as(&sql))
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let events = timeline(pool, row.id, role).await?;
    let current = status(&row.status);
    // Employer coordinators withdraw their own staff; the provider's coordinators (and
    // admins) take every action. A credential is issued once.
    let issued = row.credential_id.is_some();
    let actions = RegistrationAction::ALL
        .into_iter()
        .filter(|a| a.allowed_for(role) && a.applies_to(current))
        .filter(|a| !(issued && *a == RegistrationAction::Issue))
        .collect();
    // Employers see the completion, never the credential.
    let credential = match (role, row.credential_id, row.achieved_on) {
        (Role::Employer, ..) => None,
        (_, Some(id), Some(achieved_on)) => Some(IssuedCredential {
            id,
            achieved_on,
            revoked: row.credential_status.as_deref() == Some("revoked"),
        }),
        _ => None,
    };
    let achieved_default = row.ends_on.as_str().min(today).to_owned();
    Ok(RegistrationDetail {
        reference: row.reference,
        status: current,
        learner: row.learner,
        registered_at: moment(&row.created_at),
        credential_title: row.credential_title,
        credential_slug: row.credential_slug,
        intake_id: row.intake_id,
        intake_code: row.intake_code,
        starts_on: row.starts_on,
        provider: row.provider,
        employer_organisation: row.employer_organisation,
        credential,
        achieved_default,
        timeline: events
            .into_iter()
            .filter_map(|e| {
                Some(TimelineEntry {
                    kind: EventKind::parse(&e.kind)?,
                    at: moment(&e.at),
                    from: e.from_status.as_deref().map(status),
                    to: status(&e.to_status),
                    who: match e.actor.as_str() {
                        "learner" => "Learner".to_owned(),
                        "system" => "Tohu".to_owned(),
                        _ => e.user_name.unwrap_or_else(|| "A coordinator".to_owned()),
                    },
                    reason: e.reason,
                })
            })
            .collect(),
        actions,
    })
}

/// Registration `id`'s timeline, oldest first, holding only the kinds of line `role` may
/// read: the kinds are chosen in the query, so a line nobody of that role may read never
/// leaves the database for them.
async fn timeline(pool: &AnyPool, id: i64, role: Role) -> Result<Vec<EventRow>, AppError> {
    let mut binds = Binds::default();
    let registration = binds.int(id);
    let kinds: Vec<String> = EventKind::ALL
        .into_iter()
        .filter(|k| k.visible_to(role))
        .map(|k| binds.text(k.as_str()))
        .collect();
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT e.at, e.kind, e.from_status, e.to_status, e.actor, e.reason, u.name AS user_name \
         FROM registration_events e LEFT JOIN users u ON u.id = e.actor_user_id \
         WHERE e.registration_id = {registration} AND e.kind IN ({}) ORDER BY e.id",
        kinds.join(", ")
    );
    Ok(binds.to(sqlx::query_as(&sql)).fetch_all(pool).await?)
}
