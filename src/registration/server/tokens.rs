//! The learner's reference (short, unambiguous, to read out on the phone) and the secret
//! token of their link (128 bits, stored only as a SHA-256 hash).

use rand::Rng;
use sha2::{Digest, Sha256};

/// Unambiguous characters for references: no 0/O, 1/I/L, or U.
const REFERENCE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

pub fn new_reference() -> String {
    let mut rng = rand::rng();
    let code: String = (0..6)
        .map(|_| REFERENCE_ALPHABET[rng.random_range(0..REFERENCE_ALPHABET.len())] as char)
        .collect();
    format!("TOHU-{code}")
}

/// A 128-bit secret for the learner's link; only its hash is stored.
pub fn new_token() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
