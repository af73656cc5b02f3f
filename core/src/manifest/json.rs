//! [`PluginManifest`] → the JSON the reference's `decodePluginManifest` returns (spec 4.7),
//! keys in the reference's order, strings as the reference's reader returns them
//! ([`reference_text`]).

use serde_json::{Map, Value, json};

use super::enums;
use super::model::{
    AcceptedTypeSet, BuildArtifact, HostCapability, MethodManifest, PluginManifest, PortManifest,
    ProtocolSpec, TimerSpec,
};
use crate::fbs::{reference_opt_text, reference_text, type_ref_to_json};

/// The decoded JSON shape of a manifest.
pub fn to_decoded_json(m: &PluginManifest) -> Value {
    json!({
        "pluginId": reference_text(&m.plugin_id),
        "name": reference_opt_text(&m.name),
        "version": reference_opt_text(&m.version),
        "pluginFamily": enums::plugin_family_name(m.plugin_family_or_default()),
        "methods": m.methods.iter().map(method).collect::<Vec<_>>(),
        "capabilities": m.capabilities.iter().filter_map(capability).collect::<Vec<_>>(),
        "timers": m.timers.iter().map(timer).collect::<Vec<_>>(),
        "protocols": m.protocols.iter().map(protocol).collect::<Vec<_>>(),
        "schemasUsed": m.schemas_used.iter().map(type_ref_to_json).collect::<Vec<_>>(),
        "buildArtifacts": m.build_artifacts.iter().map(build_artifact).collect::<Vec<_>>(),
        "abiVersion": m.abi_version_or_default(),
        "invokeSurfaces": m.invoke_surfaces.iter().filter_map(|s| enums::invoke_surface_name(*s)).collect::<Vec<_>>(),
        "runtimeTargets": m.runtime_targets.iter().map(|t| reference_text(t)).collect::<Vec<_>>(),
    })
}

fn method(m: &MethodManifest) -> Value {
    json!({
        "methodId": reference_text(&m.method_id),
        "displayName": reference_opt_text(&m.display_name),
        "inputPorts": m.input_ports.iter().map(port).collect::<Vec<_>>(),
        "outputPorts": m.output_ports.iter().map(port).collect::<Vec<_>>(),
        "maxBatch": m.max_batch_or_default(),
        "drainPolicy": enums::drain_policy_name(m.drain_policy_or_default()),
        "description": reference_opt_text(&m.description),
    })
}

fn port(p: &PortManifest) -> Value {
    json!({
        "portId": reference_text(&p.port_id),
        "displayName": reference_opt_text(&p.display_name),
        "acceptedTypeSets": p.accepted_type_sets.iter().map(type_set).collect::<Vec<_>>(),
        "minStreams": p.min_streams_or_default(),
        "maxStreams": p.max_streams_or_default(),
        "required": p.required,
        "description": reference_opt_text(&p.description),
    })
}

fn type_set(s: &AcceptedTypeSet) -> Value {
    json!({
        "setId": reference_text(&s.set_id),
        "allowedTypes": s.allowed_types.iter().map(type_ref_to_json).collect::<Vec<_>>(),
        "description": reference_opt_text(&s.description),
    })
}

/// A bare name when there is nothing else to say; otherwise an object with `scope` /
/// `description` (trimmed, only when non-empty) and `required: false` (only when false).
/// Unknown capability numbers are dropped.
fn capability(c: &HostCapability) -> Option<Value> {
    let name = enums::capability_name(c.capability_or_default())?;
    let trimmed = |text: &Option<String>| {
        text.as_deref()
            .map(crate::js::js_trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let scope = trimmed(&c.scope);
    let description = trimmed(&c.description);
    if scope.is_none() && description.is_none() && c.required {
        return Some(Value::String(name.to_owned()));
    }
    let mut object = Map::new();
    object.insert("capability".into(), name.into());
    if let Some(scope) = scope {
        object.insert("scope".into(), scope.into());
    }
    if !c.required {
        object.insert("required".into(), false.into());
    }
    if let Some(description) = description {
        object.insert("description".into(), description.into());
    }
    Some(Value::Object(object))
}

fn timer(t: &TimerSpec) -> Value {
    json!({
        "timerId": reference_text(&t.timer_id),
        "methodId": reference_text(&t.method_id),
        "inputPortId": reference_opt_text(&t.input_port_id),
        "defaultIntervalMs": t.default_interval_ms_or_default(),
        "description": reference_opt_text(&t.description),
    })
}

fn protocol(p: &ProtocolSpec) -> Value {
    json!({
        "protocolId": reference_text(&p.protocol_id),
        "methodId": reference_text(&p.method_id),
        "inputPortId": reference_opt_text(&p.input_port_id),
        "outputPortId": reference_opt_text(&p.output_port_id),
        "description": reference_opt_text(&p.description),
        "wireId": reference_opt_text(&p.wire_id),
        "transportKind": reference_opt_text(&p.transport_kind),
        "role": reference_opt_text(&p.role),
        "specUri": reference_opt_text(&p.spec_uri),
        "autoInstall": p.auto_install,
        "advertise": p.advertise,
        "discoveryKey": reference_opt_text(&p.discovery_key),
        "defaultPort": p.default_port_or_default(),
        "requireSecureTransport": p.require_secure_transport,
    })
}

fn build_artifact(a: &BuildArtifact) -> Value {
    json!({
        "artifactId": reference_text(&a.artifact_id),
        "kind": reference_opt_text(&a.kind),
        "path": reference_text(&a.path),
        "target": reference_opt_text(&a.target),
        "entrySymbol": reference_opt_text(&a.entry_symbol),
    })
}
