//! Checking a credential someone pasted or uploaded to `/verify`, in Rust with the embedded
//! contexts only. Each question is answered apart, so a checker sees exactly what holds: is
//! the signature good; is the key one this Tohu lists for that issuer; is it revoked; is it,
//! byte for byte, what this Tohu issued under that id (and, apart, has the listing changed
//! since); and, if they typed them, are the name and email the learner's. Nothing of the
//! credential or of what was typed is logged.

use serde_json::Value;

use crate::badges::server::achievement::{self, Listing};
use crate::badges::server::canon::CanonError;
use crate::badges::server::credential::{email_hash, issuer_id, Issued};
use crate::badges::server::keys;
use crate::badges::server::proof::{self, ProofError};
use crate::badges::server::{issue, svg};
use crate::badges::types::{CheckKind, Finding, Stated, VerifyInput, VerifyReport};
use crate::error::AppError;
use crate::server::organisations::name_key;
use crate::server::state::AppState;

/// The largest credential or badge accepted, in bytes.
pub const MAX_BYTES: usize = 256 * 1024;

fn finding(check: CheckKind, passed: Option<bool>, detail: impl Into<String>) -> Finding {
    Finding {
        check,
        passed,
        detail: detail.into(),
    }
}

fn unreadable(field: &str, message: impl Into<String>) -> VerifyReport {
    VerifyReport::Unreadable {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// The credential's JSON from an uploaded file: a `.json` as it is, a baked `.svg` from its
/// `openbadges:credential` element.
pub fn from_upload(name: &str, bytes: &[u8]) -> Result<String, VerifyReport> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| unreadable("file", "The file is not text: upload a .json or .svg."))?;
    let lower = name.to_lowercase();
    if lower.ends_with(".svg") || text.trim_start().starts_with('<') {
        return svg::extract(text).ok_or_else(|| {
            unreadable(
                "file",
                "The image holds no Open Badges credential (no openbadges:credential element).",
            )
        });
    }
    Ok(text.to_owned())
}

/// Checks `input.credential` as this deployment (`state`).
pub async fn check(state: &AppState, input: &VerifyInput) -> Result<VerifyReport, AppError> {
    let text = input.credential.trim();
    if text.is_empty() {
        return Ok(unreadable(
            "credential",
            "Paste the credential's JSON, or choose its file.",
        ));
    }
    if text.len() > MAX_BYTES {
        return Ok(unreadable(
            "credential",
            format!(
                "That is over {} KB; a credential is far smaller.",
                MAX_BYTES / 1024
            ),
        ));
    }
    let Ok(signed) = serde_json::from_str::<Value>(text) else {
        return Ok(unreadable(
            "credential",
            "That is not JSON. Paste the whole credential, from { to }.",
        ));
    };
    if !signed.is_object() || signed.get("proof").is_none() {
        return Ok(unreadable(
            "credential",
            "That JSON is not a signed credential: it has no proof.",
        ));
    }
    let base = state.public_url();
    let mut findings = Vec::new();

    let method = proof::method(&signed);
    let key = method.and_then(|(_, id)| keys::public_key(id));
    let signature = match key {
        None => finding(
            CheckKind::Signature,
            Some(false),
            "The proof names no Ed25519 key this service can read.",
        ),
        Some(key) => match proof::verify(&signed, &key, &[]).await {
            Ok(()) => finding(
                CheckKind::Signature,
                Some(true),
                "The signature matches the credential: nothing in it changed since it was signed.",
            ),
            Err(ProofError::Canon(CanonError::UnknownContext(url))) => {
                return Ok(unreadable(
                    "credential",
                    format!(
                        "It uses a JSON-LD context this service does not know ({url}), so it \
                         cannot be checked here. Nothing was fetched."
                    ),
                ));
            }
            Err(ProofError::Canon(CanonError::UndefinedTerm(term))) => {
                return Ok(unreadable(
                    "credential",
                    format!(
                        "It uses a term its contexts do not define ({term}); such a term would \
                         not be covered by the signature, so the credential is refused."
                    ),
                ));
            }
            Err(ProofError::Canon(CanonError::Invalid)) => {
                return Ok(unreadable(
                    "credential",
                    "It is not JSON-LD this service can read.",
                ));
            }
            Err(ProofError::Unsupported) => finding(
                CheckKind::Signature,
                Some(false),
                "Its proof is not an eddsa-rdfc-2022 Data Integrity proof for assertion.",
            ),
            Err(ProofError::Mismatch) => finding(
                CheckKind::Signature,
                Some(false),
                "The signature does not match: the credential was changed after it was signed, \
                 or signed by another key.",
            ),
        },
    };
    findings.push(signature);

    let issuer = signed["issuer"]["id"]
        .as_str()
        .or(signed["issuer"].as_str())
        .unwrap_or_default();
    let listed = method.is_some_and(|(controller, id)| {
        controller == issuer && state.issuer_keys.listed_key(id).is_some()
    });
    findings.push(match listed {
        true => finding(
            CheckKind::Key,
            Some(true),
            "Signed with a key this service lists for its issuer.",
        ),
        false => finding(
            CheckKind::Key,
            Some(false),
            "Not signed with a key this service lists for the issuer it names.",
        ),
    });

    let id = signed["id"]
        .as_str()
        .and_then(|id| id.strip_prefix("urn:uuid:"))
        .filter(|id| uuid::Uuid::parse_str(id).is_ok());
    let issued = match id {
        Some(id) => issue::by_id(&state.db.pool, id).await?,
        None => None,
    };
    let Some(issued) = issued else {
        let left = match id {
            Some(id) => issue::status_of(&state.db.pool, id).await?,
            None => None,
        };
        findings.push(match left {
            Some(status) => {
                finding(
                    CheckKind::Issued,
                    None,
                    format!(
                    "This service issued it, but erased what it said at the learner's request; \
                     it is {}.",
                    if status == "active" { "not revoked" } else { "revoked" }
                ),
                )
            }
            None => finding(
                CheckKind::Issued,
                Some(false),
                "This service issued no credential with this id.",
            ),
        });
        return Ok(VerifyReport::Checked {
            stated: None,
            findings,
        });
    };
    let issuer_here = issuer_id(&base, &issued.issuer_public_id);
    findings.push(status(&issued, &signed, &base));
    let (document, _) = proof::split(&signed).unwrap_or_default();
    findings.push(
        match document == issued.document(&base) && issuer == issuer_here {
            true => finding(
                CheckKind::Issued,
                Some(true),
                "It is exactly the credential this service issued under this id.",
            ),
            false => finding(
                CheckKind::Issued,
                Some(false),
                "It differs from the credential this service issued under this id.",
            ),
        },
    );
    findings.push(listing(state, &issued).await?);
    findings.extend(typed(input, &issued));
    Ok(VerifyReport::Checked {
        stated: Some(Stated {
            title: issued.recorded.listing.title.clone(),
            issuer: issued.recorded.issuer_name.clone(),
            awarded: issued.achieved_on.clone(),
            id: format!("urn:uuid:{}", issued.id),
        }),
        findings,
    })
}

