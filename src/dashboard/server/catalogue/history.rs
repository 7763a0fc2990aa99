//! A record's change history: every save in the editor writes who, when, which record (by
//! its natural key) and its form values before and after to `catalogue_changes`, in the
//! save's transaction; an administrator reads them, field by field, on the edit page.

use std::collections::BTreeMap;

use sqlx::{Any, AnyPool, Transaction};

use super::fields::Values;
use crate::dashboard::server::moment::moment;
use crate::dashboard::types::{Change, ChangedField, RecordKind};

/// Records one save of `kind`'s record `key` by `user_id` at catalogue `revision`.
pub async fn record(
    tx: &mut Transaction<'_, Any>,
    user_id: i64,
    kind: RecordKind,
    key: &str,
    before: Option<&Values>,
    after: &Values,
    revision: i64,
) -> Result<(), sqlx::Error> {
    let json = |v: &Values| serde_json::to_string(v).unwrap_or_default();
    sqlx::query(
        "INSERT INTO catalogue_changes \
           (user_id, entity, record_key, action, before_json, after_json, revision, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(user_id)
    .bind(kind.path())
    .bind(key.to_owned())
    .bind(if before.is_some() {
        "changed"
    } else {
        "created"
    })
    .bind(before.map(json))
    .bind(json(after))
    .bind(revision)
    .bind(crate::server::clock::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    at: String,
    who: Option<String>,
    action: String,
    before_json: Option<String>,
    after_json: String,
}

/// The fields that differ between two saves' values.
fn diff(before: &Values, after: &Values) -> Vec<ChangedField> {
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|n| {
            let (b, a) = (
                before.get(n).cloned().unwrap_or_default(),
                after.get(n).cloned().unwrap_or_default(),
            );
            (b != a).then(|| ChangedField {
                field: n.clone(),
                before: b,
                after: a,
            })
        })
        .collect()
}

/// The last 50 saves of a record, newest first.
pub async fn of(pool: &AnyPool, kind: RecordKind, key: &str) -> Result<Vec<Change>, sqlx::Error> {
    let rows = sqlx::query_as::<_, Row>(
        "SELECT c.at, u.name AS who, c.action, c.before_json, c.after_json \
         FROM catalogue_changes c LEFT JOIN users u ON u.id = c.user_id \
         WHERE c.entity = $1 AND c.record_key = $2 ORDER BY c.id DESC LIMIT 50",
    )
    .bind(kind.path())
    .bind(key.to_owned())
    .fetch_all(pool)
    .await?;
    let parse = |s: &str| serde_json::from_str::<BTreeMap<String, String>>(s).unwrap_or_default();
    Ok(rows
        .into_iter()
        .map(|r| {
            let after = parse(&r.after_json);
            let before = r.before_json.as_deref().map(parse).unwrap_or_default();
            Change {
                at: moment(&r.at),
                who: r.who.unwrap_or_else(|| "tohu import".to_owned()),
                action: r.action,
                fields: diff(&before, &after),
            }
        })
        .collect())
}
