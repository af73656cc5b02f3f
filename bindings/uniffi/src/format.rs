//! Format operations: manifest encode/decode, compliance check, bundle create / parse /
//! inspect / verify. JSON values the core keeps untyped (a decoded manifest, a type reference)
//! cross as JSON text; everything else is a typed record.

use serde_json::Value;
use space_data_module::api::{self, format as core};

use crate::error::{Result, guard};
use crate::json_text;

/// A manifest's `PMAN` FlatBuffer and the reference's normalization warnings.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EncodedManifest {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
}

/// Encodes manifest JSON text to its `PMAN` FlatBuffer, byte-identical to the reference.
#[uniffi::export]
pub fn encode_manifest(manifest_json: String) -> Result<EncodedManifest> {
    guard(|| {
        let encoded = core::encode_manifest(&manifest_json)?;
        Ok(EncodedManifest {
            bytes: encoded.bytes,
            warnings: encoded.warnings,
        })
    })
}

/// Decodes (and verifies) a `PMAN` FlatBuffer to the reference's decoded-manifest JSON text.
#[uniffi::export]
pub fn decode_manifest(flatbuffer: Vec<u8>) -> Result<String> {
    guard(|| Ok(json_text(&core::decode_manifest(&flatbuffer)?)))
}

/// One compliance finding.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CheckIssue {
    /// `"error"` or `"warning"`.
    pub severity: String,
    /// The stable rule code (docs/compliance.md), e.g. `"missing-plugin-id"`.
    pub code: String,
    /// A dotted path rooted at the manifest name, or the wasm name.
    pub location: String,
    pub message: Option<String>,
}

/// The compliance report: `ok` is false when an issue is an error.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CheckReport {
    pub ok: bool,
    pub issues: Vec<CheckIssue>,
}

impl From<api::CheckReport> for CheckReport {
    fn from(report: api::CheckReport) -> Self {
        let api::CheckReport { ok, issues } = report;
        CheckReport {
            ok,
            issues: issues
                .into_iter()
                .map(|issue| {
                    let api::IssueView {
                        severity,
                        code,
                        location,
                        message,
                    } = issue;
                    CheckIssue {
                        severity,
                        code,
                        location,
                        message,
                    }
                })
                .collect(),
        }
    }
}

/// Validates a manifest (and, given the module, its exports). Non-compliance is a report with
/// `ok == false`, not an error; an invalid module is `WASM_INVALID`.
#[uniffi::export(default(wasm = None, standards = false))]
pub fn check(manifest_json: String, wasm: Option<Vec<u8>>, standards: bool) -> Result<CheckReport> {
    guard(|| {
        let request = core::CheckRequest {
            manifest_json: &manifest_json,
            wasm: wasm.as_deref(),
            standards,
            manifest_name: None,
            wasm_name: None,
        };
        Ok(core::check(&request)?.into())
    })
}

/// Options of [`create_bundle`]; every member optional (JSON documents as text).
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct BundleOptions {
    /// Authorization envelope JSON (stored as canonical JSON).
    #[uniffi(default)]
    pub authorization_json: Option<String>,
    /// Deployment plan JSON (normalized, stored as the `deployment-plan` entry).
    #[uniffi(default)]
    pub deployment_plan_json: Option<String>,
    /// Custom section carrying the bundle (default `sds.bundle`).
    #[uniffi(default)]
    pub bundle_section_name: Option<String>,
    /// Prefix of the custom sections stripped before hashing (default `sds.`).
    #[uniffi(default)]
    pub strip_prefix: Option<String>,
    /// `ModuleBundle.module_format` (default `space-data-module`).
    #[uniffi(default)]
    pub module_format: Option<String>,
}

/// What a bundle creation reports.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BundleSummary {
    pub output_bytes: u64,
    pub output_sha256_hex: String,
    pub bundle_bytes: u64,
    pub bundle_sha256_hex: String,
    pub canonical_module_hash_hex: String,
    /// Empty when the bundle has no manifest entry.
    pub manifest_hash_hex: String,
    pub entry_ids: Vec<String>,
}

/// The bundled module and its summary.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CreatedBundle {
    pub wasm: Vec<u8>,
    pub summary: BundleSummary,
}

