//! A manifest ([`super::PluginManifest`] or borrowed) → the JSON the reference's `decodePluginManifest` returns (spec 4.7),
//! keys in the reference's order, strings as the reference's reader returns them
//! ([`reference_text`]).

use serde_json::{Map, Value};

use super::enums;
use super::model::{
    AcceptedTypeSetOf, BuildArtifactOf, HostCapabilityOf, MethodManifestOf, PluginManifestOf,
    PortManifestOf, ProtocolSpecOf, TimerSpecOf,
};
use crate::fbs::{json_object, reference_opt_text, reference_text, type_ref_to_json};

/// The decoded JSON shape of a manifest.
pub fn to_decoded_json<S: AsRef<str>, B: AsRef<[u8]>>(m: &PluginManifestOf<S, B>) -> Value {
    json_object([
        ("pluginId", (reference_text(m.plugin_id.as_ref())).into()),
        ("name", (reference_opt_text(&m.name)).into()),
        ("version", (reference_opt_text(&m.version)).into()),
        (
            "pluginFamily",
            (enums::plugin_family_name(m.plugin_family_or_default())).into(),
        ),
        (
            "methods",
            (m.methods.iter().map(method).collect::<Vec<_>>()).into(),
        ),
        (
            "capabilities",
            (m.capabilities
                .iter()
                .filter_map(capability)
                .collect::<Vec<_>>())
            .into(),
        ),
        (
            "timers",
            (m.timers.iter().map(timer).collect::<Vec<_>>()).into(),
        ),
        (
            "protocols",
            (m.protocols.iter().map(protocol).collect::<Vec<_>>()).into(),
        ),
        (
            "schemasUsed",
            (m.schemas_used
                .iter()
                .map(type_ref_to_json)
                .collect::<Vec<_>>())
            .into(),
        ),
        (
            "buildArtifacts",
            (m.build_artifacts
                .iter()
                .map(build_artifact)
                .collect::<Vec<_>>())
            .into(),
        ),
        ("abiVersion", (m.abi_version_or_default()).into()),
        (
            "invokeSurfaces",
            (m.invoke_surfaces
                .as_ref()
                .iter()
                .filter_map(|s| enums::invoke_surface_name(*s))
                .collect::<Vec<_>>())
            .into(),
        ),
        (
            "runtimeTargets",
            (m.runtime_targets
                .iter()
                .map(|t| reference_text(t.as_ref()))
                .collect::<Vec<_>>())
            .into(),
        ),
    ])
}

fn method<S: AsRef<str>, B: AsRef<[u8]>>(m: &MethodManifestOf<S, B>) -> Value {
    json_object([
        ("methodId", (reference_text(m.method_id.as_ref())).into()),
        ("displayName", (reference_opt_text(&m.display_name)).into()),
        (
            "inputPorts",
            (m.input_ports.iter().map(port).collect::<Vec<_>>()).into(),
        ),
        (
            "outputPorts",
            (m.output_ports.iter().map(port).collect::<Vec<_>>()).into(),
        ),
        ("maxBatch", (m.max_batch_or_default()).into()),
        (
            "drainPolicy",
            (enums::drain_policy_name(m.drain_policy_or_default())).into(),
        ),
        ("description", (reference_opt_text(&m.description)).into()),
    ])
}

fn port<S: AsRef<str>, B: AsRef<[u8]>>(p: &PortManifestOf<S, B>) -> Value {
    json_object([
        ("portId", (reference_text(p.port_id.as_ref())).into()),
        ("displayName", (reference_opt_text(&p.display_name)).into()),
        (
            "acceptedTypeSets",
            (p.accepted_type_sets
                .iter()
                .map(type_set)
                .collect::<Vec<_>>())
            .into(),
        ),
        ("minStreams", (p.min_streams_or_default()).into()),
        ("maxStreams", (p.max_streams_or_default()).into()),
        ("required", (p.required).into()),
        ("description", (reference_opt_text(&p.description)).into()),
    ])
}

fn type_set<S: AsRef<str>, B: AsRef<[u8]>>(s: &AcceptedTypeSetOf<S, B>) -> Value {
    json_object([
        ("setId", (reference_text(s.set_id.as_ref())).into()),
        (
            "allowedTypes",
            (s.allowed_types
                .iter()
                .map(type_ref_to_json)
                .collect::<Vec<_>>())
            .into(),
        ),
        ("description", (reference_opt_text(&s.description)).into()),
    ])
}

/// A bare name when there is nothing else to say; otherwise an object with `scope` /
/// `description` (trimmed, only when non-empty) and `required: false` (only when false).
/// Unknown capability numbers are dropped.
fn capability<S: AsRef<str>>(c: &HostCapabilityOf<S>) -> Option<Value> {
    let name = enums::capability_name(c.capability_or_default())?;
    let trimmed = |text: &Option<S>| {
        text.as_ref()
            .map(AsRef::as_ref)
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

fn timer<S: AsRef<str>>(t: &TimerSpecOf<S>) -> Value {
    json_object([
        ("timerId", (reference_text(t.timer_id.as_ref())).into()),
        ("methodId", (reference_text(t.method_id.as_ref())).into()),
        ("inputPortId", (reference_opt_text(&t.input_port_id)).into()),
        (
            "defaultIntervalMs",
            (t.default_interval_ms_or_default()).into(),
        ),
        ("description", (reference_opt_text(&t.description)).into()),
    ])
}

fn protocol<S: AsRef<str>>(p: &ProtocolSpecOf<S>) -> Value {
    json_object([
        (
            "protocolId",
            (reference_text(p.protocol_id.as_ref())).into(),
        ),
        ("methodId", (reference_text(p.method_id.as_ref())).into()),
        ("inputPortId", (reference_opt_text(&p.input_port_id)).into()),
        (
            "outputPortId",
            (reference_opt_text(&p.output_port_id)).into(),
        ),
        ("description", (reference_opt_text(&p.description)).into()),
        ("wireId", (reference_opt_text(&p.wire_id)).into()),
        (
            "transportKind",
            (reference_opt_text(&p.transport_kind)).into(),
        ),
        ("role", (reference_opt_text(&p.role)).into()),
        ("specUri", (reference_opt_text(&p.spec_uri)).into()),
        ("autoInstall", (p.auto_install).into()),
        ("advertise", (p.advertise).into()),
        (
            "discoveryKey",
            (reference_opt_text(&p.discovery_key)).into(),
        ),
        ("defaultPort", (p.default_port_or_default()).into()),
        (
            "requireSecureTransport",
            (p.require_secure_transport).into(),
        ),
    ])
}

fn build_artifact<S: AsRef<str>>(a: &BuildArtifactOf<S>) -> Value {
    json_object([
        (
            "artifactId",
            (reference_text(a.artifact_id.as_ref())).into(),
        ),
        ("kind", (reference_opt_text(&a.kind)).into()),
        ("path", (reference_text(a.path.as_ref())).into()),
        ("target", (reference_opt_text(&a.target)).into()),
        ("entrySymbol", (reference_opt_text(&a.entry_symbol)).into()),
    ])
}
