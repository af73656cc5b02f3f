//! `protect` (spec 9, the reference's `protectModuleArtifact`): optional single-file bundle →
//! optional encryption → CID → signatures → `REC` append.
//!
//! Differences from the reference (deliberate, spec 7.4 and 9.3): the caller supplies the
//! [`Signer`] (an invalid mnemonic is an error upstream, never a fresh key), and the result holds
//! no mnemonic. Randomness and the clock are parameters so vectors can be rebuilt exactly.
//!
//! The reference-shaped payload and transport envelope each hold the module in base64; they
//! are built only when asked for ([`Protected::payload`], [`Protected::result`]), so a front
//! end that only writes the artifact never pays for them.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::cid::cid_v1_raw_of_digest;
use super::encryption::{
    DEFAULT_CONTEXT, EncryptOptions, Encrypted, ROOT_TYPE_WASM, encrypt_for_recipient,
};
use super::timestamp::iso_timestamp;
use super::transport::envelope_for_blob;
use crate::auth::{SignerHeader, create_authorization, sign_authorization};
use crate::encoding::base64_encode;
use crate::keys::random::RandomSource;
use crate::keys::signing::{SIGNATURE_TYPE, SIGNING_PATH, Signer};
use crate::parallel::sha256_beside;
use crate::trailer::encode::encode_collection;
use crate::trailer::footer::{append_collection, append_collection_to};
use crate::trailer::records::{EncRecord, PnmRecord};
use crate::{Error, ErrorCode, Result};

/// Inputs of [`protect`].
#[derive(Debug, Clone)]
pub struct ProtectOptions<'a> {
    /// The manifest JSON (encoded to `PMAN` as the manifest module does).
    pub manifest: Value,
    /// The input wasm (borrowed: protect reads it and [`Protected::payload`] encodes it).
    pub wasm: &'a [u8],
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

/// The parts of the signed package payload (spec 9.2) other than the module itself.
#[derive(Debug, Clone)]
struct Package {
    artifact_id: String,
    program_id: String,
    manifest: Value,
    manifest_bytes: Vec<u8>,
    wasm_hash_hex: String,
    manifest_hash_hex: String,
    authorization: Value,
}

/// The result (the reference's fields, spec 9.2, minus the mnemonic). Borrows the input wasm,
/// which the payload encodes.
#[derive(Debug, Clone)]
pub struct Protected<'a> {
    wasm: &'a [u8],
    package: Package,
    /// Length of the artifact's payload (ciphertext or plain wasm) before the trailer.
    payload_length: usize,
    pub signing_public_key_hex: String,
    pub signing_path: String,
    pub publication_notice: PnmRecord,
    /// The ENC record when encrypted.
    pub enc: Option<EncRecord>,
    pub publication_records_bytes: Vec<u8>,
    pub protected_artifact_bytes: Vec<u8>,
    pub encrypted: bool,
    /// The bundled wasm before encryption and trailer (single-file bundle only).
    pub single_file_bundle_wasm: Option<Vec<u8>>,
}

