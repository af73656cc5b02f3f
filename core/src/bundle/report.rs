//! JSON renderings of a parse: the `parsed.json` shape of the differential vectors (shared by
//! the CLI's `inspect` and the conformance runner) and the `expected.json` summary of spec 10.2.
//! Stored strings appear as the reference's reader returns them: one leading BOM dropped
//! ([`reference_text`]); the typed bundle keeps the stored text.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::model::{BundleEntry, encoding, role};
use super::parse::{DecodedPayload, Parsed, ParsedEntry};
use crate::fbs::{TypeRef, reference_opt_text, reference_text, type_ref_to_json};

/// The `N.parsed.json` shape (`vectors/differential/README.md`).
pub fn parsed_json(parsed: &Parsed) -> Value {
    let bundle = &parsed.bundle;
    let rule = bundle.canonicalization.as_ref();
    json!({
        "bundleSectionName": rule.and_then(|r| reference_opt_text(&r.bundle_section_name)),
        "bundleVersion": bundle.bundle_version_or_default(),
        "moduleFormat": reference_opt_text(&bundle.module_format),
        "canonicalization": rule.map(|r| json!({
            "version": r.version_or_default(),
            "strippedCustomSectionPrefix": reference_opt_text(&r.stripped_custom_section_prefix),
            "bundleSectionName": reference_opt_text(&r.bundle_section_name),
            "hashAlgorithm": reference_opt_text(&r.hash_algorithm),
        })),
        "manifestExportSymbol": reference_opt_text(&bundle.manifest_export_symbol),
        "manifestSizeSymbol": reference_opt_text(&bundle.manifest_size_symbol),
        "canonicalModuleHashHex": parsed.canonical_module_hash_hex(),
        "storedCanonicalModuleHashHex": hex::encode(&bundle.canonical_module_hash),
        "manifestHashHex": hex::encode(&bundle.manifest_hash),
        "pluginId": plugin_id(parsed.manifest.as_ref()),
        "bundleSha256Hex": hex::encode(Sha256::digest(&parsed.bundle_bytes)),
        "bundleByteLength": parsed.bundle_bytes.len(),
        "customSections": parsed.custom_sections.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
        "deploymentPlanPresent": deployment_plan_present(parsed),
        "entries": parsed.entries.iter().map(parsed_entry_json).collect::<Vec<_>>(),
    })
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

fn parsed_entry_json(parsed: &ParsedEntry) -> Value {
    let entry = &parsed.entry;
    let mut out = Map::new();
    out.insert("entryId".into(), json!(reference_text(&entry.entry_id)));
    out.insert(
        "sectionName".into(),
        json!(reference_opt_text(&entry.section_name)),
    );
    out.insert(
        "mediaType".into(),
        json!(reference_opt_text(&entry.media_type)),
    );
    out.insert(
        "description".into(),
        json!(reference_opt_text(&entry.description)),
    );
    out.insert("role".into(), json!(entry.role_name()));
    out.insert("roleValue".into(), json!(entry.role_or_default()));
    out.insert("payloadEncoding".into(), json!(entry.encoding_name()));
    out.insert(
        "payloadEncodingValue".into(),
        json!(entry.payload_encoding_or_default()),
    );
    out.insert("flags".into(), json!(entry.flags_or_default()));
    out.insert(
        "typeRef".into(),
        entry
            .type_ref
            .as_ref()
            .map_or(Value::Null, type_ref_to_json),
    );
    out.insert("payloadLength".into(), json!(entry.payload.len()));
    out.insert(
        "payloadSha256Hex".into(),
        json!(hex::encode(Sha256::digest(&entry.payload))),
    );
    out.insert("sha256Hex".into(), json!(hex::encode(&entry.sha256)));
    if entry.payload_encoding_or_default() == encoding::JSON_UTF8 {
        let (valid, value) = match &parsed.decoded {
            DecodedPayload::Json(value) => (true, value.clone()),
            DecodedPayload::Bytes => (false, Value::Null),
        };
        out.insert("decodedJsonValid".into(), json!(valid));
        out.insert("decodedJson".into(), value);
    }
    if let Some(manifest) = &parsed.decoded_manifest {
        out.insert(
            "decodedManifestPluginId".into(),
            plugin_id(manifest.as_ref()),
        );
    }
    Value::Object(out)
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
