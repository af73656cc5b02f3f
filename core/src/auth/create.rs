//! `createDeploymentAuthorization` and `signAuthorization` (spec 11.2 and 11.4), with the
//! reference's JavaScript coercions applied to JSON options.

use serde_json::{Map, Value, json};

use super::{ACTION, DEFAULT_TTL_MS};
use crate::canonical_json::canonical_bytes;
use crate::js::{to_js_string, to_number};
use crate::keys::random::RandomSource;
use crate::keys::signing::{CURVE, SIGNATURE_TYPE, Signer};
use crate::{Error, ErrorCode, Result};

/// `a ?? b` for JSON members: `None` and `null` are nullish.
fn nullish(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null())
}

fn member<'a>(object: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    nullish(object.and_then(|o| o.as_object()).and_then(|o| o.get(key)))
}

/// A double as a JSON number: integral values within 2^53 as integers (so they print without
/// a fraction), others as floats. Non-finite values are an error.
pub(crate) fn number(value: f64, what: &str) -> Result<Value> {
    if !value.is_finite() {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("{what} is not a finite number"),
        ));
    }
    if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 {
        return Ok(Value::from(value as i64));
    }
    Ok(Value::from(value))
}

/// The reference's `normalizeTarget`.
pub(crate) fn normalize_target(target: Option<&Value>) -> Value {
    if let Some(Value::String(url)) = target {
        return json!({"kind": "remote", "id": null, "audience": null, "url": url});
    }
    let target = nullish(target);
    json!({
        "kind": member(target, "kind").cloned().unwrap_or_else(|| Value::from("remote")),
        "id": member(target, "id").or_else(|| member(target, "targetId")).cloned().unwrap_or(Value::Null),
        "audience": member(target, "audience").cloned().unwrap_or(Value::Null),
        "url": member(target, "url").cloned().unwrap_or(Value::Null),
    })
}

/// The reference's `normalizeCapabilityList`: non-arrays → empty; items stringified, trimmed,
/// empty ones dropped; order and duplicates kept.
pub(crate) fn normalize_capabilities(value: Option<&Value>) -> Vec<String> {
    let Some(Value::Array(items)) = value else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| {
            if item.is_null() {
                String::new()
            } else {
                crate::js::js_trim(&to_js_string(item)).to_owned()
            }
        })
        .filter(|item| !item.is_empty())
        .collect()
}

/// Builds the authorization payload (spec 11.2) from JSON `options` (the reference's option
/// names: `artifact`, `artifactId`, `programId`, `graphHash`, `manifestHash`, `target`,
/// `capabilities`, `issuedAt`, `ttlMs`, `nonce`, `constraints`). `now_ms` is used when
/// `issuedAt` is absent; the nonce, when absent, is 16 bytes from `rng`.
pub fn create_authorization(
    options: &Value,
    now_ms: f64,
    rng: &mut dyn RandomSource,
) -> Result<Value> {
    let options = Some(options);
    let issued_at = member(options, "issuedAt").map_or(now_ms, to_number);
    let ttl = member(options, "ttlMs").map_or(DEFAULT_TTL_MS, to_number);
    let artifact = member(options, "artifact");
    let text = |key: &str| {
        member(artifact, key)
            .or_else(|| member(options, key))
            .map_or(String::new(), |v| {
                crate::js::js_trim(&to_js_string(v)).to_owned()
            })
    };
    let hash = |key: &str| {
        member(artifact, key)
            .or_else(|| member(options, key))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let capabilities = normalize_capabilities(
        member(options, "capabilities").or_else(|| member(artifact, "requiredCapabilities")),
    );
    let nonce = match member(options, "nonce") {
        Some(nonce) => nonce.clone(),
        None => {
            let mut bytes = [0u8; 16];
            rng.fill(&mut bytes)?;
            Value::from(hex::encode(bytes))
        }
    };
    let mut payload = Map::new();
    payload.insert("version".into(), Value::from(1));
    payload.insert("action".into(), Value::from(ACTION));
    payload.insert("artifactId".into(), Value::from(text("artifactId")));
    payload.insert("programId".into(), Value::from(text("programId")));
    payload.insert("graphHash".into(), hash("graphHash"));
    payload.insert("manifestHash".into(), hash("manifestHash"));
    payload.insert("target".into(), normalize_target(member(options, "target")));
    payload.insert("capabilities".into(), Value::from(capabilities));
    payload.insert("issuedAt".into(), number(issued_at, "issuedAt")?);
    payload.insert("expiresAt".into(), number(issued_at + ttl, "expiresAt")?);
    payload.insert("nonce".into(), nonce);
    payload.insert(
        "constraints".into(),
        member(options, "constraints")
            .cloned()
            .unwrap_or(Value::Null),
    );
    Ok(Value::Object(payload))
}

/// The unsigned `protected` header members that describe the signer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignerHeader {
    pub derivation_path: Option<String>,
    pub key_id: Option<String>,
}

/// Signs `payload` (its canonical bytes) and returns the envelope of spec 11.4.
pub fn sign_authorization(
    payload: &Value,
    signer: &Signer,
    header: &SignerHeader,
) -> Result<Value> {
    let signature = signer.sign_hex(&canonical_bytes(payload)?)?;
    Ok(json!({
        "protected": {
            "algorithm": SIGNATURE_TYPE,
            "curve": CURVE,
            "publicKeyHex": signer.public_key_hex(),
            "derivationPath": header.derivation_path,
            "keyId": header.key_id,
        },
        "payload": payload,
        "signatureHex": signature,
    }))
}
