//! `createSingleFileBundle` (spec 7.2-7.4): module + options → bundle bytes and the module
//! with the bundle appended as its last custom section.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::constants::*;
use super::input::{CreateOptions, EntryInput, ManifestInput, Payload};
use super::model::{CanonicalizationRule, ModuleBundle};
use super::normalize::{is_exact_json_encoding, normalize_entry, optional_text, stored_scalar};
use super::trailer::split_publication_trailer;
use super::{codec, manifest_link};
use crate::canonical_json::canonical_bytes;
use crate::js::{is_truthy, to_js_string};
use crate::wasm::sections::{KeptParts, encode_custom_section};
use crate::{Error, ErrorCode, Result};

/// Everything create produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The bundle value as encoded.
    pub bundle: ModuleBundle,
    /// The `SMDB` bytes (data of the bundle section).
    pub bundle_bytes: Vec<u8>,
    /// SHA-256 of the input module with its prefixed custom sections removed.
    pub canonical_module_hash: Vec<u8>,
    /// SHA-256 of the manifest bytes, or empty without a manifest.
    pub manifest_hash: Vec<u8>,
    /// The output module: the stripped input followed by the bundle section.
    pub wasm: Vec<u8>,
}

impl Created {
    pub fn canonical_module_hash_hex(&self) -> String {
        hex::encode(&self.canonical_module_hash)
    }

    /// Empty string when there is no manifest.
    pub fn manifest_hash_hex(&self) -> String {
        hex::encode(&self.manifest_hash)
    }
}

/// Creates a single-file bundle exactly as the reference does (same bytes).
///
/// Errors: manifest encoding errors; `deployment-invalid-plan` for a `null` plan;
/// `bundle-invalid-payload` for a payload the entry cannot store; wasm framing errors of the
/// input module; `bundle-required-field` for an explicit `null` entry id;
/// `wasm-custom-name-required` for a blank bundle section name.
pub fn create(options: &CreateOptions) -> Result<Created> {
    check_module_size(options.wasm.len())?;
    let (module, _trailer) = split_publication_trailer(&options.wasm);
    let manifest_bytes = match &options.manifest {
        ManifestInput::None => None,
        ManifestInput::Bytes(bytes) => Some(bytes.clone()),
        ManifestInput::Json(value) if is_truthy(value) => {
            Some(manifest_link::encode_manifest(value)?)
        }
        ManifestInput::Json(_) => None,
    };

    let mut raw_entries = Vec::new();
    if let Some(bytes) = &manifest_bytes {
        raw_entries.push(manifest_entry(bytes.clone()));
    }
    raw_entries.extend(standard_entries(options)?);
    for (index, entry) in options.entries.iter().enumerate() {
        let mut entry = entry.clone();
        entry
            .entry_id
            .get_or_insert_with(|| Value::from(format!("entry-{}", index + 1)));
        raw_entries.push(entry);
    }
    let resolved = raw_entries
        .into_iter()
        .map(|entry| {
            let payload = resolve_payload(&entry)?;
            let sha256 = Sha256::digest(&payload).to_vec();
            Ok((entry, payload, sha256))
        })
        .collect::<Result<Vec<_>>>()?;

    let prefix = options
        .custom_section_prefix
        .clone()
        .unwrap_or_else(|| SDS_CUSTOM_SECTION_PREFIX.to_owned());
    let section_name = options
        .bundle_section_name
        .clone()
        .unwrap_or_else(|| SDS_BUNDLE_SECTION_NAME.to_owned());
    // The output base is strip(walker-split(module)); the reference's hash helper splits once
    // more before that same strip. Both are the same bytes unless a nested trailer exists.
    let walked = split_publication_trailer(module).0;
    let base = KeptParts::without_prefix(walked, &prefix)?;
    let hashed = split_publication_trailer(walked).0;
    let canonical_module_hash = if hashed.len() == walked.len() {
        base.sha256()
    } else {
        KeptParts::without_prefix(hashed, &prefix)?.sha256()
    }
    .to_vec();
    let manifest_hash = manifest_bytes
        .as_ref()
        .map(|m| Sha256::digest(m).to_vec())
        .unwrap_or_default();

    let entries = resolved
        .into_iter()
        .map(|(fields, payload, sha256)| normalize_entry(&fields, payload, sha256))
        .collect::<Result<Vec<_>>>()?;
    let bundle = ModuleBundle {
        bundle_version: stored_scalar(options.bundle_version.unwrap_or(1.0), 1.0, 16)
            .map(|v| v as u16),
        module_format: Some(
            options
                .module_format
                .clone()
                .unwrap_or_else(|| DEFAULT_MODULE_FORMAT.to_owned()),
        ),
        canonicalization: Some(CanonicalizationRule {
            version: None,
            stripped_custom_section_prefix: Some(prefix.clone()),
            bundle_section_name: Some(section_name.clone()),
            hash_algorithm: Some(DEFAULT_HASH_ALGORITHM.to_owned()),
        }),
        canonical_module_hash: canonical_module_hash.clone(),
        manifest_hash: manifest_hash.clone(),
        manifest_export_symbol: Some(
            options
                .manifest_export_symbol
                .clone()
                .unwrap_or_else(|| DEFAULT_MANIFEST_EXPORT_SYMBOL.to_owned()),
        ),
        manifest_size_symbol: Some(
            options
                .manifest_size_symbol
                .clone()
                .unwrap_or_else(|| DEFAULT_MANIFEST_SIZE_SYMBOL.to_owned()),
        ),
        entries,
    };
    let bundle_bytes = codec::encode(&bundle);
    // append_custom_section, with the stripped module copied once, into its final place.
    let section = encode_custom_section(&section_name, &bundle_bytes)?;
    let mut wasm = base.concat(section.len());
    wasm.extend_from_slice(&section);
    Ok(Created {
        bundle,
        bundle_bytes,
        canonical_module_hash,
        manifest_hash,
        wasm,
    })
}

