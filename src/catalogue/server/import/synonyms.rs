//! `seed/synonyms.toml` (or a catalogue file's own `[[synonym_group]]`s) into the
//! `synonyms` table: groups of terms that mean the same to learners ("truck", "heavy
//! vehicle", "road transport"). Replaced whole in one transaction that also bumps
//! `catalogue_revision` when they changed, so every instance rebuilds its index with them.

use serde::Deserialize;
use sqlx::{Any, AnyPool, Transaction};

use super::ImportError;
use crate::catalogue::server::seed::{SeedError, SynonymGroupSeed};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymFile {
    #[serde(default)]
    group: Vec<SynonymGroupSeed>,
}

/// The most terms one group may hold, and the longest term.
const MAX_TERMS: usize = 20;
const MAX_TERM_CHARS: usize = 60;

fn refuse(group: usize, message: impl Into<String>) -> ImportError {
    ImportError::Seed(SeedError {
        line: 0,
        field: format!("group[{group}].terms"),
        message: message.into(),
    })
}

/// Parses and checks `text`.
fn parse(text: &str) -> Result<Vec<Vec<String>>, ImportError> {
    let file: SynonymFile = toml::from_str(text).map_err(|e| {
        ImportError::Seed(SeedError {
            line: e
                .span()
                .map(|s| crate::catalogue::server::seed::line_of(text, s.start))
                .unwrap_or_default(),
            field: "synonyms".into(),
            message: e.message().to_owned(),
        })
    })?;
    check(&file.group)
}

/// Checks the groups: each holds 2 to 20 terms of letters, digits, spaces and hyphens.
pub(super) fn check(groups_in: &[SynonymGroupSeed]) -> Result<Vec<Vec<String>>, ImportError> {
    let mut groups = Vec::new();
    for (i, g) in groups_in.iter().enumerate() {
        let terms: Vec<String> = g.terms.iter().map(|t| t.trim().to_owned()).collect();
        if !(2..=MAX_TERMS).contains(&terms.len()) {
            return Err(refuse(i, format!("a group holds 2 to {MAX_TERMS} terms")));
        }
        for t in &terms {
            let fine = t
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '-');
            if t.is_empty() || t.chars().count() > MAX_TERM_CHARS || !fine {
                return Err(refuse(
                    i,
                    format!("`{t}`: use 1 to {MAX_TERM_CHARS} letters, digits, spaces or hyphens"),
                ));
            }
        }
        groups.push(terms);
    }
    Ok(groups)
}

/// Replaces every synonym group with those in `text`; returns how many groups there are.
pub async fn import_synonyms(pool: &AnyPool, text: &str) -> Result<usize, ImportError> {
    let groups = parse(text)?;
    let mut tx = crate::server::db::begin_write(pool).await?;
    if replace(&mut tx, &groups).await? {
        crate::catalogue::server::revision::bump(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(groups.len())
}

#[derive(sqlx::FromRow)]
struct Term {
    group_no: i64,
    term: String,
}

/// The groups as sets of terms, in a stable order, to compare two sets of groups.
fn normal(groups: impl IntoIterator<Item = Vec<String>>) -> Vec<Vec<String>> {
    let mut v: Vec<Vec<String>> = groups
        .into_iter()
        .map(|mut g| {
            g.sort();
            g.dedup();
            g
        })
        .collect();
    v.sort();
    v
}

/// Makes the stored groups `groups` (checked) inside `tx`; whether they changed.
pub(super) async fn replace(
    tx: &mut Transaction<'_, Any>,
    groups: &[Vec<String>],
) -> Result<bool, ImportError> {
    let mut stored: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
    for t in sqlx::query_as::<_, Term>("SELECT group_no, term FROM synonyms")
        .fetch_all(&mut **tx)
        .await?
    {
        stored.entry(t.group_no).or_default().push(t.term);
    }
    if normal(stored.into_values()) == normal(groups.iter().cloned()) {
        return Ok(false);
    }
    sqlx::query("DELETE FROM synonyms")
        .execute(&mut **tx)
        .await?;
    for (n, terms) in groups.iter().enumerate() {
        for term in terms {
            sqlx::query(
                "INSERT INTO synonyms (group_no, term) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(n as i64)
            .bind(term.clone())
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_file_parses_and_bad_groups_are_refused() {
        let seed = include_str!("../../../../seed/synonyms.toml");
        assert!(parse(seed).unwrap().len() >= 12);
        assert!(parse("[[group]]\nterms = [\"one\"]").is_err());
        assert!(parse("[[group]]\nterms = [\"a\", \"b;c\"]").is_err());
        assert!(parse("[[group]]\nwords = [\"a\", \"b\"]").is_err());
    }
}