impl Protected<'_> {
    /// The protected artifact (the reference's `bundledWasmBytes` equals it).
    pub fn bundled_wasm_bytes(&self) -> &[u8] {
        &self.protected_artifact_bytes
    }

    /// The protected artifact, by value.
    pub fn into_artifact(self) -> Vec<u8> {
        self.protected_artifact_bytes
    }

    /// `module-…` unless the options named it.
    pub fn artifact_id(&self) -> &str {
        &self.package.artifact_id
    }

    /// The signed authorization envelope (also the payload's `authorization`).
    pub fn authorization(&self) -> &Value {
        &self.package.authorization
    }

    /// `{version, format, artifactId, programId, manifest, manifestBase64, wasmBase64,
    /// wasmHashHex, manifestHashHex, authorization}`: the reference's signed package payload.
    /// Encodes the module in base64.
    pub fn payload(&self) -> Value {
        let package = &self.package;
        json!({
            "version": 1,
            "format": "space-data-module-package",
            "artifactId": package.artifact_id,
            "programId": package.program_id,
            "manifest": package.manifest,
            "manifestBase64": base64_encode(&package.manifest_bytes),
            "wasmBase64": base64_encode(self.wasm),
            "wasmHashHex": package.wasm_hash_hex,
            "manifestHashHex": package.manifest_hash_hex,
            "authorization": package.authorization,
        })
    }

    /// The version-2 transport envelope over the artifact (encrypted only). Encodes the
    /// artifact and its ciphertext in base64.
    pub fn encrypted_envelope(&self) -> Option<Value> {
        let enc = self.enc.as_ref()?;
        let artifact = &self.protected_artifact_bytes;
        Some(envelope_for_blob(
            artifact,
            &self.publication_records_bytes,
            &artifact[..self.payload_length],
            Some(enc),
            Some(&self.publication_notice),
        ))
    }

    /// The result as every front end reports it (holds no secret: no mnemonic, no private
    /// key). Byte fields are base64 (the reference prints typed arrays as index-keyed objects).
    pub fn result(&self) -> ProtectResult {
        self.report(Some(base64_encode(&self.protected_artifact_bytes)))
    }

    /// [`Protected::result`] as JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.result()).unwrap_or(Value::Null)
    }

    /// [`Protected::result`] without the artifact's base64, for front ends that hand the
    /// artifact over separately.
    pub fn summary(&self) -> ProtectResult {
        self.report(None)
    }

    fn report(&self, protected_artifact_base64: Option<String>) -> ProtectResult {
        ProtectResult {
            signing_public_key_hex: self.signing_public_key_hex.clone(),
            signing_path: self.signing_path.clone(),
            payload: self.payload(),
            publication_notice: super::report::pnm_view(&self.publication_notice),
            publication_records_base64: base64_encode(&self.publication_records_bytes),
            protected_artifact_base64,
            encrypted: self.encrypted,
            encrypted_envelope: self.encrypted_envelope(),
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
///
/// Each digest is one pass: the ciphertext is hashed while it is encrypted, and when the
/// module is encrypted as given (no bundle) its own hash runs on a second core meanwhile;
/// signed only, the module's hash is also its CID's.
pub fn protect<'a>(
    options: &ProtectOptions<'a>,
    signer: &Signer,
    rng: &mut dyn RandomSource,
) -> Result<Protected<'a>> {
    let wasm = options.wasm;
    if wasm.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "protectModuleArtifact requires wasmBytes or wasmBase64.",
        ));
    }
    let manifest_bytes = crate::manifest::encode_json(&options.manifest)?.bytes;
    let manifest_hash_hex = hex::encode(Sha256::digest(&manifest_bytes));
    // Drawn first, as the reference does, so the encryption below may run before the
    // authorization that needs the module's hash.
    let mut authorization_nonce = [0u8; 16];
    rng.fill(&mut authorization_nonce)?;

    let encrypt_as_given = options
        .recipient_public_key
        .filter(|_| !options.single_file_bundle);
    let (wasm_digest, early_encryption) = match &encrypt_as_given {
        Some(recipient) => {
            let (digest, encrypted) =
                sha256_beside(wasm, || encrypt(wasm, recipient, options.now_ms, rng));
            (digest, Some(encrypted?))
        }
        None => (Sha256::digest(wasm).into(), None),
    };
    let wasm_hash_hex = hex::encode(wasm_digest);
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
        "nonce": hex::encode(authorization_nonce),
    });
    let authorization = create_authorization(&authorization_options, options.now_ms as f64, rng)?;
    let header = SignerHeader {
        derivation_path: Some(SIGNING_PATH.to_owned()),
        key_id: Some(artifact_id.clone()),
    };
    let signed_authorization = sign_authorization(&authorization, signer, &header)?;

    let bundled = if options.single_file_bundle {
        Some(super::protect_bundle::single_file_bundle(
            wasm,
            &manifest_bytes,
            &signed_authorization,
        )?)
    } else {
        None
    };

    let publish_timestamp = iso_timestamp(options.now_ms)?;
    let notice_for = |payload_digest: &[u8; 32]| -> Result<PnmRecord> {
        let cid = cid_v1_raw_of_digest(payload_digest);
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

    let encrypted = match (early_encryption, &options.recipient_public_key, &bundled) {
        (Some(encrypted), _, _) => Some(encrypted),
        (None, Some(recipient), Some(bundled)) => {
            Some(encrypt(bundled, recipient, options.now_ms, rng)?)
        }
        _ => None,
    };
    let (notice, enc, records, artifact, payload_length) = match encrypted {
        Some(encrypted) => {
            let notice = notice_for(&encrypted.ciphertext_sha256)?;
            let records = encode_collection(Some(&encrypted.enc), Some(&notice), None)?;
            let payload_length = encrypted.ciphertext.len();
            // The artifact is the ciphertext with the trailer appended in place.
            let artifact = append_collection_to(encrypted.ciphertext, &records)?;
            (
                notice,
                Some(encrypted.enc),
                records,
                artifact,
                payload_length,
            )
        }
        None => {
            let plain = bundled.as_deref().unwrap_or(wasm);
            let plain_digest = match &bundled {
                Some(bundled) => Sha256::digest(bundled).into(),
                None => wasm_digest,
            };
            let notice = notice_for(&plain_digest)?;
            let records = encode_collection(None, Some(&notice), None)?;
            let artifact = append_collection(plain, &records)?;
            (notice, None, records, artifact, plain.len())
        }
    };

    Ok(Protected {
        wasm,
        package: Package {
            artifact_id,
            program_id,
            manifest: options.manifest.clone(),
            manifest_bytes,
            wasm_hash_hex,
            manifest_hash_hex,
            authorization: signed_authorization,
        },
        payload_length,
        signing_public_key_hex: signer.public_key_hex(),
        signing_path: SIGNING_PATH.to_owned(),
        publication_notice: notice,
        encrypted: enc.is_some(),
        enc,
        publication_records_bytes: records,
        protected_artifact_bytes: artifact,
        single_file_bundle_wasm: bundled,
    })
}

/// Spec 9.1 step 7: encrypts for the recipient under protect's context and root type.
fn encrypt(
    plain: &[u8],
    recipient: &[u8; 32],
    now_ms: i64,
    rng: &mut dyn RandomSource,
) -> Result<Encrypted> {
    let options = EncryptOptions {
        context: Some(DEFAULT_CONTEXT.to_owned()),
        root_type: Some(ROOT_TYPE_WASM.to_owned()),
        timestamp_ms: u64::try_from(now_ms).unwrap_or(0),
        ..EncryptOptions::default()
    };
    encrypt_for_recipient(plain, recipient, &options, rng)
}
