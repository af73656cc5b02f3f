//! Runtime targets, invoke surfaces and the standalone-WASI rules that tie them together.

use std::collections::HashSet;

use serde_json::Value;

use super::capabilities::Declared;
use super::codes::Code;
use super::fields::Issues;
use super::values::{as_array, non_empty_string, prop, template, template_or};
use super::vocabulary::{
    BROWSER_INCOMPATIBLE_CAPABILITIES, INVOKE_SURFACE_COMMAND, INVOKE_SURFACES,
    RUNTIME_TARGET_BROWSER, RUNTIME_TARGET_WASI, RUNTIME_TARGETS, STANDALONE_WASI_CAPABILITIES,
    TRANSPORT_WASI_PIPE,
};

/// Checks `manifest.runtimeTargets` (absent is fine) and, for the browser target, the
/// capabilities a browser cannot provide.
pub(crate) fn validate_runtime_targets(
    issues: &mut Issues,
    targets: Option<&Value>,
    declared: Option<&Declared<'_>>,
    source: &str,
) {
    let Some(targets) = targets else { return };
    let location = format!("{source}.runtimeTargets");
    let Value::Array(targets) = targets else {
        issues.push(
            Code::InvalidRuntimeTargets,
            location,
            "manifest.runtimeTargets must be an array of non-empty strings when present.",
        );
        return;
    };
    let mut seen: HashSet<&str> = HashSet::new();
    for target in targets {
        let Some(target) = non_empty_string(Some(target)) else {
            issues.push(
                Code::InvalidRuntimeTarget,
                location.clone(),
                "Runtime target entries must be non-empty strings.",
            );
            continue;
        };
        if !seen.insert(target) {
            issues.push(
                Code::DuplicateRuntimeTarget,
                location.clone(),
                format!("Runtime target \"{target}\" is declared more than once."),
            );
            continue;
        }
        if !RUNTIME_TARGETS.contains(&target) {
            issues.push(
                Code::NoncanonicalRuntimeTarget,
                location.clone(),
                format!("Runtime target \"{target}\" is not in the current canonical runtime target set."),
            );
        }
    }
    if let (true, Some(declared)) = (seen.contains(RUNTIME_TARGET_BROWSER), declared) {
        for capability in declared
            .iter()
            .filter(|c| BROWSER_INCOMPATIBLE_CAPABILITIES.contains(c))
        {
            issues.push(
                Code::CapabilityRuntimeConflict,
                format!("{source}.capabilities"),
                format!("Capability \"{capability}\" is not available in the canonical browser runtime target."),
            );
        }
    }
}

/// Checks `manifest.invokeSurfaces` (absent is fine) and returns the valid, distinct surfaces.
pub(crate) fn validate_invoke_surfaces<'a>(
    issues: &mut Issues,
    surfaces: Option<&'a Value>,
    source: &str,
) -> Vec<&'a str> {
    let Some(surfaces) = surfaces else {
        return Vec::new();
    };
    let location = format!("{source}.invokeSurfaces");
    let Value::Array(surfaces) = surfaces else {
        issues.push(
            Code::InvalidInvokeSurfaces,
            location,
            "manifest.invokeSurfaces must be an array of non-empty strings when present.",
        );
        return Vec::new();
    };
    let mut normalized: Vec<&str> = Vec::new();
    for surface in surfaces {
        let Some(surface) = non_empty_string(Some(surface)) else {
            issues.push(
                Code::InvalidInvokeSurface,
                location.clone(),
                "Invoke surface entries must be non-empty strings.",
            );
            continue;
        };
        if !INVOKE_SURFACES.contains(&surface) {
            issues.push(
                Code::UnknownInvokeSurface,
                location.clone(),
                format!("Invoke surface \"{surface}\" is invalid."),
            );
            continue;
        }
        if normalized.contains(&surface) {
            issues.push(
                Code::DuplicateInvokeSurface,
                location.clone(),
                format!("Invoke surface \"{surface}\" is declared more than once."),
            );
            continue;
        }
        normalized.push(surface);
    }
    normalized
}

/// A manifest that lists the `wasi` runtime target promises a standalone WASI program: it
/// needs the `command` surface, only pure-WASI capabilities and only `wasi-pipe` protocols.
pub(crate) fn validate_standalone_wasi(
    issues: &mut Issues,
    manifest: &Value,
    surfaces: &[&str],
    declared: Option<&Declared<'_>>,
    source: &str,
) {
    let targets_wasi = as_array(prop(Some(manifest), "runtimeTargets")).is_some_and(|targets| {
        targets
            .iter()
            .any(|t| t.as_str() == Some(RUNTIME_TARGET_WASI))
    });
    if !targets_wasi {
        return;
    }
    if !surfaces.contains(&INVOKE_SURFACE_COMMAND) {
        issues.push(
            Code::MissingWasiCommandSurface,
            format!("{source}.invokeSurfaces"),
            "Artifacts targeting the canonical \"wasi\" runtime must declare the \"command\" invoke surface so they can run as standalone WASI programs without host wrappers.",
        );
    }
    for capability in declared
        .into_iter()
        .flat_map(Declared::iter)
        .filter(|c| !STANDALONE_WASI_CAPABILITIES.contains(c))
    {
        issues.push(
            Code::CapabilityWasiStandaloneConflict,
            format!("{source}.capabilities"),
            format!("Capability \"{capability}\" is not available to a standalone WASI artifact without host wrappers."),
        );
    }
    let Some(protocols) = as_array(prop(Some(manifest), "protocols")) else {
        return;
    };
    for (index, protocol) in protocols.iter().enumerate() {
        let kind = prop(Some(protocol), "transportKind");
        match transport_kind(kind) {
            Some(normalized) if !normalized.is_empty() && normalized != TRANSPORT_WASI_PIPE => issues.push(
                Code::ProtocolWasiStandaloneConflict,
                format!("{source}.protocols[{index}].transportKind"),
                format!(
                    "Protocol \"{}\" uses transportKind \"{}\", which requires a host wrapper rather than a standalone WASI runtime.",
                    template_or(prop(Some(protocol), "protocolId"), "protocol"),
                    template(kind),
                ),
            ),
            _ => {}
        }
    }
}

/// A protocol transport kind as the rules compare it: absent, `null` and `""` are none;
/// otherwise the text trimmed, lower-cased, `_` → `-`, with `websocket` → `ws` and
/// `pipe` → `wasi-pipe`. (May be empty for a blank string.)
pub(crate) fn transport_kind(value: Option<&Value>) -> Option<String> {
    let normalized = normalized_text(value)?;
    Some(match normalized.as_str() {
        "websocket" => "ws".to_owned(),
        "pipe" => TRANSPORT_WASI_PIPE.to_owned(),
        _ => normalized,
    })
}

/// A protocol role as the rules compare it: like [`transport_kind`], with `handler` → `handle`.
pub(crate) fn protocol_role(value: Option<&Value>) -> Option<String> {
    let normalized = normalized_text(value)?;
    Some(if normalized == "handler" {
        "handle".to_owned()
    } else {
        normalized
    })
}

fn normalized_text(value: Option<&Value>) -> Option<String> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(other) => Some(super::values::lower_kebab(other)),
    }
}