/// Embeds an `sds.bundle` section holding the manifest (and the optional entries) into the
/// module; existing `sds.*` sections are replaced.
#[uniffi::export(default(options))]
pub fn create_bundle(
    wasm: Vec<u8>,
    manifest_json: String,
    options: BundleOptions,
) -> Result<CreatedBundle> {
    guard(|| {
        let options = core::BundleOptions {
            authorization_json: options.authorization_json,
            deployment_plan_json: options.deployment_plan_json,
            bundle_section_name: options.bundle_section_name,
            strip_prefix: options.strip_prefix,
            module_format: options.module_format,
        };
        let created = core::create_bundle(&wasm, &manifest_json, &options)?;
        let core::BundleSummary {
            output_bytes,
            output_sha256_hex,
            bundle_bytes,
            bundle_sha256_hex,
            canonical_module_hash_hex,
            manifest_hash_hex,
            entry_ids,
        } = created.summary;
        Ok(CreatedBundle {
            wasm: created.wasm,
            summary: BundleSummary {
                output_bytes: output_bytes as u64,
                output_sha256_hex,
                bundle_bytes: bundle_bytes as u64,
                bundle_sha256_hex,
                canonical_module_hash_hex,
                manifest_hash_hex,
                entry_ids,
            },
        })
    })
}

/// The canonicalization rule a bundle declares.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Canonicalization {
    pub version: u16,
    pub stripped_custom_section_prefix: Option<String>,
    pub bundle_section_name: Option<String>,
    pub hash_algorithm: Option<String>,
}

/// One bundle entry.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BundleEntry {
    pub entry_id: String,
    pub section_name: Option<String>,
    pub media_type: Option<String>,
    pub description: Option<String>,
    pub role: String,
    pub role_value: u8,
    pub payload_encoding: String,
    pub payload_encoding_value: u8,
    pub flags: u32,
    /// The FlatBuffer type reference as JSON text (`"null"` when absent).
    pub type_ref_json: String,
    pub payload_length: u64,
    pub payload_sha256_hex: String,
    /// As stored in the bundle.
    pub sha256_hex: String,
    /// `json-utf8` entries only: whether the payload parsed as JSON.
    pub decoded_json_valid: Option<bool>,
    /// `json-utf8` entries only: the parsed payload as JSON text.
    pub decoded_json: Option<String>,
    /// Manifest entries only: the decoded manifest's `pluginId` as JSON text.
    pub decoded_manifest_plugin_id_json: Option<String>,
}

/// The parse of a single-file module (the `N.parsed.json` shape of the differential vectors).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ParsedBundle {
    pub bundle_section_name: Option<String>,
    pub bundle_version: u16,
    pub module_format: Option<String>,
    pub canonicalization: Option<Canonicalization>,
    pub manifest_export_symbol: Option<String>,
    pub manifest_size_symbol: Option<String>,
    /// Recomputed from the module.
    pub canonical_module_hash_hex: String,
    /// As stored in the bundle.
    pub stored_canonical_module_hash_hex: String,
    pub manifest_hash_hex: String,
    /// The manifest's `pluginId` when it is a string.
    pub plugin_id: Option<String>,
    /// The manifest's `pluginId` as JSON text (any JSON value, `"null"` when absent).
    pub plugin_id_json: String,
    pub bundle_sha256_hex: String,
    pub bundle_byte_length: u64,
    pub custom_sections: Vec<String>,
    pub deployment_plan_present: bool,
    pub entries: Vec<BundleEntry>,
    /// The whole parse as JSON text (`docs/schemas/parsed-bundle.schema.json`).
    pub json: String,
}

