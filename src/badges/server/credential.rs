//! The Open Badges 3.0 credential of one completion (an `OpenBadgeCredential`, a W3C
//! Verifiable Credential 2.0), built from its stored row alone: the achievement as it was at
//! completion, the learner's name in clear and their email only as a salted hash (never the
//! NSN or date of birth), the issuer's permanent profile address, the status-list entry that
//! can revoke it, and one `eddsa-rdfc-2022` proof. The same row always gives the same bytes.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::badges::server::achievement::{Snapshot, OFFICIAL_RECORD};
use crate::badges::server::canon::{CanonError, OB_EXTENSIONS, OB_V3, VC_V2};
use crate::badges::server::keys::IssuerKeys;
use crate::badges::server::proof;
use crate::badges::types::{LearnerCredential, PublicBadge};

/// The 1EdTech JSON schema an AchievementCredential declares (`credentialSchema`).
pub const SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/// What a completion stores about its credential, beside the row's own columns: the
/// listing and the issuer's name as they were.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    #[serde(flatten)]
    pub listing: Snapshot,
    pub issuer_name: String,
}

/// One issued credential as stored, with its learner's name and email.
#[derive(Debug, Clone)]
pub struct Issued {
    pub id: String,
    pub achieved_on: String,
    pub issued_at: String,
    pub status: String,
    pub email_salt: String,
    pub status_list_id: i64,
    pub status_index: i64,
    pub recorded: Recorded,
    pub issuer_public_id: String,
    pub learner_name: String,
    pub learner_email: String,
}

/// An issuer profile's address.
pub fn issuer_id(base: &str, public_id: &str) -> String {
    format!("{base}/issuers/{public_id}")
}

/// A status list's address.
pub fn status_list_url(base: &str, list: i64) -> String {
    format!("{base}/status-lists/{list}")
}

/// The OB 3.0 salted hash of an email: `sha256$` + hex(SHA-256(address ‖ salt)), the address
/// trimmed and lower-cased.
pub fn email_hash(email: &str, salt: &str) -> String {
    let digest = Sha256::digest(format!("{}{salt}", email.trim().to_lowercase()).as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256${hex}")
}

/// A credential's public page: what it is and who issued it, never whose it is.
pub fn public_page(base: &str, id: &str) -> String {
    format!("{base}/badges/{id}")
}

impl Issued {
    /// The learner's view: where their credential's public page is, and LinkedIn's
    /// add-to-profile link for it.
    pub fn for_learner(&self, base: &str) -> LearnerCredential {
        let page = public_page(base, &self.id);
        let (year, month) = self.achieved_on.split_at(4.min(self.achieved_on.len()));
        let month = month.trim_start_matches('-').get(..2).unwrap_or_default();
        let query = serde_html_form::to_string([
            ("startTask", "CERTIFICATION_NAME"),
            ("name", &self.recorded.listing.title),
            ("organizationName", &self.recorded.issuer_name),
            ("issueYear", year),
            ("issueMonth", month.trim_start_matches('0')),
            ("certUrl", &page),
            ("certId", &self.id),
        ])
        .unwrap_or_default();
        LearnerCredential {
            title: self.recorded.listing.title.clone(),
            issuer: self.recorded.issuer_name.clone(),
            achieved_on: self.achieved_on.clone(),
            public_page: page,
            linkedin: format!("https://www.linkedin.com/profile/add?{query}"),
        }
    }

    /// What anyone may read of it by its id: the achievement, the issuer, the status.
    pub fn public(&self, base: &str) -> PublicBadge {
        let listing = &self.recorded.listing;
        PublicBadge {
            id: self.id.clone(),
            title: listing.title.clone(),
            description: listing.description(),
            credits: listing.credits,
            level: listing.level,
            nzqa_ref: listing.nzqa_ref,
            slug: listing.slug.clone(),
            issuer: self.recorded.issuer_name.clone(),
            issuer_profile: issuer_id(base, &self.issuer_public_id),
            achieved_on: self.achieved_on.clone(),
            revoked: self.status != "active",
        }
    }

    /// The credential without its proof.
    pub fn document(&self, base: &str) -> Value {
        let listing = &self.recorded.listing;
        let list = status_list_url(base, self.status_list_id);
        json!({
            "@context": [VC_V2, OB_V3, OB_EXTENSIONS],
            "id": format!("urn:uuid:{}", self.id),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": listing.title,
            "description": OFFICIAL_RECORD,
            "issuer": {
                "id": issuer_id(base, &self.issuer_public_id),
                "type": ["Profile"],
                "name": self.recorded.issuer_name,
            },
            "validFrom": self.issued_at,
            "awardedDate": format!("{}T00:00:00Z", self.achieved_on),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "achievement": listing.achievement(base),
                "creditsEarned": listing.credits,
                "identifier": [
                    {
                        "type": "IdentityObject",
                        "identityType": "name",
                        "hashed": false,
                        "identityHash": self.learner_name,
                    },
                    {
                        "type": "IdentityObject",
                        "identityType": "emailAddress",
                        "hashed": true,
                        "identityHash": email_hash(&self.learner_email, &self.email_salt),
                        "salt": self.email_salt,
                    },
                ],
            },
            "credentialSchema": [{
                "id": SCHEMA,
                "type": "1EdTechJsonSchemaValidator2019",
            }],
            "credentialStatus": {
                "id": format!("{list}#{}", self.status_index),
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": self.status_index.to_string(),
                "statusListCredential": list,
            },
        })
    }

    /// The signed credential: the document and its proof by the deployment's key, which the
    /// issuer's profile lists.
    pub async fn signed(&self, base: &str, keys: &IssuerKeys) -> Result<Value, CanonError> {
        let issuer = issuer_id(base, &self.issuer_public_id);
        let method = format!("{issuer}#{}", keys.key_id());
        proof::sign(
            self.document(base),
            proof::options(&self.issued_at, &method),
            keys,
        )
        .await
    }
}
