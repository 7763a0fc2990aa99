//! The `eddsa-rdfc-2022` Data Integrity proof (W3C vc-di-eddsa): the document and the proof's
//! options are each canonicalised (RDFC-1.0) and hashed with SHA-256, the proof options'
//! hash first, and Ed25519 signs the 64 bytes; `proofValue` is the signature in multibase
//! base58btc. The W3C test vectors reproduce byte for byte (`tests/it/badges/vectors.rs`).

use ed25519_dalek::VerifyingKey;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::badges::server::canon::{self, CanonError, Extra};
use crate::badges::server::keys::{self, IssuerKeys};

pub const TYPE: &str = "DataIntegrityProof";
pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";
pub const PURPOSE: &str = "assertionMethod";

/// A proof's options before it is signed.
pub fn options(created: &str, verification_method: &str) -> Value {
    json!({
        "type": TYPE,
        "created": created,
        "verificationMethod": verification_method,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": PURPOSE,
    })
}

/// The two hashes that are signed, in order: the proof configuration's (the options, with
/// the document's `@context`), then the document's.
pub async fn hash_data(
    document: &Value,
    options: &Value,
    extra: Extra,
) -> Result<[[u8; 32]; 2], CanonError> {
    let mut config = options.clone();
    if let Some(c) = config.as_object_mut() {
        c.remove("proofValue");
        c.insert("@context".to_owned(), document["@context"].clone());
    }
    let config = canon::nquads(config.to_string(), extra).await?;
    let document = canon::nquads(document.to_string(), extra).await?;
    Ok([
        Sha256::digest(config.as_bytes()).into(),
        Sha256::digest(document.as_bytes()).into(),
    ])
}

/// `document` with its proof: `options` signed by the deployment's key.
pub async fn sign(document: Value, options: Value, keys: &IssuerKeys) -> Result<Value, CanonError> {
    let [config, doc] = hash_data(&document, &options, &[]).await?;
    let signature = keys.sign(&[config, doc].concat());
    let mut proof = options;
    proof["proofValue"] = json!(format!("z{}", bs58::encode(signature).into_string()));
    let mut signed = document;
    signed["proof"] = proof;
    Ok(signed)
}

/// A signed document taken apart: the document without its proof, and the proof.
pub fn split(signed: &Value) -> Option<(Value, Map<String, Value>)> {
    let mut document = signed.as_object()?.clone();
    let proof = document.remove("proof")?.as_object()?.clone();
    Some((Value::Object(document), proof))
}

/// What is wrong with a proof, when something is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofError {
    /// Not one `DataIntegrityProof` with `eddsa-rdfc-2022` for `assertionMethod`.
    Unsupported,
    /// The document cannot be canonicalised here.
    Canon(CanonError),
    /// The signature does not match the document and key.
    Mismatch,
}

/// Checks `signed`'s proof against `key`.
pub async fn verify(signed: &Value, key: &VerifyingKey, extra: Extra) -> Result<(), ProofError> {
    let (document, proof) = split(signed).ok_or(ProofError::Unsupported)?;
    let field = |name: &str| proof.get(name).and_then(Value::as_str);
    if field("type") != Some(TYPE)
        || field("cryptosuite") != Some(CRYPTOSUITE)
        || field("proofPurpose") != Some(PURPOSE)
    {
        return Err(ProofError::Unsupported);
    }
    let signature = field("proofValue")
        .and_then(|v| v.strip_prefix('z'))
        .and_then(|v| bs58::decode(v).into_vec().ok())
        .ok_or(ProofError::Mismatch)?;
    let [config, doc] = hash_data(&document, &Value::Object(proof), extra)
        .await
        .map_err(ProofError::Canon)?;
    match keys::verify(key, &[config, doc].concat(), &signature) {
        true => Ok(()),
        false => Err(ProofError::Mismatch),
    }
}

