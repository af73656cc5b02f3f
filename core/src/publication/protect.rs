//! `protect` (spec 9, the reference's `protectModuleArtifact`): optional single-file bundle →
//! optional encryption → CID → signatures → `REC` append.
//!
//! Differences from the reference (deliberate, spec 7.4 and 9.3): the caller supplies the
//! [`Signer`] (an invalid mnemonic is an error upstream, never a fresh key), and the result holds
//! no mnemonic. Randomness and the clock are parameters so vectors can be rebuilt exactly.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::cid::cid_v1_raw;
use super::encryption::{DEFAULT_CONTEXT, EncryptOptions, ROOT_TYPE_WASM, encrypt_for_recipient};
use super::timestamp::iso_timestamp;
use super::transport::envelope_for_blob;
use crate::auth::{SignerHeader, create_authorization, sign_authorization};
use crate::encoding::base64_encode;
use crate::keys::random::RandomSource;
use crate::keys::signing::{SIGNATURE_TYPE, SIGNING_PATH, Signer};
use crate::trailer::encode::encode_collection;
use crate::trailer::footer::{append_collection, append_collection_to};
use crate::trailer::records::{EncRecord, PnmRecord};
use crate::{Error, ErrorCode, Result};

/// Inputs of [`protect`].
#[derive(Debug, Clone)]
pub struct ProtectOptions {
    /// The manifest JSON (encoded to `PMAN` as the manifest module does).
    pub manifest: Value,
    /// The input wasm.
    pub wasm: Vec<u8>,
    /// Wrap the wasm into a single-file bundle (`sds.bundle` with manifest + authorization).
    pub single_file_bundle: bool,
    /// Encrypt for this X25519 recipient public key.
    pub recipient_public_key: Option<[u8; 32]>,
    /// Defaults to `module-` + the first 16 hex digits of SHA-256(wasm).
    pub artifact_id: Option<String>,
    /// Authorization target (URL string or object); `null` for none.
    pub target: Value,
    /// Authorization capabilities; `None` → `[]` (not the manifest's).
    pub capabilities: Option<Value>,
    /// Clock value for `issuedAt`, ENC `TIMESTAMP` and `PUBLISH_TIMESTAMP` (ms since epoch).
    pub now_ms: i64,
}

/// The result (the reference's fields, spec 9.2, minus the mnemonic).
#[derive(Debug, Clone)]
pub struct Protected {
    pub signing_public_key_hex: String,
    pub signing_path: String,
    /// `{version, format, artifactId, programId, manifest, manifestBase64, wasmBase64,
    /// wasmHashHex, manifestHashHex, authorization}`.
    pub payload: Value,
    pub publication_notice: PnmRecord,
    /// The ENC record when encrypted.
    pub enc: Option<EncRecord>,
    pub publication_records_bytes: Vec<u8>,
    pub protected_artifact_bytes: Vec<u8>,
    pub encrypted: bool,
    /// The version-2 transport envelope over the final artifact (encrypted only).
    pub encrypted_envelope: Option<Value>,
    /// The bundled wasm before encryption and trailer (single-file bundle only).
    pub single_file_bundle_wasm: Option<Vec<u8>>,
}

impl Protected {
    /// The protected artifact (the reference's `bundledWasmBytes` equals it).
    pub fn bundled_wasm_bytes(&self) -> &[u8] {
        &self.protected_artifact_bytes
    }

    /// The result as every front end reports it (holds no secret: no mnemonic, no private
    /// key). Byte fields are base64 (the reference prints typed arrays as index-keyed objects).
    pub fn result(&self) -> ProtectResult {
        self.report(
            self.payload.clone(),
            self.encrypted_envelope.clone(),
            Some(base64_encode(&self.protected_artifact_bytes)),
        )
    }

    /// [`Protected::result`] as JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.result()).unwrap_or(Value::Null)
    }

    /// The artifact and [`Protected::result`] without the artifact's base64, for front ends
    /// that hand the artifact over separately. By value: the payload and envelope (each holding
    /// a base64 copy of the module) move into the result instead of being copied.
    pub fn into_artifact_and_summary(mut self) -> (Vec<u8>, ProtectResult) {
        let payload = std::mem::take(&mut self.payload);
        let envelope = self.encrypted_envelope.take();
        let summary = self.report(payload, envelope, None);
        (self.protected_artifact_bytes, summary)
    }

    fn report(
        &self,
        payload: Value,
        encrypted_envelope: Option<Value>,
        protected_artifact_base64: Option<String>,
    ) -> ProtectResult {
        ProtectResult {
            signing_public_key_hex: self.signing_public_key_hex.clone(),
            signing_path: self.signing_path.clone(),
            payload,
            publication_notice: super::report::pnm_view(&self.publication_notice),
            publication_records_base64: base64_encode(&self.publication_records_bytes),
            protected_artifact_base64,
            encrypted: self.encrypted,
            encrypted_envelope,
            single_file_bundle: self.single_file_bundle_wasm.is_some(),
        }
    }
}

