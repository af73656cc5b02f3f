//! Format operations: manifest encode/decode, compliance check, bundle create/inspect.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::caps;
use crate::bundle::report::ParsedBundleView;
use crate::bundle::{self, CreateOptions, ManifestInput, ParseOptions, Payload};
use crate::compliance::{
    self, ArtifactExports, ArtifactOptions, CheckReport, ManifestOptions, StandardsCatalog,
};
use crate::{Error, ErrorCode, Result};

/// A manifest in its `PMAN` FlatBuffer form, with what normalization dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedManifest {
    pub bytes: Vec<u8>,
    /// The reference's normalization warnings (spec 4.4), in its order and wording.
    pub warnings: Vec<String>,
}

/// Parses manifest JSON text under the one manifest cap. The manifest stays raw JSON: the
/// reference coerces its fields with JavaScript rules (`Number()`, truthiness), so a typed
/// model would change which inputs are accepted.
pub fn parse_manifest_json(text: &str) -> Result<Value> {
    caps::check_len("manifest JSON", text.len(), caps::MANIFEST_JSON_BYTES)?;
    compliance::parse_manifest_text(text)
}

/// [`parse_manifest_json`] for bytes that must be UTF-8.
pub fn parse_manifest_bytes(bytes: &[u8]) -> Result<Value> {
    parse_manifest_json(caps::text(
        "manifest JSON",
        bytes,
        caps::MANIFEST_JSON_BYTES,
    )?)
}

/// Encodes manifest JSON text to its `PMAN` FlatBuffer, byte-identical to the reference.
pub fn encode_manifest(manifest_json: &str) -> Result<EncodedManifest> {
    let encoded = crate::manifest::encode_json(&parse_manifest_json(manifest_json)?)?;
    Ok(EncodedManifest {
        bytes: encoded.bytes,
        warnings: encoded.warnings,
    })
}

/// Decodes (and verifies) a `PMAN` FlatBuffer to the reference's decoded-manifest JSON.
pub fn decode_manifest(flatbuffer: &[u8]) -> Result<Value> {
    caps::check_len(
        "manifest FlatBuffer",
        flatbuffer.len(),
        caps::MANIFEST_FLATBUFFER_BYTES,
    )?;
    crate::manifest::decode_to_json(flatbuffer)
}

/// What [`check`] validates.
#[derive(Debug, Clone, Default)]
pub struct CheckRequest<'a> {
    pub manifest_json: &'a str,
    /// The module the manifest describes: its exports are checked too.
    pub wasm: Option<&'a [u8]>,
    /// Also warn about type references the shipped standards catalog does not know.
    pub standards: bool,
    /// Root of every location (default `"manifest"`; the CLI passes the file path).
    pub manifest_name: Option<String>,
    /// Location of export issues (the CLI passes the wasm path).
    pub wasm_name: Option<String>,
}

/// Validates a manifest (and the exports of its module): the compliance report. A
/// non-compliant manifest is a report with `ok: false`, not an error; an invalid module is
/// `wasm-invalid`.
pub fn check(request: &CheckRequest<'_>) -> Result<CheckReport> {
    let manifest = parse_manifest_json(request.manifest_json)?;
    let catalog = StandardsCatalog::builtin();
    let report = match request.wasm {
        Some(wasm) => {
            caps::check_len("wasm", wasm.len(), caps::MODULE_BYTES)?;
            let options = ArtifactOptions {
                source_name: None,
                manifest_path: request.manifest_name.clone(),
                wasm_path: request.wasm_name.clone(),
            };
            let exports = ArtifactExports::Wasm(wasm);
            if request.standards {
                compliance::validate_artifact_with_standards(&manifest, exports, &options, catalog)?
            } else {
                compliance::validate_artifact(&manifest, exports, &options)?
            }
        }
        None => {
            let options = ManifestOptions {
                source_name: request.manifest_name.clone(),
            };
            if request.standards {
                compliance::validate_manifest_with_standards(&manifest, &options, catalog)
            } else {
                compliance::validate_manifest(&manifest, &options)
            }
        }
    };
    Ok(report.check_report())
}

/// Options of [`create_bundle`] beyond the module and its manifest (all optional; JSON
/// documents as text).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleOptions {
    /// Authorization envelope JSON (stored as canonical JSON).
    pub authorization_json: Option<String>,
    /// Deployment plan JSON (normalized, stored as the `deployment-plan` entry).
    pub deployment_plan_json: Option<String>,
    /// Name of the custom section carrying the bundle (default `sds.bundle`).
    pub bundle_section_name: Option<String>,
    /// Prefix of the custom sections stripped before hashing (default `sds.`).
    pub strip_prefix: Option<String>,
    /// `ModuleBundle.module_format` (default `space-data-module`).
    pub module_format: Option<String>,
}

/// A created bundle: the bundled module and its summary.
#[derive(Debug, Clone)]
pub struct CreatedBundle {
    pub wasm: Vec<u8>,
    pub summary: BundleSummary,
}

