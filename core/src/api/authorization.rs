//! Deployment authorizations (spec 11): create + sign, and verify against trusted signers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::caps;
use super::clock;
use super::keys::SigningKey;
use crate::auth::{
    Expectations, SignerHeader, VerifyOptions, create_authorization, sign_authorization,
    verify_authorization,
};
use crate::keys::random::OsRandom;
use crate::keys::signing::PublicKey;
use crate::{Error, ErrorCode, Result};

/// The reference's `createDeploymentAuthorization` options; every member optional. Unknown
/// members are refused (`invalid-argument`), never ignored.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuthorizationOptions {
    /// `{artifactId, programId, graphHash, manifestHash}` (the flat members below win).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program_id: Option<String>,
    /// Hex SHA-256 of the wasm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graph_hash: Option<String>,
    /// Hex SHA-256 of the manifest FlatBuffer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest_hash: Option<String>,
    /// A target URL string or `{id, audience, ...}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Vec<String>>,
    /// Default: now (the one clock).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<f64>,
    /// Default 300000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl_ms: Option<f64>,
    /// Default: 16 random bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraints: Option<Value>,
}

impl AuthorizationOptions {
    /// Parses options JSON text (strict: unknown members are `invalid-argument`).
    pub fn from_json(text: &str) -> Result<Self> {
        strict_json(text, "authorization options")
    }
}

/// The unsigned `protected` header members copied into the envelope.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignerInfo {
    pub derivation_path: Option<String>,
    pub key_id: Option<String>,
}

impl SignerInfo {
    pub fn from_json(text: &str) -> Result<Self> {
        strict_json(text, "signer")
    }
}

/// Creates and signs an authorization envelope `{protected, payload, signatureHex}`.
/// `signer_info` defaults to the key's own derivation path.
pub fn create(
    options: &AuthorizationOptions,
    key: &SigningKey,
    signer_info: Option<&SignerInfo>,
) -> Result<Value> {
    let options_value = serde_json::to_value(options)
        .map_err(|err| Error::new(ErrorCode::Internal, err.to_string()))?;
    let payload = create_authorization(&options_value, clock::now_ms_f64()?, &mut OsRandom)?;
    let header = SignerHeader {
        derivation_path: match signer_info {
            Some(info) => info.derivation_path.clone(),
            None => key.derivation_path.clone(),
        },
        key_id: signer_info.and_then(|info| info.key_id.clone()),
    };
    sign_authorization(&payload, &key.signer, &header)
}

/// How [`verify`] checks an envelope; every member optional. Unknown members are refused.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyRequest {
    /// The time to verify at, ms since the epoch (default: now).
    pub now: Option<f64>,
    /// Tolerated clock skew in ms (default 0).
    pub clock_skew_ms: Option<f64>,
    /// `{artifactId, programId, graphHash, manifestHash}`: each checked when given.
    pub artifact: Option<Value>,
    /// A target string or `{id, audience}`.
    pub target: Option<Value>,
    /// Capabilities that must all be granted.
    pub required_capabilities: Option<Vec<String>>,
}

impl VerifyRequest {
    pub fn from_json(text: &str) -> Result<Self> {
        strict_json(text, "verify options")
    }
}

/// A verified authorization.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "VerifiedAuthorization")]
pub struct VerifiedAuthorization {
    /// The trusted key that signed it.
    pub signer_public_key_hex: String,
    pub payload: Value,
}

/// Verifies an envelope (spec 11.7): first failure wins (shape 611, algorithm 604, untrusted
/// signer 612, expired / not yet valid 613, signature 614, expectations 615).
pub fn verify(
    envelope_json: &str,
    trusted: &[PublicKey],
    request: &VerifyRequest,
) -> Result<VerifiedAuthorization> {
    caps::check_len(
        "authorization envelope",
        envelope_json.len(),
        caps::JSON_DOCUMENT_BYTES,
    )?;
    let envelope = crate::js::parse_json(envelope_json)?;
    let now_ms = match request.now {
        Some(now) if now.is_finite() => now,
        Some(_) => return Err(invalid("now must be a finite number of ms")),
        None => clock::now_ms_f64()?,
    };
    let clock_skew_ms = request.clock_skew_ms.unwrap_or(0.0);
    if !clock_skew_ms.is_finite() || clock_skew_ms < 0.0 {
        return Err(invalid(
            "clockSkewMs must be a finite, non-negative number of ms",
        ));
    }
    let expectations = Expectations {
        artifact: request
            .artifact
            .clone()
            .unwrap_or(Value::Object(Map::new())),
        target: request.target.clone().unwrap_or(Value::Null),
        required_capabilities: request
            .required_capabilities
            .clone()
            .map_or(Value::Null, Value::from),
    };
    let verified = verify_authorization(
        &envelope,
        trusted,
        VerifyOptions {
            now_ms,
            clock_skew_ms,
        },
        &expectations,
    )?;
    Ok(VerifiedAuthorization {
        signer_public_key_hex: verified.signer.to_hex(),
        payload: verified.payload,
    })
}

fn invalid(message: &str) -> Error {
    Error::new(ErrorCode::InvalidArgument, message)
}

pub(crate) fn strict_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    caps::check_len(what, text.len(), caps::JSON_DOCUMENT_BYTES)?;
    // Syntax errors are invalid-json; a well-formed document of the wrong shape is
    // invalid-argument (an unknown member, a wrong type).
    let value = crate::js::parse_json(text).map_err(|err| err.context(what))?;
    if !value.is_object() {
        return Err(Error::new(
            ErrorCode::InvalidJson,
            format!("{what} must be a JSON object"),
        ));
    }
    serde_json::from_value(value).map_err(|err| invalid(&format!("{what}: {err}")))
}
