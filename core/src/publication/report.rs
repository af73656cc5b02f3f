//! The loader's report (spec 12.4), as typed values and as the JSON shape the vectors use.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::trailer::records::{
    EncRecord, PnmRecord, RecordEntry, kdf_name, key_exchange_name, symmetric_name,
};

/// Where the trailer lies and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailerReport {
    pub record_collection_length: usize,
    /// Offset of the collection, equal to the payload length.
    pub record_collection_offset: usize,
    pub payload_length: usize,
    pub rec_version: String,
    pub records: Vec<RecordEntry>,
}

/// Declared versus recomputed content identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CidReport {
    pub declared: String,
    pub recomputed: String,
    pub matches: bool,
}

/// The verified signer and the state of both signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureReport {
    pub signer_public_key_hex: String,
    pub signature_type: String,
    pub cid_signature_valid: bool,
    pub timestamp_signature_valid: bool,
}

/// SHA-256 and length of a byte string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestReport {
    pub sha256: String,
    pub length: usize,
}

impl DigestReport {
    pub fn of(bytes: &[u8]) -> Self {
        DigestReport {
            sha256: hex::encode(Sha256::digest(bytes)),
            length: bytes.len(),
        }
    }
}

/// What the loader found in an `sds.bundle` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleReport {
    pub entry_ids: Vec<String>,
    /// The canonical module hash recomputed from the module.
    pub canonical_module_hash_hex: String,
    /// The canonical module hash stored in the bundle.
    pub bundle_canonical_module_hash_hex: String,
    pub manifest_hash_hex: String,
    pub manifest_plugin_id: Option<String>,
    /// `protected.publicKeyHex` of the authorization entry, when there is one.
    pub authorization_signer_public_key_hex: Option<String>,
    /// SHA-256 of the authorization entry's payload bytes.
    pub authorization_payload_sha256: Option<String>,
}

/// Everything the loader established, in step order. On failure, the fields set before the
/// failing step (the `partial` report).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenReport {
    /// `None` until step 1 ran; `Some(None)` when there is no (valid) trailer.
    pub trailer: Option<Option<TrailerReport>>,
    pub pnm: Option<PnmRecord>,
    pub cid: Option<CidReport>,
    pub signature: Option<SignatureReport>,
    pub enc: Option<EncRecord>,
    pub decrypted: Option<DigestReport>,
    pub wasm: Option<DigestReport>,
    /// `Some(None)` when the wasm carries no bundle.
    pub bundle: Option<Option<BundleReport>>,
}

fn opt_hex(bytes: &Option<Vec<u8>>) -> Option<String> {
    bytes.as_ref().map(hex::encode)
}

/// The loader's report as JSON (spec 12.4): absent steps are absent keys. Every front end
/// prints this shape; `docs/schemas/open-report.schema.json` is generated from it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "OpenReport")]
pub struct OpenReportView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trailer: Option<TrailerView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pnm: Option<PnmView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cid: Option<CidView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enc: Option<EncView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decrypted: Option<DigestView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wasm: Option<DigestView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle: Option<BundleView>,
}

