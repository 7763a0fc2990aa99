//! The registrations table's free text: a learner's name, email or reference, matched
//! anywhere in "given family email reference", case aside. Which way of finding the rows is
//! cheaper depends on how many match, and only the data knows that. On SQLite a trigram
//! index (`registration_text`, migration 10) names a rare search's few candidates in
//! milliseconds, while a search thousands match is found sooner by walking the table in
//! its order and testing rows until the page is full. So a search first asks the index for
//! up to `PROBE` candidates: fewer, and the query reads only those; as many (or fewer than
//! three characters, which trigrams cannot index), and it tests rows. PostgreSQL's planner
//! makes that choice itself, between its trigram index on the same text and the others.

use sqlx::AnyPool;

use crate::dashboard::server::sql::{contains_pattern, Binds};
use crate::error::AppError;
use crate::server::db::Backend;

/// The searched text of registration `r`; PostgreSQL's trigram index is on this expression.
const TEXT: &str =
    "LOWER(r.given_name || ' ' || r.family_name || ' ' || r.email_key || ' ' || r.reference)";

/// Candidates past which a search tests rows instead.
pub const PROBE: i64 = 10_000;

/// How a query matches its free text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// No free text.
    Any,
    /// Each row tested against this `LIKE` pattern.
    Scan(String),
    /// Rows among the trigram index's matches of this FTS5 phrase.
    Candidates(String),
}

impl Text {
    /// Decides how to match `q` on `pool`'s backend.
    pub async fn plan(pool: &AnyPool, q: &str) -> Result<Self, AppError> {
        let q = q.trim();
        if q.is_empty() {
            return Ok(Text::Any);
        }
        if Backend::of(pool) == Backend::Postgres || q.chars().count() < 3 {
            return Ok(Text::Scan(contains_pattern(q)));
        }
        let phrase = format!("\"{}\"", q.replace('"', "\"\""));
        let found: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT rowid FROM registration_text \
             WHERE registration_text MATCH $1 LIMIT $2) x",
        )
        .bind(phrase.clone())
        .bind(PROBE)
        .fetch_one(pool)
        .await?;
        Ok(match found < PROBE {
            true => Text::Candidates(phrase),
            false => Text::Scan(contains_pattern(q)),
        })
    }

    /// The condition on registration `r`, if there is text.
    pub fn clause(&self, binds: &mut Binds) -> Option<String> {
        match self {
            Text::Any => None,
            Text::Scan(pattern) => Some(format!(
                "{TEXT} LIKE {} ESCAPE '\\'",
                binds.text(pattern.clone())
            )),
            Text::Candidates(phrase) => Some(format!(
                "r.id IN (SELECT rowid FROM registration_text WHERE registration_text MATCH {})",
                binds.text(phrase.clone())
            )),
        }
    }
}
