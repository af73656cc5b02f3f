//! `validate_manifest`: every manifest rule, in the reference's order.

use serde_json::Value;

use super::ManifestOptions;
use super::capabilities::validate_capabilities;
use super::codes::Code;
use super::fields::Issues;
use super::interfaces::validate_external_interfaces;
use super::methods::validate_methods;
use super::protocols::validate_protocols;
use super::report::Report;
use super::targets::{
    validate_invoke_surfaces, validate_runtime_targets, validate_standalone_wasi,
};
use super::timers::validate_timers;
use super::types::validate_allowed_type;
use super::values::{as_array, prop};

/// Validates a manifest as parsed from JSON (before any normalization).
///
/// The checks and their order: the value is an object; `pluginId`, `name`, `version`,
/// `pluginFamily`; `capabilities`; `runtimeTargets`; `invokeSurfaces`; `externalInterfaces`;
/// `methods` with their ports and type sets, then (only when `methods` is a non-empty array)
/// `timers` and `protocols`; the standalone-WASI rules; `schemasUsed`.
pub fn validate_manifest(manifest: &Value, options: &ManifestOptions) -> Report {
    let source = options.source_name();
    Report {
        source_name: source.to_owned(),
        issues: manifest_issues(manifest, source),
        checked_artifact: false,
        export_names: Vec::new(),
    }
}

pub(crate) fn manifest_issues(manifest: &Value, source: &str) -> Vec<super::Issue> {
    let mut issues = Issues::default();
    if !manifest.is_object() {
        issues.push(
            Code::InvalidManifest,
            source,
            "Manifest must be a JSON object.",
        );
        return issues.list;
    }
    let field = |key: &str| prop(Some(manifest), key);
    for key in ["pluginId", "name", "version", "pluginFamily"] {
        issues.string_field(field(key), format!("{source}.{key}"), key);
    }
    let declared = validate_capabilities(&mut issues, field("capabilities"), source);
    let declared = declared.as_ref();
    validate_runtime_targets(&mut issues, field("runtimeTargets"), declared, source);
    let surfaces = validate_invoke_surfaces(&mut issues, field("invokeSurfaces"), source);
    validate_external_interfaces(&mut issues, field("externalInterfaces"), declared, source);

    match as_array(field("methods")) {
        Some(methods) if !methods.is_empty() => {
            let lookup = validate_methods(&mut issues, methods, source);
            match field("timers") {
                None => {}
                Some(Value::Array(timers)) => {
                    validate_timers(&mut issues, timers, &lookup, declared, source)
                }
                Some(_) => issues.push(
                    Code::InvalidTimersArray,
                    format!("{source}.timers"),
                    "manifest.timers must be an array when present.",
                ),
            }
            match field("protocols") {
                None => {}
                Some(Value::Array(protocols)) => {
                    validate_protocols(&mut issues, protocols, &lookup, declared, source)
                }
                Some(_) => issues.push(
                    Code::InvalidProtocolsArray,
                    format!("{source}.protocols"),
                    "manifest.protocols must be an array when present.",
                ),
            }
        }
        _ => issues.push(
            Code::MissingMethods,
            format!("{source}.methods"),
            "manifest.methods must declare at least one method.",
        ),
    }

    validate_standalone_wasi(&mut issues, manifest, &surfaces, declared, source);

    match field("schemasUsed") {
        None => {}
        Some(Value::Array(types)) => {
            for (index, ty) in types.iter().enumerate() {
                validate_allowed_type(
                    &mut issues,
                    Some(ty),
                    &format!("{source}.schemasUsed[{index}]"),
                );
            }
        }
        Some(_) => issues.push(
            Code::InvalidSchemasUsedArray,
            format!("{source}.schemasUsed"),
            "manifest.schemasUsed must be an array when present.",
        ),
    }
    issues.list
}