fn status(issued: &Issued, signed: &Value, base: &str) -> Finding {
    let ours = issued.document(base);
    if signed["credentialStatus"] != ours["credentialStatus"] {
        return finding(
            CheckKind::Status,
            Some(false),
            "Its status entry is not the one this service gave it.",
        );
    }
    match issued.status.as_str() {
        "active" => finding(
            CheckKind::Status,
            Some(true),
            "Not revoked: the issuer stands by it.",
        ),
        _ => finding(
            CheckKind::Status,
            Some(false),
            "Revoked: the issuer withdrew this credential.",
        ),
    }
}

async fn listing(state: &AppState, issued: &Issued) -> Result<Finding, AppError> {
    let then = &issued.recorded.listing;
    let mut conn = state.db.pool.acquire().await?;
    let now = achievement::current(&mut conn, Listing::Slug(&then.slug)).await?;
    Ok(match now {
        Some(now) if &now == then => finding(
            CheckKind::Listing,
            Some(true),
            "The micro-credential's listing still says what the credential says.",
        ),
        Some(_) => finding(
            CheckKind::Listing,
            Some(false),
            "The listing has changed since this was issued; the credential says what it was \
             then.",
        ),
        None => finding(
            CheckKind::Listing,
            None,
            "The micro-credential is no longer listed.",
        ),
    })
}

fn typed(input: &VerifyInput, issued: &Issued) -> Vec<Finding> {
    let mut out = Vec::new();
    if !input.name.trim().is_empty() {
        out.push(
            match name_key(&input.name) == name_key(&issued.learner_name) {
                true => finding(
                    CheckKind::Name,
                    Some(true),
                    "The name you typed is the learner's.",
                ),
                false => finding(
                    CheckKind::Name,
                    Some(false),
                    "The name you typed is not the name in the credential.",
                ),
            },
        );
    }
    if !input.email.trim().is_empty() {
        let hash = email_hash(&input.email, &issued.email_salt);
        out.push(
            match hash == email_hash(&issued.learner_email, &issued.email_salt) {
                true => finding(
                    CheckKind::Email,
                    Some(true),
                    "The email you typed is the one the credential holds (as a salted hash).",
                ),
                false => finding(
                    CheckKind::Email,
                    Some(false),
                    "The email you typed is not the one the credential holds.",
                ),
            },
        );
    }
    out
}
