//! Revocation through W3C Bitstring Status Lists: each issuer has lists of 131,072 entries
//! (the spec's minimum, so one learner's entry hides among many), a credential takes an
//! entry at random (never in order, so an index says nothing of when or to whom it was
//! issued), and `/status-lists/{n}` serves the list as a `BitstringStatusListCredential`
//! signed like the credentials: bit `i` (the most significant bit of byte `i / 8` first) is
//! set when the credential at index `i` is revoked.

use std::io::Write;

use base64::Engine;
use serde_json::{json, Value};
use sqlx::{Any, AnyPool, Transaction};

use crate::badges::server::canon::{CanonError, VC_V2};
use crate::badges::server::credential::{issuer_id, status_list_url};
use crate::badges::server::keys::IssuerKeys;
use crate::badges::server::proof;
use crate::server::clock;

/// Entries in one list.
pub const SIZE: i64 = 131_072;
/// A list takes new credentials until this many entries are used, so a random free entry is
/// always found in a few tries.
const FULL: i64 = SIZE / 2;

/// A free entry for a credential of `organisation_id`: its list and index.
pub async fn allocate(
    tx: &mut Transaction<'_, Any>,
    organisation_id: i64,
) -> Result<(i64, i64), sqlx::Error> {
    let open: Option<i64> = sqlx::query_scalar(
        "SELECT l.id FROM status_lists l WHERE l.organisation_id = $1 AND \
         (SELECT COUNT(*) FROM issued_credentials c WHERE c.status_list_id = l.id) < $2 \
         ORDER BY l.id LIMIT 1",
    )
    .bind(organisation_id)
    .bind(FULL)
    .fetch_optional(&mut **tx)
    .await?;
    let list = match open {
        Some(id) => id,
        None => {
            sqlx::query_scalar(
                "INSERT INTO status_lists (organisation_id, created_at) VALUES ($1, $2) \
                 RETURNING id",
            )
            .bind(organisation_id)
            .bind(clock::now())
            .fetch_one(&mut **tx)
            .await?
        }
    };
    loop {
        let index = rand::random_range(0..SIZE);
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM issued_credentials WHERE status_list_id = $1 AND status_index = $2",
        )
        .bind(list)
        .bind(index)
        .fetch_optional(&mut **tx)
        .await?;
        if taken.is_none() {
            return Ok((list, index));
        }
    }
}

/// The multibase (`u`, base64url) of the GZIP of the bitstring with `revoked` set.
pub fn encode(revoked: &[i64]) -> String {
    let mut bits = vec![0u8; (SIZE / 8) as usize];
    for &i in revoked.iter().filter(|i| (0..SIZE).contains(*i)) {
        bits[(i / 8) as usize] |= 0x80 >> (i % 8);
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = gz.write_all(&bits);
    let zipped = gz.finish().unwrap_or_default();
    format!(
        "u{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(zipped)
    )
}

/// Whether bit `index` is set in an encoded list; `None` when the list cannot be read.
pub fn is_set(encoded: &str, index: i64) -> Option<bool> {
    use std::io::Read;
    let zipped = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded.strip_prefix('u')?)
        .ok()?;
    let mut bits = Vec::new();
    flate2::read::GzDecoder::new(zipped.as_slice())
        .take(16 * SIZE as u64)
        .read_to_end(&mut bits)
        .ok()?;
    let byte = bits.get(usize::try_from(index / 8).ok()?)?;
    Some(byte & (0x80 >> (index % 8)) != 0)
}

#[derive(sqlx::FromRow)]
struct ListRow {
    created_at: String,
    public_id: String,
}

/// The signed status list `list`; `None` when there is no such list.
pub async fn credential(
    pool: &AnyPool,
    list: i64,
    base: &str,
    keys: &IssuerKeys,
) -> Result<Option<Result<Value, CanonError>>, sqlx::Error> {
    let row: Option<ListRow> = sqlx::query_as(
        "SELECT l.created_at, o.public_id FROM status_lists l \
         JOIN organisations o ON o.id = l.organisation_id WHERE l.id = $1",
    )
    .bind(list)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let revoked: Vec<i64> = sqlx::query_scalar(
        "SELECT status_index FROM issued_credentials \
         WHERE status_list_id = $1 AND status = 'revoked' ORDER BY status_index",
    )
    .bind(list)
    .fetch_all(pool)
    .await?;
    let url = status_list_url(base, list);
    let issuer = issuer_id(base, &row.public_id);
    let document = json!({
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": row.created_at,
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode(&revoked),
        },
    });
    let method = format!("{issuer}#{}", keys.key_id());
    Ok(Some(
        proof::sign(document, proof::options(&row.created_at, &method), keys).await,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revoked_index_is_its_bit_and_no_other() {
        let encoded = encode(&[0, 9, SIZE - 1]);
        for (i, set) in [
            (0, true),
            (1, false),
            (8, false),
            (9, true),
            (SIZE - 1, true),
        ] {
            assert_eq!(is_set(&encoded, i), Some(set), "bit {i}");
        }
        assert_eq!(is_set(&encoded, SIZE), None);
        assert_eq!(is_set("zabc", 0), None);
    }
}
