//! An issuer's Open Badges `Profile` at `/issuers/{public id}`: the provider organisation's
//! name, and the keys whose signatures it stands behind (`verificationMethod`, each also an
//! `assertionMethod`): the deployment's signing key and its retired keys, each with this
//! profile as controller. A verifier that reads a credential's `verificationMethod`
//! (`{issuer id}#{key id}`) finds the key here, or in the id itself, without a network.

use serde_json::{json, Value};
use sqlx::AnyPool;

use crate::badges::server::canon::{OB_V3, VC_V2};
use crate::badges::server::credential::issuer_id;
use crate::badges::server::keys::IssuerKeys;

/// The contexts that define a controller document's terms (`verificationMethod`,
/// `assertionMethod`, `Multikey`), so the profile is JSON-LD that strict processors accept.
const SECURITY_V2: &str = "https://w3id.org/security/v2";
const MULTIKEY_V1: &str = "https://w3id.org/security/multikey/v1";

#[derive(sqlx::FromRow)]
struct OrganisationRow {
    name: String,
    sample: i64,
}

/// What a sample provider's profile says of itself.
pub const SAMPLE: &str = "A sample provider for demonstration: its credentials are not \
     evidence of real learning.";

/// The profile of the provider whose public id is `public_id`; `None` for no such provider.
pub async fn profile(
    pool: &AnyPool,
    public_id: &str,
    base: &str,
    keys: &IssuerKeys,
) -> Result<Option<Value>, sqlx::Error> {
    let row: Option<OrganisationRow> = sqlx::query_as(
        "SELECT name, sample FROM organisations WHERE public_id = $1 AND kind = 'provider'",
    )
    .bind(public_id.to_owned())
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let id = issuer_id(base, public_id);
    let methods: Vec<Value> = keys
        .listed()
        .into_iter()
        .map(|key| {
            json!({
                "id": format!("{id}#{key}"),
                "type": "Multikey",
                "controller": id,
                "publicKeyMultibase": key,
            })
        })
        .collect();
    let assertion: Vec<Value> = methods.iter().map(|m| m["id"].clone()).collect();
    let mut profile = json!({
        "@context": [VC_V2, OB_V3, SECURITY_V2, MULTIKEY_V1],
        "id": id,
        "type": ["Profile"],
        "name": row.name,
        "verificationMethod": methods,
        "assertionMethod": assertion,
    });
    if row.sample != 0 {
        profile["description"] = json!(SAMPLE);
    }
    Ok(Some(profile))
}
