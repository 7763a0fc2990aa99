//! The deployment's Ed25519 issuer key, which signs every credential and status list, and
//! the retired keys whose old credentials must still verify.
//!
//! The key is a PKCS#8 file named by `TOHU_ISSUER_KEY`; with SQLite and none named, one is
//! generated beside the database (`<database file>.issuer-key.pem`, readable by its owner
//! only), like the link secret. PostgreSQL deployments run several instances, which must
//! all sign with the same key, so there it is required. The key is never in the database,
//! the logs or a backup of the database; its public half is a key id: the multibase of the
//! multicodec Ed25519 public key (`z6Mk…`), which the issuer profile lists and each
//! credential's `verificationMethod` names after the issuer's address.

use std::path::Path;
use std::sync::Arc;

use ed25519_dalek::pkcs8::{
    spki::der::pem::LineEnding, DecodePrivateKey, EncodePrivateKey, KeypairBytes,
};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use crate::server::config::Config;

/// The multicodec prefix of an Ed25519 public key (`ed25519-pub`, 0xed as a varint).
const ED25519_PUB: [u8; 2] = [0xed, 0x01];

/// The signing key and the public keys that still verify. `Debug` never shows the key.
#[derive(Clone)]
pub struct IssuerKeys {
    signing: Arc<SigningKey>,
    retired: Arc<Vec<VerifyingKey>>,
}

impl std::fmt::Debug for IssuerKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "IssuerKeys({}, {} retired)",
            self.key_id(),
            self.retired.len()
        )
    }
}

impl IssuerKeys {
    pub fn new(signing: SigningKey, retired: Vec<VerifyingKey>) -> Self {
        Self {
            signing: Arc::new(signing),
            retired: Arc::new(retired),
        }
    }

    /// The configured key; with SQLite and none configured, the one in the file beside the
    /// database, generated on first use.
    pub fn from_config(config: &Config) -> Result<Self, String> {
        let retired = config
            .issuer_retired_keys
            .iter()
            .map(|id| {
                public_key(id).ok_or_else(|| {
                    format!("TOHU_ISSUER_RETIRED_KEYS: {id} is not an Ed25519 key id (z6Mk…)")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let signing = match &config.issuer_key {
            Some(file) => read(file)?,
            None => {
                let Some(path) = config.database_url.strip_prefix("sqlite:") else {
                    return Err(
                        "set TOHU_ISSUER_KEY to an Ed25519 PKCS#8 PEM file, the same \
                                on every instance: it signs the credentials Tohu issues"
                            .to_owned(),
                    );
                };
                let file = format!("{}.issuer-key.pem", path.trim_start_matches("//"));
                read_or_generate(Path::new(&file))?
            }
        };
        Ok(Self::new(signing, retired))
    }

    /// The key id of the signing key: `z` + base58btc(0xed01 ‖ public key).
    pub fn key_id(&self) -> String {
        key_id(&self.signing.verifying_key())
    }

    /// Every key id a credential may be signed with here: the signing key's first.
    pub fn listed(&self) -> Vec<String> {
        std::iter::once(self.key_id())
            .chain(self.retired.iter().map(key_id))
            .collect()
    }

    /// The public key of `id`, if it is one of this deployment's keys.
    pub fn listed_key(&self, id: &str) -> Option<VerifyingKey> {
        let active = self.signing.verifying_key();
        std::iter::once(active)
            .chain(self.retired.iter().copied())
            .find(|k| key_id(k) == id)
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }
}

/// The key id (multibase, multicodec) of a public key.
pub fn key_id(key: &VerifyingKey) -> String {
    let mut bytes = ED25519_PUB.to_vec();
    bytes.extend_from_slice(key.as_bytes());
    format!("z{}", bs58::encode(bytes).into_string())
}

/// The public key a key id names, if it is a well-formed Ed25519 key id.
pub fn public_key(id: &str) -> Option<VerifyingKey> {
    let bytes = bs58::decode(id.strip_prefix('z')?).into_vec().ok()?;
    let key: [u8; 32] = bytes.strip_prefix(&ED25519_PUB)?.try_into().ok()?;
    VerifyingKey::from_bytes(&key).ok()
}

/// Whether `signature` is `key`'s signature of `message`.
pub fn verify(key: &VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    let Ok(signature) = Signature::from_slice(signature) else {
        return false;
    };
    key.verify(message, &signature).is_ok()
}

fn read(file: &Path) -> Result<SigningKey, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read the issuer key {}: {e}", file.display()))?;
    SigningKey::from_pkcs8_pem(&text).map_err(|_| {
        format!(
            "{} is not an Ed25519 private key in PKCS#8 PEM (make one with `openssl genpkey \
             -algorithm ed25519`)",
            file.display()
        )
    })
}

fn read_or_generate(file: &Path) -> Result<SigningKey, String> {
    if file.exists() {
        return read(file);
    }
    let key = SigningKey::from_bytes(&rand::random());
    // PKCS#8 v1 (no public key inside), which OpenSSL 3.0 also reads; dalek's own encoder
    // writes v2, which it does not.
    let pem = KeypairBytes {
        secret_key: key.to_bytes(),
        public_key: None,
    }
    .to_pkcs8_pem(LineEnding::LF)
    .map_err(|e| format!("cannot encode the issuer key: {e}"))?;
    crate::server::links::write_private(file, &pem)
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_id_names_its_key_and_nothing_else() {
        let key = SigningKey::from_bytes(&[7; 32]).verifying_key();
        let id = key_id(&key);
        assert!(id.starts_with("z6Mk"), "{id}");
        assert_eq!(public_key(&id), Some(key));
        assert_eq!(public_key(&id.replace('z', "u")), None);
        assert_eq!(public_key("z6Mk"), None);
    }

    #[test]
    fn a_retired_key_still_verifies_and_never_signs() {
        let old = SigningKey::from_bytes(&[1; 32]);
        let keys = IssuerKeys::new(SigningKey::from_bytes(&[2; 32]), vec![old.verifying_key()]);
        let old_id = key_id(&old.verifying_key());
        assert_eq!(keys.listed(), vec![keys.key_id(), old_id.clone()]);
        assert_eq!(keys.listed_key(&old_id), Some(old.verifying_key()));
        assert_ne!(keys.key_id(), old_id);
        let stranger = key_id(&SigningKey::from_bytes(&[3; 32]).verifying_key());
        assert_eq!(keys.listed_key(&stranger), None);
        let signature = old.sign(b"issued last year").to_bytes();
        assert!(verify(
            &keys.listed_key(&old_id).unwrap(),
            b"issued last year",
            &signature
        ));
        assert!(!verify(
            &keys.listed_key(&old_id).unwrap(),
            b"issued last yeah",
            &signature
        ));
    }

    #[test]
    fn a_generated_key_is_kept_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k.pem");
        let first = read_or_generate(&file).unwrap();
        assert!(std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----"));
        let again = read_or_generate(&file).unwrap();
        assert_eq!(first.to_bytes(), again.to_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&file, "not a key").unwrap();
        assert!(read(&file).unwrap_err().contains("PKCS#8"));
    }
}
