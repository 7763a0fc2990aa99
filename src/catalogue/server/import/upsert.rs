//! Insert-or-update by natural key, reporting whether anything changed, for the import.

use sqlx::{Any, Row, Transaction};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    Created,
    Updated,
    Unchanged,
}

/// One column value, typed the way both backends store it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum V {
    Int(Option<i64>),
    Text(Option<String>),
}

pub(super) fn t(s: &str) -> V {
    V::Text(Some(s.to_owned()))
}
pub(super) fn ot(s: &Option<String>) -> V {
    V::Text(s.clone())
}
pub(super) fn i(n: i64) -> V {
    V::Int(Some(n))
}
pub(super) fn oi(n: Option<i64>) -> V {
    V::Int(n)
}

pub(super) async fn upsert(
    tx: &mut Transaction<'_, Any>,
    table: &'static str,
    key: (&'static str, V),
    cols: &[(&'static str, V)],
) -> Result<(Change, i64), sqlx::Error> {
    upsert_keyed(tx, table, &[key], cols).await
}

fn bind_v<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    v: &V,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    match v {
        V::Int(n) => q.bind(*n),
        V::Text(s) => q.bind(s.clone()),
    }
}

/// Inserts the row, or updates it when any column differs; table and column names are
/// compile-time constants, values are always bound.
pub(super) async fn upsert_keyed(
    tx: &mut Transaction<'_, Any>,
    table: &'static str,
    keys: &[(&'static str, V)],
    cols: &[(&'static str, V)],
) -> Result<(Change, i64), sqlx::Error> {
    let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
    let key_where: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(n, (k, _))| format!("{k} = ${}", n + 1))
        .collect();
    let select = format!(
        "SELECT id, {} FROM {table} WHERE {}",
        names.join(", "),
        key_where.join(" AND ")
    );
    let mut q = sqlx::query(&select);
    for (_, v) in keys {
        q = bind_v(q, v);
    }
    let existing = q.fetch_optional(&mut **tx).await?;
    match existing {
        Some(row) => {
            // The columns are the caller's list, so they are read by those names.
            let id: i64 = row.try_get("id")?;
            let mut same = true;
            for (name, v) in cols {
                let stored = match v {
                    V::Int(_) => V::Int(row.try_get(*name)?),
                    V::Text(_) => V::Text(row.try_get(*name)?),
                };
                same &= stored == *v;
            }
            if same {
                return Ok((Change::Unchanged, id));
            }
            let sets: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(n, c)| format!("{c} = ${}", n + 1))
                .collect();
            // Every catalogue table counts its writes, so an editor's stale copy is noticed.
            let update = format!(
                "UPDATE {table} SET {}, row_version = row_version + 1 WHERE id = ${}",
                sets.join(", "),
                cols.len() + 1
            );
            let mut q = sqlx::query(&update);
            for (_, v) in cols {
                q = bind_v(q, v);
            }
            q.bind(id).execute(&mut **tx).await?;
            Ok((Change::Updated, id))
        }
        None => {
            let all: Vec<&(&str, V)> = keys.iter().chain(cols.iter()).collect();
            let placeholders: Vec<String> = (1..=all.len()).map(|n| format!("${n}")).collect();
            let insert = format!(
                "INSERT INTO {table} ({}) VALUES ({}) RETURNING id",
                all.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "),
                placeholders.join(", ")
            );
            let mut q = sqlx::query(&insert);
            for (_, v) in all {
                q = bind_v(q, v);
            }
            let id: i64 = q.fetch_one(&mut **tx).await?.try_get("id")?;
            Ok((Change::Created, id))
        }
    }
}
