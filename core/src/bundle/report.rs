//! JSON renderings of a parse: the `parsed.json` shape of the differential vectors (shared by
//! the CLI's `inspect` and the conformance runner) and the `expected.json` summary of spec 10.2.
//! Stored strings appear as the reference's reader returns them: one leading BOM dropped
//! ([`reference_text`]); the typed bundle keeps the stored text.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::model::{BundleEntry, encoding, role};
use super::parse::{DecodedPayload, Parsed, ParsedEntry};
use crate::fbs::{TypeRef, reference_opt_text, reference_text, type_ref_to_json};

/// The parse of a single-file module as every front end reports it (`inspect --json`,
/// `sdm_bundle_inspect`, bindings): the `N.parsed.json` shape of the differential vectors
/// (`vectors/differential/README.md`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "ParsedBundle")]
pub struct ParsedBundleView {
    pub bundle_section_name: Option<String>,
    pub bundle_version: u16,
    pub module_format: Option<String>,
    pub canonicalization: Option<CanonicalizationView>,
    pub manifest_export_symbol: Option<String>,
    pub manifest_size_symbol: Option<String>,
    /// Recomputed from the module.
    pub canonical_module_hash_hex: String,
    /// As stored in the bundle.
    pub stored_canonical_module_hash_hex: String,
    pub manifest_hash_hex: String,
    /// The manifest's `pluginId` (any JSON value, as the manifest holds it), or null.
    pub plugin_id: Value,
    pub bundle_sha256_hex: String,
    pub bundle_byte_length: usize,
    pub custom_sections: Vec<String>,
    pub deployment_plan_present: bool,
    pub entries: Vec<ParsedEntryView>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CanonicalizationView {
    pub version: u16,
    pub stripped_custom_section_prefix: Option<String>,
    pub bundle_section_name: Option<String>,
    pub hash_algorithm: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParsedEntryView {
    pub entry_id: String,
    pub section_name: Option<String>,
    pub media_type: Option<String>,
    pub description: Option<String>,
    pub role: String,
    pub role_value: u8,
    pub payload_encoding: String,
    pub payload_encoding_value: u8,
    pub flags: u32,
    /// The FlatBuffer type reference (`FlatBufferTypeRef` JSON), or null.
    pub type_ref: Value,
    pub payload_length: usize,
    pub payload_sha256_hex: String,
    /// As stored in the bundle.
    pub sha256_hex: String,
    /// `json-utf8` entries only: whether the payload parsed as JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoded_json_valid: Option<bool>,
    /// `json-utf8` entries only: the parsed payload (null when it did not parse).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoded_json: Option<Value>,
    /// Manifest entries only: the decoded manifest's `pluginId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoded_manifest_plugin_id: Option<Value>,
}

/// The typed view of a parse (see [`ParsedBundleView`]).
pub fn parsed_view(parsed: &Parsed) -> ParsedBundleView {
    let bundle = &parsed.bundle;
    let rule = bundle.canonicalization.as_ref();
    ParsedBundleView {
        bundle_section_name: rule.and_then(|r| text(&r.bundle_section_name)),
        bundle_version: bundle.bundle_version_or_default(),
        module_format: text(&bundle.module_format),
        canonicalization: rule.map(|r| CanonicalizationView {
            version: r.version_or_default(),
            stripped_custom_section_prefix: text(&r.stripped_custom_section_prefix),
            bundle_section_name: text(&r.bundle_section_name),
            hash_algorithm: text(&r.hash_algorithm),
        }),
        manifest_export_symbol: text(&bundle.manifest_export_symbol),
        manifest_size_symbol: text(&bundle.manifest_size_symbol),
        canonical_module_hash_hex: parsed.canonical_module_hash_hex(),
        stored_canonical_module_hash_hex: hex::encode(&bundle.canonical_module_hash),
        manifest_hash_hex: hex::encode(&bundle.manifest_hash),
        plugin_id: plugin_id(parsed.manifest.as_ref()),
        bundle_sha256_hex: hex::encode(Sha256::digest(&parsed.bundle_bytes)),
        bundle_byte_length: parsed.bundle_bytes.len(),
        custom_sections: parsed
            .custom_sections
            .iter()
            .map(|s| s.name.clone())
            .collect(),
        deployment_plan_present: deployment_plan_present(parsed),
        entries: parsed.entries.iter().map(parsed_entry_view).collect(),
    }
}

/// Stored text as the reference's decoder returns it (a leading U+FEFF dropped).
fn text(stored: &Option<String>) -> Option<String> {
    reference_opt_text(stored).map(str::to_owned)
}

/// [`parsed_view`] as JSON.
pub fn parsed_json(parsed: &Parsed) -> Value {
    // Strings, numbers and JSON values only: serialization cannot fail.
    serde_json::to_value(parsed_view(parsed)).unwrap_or(Value::Null)
}

/// Whether the reference's `deploymentPlan` is non-null. This includes its quirk: a
/// `json-utf8` deployment entry whose payload is not valid JSON yields the raw bytes as the
/// "plan" (the typed [`Parsed::deployment_plan`] treats that as none).
pub fn deployment_plan_present(parsed: &Parsed) -> bool {
    parsed.deployment_entry().is_some_and(|entry| {
        entry.entry.payload_encoding_or_default() == encoding::JSON_UTF8
            && match &entry.decoded {
                DecodedPayload::Json(value) => value.is_object() || value.is_array(),
                DecodedPayload::Bytes => true,
            }
    })
}

fn plugin_id(manifest: Option<&Value>) -> Value {
    manifest
        .and_then(|m| m.get("pluginId"))
        .cloned()
        .unwrap_or(Value::Null)
}

fn parsed_entry_view(parsed: &ParsedEntry) -> ParsedEntryView {
    let entry = &parsed.entry;
    let json_entry = entry.payload_encoding_or_default() == encoding::JSON_UTF8;
    let (valid, value) = match &parsed.decoded {
        DecodedPayload::Json(value) => (true, value.clone()),
        DecodedPayload::Bytes => (false, Value::Null),
    };
    ParsedEntryView {
        entry_id: reference_text(&entry.entry_id).to_owned(),
        section_name: text(&entry.section_name),
        media_type: text(&entry.media_type),
        description: text(&entry.description),
        role: entry.role_name().to_owned(),
        role_value: entry.role_or_default(),
        payload_encoding: entry.encoding_name().to_owned(),
        payload_encoding_value: entry.payload_encoding_or_default(),
        flags: entry.flags_or_default(),
        type_ref: entry
            .type_ref
            .as_ref()
            .map_or(Value::Null, type_ref_to_json),
        payload_length: entry.payload.len(),
        payload_sha256_hex: hex::encode(Sha256::digest(&entry.payload)),
        sha256_hex: hex::encode(&entry.sha256),
        decoded_json_valid: json_entry.then_some(valid),
        decoded_json: json_entry.then_some(value),
        decoded_manifest_plugin_id: parsed
            .decoded_manifest
            .as_ref()
            .map(|manifest| plugin_id(manifest.as_ref())),
    }
}

/// The summary of spec 10.2 (`vectors/single-file-bundle/expected.json`).
///
/// `base_module` is the module given to create (the reference computes
/// `baseModuleSha256Hex` from it); `module` is the bundled module that was parsed.
pub fn summary_json(parsed: &Parsed, base_module: &[u8], module: &[u8]) -> Value {
    let bundle = &parsed.bundle;
    json!({
        "bundleSectionName": bundle.canonicalization.as_ref().and_then(|r| reference_opt_text(&r.bundle_section_name)),
        "baseModuleSha256Hex": hex::encode(Sha256::digest(base_module)),
        "bundleSha256Hex": hex::encode(Sha256::digest(&parsed.bundle_bytes)),
        "bundledModuleSha256Hex": hex::encode(Sha256::digest(module)),
        "canonicalModuleHashHex": hex::encode(&bundle.canonical_module_hash),
        "manifestHashHex": hex::encode(&bundle.manifest_hash),
        "manifestPluginId": plugin_id(parsed.manifest.as_ref()),
        "entryIds": bundle.entries.iter().map(|e| reference_text(&e.entry_id)).collect::<Vec<_>>(),
        "entries": parsed.entries.iter().map(summary_entry_json).collect::<Vec<_>>(),
    })
}

fn summary_entry_json(parsed: &ParsedEntry) -> Value {
    let entry: &BundleEntry = &parsed.entry;
    let decoded_payload = match entry.payload_encoding_or_default() {
        encoding::RAW_BYTES => json!(entry.payload),
        encoding::JSON_UTF8 => match &parsed.decoded {
            DecodedPayload::Json(value) => value.clone(),
            DecodedPayload::Bytes => json!(entry.payload),
        },
        _ => Value::Null,
    };
    let is_manifest = entry.role_or_default() == role::MANIFEST
        && entry.payload_encoding_or_default() == encoding::FLATBUFFER;
    json!({
        "entryId": reference_text(&entry.entry_id),
        "role": entry.role_name(),
        "payloadEncoding": entry.encoding_name(),
        "sectionName": reference_opt_text(&entry.section_name),
        "payloadLength": entry.payload.len(),
        "payloadSha256Hex": hex::encode(&entry.sha256),
        "typeRef": entry.type_ref.as_ref().map_or(Value::Null, compact_type_ref),
        "decodedPayload": decoded_payload,
        "decodedManifestPluginId": if is_manifest { plugin_id(parsed.decoded_manifest.clone().flatten().as_ref()) } else { Value::Null },
    })
}

/// The 10.2 type-ref form: only non-default members, in schema order.
fn compact_type_ref(t: &TypeRef) -> Value {
    let mut out = Map::new();
    if let Some(name) = reference_opt_text(&t.schema_name) {
        out.insert("schemaName".into(), json!(name));
    }
    if let Some(id) = reference_opt_text(&t.file_identifier) {
        out.insert("fileIdentifier".into(), json!(id));
    }
    if !t.schema_hash.is_empty() {
        out.insert("schemaHashHex".into(), json!(hex::encode(&t.schema_hash)));
    }
    if t.accepts_any_flatbuffer {
        out.insert("acceptsAnyFlatbuffer".into(), json!(true));
    }
    if t.is_aligned_binary() {
        out.insert("wireFormat".into(), json!("aligned-binary"));
    }
    if let Some(name) = reference_opt_text(&t.root_type_name).filter(|n| !n.is_empty()) {
        out.insert("rootTypeName".into(), json!(name));
    }
    for (key, value) in [
        (
            "fixedStringLength",
            u32::from(t.fixed_string_length_or_default()),
        ),
        ("byteLength", t.byte_length_or_default()),
        (
            "requiredAlignment",
            u32::from(t.required_alignment_or_default()),
        ),
    ] {
        if value != 0 {
            out.insert(key.into(), json!(value));
        }
    }
    Value::Object(out)
}