/// What a bundle creation reports (`bundle --json`, bindings).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "BundleSummary")]
pub struct BundleSummary {
    pub output_bytes: usize,
    pub output_sha256_hex: String,
    pub bundle_bytes: usize,
    pub bundle_sha256_hex: String,
    pub canonical_module_hash_hex: String,
    /// Empty when the bundle has no manifest entry.
    pub manifest_hash_hex: String,
    pub entry_ids: Vec<String>,
}

/// Embeds an `sds.bundle` section holding the manifest (and the optional entries) into
/// `wasm`; existing `sds.*` sections are replaced.
pub fn create_bundle(
    wasm: &[u8],
    manifest_json: &str,
    options: &BundleOptions,
) -> Result<CreatedBundle> {
    caps::check_len("wasm", wasm.len(), caps::MODULE_BYTES)?;
    let json_document = |what: &str, text: &Option<String>| -> Result<Option<Value>> {
        text.as_deref()
            .map(|text| {
                caps::check_len(what, text.len(), caps::JSON_DOCUMENT_BYTES)?;
                crate::js::parse_json(text).map_err(|err| err.context(what))
            })
            .transpose()
    };
    let create = CreateOptions {
        wasm: wasm.to_vec(),
        manifest: ManifestInput::Json(parse_manifest_json(manifest_json)?),
        authorization: json_document("authorization", &options.authorization_json)?
            .map(Payload::Json),
        deployment_plan: json_document("deployment plan", &options.deployment_plan_json)?,
        bundle_section_name: options.bundle_section_name.clone(),
        custom_section_prefix: options.strip_prefix.clone(),
        module_format: options.module_format.clone(),
        ..CreateOptions::default()
    };
    create_bundle_from(&create)
}

/// [`create_bundle`] with every option of the core's bundle input (the CLI's entry specs).
pub fn create_bundle_from(options: &CreateOptions) -> Result<CreatedBundle> {
    caps::check_len("wasm", options.wasm.len(), caps::MODULE_BYTES)?;
    let created = bundle::create(options)?;
    let summary = BundleSummary {
        output_bytes: created.wasm.len(),
        output_sha256_hex: hex::encode(Sha256::digest(&created.wasm)),
        bundle_bytes: created.bundle_bytes.len(),
        bundle_sha256_hex: hex::encode(Sha256::digest(&created.bundle_bytes)),
        canonical_module_hash_hex: created.canonical_module_hash_hex(),
        manifest_hash_hex: if created.manifest_hash.is_empty() {
            String::new()
        } else {
            created.manifest_hash_hex()
        },
        entry_ids: created
            .bundle
            .entries
            .iter()
            .map(|e| e.entry_id.clone())
            .collect(),
    };
    Ok(CreatedBundle {
        wasm: created.wasm,
        summary,
    })
}

/// Options of [`inspect`].
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InspectOptions {
    /// Also recompute every stored hash.
    #[serde(default)]
    pub verify: bool,
    /// Custom section to read the bundle from (default `sds.bundle`).
    pub bundle_section_name: Option<String>,
}

/// What `inspect` reports: the parse, and with `verify` the hash check.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "InspectReport")]
pub struct InspectReport {
    #[serde(flatten)]
    pub parsed: ParsedBundleView,
    /// With `verify`: true when every stored hash matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// With `verify`: every hash that does not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mismatches: Option<Vec<HashMismatch>>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HashMismatch {
    pub field: String,
    pub computed: String,
    pub stored: String,
}

/// Parses a single-file module (wasm, optionally with a publication trailer) and reports its
/// bundle; with `verify`, every stored hash is recomputed. A mismatch is reported
/// (`verified: false`), not an error.
pub fn inspect(module: &[u8], options: &InspectOptions) -> Result<InspectReport> {
    caps::check_len("module", module.len(), caps::MODULE_BYTES)?;
    let parsed = bundle::parse(
        module,
        &ParseOptions {
            bundle_section_name: options.bundle_section_name.clone(),
        },
    )?;
    let mismatches = options.verify.then(|| {
        bundle::check_hashes(&parsed)
            .into_iter()
            .map(|m| HashMismatch {
                field: m.field.to_string(),
                computed: m.expected,
                stored: m.stored,
            })
            .collect::<Vec<_>>()
    });
    Ok(InspectReport {
        parsed: bundle::report::parsed_view(&parsed),
        verified: mismatches.as_ref().map(Vec::is_empty),
        mismatches,
    })
}

/// A bundle's parse only, as [`inspect`] without `verify`.
pub fn parse_bundle(module: &[u8]) -> Result<ParsedBundleView> {
    inspect(module, &InspectOptions::default()).map(|report| report.parsed)
}

/// Fails with `bundle-hash-mismatch` unless every stored hash of the module's bundle matches.
pub fn verify_bundle(module: &[u8]) -> Result<ParsedBundleView> {
    let report = inspect(
        module,
        &InspectOptions {
            verify: true,
            bundle_section_name: None,
        },
    )?;
    match report.mismatches.as_deref() {
        Some([first, ..]) => Err(Error::new(
            ErrorCode::BundleHashMismatch,
            format!(
                "{}: computed {}, stored {}",
                first.field, first.computed, first.stored
            ),
        )),
        _ => Ok(report.parsed),
    }
}
