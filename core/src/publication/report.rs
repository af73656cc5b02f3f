//! The loader's report (spec 12.4), as typed values and as the JSON shape the vectors use.

use serde_json::{Map, Value, json};
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

fn opt_hex(bytes: &Option<Vec<u8>>) -> Value {
    bytes
        .as_ref()
        .map_or(Value::Null, |b| Value::String(hex::encode(b)))
}

fn opt_text(text: &Option<String>) -> Value {
    text.as_ref()
        .map_or(Value::Null, |t| Value::String(t.clone()))
}

impl OpenReport {
    /// The report as JSON with the keys of spec 12.4 (absent steps are absent keys).
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        if let Some(trailer) = &self.trailer {
            out.insert("trailer".into(), trailer_json(trailer.as_ref()));
        }
        if let Some(pnm) = &self.pnm {
            out.insert("pnm".into(), pnm_json(pnm));
        }
        if let Some(cid) = &self.cid {
            out.insert("cid".into(), json!({"declared": cid.declared, "recomputed": cid.recomputed, "matches": cid.matches}));
        }
        if let Some(s) = &self.signature {
            out.insert(
                "signature".into(),
                json!({
                    "signerPublicKeyHex": s.signer_public_key_hex,
                    "signatureType": s.signature_type,
                    "cidSignatureValid": s.cid_signature_valid,
                    "timestampSignatureValid": s.timestamp_signature_valid,
                }),
            );
        }
        if let Some(enc) = &self.enc {
            out.insert("enc".into(), enc_json(enc));
        }
        if let Some(d) = &self.decrypted {
            out.insert(
                "decrypted".into(),
                json!({"sha256": d.sha256, "length": d.length}),
            );
        }
        if let Some(d) = &self.wasm {
            out.insert(
                "wasm".into(),
                json!({"sha256": d.sha256, "length": d.length}),
            );
        }
        if let Some(bundle) = &self.bundle {
            out.insert("bundle".into(), bundle_json(bundle.as_ref()));
        }
        Value::Object(out)
    }
}

fn trailer_json(trailer: Option<&TrailerReport>) -> Value {
    let Some(t) = trailer else {
        return json!({"present": false});
    };
    let records: Vec<Value> = t
        .records
        .iter()
        .map(|r| json!({"standard": opt_text(&r.standard), "recordType": r.record_type}))
        .collect();
    json!({
        "present": true,
        "footerMagic": "$REC",
        "recordCollectionLength": t.record_collection_length,
        "recordCollectionOffset": t.record_collection_offset,
        "payloadLength": t.payload_length,
        "recVersion": t.rec_version,
        "records": records,
    })
}

/// The nine PNM fields under their camelCase names.
pub fn pnm_json(pnm: &PnmRecord) -> Value {
    json!({
        "multiformatAddress": opt_text(&pnm.multiformat_address),
        "publishTimestamp": opt_text(&pnm.publish_timestamp),
        "cid": opt_text(&pnm.cid),
        "fileName": opt_text(&pnm.file_name),
        "fileId": opt_text(&pnm.file_id),
        "signature": opt_text(&pnm.signature),
        "timestampSignature": opt_text(&pnm.timestamp_signature),
        "signatureType": opt_text(&pnm.signature_type),
        "timestampSignatureType": opt_text(&pnm.timestamp_signature_type),
    })
}

/// The ENC record with enum names and hex byte fields.
pub fn enc_json(enc: &EncRecord) -> Value {
    json!({
        "version": enc.version,
        "keyExchange": key_exchange_name(enc.key_exchange),
        "symmetric": symmetric_name(enc.symmetric),
        "keyDerivation": kdf_name(enc.key_derivation),
        "ephemeralPublicKeyHex": hex::encode(&enc.ephemeral_public_key),
        "nonceStartHex": hex::encode(&enc.nonce_start),
        "recipientKeyIdHex": opt_hex(&enc.recipient_key_id),
        "context": opt_text(&enc.context),
        "schemaHashHex": opt_hex(&enc.schema_hash),
        "rootType": opt_text(&enc.root_type),
        "timestamp": enc.timestamp,
    })
}

fn bundle_json(bundle: Option<&BundleReport>) -> Value {
    let Some(b) = bundle else {
        return json!({"present": false});
    };
    json!({
        "present": true,
        "entryIds": b.entry_ids,
        "canonicalModuleHashHex": b.canonical_module_hash_hex,
        "bundleCanonicalModuleHashHex": b.bundle_canonical_module_hash_hex,
        "manifestHashHex": b.manifest_hash_hex,
        "manifestPluginId": opt_text(&b.manifest_plugin_id),
        "authorizationSignerPublicKeyHex": opt_text(&b.authorization_signer_public_key_hex),
        "authorizationPayloadSha256": opt_text(&b.authorization_payload_sha256),
    })
}
