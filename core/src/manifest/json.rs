//! [`PluginManifest`] → the JSON the reference's `decodePluginManifest` returns (spec 4.7),
//! keys in the reference's order.

use serde_json::{Map, Value, json};

use super::enums;
use super::model::{
    AcceptedTypeSet, BuildArtifact, HostCapability, MethodManifest, PluginManifest, PortManifest,
    ProtocolSpec, TimerSpec,
};
use crate::fbs::type_ref_to_json;

/// The decoded JSON shape of a manifest.
pub fn to_decoded_json(m: &PluginManifest) -> Value {
    json!({
        "pluginId": m.plugin_id,
        "name": m.name,
        "version": m.version,
        "pluginFamily": enums::plugin_family_name(m.plugin_family_or_default()),
        "methods": m.methods.iter().map(method).collect::<Vec<_>>(),
        "capabilities": m.capabilities.iter().filter_map(capability).collect::<Vec<_>>(),
        "timers": m.timers.iter().map(timer).collect::<Vec<_>>(),
        "protocols": m.protocols.iter().map(protocol).collect::<Vec<_>>(),
        "schemasUsed": m.schemas_used.iter().map(type_ref_to_json).collect::<Vec<_>>(),
        "buildArtifacts": m.build_artifacts.iter().map(build_artifact).collect::<Vec<_>>(),
        "abiVersion": m.abi_version_or_default(),
        "invokeSurfaces": m.invoke_surfaces.iter().filter_map(|s| enums::invoke_surface_name(*s)).collect::<Vec<_>>(),
        "runtimeTargets": m.runtime_targets,
    })
}

fn method(m: &MethodManifest) -> Value {
    json!({
        "methodId": m.method_id,
        "displayName": m.display_name,
        "inputPorts": m.input_ports.iter().map(port).collect::<Vec<_>>(),
        "outputPorts": m.output_ports.iter().map(port).collect::<Vec<_>>(),
        "maxBatch": m.max_batch_or_default(),
        "drainPolicy": enums::drain_policy_name(m.drain_policy_or_default()),
        "description": m.description,
    })
}

fn port(p: &PortManifest) -> Value {
    json!({
        "portId": p.port_id,
        "displayName": p.display_name,
        "acceptedTypeSets": p.accepted_type_sets.iter().map(type_set).collect::<Vec<_>>(),
        "minStreams": p.min_streams_or_default(),
        "maxStreams": p.max_streams_or_default(),
        "required": p.required,
        "description": p.description,
    })
}

fn type_set(s: &AcceptedTypeSet) -> Value {
    json!({
        "setId": s.set_id,
        "allowedTypes": s.allowed_types.iter().map(type_ref_to_json).collect::<Vec<_>>(),
        "description": s.description,
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
        "timerId": t.timer_id,
        "methodId": t.method_id,
        "inputPortId": t.input_port_id,
        "defaultIntervalMs": t.default_interval_ms_or_default(),
        "description": t.description,
    })
}

fn protocol(p: &ProtocolSpec) -> Value {
    json!({
        "protocolId": p.protocol_id,
        "methodId": p.method_id,
        "inputPortId": p.input_port_id,
        "outputPortId": p.output_port_id,
        "description": p.description,
        "wireId": p.wire_id,
        "transportKind": p.transport_kind,
        "role": p.role,
        "specUri": p.spec_uri,
        "autoInstall": p.auto_install,
        "advertise": p.advertise,
        "discoveryKey": p.discovery_key,
        "defaultPort": p.default_port_or_default(),
        "requireSecureTransport": p.require_secure_transport,
    })
}

fn build_artifact(a: &BuildArtifact) -> Value {
    json!({
        "artifactId": a.artifact_id,
        "kind": a.kind,
        "path": a.path,
        "target": a.target,
        "entrySymbol": a.entry_symbol,
    })
}