/// What `protect` reports (`protect --json`, `sdm_protect`, bindings).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "ProtectResult")]
pub struct ProtectResult {
    pub signing_public_key_hex: String,
    /// The BIP-32 path of the signing key.
    pub signing_path: String,
    /// The signed package payload (reference `space-data-module-package` object).
    pub payload: Value,
    pub publication_notice: super::report::PnmView,
    pub publication_records_base64: String,
    /// The protected artifact; absent in summaries that return the bytes separately.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protected_artifact_base64: Option<String>,
    pub encrypted: bool,
    pub encrypted_envelope: Option<Value>,
    pub single_file_bundle: bool,
}

/// Protects a module (spec 9.1). Random draws in order: authorization nonce (16), then when
/// encrypting the ephemeral key (32) and the nonce (12).
pub fn protect(
    options: &ProtectOptions,
    signer: &Signer,
    rng: &mut dyn RandomSource,
) -> Result<Protected> {
    if options.wasm.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "protectModuleArtifact requires wasmBytes or wasmBase64.",
        ));
    }
    let manifest_bytes = crate::manifest::encode_json(&options.manifest)?.bytes;
    let wasm_hash_hex = hex::encode(Sha256::digest(&options.wasm));
    let manifest_hash_hex = hex::encode(Sha256::digest(&manifest_bytes));
    let artifact_id = options
        .artifact_id
        .clone()
        .unwrap_or_else(|| format!("module-{}", &wasm_hash_hex[..16]));
    let program_id = match options.manifest.get("pluginId").filter(|v| !v.is_null()) {
        Some(id) => crate::js::to_js_string(id),
        None => artifact_id.clone(),
    };

    let authorization_options = json!({
        "artifactId": artifact_id,
        "programId": program_id,
        "manifestHash": manifest_hash_hex,
        "graphHash": wasm_hash_hex,
        "target": options.target,
        "capabilities": options.capabilities.clone().unwrap_or_else(|| json!([])),
    });
    let authorization = create_authorization(&authorization_options, options.now_ms as f64, rng)?;
    let header = SignerHeader {
        derivation_path: Some(SIGNING_PATH.to_owned()),
        key_id: Some(artifact_id.clone()),
    };
    let signed_authorization = sign_authorization(&authorization, signer, &header)?;

    let payload = json!({
        "version": 1,
        "format": "space-data-module-package",
        "artifactId": artifact_id,
        "programId": program_id,
        "manifest": options.manifest,
        "manifestBase64": base64_encode(&manifest_bytes),
        "wasmBase64": base64_encode(&options.wasm),
        "wasmHashHex": wasm_hash_hex,
        "manifestHashHex": manifest_hash_hex,
        "authorization": signed_authorization,
    });

    let bundled = if options.single_file_bundle {
        Some(super::protect_bundle::single_file_bundle(
            &options.wasm,
            &manifest_bytes,
            &signed_authorization,
        )?)
    } else {
        None
    };
    let plain = bundled.as_deref().unwrap_or(&options.wasm);

    let publish_timestamp = iso_timestamp(options.now_ms)?;
    let notice_for = |payload: &[u8]| -> Result<PnmRecord> {
        let cid = cid_v1_raw(payload);
        Ok(PnmRecord {
            multiformat_address: Some(format!("/ipfs/{cid}")),
            publish_timestamp: Some(publish_timestamp.clone()),
            file_name: Some(format!("{artifact_id}.wasm")),
            file_id: Some(program_id.clone()),
            signature: Some(signer.sign_hex(cid.as_bytes())?),
            timestamp_signature: Some(signer.sign_hex(publish_timestamp.as_bytes())?),
            signature_type: Some(SIGNATURE_TYPE.to_owned()),
            timestamp_signature_type: Some(SIGNATURE_TYPE.to_owned()),
            cid: Some(cid),
        })
    };

    let (notice, enc, records, artifact, envelope) = match &options.recipient_public_key {
        Some(recipient) => {
            let encrypt = EncryptOptions {
                context: Some(DEFAULT_CONTEXT.to_owned()),
                root_type: Some(ROOT_TYPE_WASM.to_owned()),
                timestamp_ms: u64::try_from(options.now_ms).unwrap_or(0),
                ..EncryptOptions::default()
            };
            let encrypted = encrypt_for_recipient(plain, recipient, &encrypt, rng)?;
            let notice = notice_for(&encrypted.ciphertext)?;
            let records = encode_collection(Some(&encrypted.enc), Some(&notice), None)?;
            // The artifact is the ciphertext with the trailer appended in place.
            let ciphertext_len = encrypted.ciphertext.len();
            let artifact = append_collection_to(encrypted.ciphertext, &records)?;
            let envelope = envelope_for_blob(
                &artifact,
                &records,
                &artifact[..ciphertext_len],
                Some(&encrypted.enc),
                Some(&notice),
            );
            (
                notice,
                Some(encrypted.enc),
                records,
                artifact,
                Some(envelope),
            )
        }
        None => {
            let notice = notice_for(plain)?;
            let records = encode_collection(None, Some(&notice), None)?;
            let artifact = append_collection(plain, &records)?;
            (notice, None, records, artifact, None)
        }
    };

    Ok(Protected {
        signing_public_key_hex: signer.public_key_hex(),
        signing_path: SIGNING_PATH.to_owned(),
        payload,
        publication_notice: notice,
        encrypted: enc.is_some(),
        enc,
        publication_records_bytes: records,
        protected_artifact_bytes: artifact,
        encrypted_envelope: envelope,
        single_file_bundle_wasm: bundled,
    })
}
