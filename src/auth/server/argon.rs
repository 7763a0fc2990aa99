//! Argon2id hashing and checking in memory each thread keeps for its life. password-auth
//! allocates Argon2's 19 MiB afresh on every call, and glibc's allocator, once the first
//! such block is freed, raises its threshold for returning big blocks to the system: every
//! later block came from the heap and stayed, so a server that had checked 40 passwords one
//! at a time held 450 MB more than at start. Here a thread that hashes keeps one buffer and
//! reuses it (Argon2's first pass writes every block before reading it), so password work
//! holds 19 MiB per thread that does it (`work`'s few), whatever the allocator does.
//!
//! The format is password-auth's: PHC strings, argon2id, m = 19 MiB, t = 2, p = 1; hashes
//! made by either check with the other, and a stored hash is checked with its own
//! variant, version and costs.

use std::cell::RefCell;

use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// The most memory a stored hash may ask for (64 MiB); more is refused, not allocated.
const MAX_BLOCKS: usize = 64 * 1024;

thread_local! {
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Whether `password` is the one `phc` (a PHC string such as `$argon2id$v=19$m=…`) was made
/// from. Anything unreadable is a mismatch. The comparison takes constant time.
pub fn verify_password(password: &[u8], phc: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) =
        (Algorithm::try_from(hash.algorithm), Params::try_from(&hash))
    else {
        return false;
    };
    let Ok(version) = hash.version.map(Version::try_from).transpose() else {
        return false;
    };
    let version = version.unwrap_or_default();
    compute(password, algorithm, version, params, salt).is_some_and(|out| out == expected)
}

/// A new argon2id hash of `password` at the default costs, with a random 16-byte salt.
/// `None` only if Argon2 refuses its inputs, which no password of ours makes it do.
pub fn generate_hash(password: &[u8]) -> Option<String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).ok()?;
    let params = Params::default();
    let (algorithm, version) = (Algorithm::Argon2id, Version::V0x13);
    let out = compute(password, algorithm, version, params.clone(), salt.as_salt())?;
    let hash = PasswordHash {
        algorithm: algorithm.ident(),
        version: Some(version.into()),
        params: ParamsString::try_from(&params).ok()?,
        salt: Some(salt.as_salt()),
        hash: Some(out),
    };
    Some(hash.to_string())
}

fn compute(
    password: &[u8],
    algorithm: Algorithm,
    version: Version,
    params: Params,
    salt: Salt<'_>,
) -> Option<Output> {
    let blocks = params.block_count();
    if blocks > MAX_BLOCKS {
        return None;
    }
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes).ok()?;
    let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let argon = Argon2::new(algorithm, version, params);
    MEMORY.with_borrow_mut(|memory| {
        if memory.len() < blocks {
            memory.resize(blocks, Block::new());
        }
        Output::init_with(len, |out| {
            argon
                .hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
                .map_err(Into::into)
        })
        .ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_check_both_ways_with_password_auth() {
        let ours = generate_hash(b"kowhai-tree-2026").unwrap();
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        assert!(password_auth::verify_password("kowhai-tree-2026", &ours).is_ok());
        assert!(password_auth::verify_password("kowhai-tree-2027", &ours).is_err());
        let theirs = password_auth::generate_hash("pōhutukawa");
        // Twice: the reused memory holds the last hash's blocks, which must not matter.
        for _ in 0..2 {
            assert!(verify_password("pōhutukawa".as_bytes(), &theirs));
            assert!(!verify_password(b"pohutukawa", &theirs));
        }
        assert_ne!(generate_hash(b"x"), generate_hash(b"x"), "salted");
    }

    #[test]
    fn a_stored_hash_is_checked_with_its_own_variant_and_costs() {
        // password-auth's own test vector: argon2i, 64 MiB, one pass.
        let argon2i = "$argon2i$v=19$m=65536,t=1,p=1$c29tZXNhbHQAAAAAAAAAAA$\
                       +r0d29hqEB0yasKr55ZgICsQGSkl0v0kgwhd+U3wyRo";
        assert!(verify_password(b"password", argon2i));
        assert!(!verify_password(b"bogus", argon2i));
    }

    #[test]
    fn anything_unreadable_or_too_costly_is_a_mismatch() {
        for phc in [
            "",
            "not a hash",
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ",
            "$argon2id$v=19$m=131072,t=1,p=1$c29tZXNhbHQAAAAAAAAAAA$\
             +r0d29hqEB0yasKr55ZgICsQGSkl0v0kgwhd+U3wyRo",
            "$pbkdf2-sha256$i=4096,l=32$c2FsdA$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o",
        ] {
            assert!(!verify_password(b"password", phc), "{phc}");
        }
    }
}