impl From<api::views::ParsedBundleView> for ParsedBundle {
    fn from(view: api::views::ParsedBundleView) -> Self {
        let json = serde_json::to_string(&view).unwrap_or_default();
        let api::views::ParsedBundleView {
            bundle_section_name,
            bundle_version,
            module_format,
            canonicalization,
            manifest_export_symbol,
            manifest_size_symbol,
            canonical_module_hash_hex,
            stored_canonical_module_hash_hex,
            manifest_hash_hex,
            plugin_id,
            bundle_sha256_hex,
            bundle_byte_length,
            custom_sections,
            deployment_plan_present,
            entries,
        } = view;
        ParsedBundle {
            bundle_section_name,
            bundle_version,
            module_format,
            canonicalization: canonicalization.map(|rule| {
                let api::views::CanonicalizationView {
                    version,
                    stripped_custom_section_prefix,
                    bundle_section_name,
                    hash_algorithm,
                } = rule;
                Canonicalization {
                    version,
                    stripped_custom_section_prefix,
                    bundle_section_name,
                    hash_algorithm,
                }
            }),
            manifest_export_symbol,
            manifest_size_symbol,
            canonical_module_hash_hex,
            stored_canonical_module_hash_hex,
            manifest_hash_hex,
            plugin_id: plugin_id.as_str().map(str::to_owned),
            plugin_id_json: json_text(&plugin_id),
            bundle_sha256_hex,
            bundle_byte_length: bundle_byte_length as u64,
            custom_sections,
            deployment_plan_present,
            entries: entries.into_iter().map(BundleEntry::from).collect(),
            json,
        }
    }
}

impl From<api::views::ParsedEntryView> for BundleEntry {
    fn from(view: api::views::ParsedEntryView) -> Self {
        let api::views::ParsedEntryView {
            entry_id,
            section_name,
            media_type,
            description,
            role,
            role_value,
            payload_encoding,
            payload_encoding_value,
            flags,
            type_ref,
            payload_length,
            payload_sha256_hex,
            sha256_hex,
            decoded_json_valid,
            decoded_json,
            decoded_manifest_plugin_id,
        } = view;
        BundleEntry {
            entry_id,
            section_name,
            media_type,
            description,
            role,
            role_value,
            payload_encoding,
            payload_encoding_value,
            flags,
            type_ref_json: json_text(&type_ref),
            payload_length: payload_length as u64,
            payload_sha256_hex,
            sha256_hex,
            decoded_json_valid,
            decoded_json: decoded_json.as_ref().map(json_text),
            decoded_manifest_plugin_id_json: decoded_manifest_plugin_id.as_ref().map(json_text),
        }
    }
}

/// A stored hash that does not match.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HashMismatch {
    pub field: String,
    pub computed: String,
    pub stored: String,
}

/// `inspect`: the parse and, with `verify`, the hash check.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InspectReport {
    pub parsed: ParsedBundle,
    /// With `verify`: true when every stored hash matches.
    pub verified: Option<bool>,
    /// With `verify`: every hash that does not match.
    pub mismatches: Option<Vec<HashMismatch>>,
}

/// Parses a single-file module's bundle (no hash check).
#[uniffi::export]
pub fn parse_bundle(module: Vec<u8>) -> Result<ParsedBundle> {
    guard(|| Ok(core::parse_bundle(&module)?.into()))
}

/// Parses a single-file module's bundle; with `verify`, recomputes every stored hash (a
/// mismatch is reported, not an error).
#[uniffi::export(default(verify = false, bundle_section_name = None))]
pub fn inspect(
    module: Vec<u8>,
    verify: bool,
    bundle_section_name: Option<String>,
) -> Result<InspectReport> {
    guard(|| {
        let report = core::inspect(
            &module,
            &core::InspectOptions {
                verify,
                bundle_section_name,
            },
        )?;
        Ok(InspectReport {
            parsed: report.parsed.into(),
            verified: report.verified,
            mismatches: report.mismatches.map(|list| {
                list.into_iter()
                    .map(|m| HashMismatch {
                        field: m.field,
                        computed: m.computed,
                        stored: m.stored,
                    })
                    .collect()
            }),
        })
    })
}

/// The parse, or `BUNDLE_HASH_MISMATCH` unless every stored hash matches.
#[uniffi::export]
pub fn verify_bundle(module: Vec<u8>) -> Result<ParsedBundle> {
    guard(|| Ok(core::verify_bundle(&module)?.into()))
}

/// Parses JSON text the way the core does for its JSON inputs (`INVALID_JSON` otherwise).
pub(crate) fn parse_json(what: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text)
        .map_err(|err| crate::SdmError::new(api::ErrorCode::InvalidJson, format!("{what}: {err}")))
}
