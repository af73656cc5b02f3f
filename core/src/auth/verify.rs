//! Verification of deployment authorizations (spec 11.7), first failure wins:
//! shape → algorithm → trusted signer → times → expiry/skew → signature → expectations.

use serde_json::Value;

use super::ACTION;
use super::create::{normalize_capabilities, normalize_target};
use crate::canonical_json::canonical_bytes;
use crate::js::is_truthy;
use crate::keys::signing::{CURVE, PublicKey, SIGNATURE_TYPE};
use crate::{Error, ErrorCode, Result};

/// The clock and the tolerated clock skew.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VerifyOptions {
    /// Current time, ms since the Unix epoch.
    pub now_ms: f64,
    /// Tolerance in ms: an authorization is expired only when `expiresAt + skew < now`, and
    /// refused as not yet valid when `issuedAt > now + skew`. 0 gives the exact rule of 11.7
    /// (`now == expiresAt` valid, `now == expiresAt + 1` expired).
    pub clock_skew_ms: f64,
}

impl VerifyOptions {
    pub fn at(now_ms: f64) -> Self {
        VerifyOptions {
            now_ms,
            clock_skew_ms: 0.0,
        }
    }
}

/// What the deployment expects (spec 11.6); JSON `null` members mean "not checked".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expectations {
    /// Object with `artifactId`, `programId`, `graphHash`, `manifestHash` (each checked when truthy).
    pub artifact: Value,
    /// Target string or object (`id` and `audience` checked when both sides are truthy).
    pub target: Value,
    /// Capabilities that must all be granted.
    pub required_capabilities: Value,
}

/// A verified authorization.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedAuthorization {
    /// The trusted key that signed it.
    pub signer: PublicKey,
    pub payload: Value,
}

fn fail<T>(code: ErrorCode, message: impl Into<String>) -> Result<T> {
    Err(Error::new(code, message))
}

/// Verifies `envelope` against `trusted` keys (spec 11.7).
pub fn verify_authorization(
    envelope: &Value,
    trusted: &[PublicKey],
    options: VerifyOptions,
    expectations: &Expectations,
) -> Result<VerifiedAuthorization> {
    let payload = envelope.get("payload").filter(|p| p.is_object());
    let signature = envelope.get("signatureHex").and_then(Value::as_str);
    let header = envelope.get("protected").filter(|h| h.is_object());
    let (Some(payload), Some(signature), Some(header)) = (payload, signature, header) else {
        return fail(
            ErrorCode::AuthorizationMalformed,
            "authorization envelope needs a payload object, a signatureHex string and a protected object",
        );
    };
    let algorithm = header.get("algorithm").and_then(Value::as_str);
    let curve = header.get("curve").and_then(Value::as_str);
    if algorithm != Some(SIGNATURE_TYPE) || curve != Some(CURVE) {
        return fail(
            ErrorCode::UnsupportedAlgorithm,
            "authorization algorithm must be secp256k1-sha256 on secp256k1",
        );
    }
    let claimed = header
        .get("publicKeyHex")
        .and_then(Value::as_str)
        .and_then(|hex| PublicKey::from_hex(hex).ok());
    let Some(signer) =
        claimed.and_then(|claimed| trusted.iter().find(|key| key.same_point(&claimed)).cloned())
    else {
        return fail(
            ErrorCode::SignerUntrusted,
            "authorization signer is not a trusted key",
        );
    };
    let (Some(issued_at), Some(expires_at)) = (
        payload.get("issuedAt").and_then(Value::as_f64),
        payload.get("expiresAt").and_then(Value::as_f64),
    ) else {
        return fail(
            ErrorCode::AuthorizationMalformed,
            "authorization issuedAt and expiresAt must be numbers",
        );
    };
    if expires_at + options.clock_skew_ms < options.now_ms {
        return fail(
            ErrorCode::AuthorizationExpired,
            "Deployment authorization has expired.",
        );
    }
    if issued_at > options.now_ms + options.clock_skew_ms {
        return fail(
            ErrorCode::AuthorizationExpired,
            "Deployment authorization is not valid yet (issuedAt is in the future).",
        );
    }
    if !signer.verify_hex(&canonical_bytes(payload)?, signature) {
        return fail(
            ErrorCode::AuthorizationSignatureInvalid,
            "authorization signature does not verify over the canonical payload",
        );
    }
    assert_expectations(payload, expectations)?;
    Ok(VerifiedAuthorization {
        signer,
        payload: payload.clone(),
    })
}

/// The reference's `assertDeploymentAuthorization` checks after expiry (spec 11.6), as
/// `authorization-mismatch` with the reference's messages.
pub fn assert_expectations(payload: &Value, expectations: &Expectations) -> Result<()> {
    let action = payload.get("action");
    if action.and_then(Value::as_str) != Some(ACTION) {
        let shown = action.map_or("undefined".to_owned(), crate::js::to_js_string);
        return fail(
            ErrorCode::AuthorizationMismatch,
            format!("Unexpected authorization action \"{shown}\"."),
        );
    }
    for field in ["artifactId", "programId", "graphHash", "manifestHash"] {
        if let Some(expected) = expectations.artifact.get(field).filter(|v| is_truthy(v))
            && payload.get(field) != Some(expected)
        {
            return fail(
                ErrorCode::AuthorizationMismatch,
                format!("Deployment authorization {field} mismatch."),
            );
        }
    }
    let expected_target = normalize_target(Some(&expectations.target));
    let granted_target = payload.get("target");
    for (field, label) in [("id", "target id"), ("audience", "target audience")] {
        let expected = expected_target.get(field).filter(|v| is_truthy(v));
        let granted = granted_target
            .and_then(|t| t.get(field))
            .filter(|v| is_truthy(v));
        if let (Some(expected), Some(granted)) = (expected, granted)
            && expected != granted
        {
            return fail(
                ErrorCode::AuthorizationMismatch,
                format!("Deployment authorization {label} mismatch."),
            );
        }
    }
    let granted = normalize_capabilities(payload.get("capabilities"));
    for capability in normalize_capabilities(Some(&expectations.required_capabilities)) {
        if !granted.contains(&capability) {
            return fail(
                ErrorCode::AuthorizationMismatch,
                format!("Deployment authorization missing capability \"{capability}\"."),
            );
        }
    }
    Ok(())
}
