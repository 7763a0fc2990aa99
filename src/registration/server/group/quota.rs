//! How many rows one employer coordinator's account may send to group registration in 24
//! hours (`--group-rows-per-day`). Without it an employer account could fill a
//! competitor's intakes and waitlists with list after list (issue 27). Counted in the
//! database (`group_submissions`), so every instance holds an account to the same line.
//!
//! A list that would take the account past the limit is refused **whole**, not cut at the
//! limit: a group is one decision of the coordinator (its order decides who gets the last
//! seats, "all together or none" may hold it together), and registering its first rows
//! while refusing the rest would split a crew without asking. Refused whole, the list comes
//! back in the form as sent, to send again later or trimmed. The refusal is kept, marked,
//! and shown to the provider of the intake it targeted on its overview.
//!
//! Every row sent to be registered counts, placed or not (a row refused as full or already
//! registered, a group "all together or none" did not write): the limit also bounds how
//! many addresses an account can try against intakes in a day. Insert, then count: each
//! submission sees itself and every one committed before it, so two racing lists of one
//! account can never both pass the limit (both may be refused; the coordinator sends again).

use sqlx::AnyPool;

use crate::server::clock;

/// Why a list was refused: the limit, and the rows the account had sent in the 24 hours
/// before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverLimit {
    pub limit: i64,
    pub sent: i64,
}

/// The intake a list targets, as the quota records it.
#[derive(sqlx::FromRow)]
struct Target {
    id: i64,
    provider_org_id: Option<i64>,
}

/// Counts `rows` sent by account `user_id` of employer `employer_org_id` for intake `code`
/// of credential `slug` against `limit`; `Ok(Err(_))` when the list would take the account
/// past it, recorded as refused for the intake's provider to see. An intake that does not
/// exist counts nothing (the placing refuses it).
pub async fn take(
    pool: &AnyPool,
    (user_id, employer_org_id): (i64, i64),
    (slug, code): (&str, &str),
    rows: i64,
    limit: i64,
) -> Result<Result<(), OverLimit>, sqlx::Error> {
    let Some(intake) = sqlx::query_as::<_, Target>(
        "SELECT i.id, i.provider_org_id FROM intakes i \
         JOIN credentials c ON c.id = i.credential_id WHERE c.slug = $1 AND i.code = $2",
    )
    .bind(slug.to_owned())
    .bind(code.to_owned())
    .fetch_optional(pool)
    .await?
    else {
        return Ok(Ok(()));
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO group_submissions \
           (user_id, employer_org_id, provider_org_id, intake_id, row_count, refused, at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id",
    )
    .bind(user_id)
    .bind(employer_org_id)
    .bind(intake.provider_org_id)
    .bind(intake.id)
    .bind(rows)
    .bind(clock::now())
    .fetch_one(pool)
    .await?;
    let counted: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(row_count), 0) AS BIGINT) FROM group_submissions \
         WHERE user_id = $1 AND refused = 0 AND at > $2",
    )
    .bind(user_id)
    .bind(clock::from_now(time::Duration::hours(-24)))
    .fetch_one(pool)
    .await?;
    if counted <= limit {
        return Ok(Ok(()));
    }
    sqlx::query("UPDATE group_submissions SET refused = 1 WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(Err(OverLimit {
        limit,
        sent: counted - rows,
    }))
}