/// The proof's `verificationMethod`: `{controller}#{key id}`, split.
pub fn method(signed: &Value) -> Option<(&str, &str)> {
    signed["proof"]["verificationMethod"]
        .as_str()?
        .rsplit_once('#')
}

#[cfg(test)]
mod tests {
    //! The W3C vc-di-eddsa `eddsa-rdfc-2022` test vectors, as vendored (verbatim, with their
    //! SHA-256 in `tests/fixtures/ob3/SHA256SUMS`) from openbadgeslib 4.6.3's source.

    use super::*;
    use ed25519_dalek::SigningKey;

    fn fixture(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/ob3/vc_di_eddsa")
            .join(name);
        std::fs::read_to_string(path).expect("vendored vector")
    }

    const EXAMPLES: Extra = &[(
        "https://www.w3.org/ns/credentials/examples/v2",
        include_str!("../../../tests/fixtures/ob3/vc_di_eddsa/credentials-examples-v2.json"),
    )];

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn vector_key() -> SigningKey {
        let pair: Value = serde_json::from_str(&fixture("key-pair.json")).unwrap();
        let secret = pair["privateKeyMultibase"].as_str().unwrap();
        let bytes = bs58::decode(&secret[1..]).into_vec().unwrap();
        // Multicodec ed25519-priv (0x1300 as a varint: 0x80 0x26), then the 32-byte seed.
        assert_eq!(&bytes[..2], &[0x80, 0x26]);
        let key = SigningKey::from_bytes(&bytes[2..].try_into().unwrap());
        assert_eq!(
            keys::key_id(&key.verifying_key()),
            pair["publicKeyMultibase"].as_str().unwrap()
        );
        key
    }

    #[tokio::test]
    async fn the_w3c_vectors_reproduce_byte_for_byte() {
        let signed: Value = serde_json::from_str(&fixture("signed-credential.json")).unwrap();
        let (document, proof) = split(&signed).unwrap();
        let mut options = Value::Object(proof.clone());
        options.as_object_mut().unwrap().remove("proofValue");
        let [config, doc] = hash_data(&document, &options, EXAMPLES).await.unwrap();
        assert_eq!(hex(&doc), fixture("doc-hash.txt").trim());
        assert_eq!(hex(&config), fixture("proof-config-hash.txt").trim());

        let keys = IssuerKeys::new(vector_key(), Vec::new());
        let again = {
            let [c, d] = hash_data(&document, &options, EXAMPLES).await.unwrap();
            keys.sign(&[c, d].concat())
        };
        let proof_value = format!("z{}", bs58::encode(again).into_string());
        assert_eq!(proof_value, proof["proofValue"].as_str().unwrap());

        let public = vector_key().verifying_key();
        assert_eq!(verify(&signed, &public, EXAMPLES).await, Ok(()));
        let mut changed = signed.clone();
        changed["credentialSubject"]["alumniOf"] = json!("The School of Examplez");
        assert_eq!(
            verify(&changed, &public, EXAMPLES).await,
            Err(ProofError::Mismatch)
        );
    }

    #[tokio::test]
    async fn an_undefined_term_or_unknown_context_is_refused() {
        let signed: Value = serde_json::from_str(&fixture("signed-credential.json")).unwrap();
        let public = vector_key().verifying_key();
        let mut foreign = signed.clone();
        foreign["@context"] = json!([
            "https://www.w3.org/ns/credentials/v2",
            "https://evil.example/ctx"
        ]);
        assert_eq!(
            verify(&foreign, &public, &[]).await,
            Err(ProofError::Canon(CanonError::UnknownContext(
                "https://evil.example/ctx".to_owned()
            )))
        );
        // Without the examples context, `alumniOf` and `AlumniCredential` are undefined: a
        // forger's added property would go unsigned, so the document is refused.
        let mut bare = signed.clone();
        bare["@context"] = json!(["https://www.w3.org/ns/credentials/v2"]);
        assert!(matches!(
            verify(&bare, &public, &[]).await,
            Err(ProofError::Canon(CanonError::UndefinedTerm(_)))
        ));
    }
}
