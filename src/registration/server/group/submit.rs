//! One group submission, from the form as sent to the page that answers it: read the list,
//! check every row, and either show the preview (nothing written) or, on confirm, place the
//! rows and show what happened to each. The checks run again on confirm: a preview proves
//! nothing about what is sent next. A confirmed list first counts against the account's
//! rows per 24 hours (`quota`); over it, the form comes back with the list, 429.

use axum::http::StatusCode;
use base64::Engine as _;

use crate::error::{AppError, FieldError};
use crate::registration::group::{
    GroupForm, GroupResult, GroupState, PreviewRow, ResultRow, RowOutcome,
};
use crate::registration::server::caps::Caps;
use crate::registration::server::group::quota::{self, OverLimit};
use crate::registration::server::group::store::{register_group, GroupOutcome, RowResult};
use crate::registration::server::group::{check, parse, Checked};
use crate::registration::server::place::Enroller;
use crate::registration::server::place::RegisterError;
use crate::registration::types::RegistrationStatus;
use crate::server::state::AppState;

/// Which button sent the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// "Check the list": a preview, nothing written.
    Check,
    /// "Register": check again, then place the rows.
    Confirm,
}

impl Step {
    pub fn parse(value: &str) -> Self {
        match value {
            "confirm" => Self::Confirm,
            _ => Self::Check,
        }
    }
}

/// The coordinator enrolling, with their organisation's name (each learner's employer).
pub async fn employer(
    state: &AppState,
    user: &crate::auth::server::backend::User,
) -> Result<Enroller, AppError> {
    let crate::auth::server::guard::Scope::EmployerOrg(org_id) = user.scope()? else {
        return Err(AppError::Forbidden);
    };
    let org_name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_one(&state.db.pool)
        .await?;
    Ok(Enroller::Employer {
        org_id,
        org_name,
        user_id: user.id,
    })
}

