//! Runner for the `compliance/` layout: `N.input.json` says which validator to call on
//! `N.manifest.json` (with which source name, wasm file or export list); the report must
//! equal `N.report.json` (same `ok`, same issues in the same order; messages not compared).

use std::path::Path;

use serde_json::Value;

use super::{CaseOutcome, json_diff, numbered_cases, read, read_json};
use crate::compliance::{
    ArtifactExports, ArtifactOptions, ManifestOptions, Report, StandardsCatalog, validate_artifact,
    validate_artifact_with_standards, validate_manifest, validate_manifest_with_standards,
};
use crate::{Error, ErrorCode, Result};

/// A compliance layout directory starts with case 1: `1.input.json`, `1.manifest.json` and
/// `1.report.json`.
pub(crate) fn detect(dir: &Path) -> bool {
    ["1.input.json", "1.manifest.json", "1.report.json"]
        .iter()
        .all(|name| dir.join(name).is_file())
}

/// Runs every case of `dir`. A case whose files cannot be read or make no sense fails with
/// that reason; the other cases still run.
pub(crate) fn run(dir: &Path) -> Result<Vec<CaseOutcome>> {
    let catalog = match dir.join("standards-catalog.json") {
        path if path.is_file() => StandardsCatalog::from_json(&read_json(&path)?)?,
        _ => StandardsCatalog::builtin().clone(),
    };
    Ok(numbered_cases(dir, ".input.json")?
        .into_iter()
        .map(|case| {
            let failure = match run_case(dir, case, &catalog) {
                Ok(failure) => failure,
                Err(err) => Some(err.to_string()),
            };
            CaseOutcome {
                layout: "compliance",
                case: case.to_string(),
                failure,
            }
        })
        .collect())
}

fn run_case(dir: &Path, case: u64, catalog: &StandardsCatalog) -> Result<Option<String>> {
    let input = read_json(&dir.join(format!("{case}.input.json")))?;
    let expected = read_json(&dir.join(format!("{case}.report.json")))?;
    let report = run_input(dir, &input, catalog)?;
    Ok(json_diff(&expected, &report.to_vector_json()))
}

/// Calls the validator `input` names, resolving file names relative to `dir`.
pub fn run_input(dir: &Path, input: &Value, catalog: &StandardsCatalog) -> Result<Report> {
    let invalid = |why: &str| Error::new(ErrorCode::ComplianceInvalidCase, why.to_owned());
    let text = |key: &str| -> Result<Option<String>> {
        match input.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(&format!("{key} must be a string"))),
        }
    };
    let manifest_file =
        text("manifest")?.ok_or_else(|| invalid("manifest (a file name) is required"))?;
    let manifest = read_json(&dir.join(manifest_file))?;
    let validator = text("validator")?.ok_or_else(|| invalid("validator is required"))?;
    let source_name = text("sourceName")?;
    let wasm_path = text("wasmPath")?;
    // As in the reference: an export list wins over the wasm file; an empty path reads nothing.
    let export_names: Option<Vec<String>> = match input.get("exportNames") {
        Some(Value::Array(names)) => Some(
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect(),
        ),
        _ => None,
    };
    let wasm = match (&export_names, &wasm_path) {
        (None, Some(path)) if !crate::js::js_trim(path).is_empty() => Some(read(&dir.join(path))?),
        _ => None,
    };
    let exports = match (&export_names, &wasm) {
        (Some(names), _) => ArtifactExports::Names(names),
        (None, Some(bytes)) => ArtifactExports::Wasm(bytes),
        (None, None) => ArtifactExports::NotChecked,
    };
    let artifact_options = ArtifactOptions {
        source_name: source_name.clone(),
        manifest_path: text("manifestPath")?,
        wasm_path,
    };
    let manifest_options = ManifestOptions { source_name };
    match validator.as_str() {
        "validatePluginManifest" => Ok(validate_manifest(&manifest, &manifest_options)),
        "validateManifestWithStandards" => Ok(validate_manifest_with_standards(
            &manifest,
            &manifest_options,
            catalog,
        )),
        "validatePluginArtifact" => validate_artifact(&manifest, exports, &artifact_options),
        "validateArtifactWithStandards" => {
            validate_artifact_with_standards(&manifest, exports, &artifact_options, catalog)
        }
        other => Err(invalid(&format!("unknown validator {other:?}"))),
    }
}
