//! `validate_artifact`: the manifest rules plus the ABI exports the artifact must carry.

use serde_json::Value;

use super::codes::Code;
use super::manifest::manifest_issues;
use super::report::{Issue, Report};
use super::values::{as_array, prop};
use super::vocabulary::{
    COMMAND_EXPORT, DIRECT_INVOKE_EXPORTS, INVOKE_SURFACE_COMMAND, INVOKE_SURFACE_DIRECT,
    INVOKE_SURFACES, MANIFEST_EXPORTS,
};
use super::{ArtifactExports, ArtifactOptions};
use crate::{Error, ErrorCode, Result};

/// Validates a manifest together with the exports of its artifact.
///
/// With [`ArtifactExports::Wasm`] the module is validated as WebAssembly (the reference
/// compiles it) and its export names are read; an invalid module is an `Err` with
/// [`ErrorCode::WasmInvalid`], as the reference throws. Without exports the report carries
/// the `artifact-abi-not-checked` warning instead of the export checks. Export issues are
/// located at `options.wasm_path`, else at the source name.
pub fn validate_artifact(
    manifest: &Value,
    exports: ArtifactExports<'_>,
    options: &ArtifactOptions,
) -> Result<Report> {
    let source = options.source_name();
    let mut issues = manifest_issues(manifest, source);
    let export_names = match exports {
        ArtifactExports::NotChecked => None,
        ArtifactExports::Names(names) => Some(names.to_vec()),
        ArtifactExports::Wasm(bytes) => Some(wasm_export_names(bytes)?),
    };
    let checked_artifact = export_names.is_some();
    match &export_names {
        Some(names) => issues.extend(export_issues(
            manifest,
            names,
            options.wasm_path.as_deref().unwrap_or(source),
        )),
        None => issues.push(Issue::new(
            Code::ArtifactAbiNotChecked,
            source,
            "No WASM artifact or export list was provided, so ABI export checks were skipped.",
        )),
    }
    Ok(Report {
        source_name: source.to_owned(),
        issues,
        checked_artifact,
        export_names: export_names.unwrap_or_default(),
    })
}

/// The export names of a module after WebAssembly validation, sorted the way JavaScript's
/// default `sort()` orders strings (by UTF-16 code units).
pub fn wasm_export_names(bytes: &[u8]) -> Result<Vec<String>> {
    crate::wasm::validate::validate(bytes).map_err(|err| {
        Error::new(
            ErrorCode::WasmInvalid,
            format!("module does not compile: {err}"),
        )
    })?;
    let mut names = crate::wasm::exports::export_names(bytes)?;
    names.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    Ok(names)
}

fn export_issues(manifest: &Value, names: &[String], location: &str) -> Vec<Issue> {
    let has = |symbol: &str| names.iter().any(|name| name == symbol);
    // The invoke surfaces the manifest declares, unvalidated (invalid entries ignored).
    let surfaces: Vec<&str> = as_array(prop(Some(manifest), "invokeSurfaces"))
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .filter(|s| INVOKE_SURFACES.contains(s))
                .collect()
        })
        .unwrap_or_default();
    let mut issues = Vec::new();
    for symbol in MANIFEST_EXPORTS.iter().filter(|symbol| !has(symbol)) {
        issues.push(Issue::new(
            Code::MissingPluginManifestExport,
            location,
            format!("Plugin artifact is missing required export \"{symbol}\"."),
        ));
    }
    if surfaces.contains(&INVOKE_SURFACE_DIRECT) {
        for symbol in DIRECT_INVOKE_EXPORTS.iter().filter(|symbol| !has(symbol)) {
            issues.push(Issue::new(
                Code::MissingPluginInvokeExport,
                location,
                format!("Plugin artifact is missing required direct invoke export \"{symbol}\"."),
            ));
        }
    }
    if surfaces.contains(&INVOKE_SURFACE_COMMAND) && !has(COMMAND_EXPORT) {
        issues.push(Issue::new(
            Code::MissingPluginCommandExport,
            location,
            format!("Plugin artifact is missing required command export \"{COMMAND_EXPORT}\"."),
        ));
    }
    issues
}
