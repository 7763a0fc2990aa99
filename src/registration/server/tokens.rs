//! The learner's reference (short, unambiguous, to read out on the phone) and the check of
//! their secret link: a token derived from the server secret, the registration's id and its
//! link version (`server::links`), never stored. Registrations made before that scheme keep
//! the SHA-256 hash of their random token, and their links keep working.

use rand::Rng;
use sha2::{Digest, Sha256};

use crate::server::links::{LinkSecret, REGISTRATION};

/// Unambiguous characters for references: no 0/O, 1/I/L, or U.
const REFERENCE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

pub fn new_reference() -> String {
    let mut rng = rand::rng();
    let code: String = (0..6)
        .map(|_| REFERENCE_ALPHABET[rng.random_range(0..REFERENCE_ALPHABET.len())] as char)
        .collect();
    format!("TOHU-{code}")
}

/// The registration `reference` names if `token` is its link's token.
pub async fn verify_link<'e, E>(
    db: E,
    links: &LinkSecret,
    reference: &str,
    token: &str,
) -> Result<Option<i64>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row: Option<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, link_version, token_hash FROM registrations WHERE reference = $1",
    )
    .bind(reference.to_owned())
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(id, version, legacy)| {
        let derived = links.verify(REGISTRATION, id, version, "", token);
        let old = !legacy.is_empty() && legacy == hash_token(token);
        (derived || old).then_some(id)
    }))
}

fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
