//! Deployment authorizations (spec 11): create + sign, verify against trusted signers. Options
//! are typed records; the members the reference lets be any JSON (an artifact object, a target
//! object, constraints) are JSON text.

use std::sync::Arc;

use serde_json::{Map, Value};
use space_data_module::api::authorization as core;

use crate::error::{Result, SdmError, guard};
use crate::format::parse_json;
use crate::json_text;
use crate::keys::{SigningKey, trust_list};

/// What an authorization grants; every member optional.
#[derive(Debug, Clone, Default, PartialEq, uniffi::Record)]
pub struct AuthorizationOptions {
    #[uniffi(default)]
    pub artifact_id: Option<String>,
    #[uniffi(default)]
    pub program_id: Option<String>,
    /// Hex SHA-256 of the wasm.
    #[uniffi(default)]
    pub graph_hash: Option<String>,
    /// Hex SHA-256 of the manifest FlatBuffer.
    #[uniffi(default)]
    pub manifest_hash: Option<String>,
    /// A target URL string (or use `target_json` for an `{id, audience, ...}` object).
    #[uniffi(default)]
    pub target: Option<String>,
    /// A target object as JSON text.
    #[uniffi(default)]
    pub target_json: Option<String>,
    #[uniffi(default)]
    pub capabilities: Option<Vec<String>>,
    /// ms since the epoch (default: now).
    #[uniffi(default)]
    pub issued_at: Option<f64>,
    /// Default 300000.
    #[uniffi(default)]
    pub ttl_ms: Option<f64>,
    /// Default: 16 random bytes.
    #[uniffi(default)]
    pub nonce: Option<String>,
    /// Constraints as JSON text.
    #[uniffi(default)]
    pub constraints_json: Option<String>,
}

/// The unsigned `protected` header members copied into the envelope.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct SignerInfo {
    #[uniffi(default)]
    pub derivation_path: Option<String>,
    #[uniffi(default)]
    pub key_id: Option<String>,
}

fn target(text: Option<String>, json: Option<String>) -> Result<Option<Value>> {
    match (text, json) {
        (Some(_), Some(_)) => Err(SdmError::invalid_argument(
            "give target or targetJson, not both",
        )),
        (Some(text), None) => Ok(Some(Value::String(text))),
        (None, Some(json)) => parse_json("targetJson", &json).map(Some),
        (None, None) => Ok(None),
    }
}

/// Creates and signs an authorization envelope; returns its JSON text
/// (`{protected, payload, signatureHex}`). `signer_info` defaults to the key's own path.
#[uniffi::export(default(signer_info = None))]
pub fn create_authorization(
    options: AuthorizationOptions,
    key: Arc<SigningKey>,
    signer_info: Option<SignerInfo>,
) -> Result<String> {
    guard(|| {
        let core_options = core::AuthorizationOptions {
            artifact: None,
            artifact_id: options.artifact_id,
            program_id: options.program_id,
            graph_hash: options.graph_hash,
            manifest_hash: options.manifest_hash,
            target: target(options.target, options.target_json)?,
            capabilities: options.capabilities,
            issued_at: options.issued_at,
            ttl_ms: options.ttl_ms,
            nonce: options.nonce,
            constraints: options
                .constraints_json
                .map(|text| parse_json("constraintsJson", &text))
                .transpose()?,
        };
        let info = signer_info.map(|info| core::SignerInfo {
            derivation_path: info.derivation_path,
            key_id: info.key_id,
        });
        Ok(json_text(&core::create(
            &core_options,
            &key.inner,
            info.as_ref(),
        )?))
    })
}

/// How [`verify_authorization`] checks an envelope; every member optional.
#[derive(Debug, Clone, Default, PartialEq, uniffi::Record)]
pub struct VerifyOptions {
    /// The time to verify at, ms since the epoch (default: now).
    #[uniffi(default)]
    pub now: Option<f64>,
    /// Tolerated clock skew in ms (default 0).
    #[uniffi(default)]
    pub clock_skew_ms: Option<f64>,
    /// Expected artifact members: each checked when given.
    #[uniffi(default)]
    pub artifact_id: Option<String>,
    #[uniffi(default)]
    pub program_id: Option<String>,
    #[uniffi(default)]
    pub graph_hash: Option<String>,
    #[uniffi(default)]
    pub manifest_hash: Option<String>,
    /// The expected target string (or `target_json` for `{id, audience}`).
    #[uniffi(default)]
    pub target: Option<String>,
    #[uniffi(default)]
    pub target_json: Option<String>,
    /// Capabilities that must all be granted.
    #[uniffi(default)]
    pub required_capabilities: Option<Vec<String>>,
}

/// A verified authorization: the trusted key that signed it and the payload (JSON text).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VerifiedAuthorization {
    pub signer_public_key_hex: String,
    pub payload_json: String,
}

/// Verifies an envelope (spec 11.7): the first failure wins (`AUTHORIZATION_MALFORMED`,
/// `UNSUPPORTED_ALGORITHM`, `SIGNER_UNTRUSTED`, `AUTHORIZATION_EXPIRED`,
/// `AUTHORIZATION_SIGNATURE_INVALID`, `AUTHORIZATION_MISMATCH`).
#[uniffi::export(default(options))]
pub fn verify_authorization(
    envelope_json: String,
    trusted_signers: Vec<String>,
    options: VerifyOptions,
) -> Result<VerifiedAuthorization> {
    guard(|| {
        let trusted = trust_list(&trusted_signers)?;
        let mut artifact = Map::new();
        for (name, value) in [
            ("artifactId", options.artifact_id),
            ("programId", options.program_id),
            ("graphHash", options.graph_hash),
            ("manifestHash", options.manifest_hash),
        ] {
            if let Some(value) = value {
                artifact.insert(name.to_owned(), Value::String(value));
            }
        }
        let request = core::VerifyRequest {
            now: options.now,
            clock_skew_ms: options.clock_skew_ms,
            artifact: (!artifact.is_empty()).then_some(Value::Object(artifact)),
            target: target(options.target, options.target_json)?,
            required_capabilities: options.required_capabilities,
        };
        let verified = core::verify(&envelope_json, &trusted, &request)?;
        Ok(VerifiedAuthorization {
            signer_public_key_hex: verified.signer_public_key_hex,
            payload_json: json_text(&verified.payload),
        })
    })
}