/// `{"present": false}` or the trailer's layout and records.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrailerView {
    pub present: bool,
    #[serde(flatten)]
    pub details: Option<TrailerDetails>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrailerDetails {
    /// Always `"$REC"`.
    pub footer_magic: String,
    pub record_collection_length: usize,
    pub record_collection_offset: usize,
    pub payload_length: usize,
    /// Not covered by the signature: a hint.
    pub rec_version: String,
    pub records: Vec<RecordView>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordView {
    pub standard: Option<String>,
    pub record_type: u8,
}

/// The nine PNM fields. Only `cid` and `publishTimestamp` are covered by signatures; the
/// others are unauthenticated hints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PnmView {
    pub multiformat_address: Option<String>,
    pub publish_timestamp: Option<String>,
    pub cid: Option<String>,
    pub file_name: Option<String>,
    pub file_id: Option<String>,
    pub signature: Option<String>,
    pub timestamp_signature: Option<String>,
    pub signature_type: Option<String>,
    pub timestamp_signature_type: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CidView {
    pub declared: String,
    pub recomputed: String,
    pub matches: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignatureView {
    pub signer_public_key_hex: String,
    pub signature_type: String,
    pub cid_signature_valid: bool,
    pub timestamp_signature_valid: bool,
}

/// The ENC record with enum names and hex byte fields.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EncView {
    pub version: u8,
    pub key_exchange: String,
    pub symmetric: String,
    pub key_derivation: String,
    pub ephemeral_public_key_hex: String,
    pub nonce_start_hex: String,
    pub recipient_key_id_hex: Option<String>,
    pub context: Option<String>,
    pub schema_hash_hex: Option<String>,
    pub root_type: Option<String>,
    pub timestamp: u64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DigestView {
    pub sha256: String,
    pub length: usize,
}

/// `{"present": false}` or what the loader found in the `sds.bundle` section.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BundleView {
    pub present: bool,
    #[serde(flatten)]
    pub details: Option<BundleDetails>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BundleDetails {
    pub entry_ids: Vec<String>,
    pub canonical_module_hash_hex: String,
    pub bundle_canonical_module_hash_hex: String,
    pub manifest_hash_hex: String,
    pub manifest_plugin_id: Option<String>,
    pub authorization_signer_public_key_hex: Option<String>,
    pub authorization_payload_sha256: Option<String>,
}

impl OpenReport {
    /// The typed JSON view (see [`OpenReportView`]).
    pub fn view(&self) -> OpenReportView {
        let digest = |d: &DigestReport| DigestView {
            sha256: d.sha256.clone(),
            length: d.length,
        };
        OpenReportView {
            trailer: self.trailer.as_ref().map(|t| trailer_view(t.as_ref())),
            pnm: self.pnm.as_ref().map(pnm_view),
            cid: self.cid.as_ref().map(|c| CidView {
                declared: c.declared.clone(),
                recomputed: c.recomputed.clone(),
                matches: c.matches,
            }),
            signature: self.signature.as_ref().map(|s| SignatureView {
                signer_public_key_hex: s.signer_public_key_hex.clone(),
                signature_type: s.signature_type.clone(),
                cid_signature_valid: s.cid_signature_valid,
                timestamp_signature_valid: s.timestamp_signature_valid,
            }),
            enc: self.enc.as_ref().map(enc_view),
            decrypted: self.decrypted.as_ref().map(digest),
            wasm: self.wasm.as_ref().map(digest),
            bundle: self.bundle.as_ref().map(|b| bundle_view(b.as_ref())),
        }
    }

    /// The report as JSON with the keys of spec 12.4 (absent steps are absent keys).
    pub fn to_json(&self) -> Value {
        to_value(&self.view())
    }
}

fn to_value(view: &impl Serialize) -> Value {
    // Strings, numbers and booleans only: serialization cannot fail.
    serde_json::to_value(view).unwrap_or(Value::Null)
}

fn trailer_view(trailer: Option<&TrailerReport>) -> TrailerView {
    TrailerView {
        present: trailer.is_some(),
        details: trailer.map(|t| TrailerDetails {
            footer_magic: "$REC".to_owned(),
            record_collection_length: t.record_collection_length,
            record_collection_offset: t.record_collection_offset,
            payload_length: t.payload_length,
            rec_version: t.rec_version.clone(),
            records: t
                .records
                .iter()
                .map(|r| RecordView {
                    standard: r.standard.clone(),
                    record_type: r.record_type,
                })
                .collect(),
        }),
    }
}

/// The nine PNM fields under their camelCase names.
pub fn pnm_view(pnm: &PnmRecord) -> PnmView {
    PnmView {
        multiformat_address: pnm.multiformat_address.clone(),
        publish_timestamp: pnm.publish_timestamp.clone(),
        cid: pnm.cid.clone(),
        file_name: pnm.file_name.clone(),
        file_id: pnm.file_id.clone(),
        signature: pnm.signature.clone(),
        timestamp_signature: pnm.timestamp_signature.clone(),
        signature_type: pnm.signature_type.clone(),
        timestamp_signature_type: pnm.timestamp_signature_type.clone(),
    }
}

/// [`pnm_view`] as JSON.
pub fn pnm_json(pnm: &PnmRecord) -> Value {
    to_value(&pnm_view(pnm))
}

/// The ENC record with enum names and hex byte fields.
pub fn enc_view(enc: &EncRecord) -> EncView {
    EncView {
        version: enc.version,
        key_exchange: key_exchange_name(enc.key_exchange).to_owned(),
        symmetric: symmetric_name(enc.symmetric).to_owned(),
        key_derivation: kdf_name(enc.key_derivation).to_owned(),
        ephemeral_public_key_hex: hex::encode(&enc.ephemeral_public_key),
        nonce_start_hex: hex::encode(&enc.nonce_start),
        recipient_key_id_hex: opt_hex(&enc.recipient_key_id),
        context: enc.context.clone(),
        schema_hash_hex: opt_hex(&enc.schema_hash),
        root_type: enc.root_type.clone(),
        timestamp: enc.timestamp,
    }
}

/// [`enc_view`] as JSON.
pub fn enc_json(enc: &EncRecord) -> Value {
    to_value(&enc_view(enc))
}

fn bundle_view(bundle: Option<&BundleReport>) -> BundleView {
    BundleView {
        present: bundle.is_some(),
        details: bundle.map(|b| BundleDetails {
            entry_ids: b.entry_ids.clone(),
            canonical_module_hash_hex: b.canonical_module_hash_hex.clone(),
            bundle_canonical_module_hash_hex: b.bundle_canonical_module_hash_hex.clone(),
            manifest_hash_hex: b.manifest_hash_hex.clone(),
            manifest_plugin_id: b.manifest_plugin_id.clone(),
            authorization_signer_public_key_hex: b.authorization_signer_public_key_hex.clone(),
            authorization_payload_sha256: b.authorization_payload_sha256.clone(),
        }),
    }
}