fn manifest_entry(manifest_bytes: Vec<u8>) -> EntryInput {
    EntryInput {
        entry_id: Some(json!("manifest")),
        role: Some(json!("manifest")),
        section_name: Some(json!("sds.manifest")),
        payload_encoding: Some(json!("flatbuffer")),
        type_ref: Some(json!({"schemaName": "PluginManifest.fbs", "fileIdentifier": "PMAN"})),
        payload: Some(Payload::Bytes(manifest_bytes)),
        description: Some(json!("Canonical plugin manifest.")),
        ..EntryInput::default()
    }
}

/// The authorization, signature, transport and deployment entries, in that order.
fn standard_entries(options: &CreateOptions) -> Result<Vec<EntryInput>> {
    let standard = [
        (
            &options.authorization,
            "authorization",
            "authorization",
            "sds.authorization",
            "Deployment authorization envelope.",
        ),
        (
            &options.signature,
            "signature",
            "signature",
            "sds.signature",
            "Detached signature payload.",
        ),
        (
            &options.transport_envelope,
            "transport",
            "transport",
            "sds.transport",
            "Transport envelope metadata.",
        ),
    ];
    let mut entries = Vec::new();
    for (payload, id, role, section, description) in standard {
        let Some(bytes) = payload.as_ref().and_then(standard_payload).transpose()? else {
            continue;
        };
        entries.push(EntryInput {
            entry_id: Some(json!(id)),
            role: Some(json!(role)),
            section_name: Some(json!(section)),
            payload_encoding: Some(json!("json-utf8")),
            media_type: Some(json!("application/json")),
            payload: Some(Payload::Bytes(bytes)),
            description: Some(json!(description)),
            ..EntryInput::default()
        });
    }
    if let Some(plan) = &options.deployment_plan {
        entries.push(super::deployment_entry(plan)?);
    }
    Ok(entries)
}

/// `normalizeJsonPayload`: `null` → no entry; bytes verbatim; text as its UTF-8 bytes (not
/// quoted); any other value as canonical JSON.
fn standard_payload(payload: &Payload) -> Option<Result<Vec<u8>>> {
    match payload {
        Payload::Bytes(bytes) => Some(Ok(bytes.clone())),
        Payload::Json(Value::Null) => None,
        Payload::Json(Value::String(text)) => Some(Ok(text.as_bytes().to_vec())),
        Payload::Json(value) => Some(canonical_bytes(value)),
    }
}

/// The payload resolution of `withSha256` (7.3.3): bytes verbatim; otherwise canonical JSON
/// when the encoding is exactly `json-utf8` or 2 (an absent payload then gives no bytes,
/// as `TextEncoder.encode(undefined)` does); otherwise rejected.
fn resolve_payload(entry: &EntryInput) -> Result<Vec<u8>> {
    match &entry.payload {
        Some(Payload::Bytes(bytes)) => Ok(bytes.clone()),
        payload if is_exact_json_encoding(entry.payload_encoding.as_ref()) => match payload {
            Some(Payload::Json(value)) => canonical_bytes(value),
            _ => Ok(Vec::new()),
        },
        _ => {
            let id = optional_text(entry.entry_id.as_ref())
                .unwrap_or_else(|| to_js_string(&Value::Null));
            Err(Error::new(
                ErrorCode::BundleInvalidPayload,
                format!(
                    "entry \"{id}\" payload must be a Uint8Array, ArrayBufferView, or ArrayBuffer."
                ),
            ))
        }
    }
}
