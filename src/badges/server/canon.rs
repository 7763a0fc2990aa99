//! JSON-LD to canonical N-Quads (RDFC-1.0), what `eddsa-rdfc-2022` hashes.
//!
//! Contexts come only from the copies embedded here (`contexts/`, each with its SHA-256 in
//! `contexts/SHA256SUMS`): the VC 2.0 context, Open Badges 3.0.3 and its extensions. A
//! document naming any other context is refused; nothing is ever fetched, so verifying a
//! credential never reaches the network and an attacker cannot choose what a term means.
//!
//! JSON-LD drops a property no context defines, so it would go unsigned: a forger could
//! add one to a signed credential. Like Digital Bazaar's "safe mode", a document with a term
//! or IRI the contexts do not define is refused (`UndefinedTerm`): it is read a second time
//! with a sentinel `@vocab`, and any IRI under the sentinel, or resolved against the
//! parser's stand-in base, names what is undefined.
//!
//! The work is CPU-bound and the parser's future is not `Send`, so each document is
//! canonicalised on the blocking pool.

use sophia_api::dataset::Dataset;
use sophia_api::quad::Quad;
use sophia_api::source::QuadSource;
use sophia_api::term::Term;
use sophia_c14n::rdfc10;
use sophia_inmem::dataset::LightDataset;
use sophia_jsonld::loader::{ClosureLoader, FutureExt};
use sophia_jsonld::{JsonLdOptions, JsonLdParser};

pub const VC_V2: &str = "https://www.w3.org/ns/credentials/v2";
pub const OB_V3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
pub const OB_EXTENSIONS: &str = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";

/// The contexts this Tohu knows: address and text.
pub const EMBEDDED: &[(&str, &str)] = &[
    (VC_V2, include_str!("contexts/credentials-v2.json")),
    (OB_V3, include_str!("contexts/ob-v3p0-context-3.0.3.json")),
    (
        OB_EXTENSIONS,
        include_str!("contexts/ob-v3p0-extensions.json"),
    ),
];

/// Contexts a caller adds for one document (the W3C test vectors' examples context).
pub type Extra = &'static [(&'static str, &'static str)];

const SENTINEL: &str = "urn:x-tohu-undefined-term:";
const SENTINEL_CONTEXT: &str = r#"{"@context": {"@vocab": "urn:x-tohu-undefined-term:"}}"#;
/// sophia resolves relative IRIs against this stand-in for the document's address.
const STAND_IN_BASE: &str = "x-string:";

/// Why a document has no canonical form here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonError {
    /// It names a context this Tohu does not embed.
    #[error("it uses a JSON-LD context this service does not know: {0}")]
    UnknownContext(String),
    /// It uses a term or IRI its contexts do not define, which would go unsigned.
    #[error("it uses a term its contexts do not define: {0}")]
    UndefinedTerm(String),
    /// It is not JSON-LD that expands to RDF.
    #[error("it is not a JSON-LD document this service can read")]
    Invalid,
}

/// The canonical N-Quads of JSON-LD `json`, its contexts from `EMBEDDED` and `extra`.
pub async fn nquads(json: String, extra: Extra) -> Result<String, CanonError> {
    tokio::task::spawn_blocking(move || nquads_now(&json, extra))
        .await
        .unwrap_or(Err(CanonError::Invalid))
}

/// `nquads`, on the calling thread.
pub fn nquads_now(json: &str, extra: Extra) -> Result<String, CanonError> {
    let dataset = expand(json, extra, false)?;
    let strict = expand(json, extra, true)?;
    if let Some(iri) = undefined(&strict) {
        return Err(CanonError::UndefinedTerm(
            iri.trim_start_matches(SENTINEL).to_owned(),
        ));
    }
    let mut out = Vec::new();
    rdfc10::normalize(&dataset, &mut out).map_err(|_| CanonError::Invalid)?;
    String::from_utf8(out).map_err(|_| CanonError::Invalid)
}

fn expand(json: &str, extra: Extra, sentinel: bool) -> Result<LightDataset, CanonError> {
    let unknown = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let seen = unknown.clone();
    let mut options = JsonLdOptions::new();
    if sentinel {
        options = options
            .try_with_expand_context(SENTINEL_CONTEXT)
            .map_err(|_| CanonError::Invalid)?;
    }
    let options = options.with_document_loader_closure(move || {
        let seen = seen.clone();
        ClosureLoader::new(move |iri| {
            let url = iri.as_str().to_owned();
            let found = EMBEDDED
                .iter()
                .chain(extra.iter())
                .find(|(u, _)| *u == url)
                .map(|(_, text)| (*text).to_owned());
            if found.is_none() {
                if let Ok(mut s) = seen.lock() {
                    s.get_or_insert(url.clone());
                }
            }
            let answer = found.ok_or(url);
            async move { answer }.boxed()
        })
    });
    let parser = JsonLdParser::new_with_options(options);
    // Every context is already in memory, so the parser's future never waits.
    futures::executor::block_on(parser.async_parse_str(json))
        .collect_quads()
        .map_err(|_| match unknown.lock().ok().and_then(|s| s.clone()) {
            Some(url) => CanonError::UnknownContext(url),
            None => CanonError::Invalid,
        })
}

/// The first IRI in `dataset` that only the sentinel or the stand-in base made.
fn undefined(dataset: &LightDataset) -> Option<String> {
    dataset.quads().filter_map(Result::ok).find_map(|q| {
        let graph = q.g().and_then(|g| g.iri().map(|i| i.as_str().to_owned()));
        [q.s().iri(), q.p().iri(), q.o().iri()]
            .into_iter()
            .flatten()
            .map(|i| i.as_str().to_owned())
            .chain(graph)
            .find(|iri| iri.starts_with(SENTINEL) || iri.starts_with(STAND_IN_BASE))
    })
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    /// The embedded contexts and the vendored fixtures are the files their SHA256SUMS name.
    #[test]
    fn vendored_files_match_their_recorded_digests() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["src/badges/server/contexts", "tests/fixtures/ob3"] {
            let sums = std::fs::read_to_string(root.join(dir).join("SHA256SUMS")).unwrap();
            assert!(sums.lines().count() >= 3, "{dir}");
            for line in sums.lines() {
                let (digest, name) = line.split_once("  ").unwrap();
                let bytes = std::fs::read(root.join(dir).join(name)).unwrap();
                let actual: String = Sha256::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                assert_eq!(actual, digest, "{dir}/{name}");
            }
        }
    }
}