/// Answers one submission of `form` for credential `slug` by `by`: the page's state and the
/// status it is served with (200, or 422 when something must be fixed).
pub async fn submit(
    state: &AppState,
    slug: &str,
    by: &Enroller,
    form: GroupForm,
    upload_error: Option<FieldError>,
    step: Step,
) -> Result<(GroupState, StatusCode), AppError> {
    let Enroller::Employer {
        org_id,
        org_name,
        user_id,
    } = by
    else {
        return Err(AppError::Forbidden);
    };
    let today = state.clock().today_iso();
    let mut page = GroupState {
        form,
        ..GroupState::default()
    };
    page.errors.extend(upload_error);
    let credential = crate::catalogue::server::detail::detail(&state.db.pool, slug, &today)
        .await?
        .ok_or(AppError::NotFound)?;
    let open = credential.intakes.iter().any(|i| {
        i.code == page.form.intake && i.enrolment == crate::catalogue::types::EnrolmentState::Open
    });
    if !open {
        page.errors
            .push(field("intake", "Choose one of the open intakes listed."));
    }
    let mut checked = Vec::new();
    if page.errors.iter().all(|e| e.field != "file") {
        match parse::parse(page.form.rows.as_bytes()) {
            Ok(rows) => checked = check(rows, &page.form.intake, org_name, &today),
            Err(e) => page.errors.push(field("rows", &e.to_string())),
        }
    }
    page.preview = checked.iter().map(preview).collect();
    if step == Step::Confirm && !page.form.attest {
        page.errors.push(field(
            "attest",
            "Confirm that every person on the list agreed to the privacy statement.",
        ));
    }
    let rows_ok = page.preview.iter().all(|r| r.problems.is_empty());
    if !page.errors.is_empty() || !rows_ok {
        if !rows_ok {
            let bad = page
                .preview
                .iter()
                .filter(|r| !r.problems.is_empty())
                .count();
            page.message = Some(format!(
                "{bad} of {} rows need fixing. Nothing has been registered: correct them in \
                 the list and check it again.",
                page.preview.len()
            ));
        }
        return Ok((page, StatusCode::UNPROCESSABLE_ENTITY));
    }
    if step == Step::Check {
        return Ok((page, StatusCode::OK));
    }
    let valid: Vec<_> = checked.into_iter().filter_map(|c| c.result.ok()).collect();
    let rows = valid.len() as i64;
    let limit = i64::from(state.config.group_rows_per_day);
    let target = (slug, page.form.intake.as_str());
    if let Err(over) = quota::take(&state.db.pool, (*user_id, *org_id), target, rows, limit).await?
    {
        for _ in &valid {
            crate::server::metrics::registration("limited");
        }
        page.errors.push(field("rows", &over_limit(over, rows)));
        return Ok((page, StatusCode::TOO_MANY_REQUESTS));
    }
    let outcome = match register_group(
        &state.db.pool,
        slug,
        &page.form.intake,
        &valid,
        by,
        (page.form.all_or_none, Caps::from(state.config.as_ref())),
        &today,
        &state.links,
    )
    .await
    {
        Ok(outcome) => outcome,
        Err(RegisterError::Db(e)) => return Err(e.into()),
        Err(e) => {
            page.errors.push(field("intake", &intake_refusal(&e)));
            return Ok((page, StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let result = result(&page.preview, &outcome);
    let status = if outcome.taken {
        StatusCode::OK
    } else {
        page.message = Some(format!(
            "Only {} of {} people would get a seat, and you asked for all together or none, \
             so nobody has been registered. Choose another intake, or untick \"all together \
             or none\" to register who fits and waitlist the rest.",
            outcome.seated(),
            valid.len()
        ));
        StatusCode::CONFLICT
    };
    page.result = Some(result);
    Ok((page, status))
}

fn field(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.to_owned(),
    }
}

/// The intake is checked once for the whole form, so rows do not repeat its message.
fn preview(c: &Checked) -> PreviewRow {
    PreviewRow {
        line: c.row.line,
        given_name: c.row.given_name.clone(),
        family_name: c.row.family_name.clone(),
        email: c.row.email.clone(),
        region: c.row.region.clone(),
        problems: c
            .result
            .as_ref()
            .err()
            .map(|e| e.iter().filter(|e| e.field != "intake").cloned().collect())
            .unwrap_or_default(),
    }
}

/// What the coordinator is told when the list would take the account past its rows per
/// 24 hours: nothing registered, the list kept, what to do, and that the provider knows.
fn over_limit(over: OverLimit, rows: i64) -> String {
    use crate::format::thousands;
    format!(
        "This account can send at most {} people to be registered in 24 hours. It has sent \
         {} in the last 24 hours, and this list of {} would go past that, so nobody on it has \
         been registered. The list is kept below: send it again once earlier lists are more \
         than 24 hours old, or ask the provider to register them. The intake's provider can \
         see that this list was refused.",
        thousands(over.limit),
        thousands(over.sent),
        thousands(rows)
    )
}

fn intake_refusal(e: &RegisterError) -> String {
    match e {
        RegisterError::NotEnrolling => "This micro-credential is not taking new enrolments.",
        RegisterError::WindowClosed => {
            "Enrolment for this intake closed while you were working. Choose another intake."
        }
        _ => "Choose one of the open intakes listed.",
    }
    .to_owned()
}

/// The result, row by row in the order given, with its CSV for the download link.
fn result(preview: &[PreviewRow], group: &GroupOutcome) -> GroupResult {
    let rows: Vec<ResultRow> = preview
        .iter()
        .zip(&group.rows)
        .map(|(p, r)| {
            let (outcome, reference) = match r {
                RowResult::Placed(o) => (
                    match o.status {
                        RegistrationStatus::Waitlisted => {
                            RowOutcome::Waitlisted(o.waitlist_position)
                        }
                        _ => RowOutcome::Confirmed,
                    },
                    Some(o.reference.clone()),
                ),
                RowResult::AlreadyRegistered => (RowOutcome::AlreadyRegistered, None),
                RowResult::Full => (RowOutcome::Full, None),
                RowResult::TooManyActive => (RowOutcome::TooManyActive, None),
                RowResult::TooManyEmails => (RowOutcome::TooManyEmails, None),
            };
            ResultRow {
                line: p.line,
                given_name: p.given_name.clone(),
                family_name: p.family_name.clone(),
                email: p.email.clone(),
                outcome,
                // Nothing written: a reference would point at nothing.
                reference: reference.filter(|_| group.taken),
            }
        })
        .collect();
    let mut csv = b"\xEF\xBB\xBF".to_vec();
    let mut records = vec![[
        "Line",
        "Given name",
        "Family name",
        "Email",
        "Result",
        "Reference",
    ]
    .map(str::to_owned)
    .to_vec()];
    records.extend(rows.iter().map(|r| {
        vec![
            r.line.to_string(),
            r.given_name.clone(),
            r.family_name.clone(),
            r.email.clone(),
            r.outcome.label(group.taken),
            r.reference.clone().unwrap_or_default(),
        ]
    }));
    csv.extend(crate::server::csv::encode(&records));
    GroupResult {
        taken: group.taken,
        rows,
        csv_href: format!(
            "data:text/csv;charset=utf-8;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(csv)
        ),
    }
}
