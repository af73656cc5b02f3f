//! JSON manifest → [`PluginManifest`] (spec 4.3), with the warnings of 4.4 and the
//! required-field errors of 4.5.
//!
//! Mirrors the reference's `toEmbeddedPluginManifest` followed by the checks its packer makes.
//! Error precedence follows the reference: a value that cannot be converted at all (a `null`
//! method, a fractional `defaultIntervalMs`) fails first, during normalization; otherwise the
//! first missing required field *in serialization order* (children before their parent, the
//! root's `pluginId` last) is reported.
//!
//! Each JSON object is read in one pass over its entries (the keys a table uses are collected
//! first, then converted in the reference's order), and text that normalization keeps as it
//! is stays borrowed from the JSON value ([`BorrowedManifest`]); [`normalize`] copies it out.

mod bigint;
pub mod type_ref;

use std::borrow::Cow;
use std::fmt;

use serde_json::{Map, Value};

use super::enums;
use super::model::{
    AcceptedTypeSetOf, BuildArtifactOf, HostCapabilityOf, MethodManifestOf, PluginManifest,
    PluginManifestOf, PortManifestOf, ProtocolSpecOf, TimerSpecOf,
};
use super::warnings;
use crate::fbs::type_ref::stored_u16;
use crate::fbs::{TypeRefOf, slot};
use crate::js::{js_trim, number_value, to_js_string, to_number, wrap_unsigned};
use crate::{Error, ErrorCode, Result};

/// A normalized manifest and the warnings normalization recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub manifest: PluginManifest,
    pub warnings: Vec<String>,
}

/// A normalized manifest whose text borrows from the JSON value it came from wherever
/// normalization left the text unchanged. [`super::encode`] takes it as it is.
pub type BorrowedManifest<'v> = PluginManifestOf<Cow<'v, str>, Vec<u8>>;

/// Normalizes a JSON manifest the way the reference's encoder does.
pub fn normalize(input: &Value) -> Result<Normalized> {
    let (manifest, warnings) = normalize_borrowed(input)?;
    Ok(Normalized {
        manifest: manifest.into_owned(),
        warnings,
    })
}

/// [`normalize`] without copying text out of `input`: the manifest and the warnings.
pub fn normalize_borrowed(input: &Value) -> Result<(BorrowedManifest<'_>, Vec<String>)> {
    let root = Loc::root();
    let object = input.as_object().ok_or_else(|| {
        Error::new(
            ErrorCode::ManifestInvalidValue,
            "the manifest must be a JSON object",
        )
    })?;
    let mut normalizer = Normalizer::default();
    let manifest = normalizer.manifest(object, &root)?;
    match normalizer.missing {
        Some(err) => Err(err),
        None => Ok((manifest, normalizer.warnings)),
    }
}

/// JavaScript `value ?? fallback` sees `undefined` and `null` alike.
pub(crate) fn defined(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null())
}

/// Declares the keys one kind of JSON object is read for, and reads them all in one pass over
/// the object's entries (a JSON object has each key once, so this is what `get` per key sees).
macro_rules! keys {
    ($(#[$doc:meta])* $name:ident { $($field:ident: $key:literal,)* }) => {
        $(#[$doc])*
        #[derive(Default, Clone, Copy)]
        pub(crate) struct $name<'v> {
            $($field: Option<&'v serde_json::Value>,)*
        }

        impl<'v> $name<'v> {
            /// The keys of `object`; all absent for a value that is not an object.
            #[allow(dead_code)]
            pub(crate) fn of(value: &'v serde_json::Value) -> Self {
                match value {
                    serde_json::Value::Object(object) => Self::of_map(object),
                    _ => Self::default(),
                }
            }

            #[allow(dead_code)]
            pub(crate) fn of_map(object: &'v serde_json::Map<String, serde_json::Value>) -> Self {
                let mut keys = Self::default();
                for (key, value) in object {
                    match key.as_str() {
                        $($key => keys.$field = Some(value),)*
                        _ => {}
                    }
                }
                keys
            }
        }
    };
}
pub(crate) use keys;

keys!(ManifestKeys {
    plugin_id: "pluginId",
    name: "name",
    version: "version",
    plugin_family: "pluginFamily",
    methods: "methods",
    capabilities: "capabilities",
    external_interfaces: "externalInterfaces",
    timers: "timers",
    protocols: "protocols",
    schemas_used: "schemasUsed",
    build_artifacts: "buildArtifacts",
    abi_version: "abiVersion",
    invoke_surfaces: "invokeSurfaces",
    runtime_targets: "runtimeTargets",
});

keys!(CapabilityKeys {
    capability: "capability",
    scope: "scope",
    required: "required",
    description: "description",
});

keys!(MethodKeys {
    method_id: "methodId",
    display_name: "displayName",
    input_ports: "inputPorts",
    output_ports: "outputPorts",
    max_batch: "maxBatch",
    drain_policy: "drainPolicy",
    description: "description",
});

keys!(PortKeys {
    port_id: "portId",
    display_name: "displayName",
    accepted_type_sets: "acceptedTypeSets",
    min_streams: "minStreams",
    max_streams: "maxStreams",
    required: "required",
    description: "description",
});

keys!(TypeSetKeys {
    set_id: "setId",
    allowed_types: "allowedTypes",
    description: "description",
});

keys!(TimerKeys {
    timer_id: "timerId",
    method_id: "methodId",
    input_port_id: "inputPortId",
    default_interval_ms: "defaultIntervalMs",
    description: "description",
});

keys!(ProtocolKeys {
    protocol_id: "protocolId",
    method_id: "methodId",
    input_port_id: "inputPortId",
    output_port_id: "outputPortId",
    description: "description",
    wire_id: "wireId",
    transport_kind: "transportKind",
    role: "role",
    spec_uri: "specUri",
    auto_install: "autoInstall",
    advertise: "advertise",
    discovery_key: "discoveryKey",
    default_port: "defaultPort",
    require_secure_transport: "requireSecureTransport",
});

keys!(ArtifactKeys {
    artifact_id: "artifactId",
    kind: "kind",
    path: "path",
    target: "target",
    entry_symbol: "entrySymbol",
});

/// Where a value sits in the input, for error messages; built without allocating.
#[derive(Clone, Copy)]
struct Loc<'a> {
    parent: Option<&'a Loc<'a>>,
    key: &'static str,
    index: Option<usize>,
}

impl<'a> Loc<'a> {
    fn root() -> Self {
        Loc {
            parent: None,
            key: "",
            index: None,
        }
    }

    fn item(&'a self, key: &'static str, index: usize) -> Loc<'a> {
        Loc {
            parent: Some(self),
            key,
            index: Some(index),
        }
    }
}

impl fmt::Display for Loc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent.filter(|p| p.parent.is_some()) {
            write!(f, "{parent}.")?;
        }
        f.write_str(if self.parent.is_none() {
            "manifest"
        } else {
            self.key
        })?;
        if let Some(index) = self.index {
            write!(f, "[{index}]")?;
        }
        Ok(())
    }
}

#[derive(Default)]
struct Normalizer {
    warnings: Vec<String>,
    /// The first missing required field in serialization order.
    missing: Option<Error>,
}

/// `String(value)`, borrowed when the value is a string.
pub(crate) fn js_text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::String(text) => Cow::Borrowed(text),
        other => Cow::Owned(to_js_string(other)),
    }
}

/// JavaScript `trim()` of text, keeping a borrow borrowed.
fn trim_cow(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(js_trim(text)),
        Cow::Owned(text) => {
            let trimmed = js_trim(&text);
            if trimmed.len() == text.len() {
                Cow::Owned(text)
            } else {
                Cow::Owned(trimmed.to_owned())
            }
        }
    }
}

/// Calls `f` with `text` trimmed and lowercased (`trim().toLowerCase()`), without allocating
/// for short ASCII text (the enum names).
pub(crate) fn with_lowercase<R>(text: &str, f: impl FnOnce(&str) -> R) -> R {
    let trimmed = js_trim(text);
    let mut buffer = [0u8; 32];
    if trimmed.is_ascii()
        && let Some(lower) = buffer.get_mut(..trimmed.len())
    {
        lower.copy_from_slice(trimmed.as_bytes());
        lower.make_ascii_lowercase();
        if let Ok(lower) = std::str::from_utf8(lower) {
            return f(lower);
        }
    }
    f(&trimmed.to_lowercase())
}

/// Text of an optional string field stored "as given": absent/null → absent, anything else
/// through `String()`.
fn text(value: Option<&Value>) -> Option<Cow<'_, str>> {
    defined(value).map(js_text)
}

/// The elements of a list key; a non-array value is an empty list.
fn list(value: Option<&Value>) -> &[Value] {
    match value {
        Some(Value::Array(items)) => items,
        _ => &[],
    }
}

/// `Number(value ?? fallback)`.
fn number_or(value: Option<&Value>, fallback: f64) -> f64 {
    defined(value).map_or(fallback, to_number)
}

/// The builder's decision for a numeric field: stored when the (unwrapped) number differs
/// from the default (NaN differs from everything), as the number modulo 2^bits.
fn stored_number(value: f64, default: f64, bits: u32) -> Option<u64> {
    (value != default).then(|| wrap_unsigned(value, bits))
}

fn stored_u8(value: f64, default: u8) -> Option<u8> {
    stored_number(value, f64::from(default), 8).and_then(|v| u8::try_from(v).ok())
}

fn stored_u16_number(value: f64, default: u16) -> Option<u16> {
    stored_number(value, f64::from(default), 16).and_then(|v| u16::try_from(v).ok())
}

fn stored_u32_number(value: f64, default: u32) -> Option<u32> {
    stored_number(value, f64::from(default), 32).and_then(|v| u32::try_from(v).ok())
}

/// An enum field that takes a JSON number as is, or else text (absent → `fallback_name`, which
/// is already trimmed and lowercase) trimmed, lowercased and looked up, unknown → the default.
fn stored_enum(
    value: Option<&Value>,
    fallback_name: &str,
    default: u8,
    lookup: fn(&str) -> Option<u8>,
) -> Option<u8> {
    let number = match value {
        Some(Value::Number(n)) => number_value(n),
        other => {
            let found = match defined(other) {
                None => lookup(fallback_name),
                Some(value) => with_lowercase(&js_text(value), lookup),
            };
            f64::from(found.unwrap_or(default))
        }
    };
    stored_u8(number, default)
}

/// `typeof value === "object"` for a JSON value that must be an object.
fn object<'v>(value: &'v Value, loc: &Loc<'_>) -> Result<&'v Map<String, Value>> {
    value.as_object().ok_or_else(|| {
        Error::new(
            ErrorCode::ManifestInvalidValue,
            format!("{loc} must be a JSON object, got {}", kind(value)),
        )
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The protocol strings' `normalizeOptionalString`: `String()`, trimmed, empty → absent.
fn trimmed_text(value: Option<&Value>) -> Option<Cow<'_, str>> {
    let trimmed = trim_cow(js_text(defined(value)?));
    (!trimmed.is_empty()).then_some(trimmed)
}

/// Protocol `transportKind` / `role`: trimmed, lowercased, `_` → `-`, empty → absent, then the
/// alias table.
fn protocol_word<'v>(value: Option<&'v Value>, alias: fn(&str) -> &str) -> Option<Cow<'v, str>> {
    let trimmed = trim_cow(js_text(defined(value)?));
    if trimmed.is_empty() {
        return None;
    }
    let plain = trimmed
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase() && b != b'_');
    let normalized = if plain {
        trimmed
    } else {
        Cow::Owned(trimmed.to_lowercase().replace('_', "-"))
    };
    let aliased = alias(&normalized);
    if aliased == normalized {
        Some(normalized)
    } else {
        Some(Cow::Owned(aliased.to_owned()))
    }
}

/// `normalizeBoolean(value, fallback)`: absent/null → fallback, otherwise `value === true`.
fn boolean(value: Option<&Value>, fallback: bool) -> bool {
    match defined(value) {
        None => fallback,
        Some(value) => matches!(value, Value::Bool(true)),
    }
}

/// `value !== false`.
fn not_false(value: Option<&Value>) -> bool {
    !matches!(value, Some(Value::Bool(false)))
}

type Text<'v> = Cow<'v, str>;

impl Normalizer {
    /// Records a missing required field (only the first one counts) and returns the value to
    /// carry on with.
    fn require<'v>(
        &mut self,
        value: Option<Text<'v>>,
        field: u16,
        loc: &Loc<'_>,
        key: &str,
    ) -> Text<'v> {
        if value.is_none() && self.missing.is_none() {
            self.missing = Some(Error::new(
                ErrorCode::ManifestRequiredField,
                format!("FlatBuffers: field {field} must be set ({loc}.{key} is required)"),
            ));
        }
        value.unwrap_or_default()
    }

    fn manifest<'v>(
        &mut self,
        input: &'v Map<String, Value>,
        loc: &Loc<'_>,
    ) -> Result<BorrowedManifest<'v>> {
        let keys = ManifestKeys::of_map(input);
        if !list(keys.external_interfaces).is_empty() {
            self.warnings
                .push(warnings::EXTERNAL_INTERFACES_OMITTED.to_owned());
        }
        let capabilities = list(keys.capabilities)
            .iter()
            .filter_map(|entry| self.capability(entry))
            .collect();
        let plugin_id = text(keys.plugin_id);
        let name = text(keys.name);
        let version = text(keys.version);
        let plugin_family = stored_enum(
            keys.plugin_family,
            "analysis",
            enums::PLUGIN_FAMILY_DEFAULT,
            enums::plugin_family_from_name,
        );
        let methods = list(keys.methods)
            .iter()
            .enumerate()
            .map(|(i, entry)| self.method(entry, &loc.item("methods", i)))
            .collect::<Result<_>>()?;
        let timers = list(keys.timers)
            .iter()
            .enumerate()
            .map(|(i, entry)| self.timer(entry, &loc.item("timers", i)))
            .collect::<Result<_>>()?;
        let protocols = list(keys.protocols)
            .iter()
            .enumerate()
            .map(|(i, entry)| self.protocol(entry, &loc.item("protocols", i)))
            .collect::<Result<_>>()?;
        let schemas_used = type_refs(list(keys.schemas_used), loc, "schemasUsed")?;
        let build_artifacts = list(keys.build_artifacts)
            .iter()
            .enumerate()
            .map(|(i, entry)| self.build_artifact(entry, &loc.item("buildArtifacts", i)))
            .collect::<Result<_>>()?;
        let abi_version =
            stored_u32_number(number_or(keys.abi_version, 1.0), enums::ABI_VERSION_DEFAULT);
        let invoke_surfaces = invoke_surfaces(list(keys.invoke_surfaces));
        let runtime_targets = runtime_targets(list(keys.runtime_targets));
        let plugin_id = self.require(plugin_id, slot(0), loc, "pluginId");
        Ok(PluginManifestOf {
            plugin_id,
            name,
            version,
            plugin_family,
            methods,
            capabilities,
            timers,
            protocols,
            schemas_used,
            build_artifacts,
            abi_version,
            invoke_surfaces,
            runtime_targets,
        })
    }

    /// One `capabilities` element; unknown names are dropped with a warning.
    fn capability<'v>(&mut self, entry: &'v Value) -> Option<HostCapabilityOf<Text<'v>>> {
        if let Value::String(name) = entry {
            let Some(kind) = with_lowercase(name, enums::capability_from_name) else {
                self.warnings.push(warnings::capability_omitted(name));
                return None;
            };
            return Some(HostCapabilityOf {
                capability: stored_u16_number(f64::from(kind), enums::CAPABILITY_DEFAULT),
                ..HostCapabilityOf::default()
            });
        }
        // Non-object elements have no `capability` key (so they warn with `unknown`).
        let keys = CapabilityKeys::of(entry);
        let raw = defined(keys.capability);
        let kind = match raw {
            Some(Value::Number(n)) => Some(number_value(n)),
            other => {
                let text = other.map(js_text).unwrap_or_default();
                with_lowercase(&text, enums::capability_from_name).map(f64::from)
            }
        };
        let Some(kind) = kind else {
            let shown = raw.map_or(Cow::Borrowed("unknown"), js_text);
            self.warnings.push(warnings::capability_omitted(&shown));
            return None;
        };
        Some(HostCapabilityOf {
            capability: stored_u16_number(kind, enums::CAPABILITY_DEFAULT),
            scope: text(keys.scope),
            required: not_false(keys.required),
            description: text(keys.description),
        })
    }

    fn method<'v>(
        &mut self,
        entry: &'v Value,
        loc: &Loc<'_>,
    ) -> Result<MethodManifestOf<Text<'v>, Vec<u8>>> {
        let keys = MethodKeys::of_map(object(entry, loc)?);
        let method_id = text(keys.method_id);
        let display_name = text(keys.display_name);
        let input_ports = self.ports(keys.input_ports, "inputPorts", loc)?;
        let output_ports = self.ports(keys.output_ports, "outputPorts", loc)?;
        let max_batch = stored_u32_number(number_or(keys.max_batch, 1.0), enums::MAX_BATCH_DEFAULT);
        let drain_policy = stored_enum(
            keys.drain_policy,
            "drain-until-yield",
            enums::DRAIN_POLICY_DEFAULT,
            enums::drain_policy_from_name,
        );
        let description = text(keys.description);
        let method_id = self.require(method_id, slot(0), loc, "methodId");
        Ok(MethodManifestOf {
            method_id,
            display_name,
            input_ports,
            output_ports,
            max_batch,
            drain_policy,
            description,
        })
    }

    fn ports<'v>(
        &mut self,
        value: Option<&'v Value>,
        key: &'static str,
        loc: &Loc<'_>,
    ) -> Result<Vec<PortManifestOf<Text<'v>, Vec<u8>>>> {
        list(value)
            .iter()
            .enumerate()
            .map(|(i, entry)| self.port(entry, &loc.item(key, i)))
            .collect()
    }

    fn port<'v>(
        &mut self,
        entry: &'v Value,
        loc: &Loc<'_>,
    ) -> Result<PortManifestOf<Text<'v>, Vec<u8>>> {
        let keys = PortKeys::of_map(object(entry, loc)?);
        let port_id = text(keys.port_id);
        let display_name = text(keys.display_name);
        let accepted_type_sets = list(keys.accepted_type_sets)
            .iter()
            .enumerate()
            .map(|(i, entry)| self.type_set(entry, &loc.item("acceptedTypeSets", i)))
            .collect::<Result<_>>()?;
        let min_streams =
            stored_u16_number(number_or(keys.min_streams, 1.0), enums::STREAMS_DEFAULT);
        let max_streams =
            stored_u16_number(number_or(keys.max_streams, 1.0), enums::STREAMS_DEFAULT);
        let required = not_false(keys.required);
        let description = text(keys.description);
        let port_id = self.require(port_id, slot(0), loc, "portId");
        Ok(PortManifestOf {
            port_id,
            display_name,
            accepted_type_sets,
            min_streams,
            max_streams,
            required,
            description,
        })
    }

    fn type_set<'v>(
        &mut self,
        entry: &'v Value,
        loc: &Loc<'_>,
    ) -> Result<AcceptedTypeSetOf<Text<'v>, Vec<u8>>> {
        let keys = TypeSetKeys::of_map(object(entry, loc)?);
        let set_id = text(keys.set_id);
        let allowed_types = type_refs(list(keys.allowed_types), loc, "allowedTypes")?;
        let description = text(keys.description);
        let set_id = self.require(set_id, slot(0), loc, "setId");
        Ok(AcceptedTypeSetOf {
            set_id,
            allowed_types,
            description,
        })
    }

    fn timer<'v>(&mut self, entry: &'v Value, loc: &Loc<'_>) -> Result<TimerSpecOf<Text<'v>>> {
        let keys = TimerKeys::of_map(object(entry, loc)?);
        let timer_id = text(keys.timer_id);
        let method_id = text(keys.method_id);
        let input_port_id = text(keys.input_port_id);
        let interval = defined(keys.default_interval_ms).map_or(Ok(None), |value| {
            bigint::to_bigint(value)
                .map(|big| big.stored())
                .map_err(|message| {
                    Error::new(
                        ErrorCode::ManifestInvalidValue,
                        format!("{loc}.defaultIntervalMs: {message}"),
                    )
                })
        })?;
        let description = text(keys.description);
        let timer_id = self.require(timer_id, slot(0), loc, "timerId");
        let method_id = self.require(method_id, slot(1), loc, "methodId");
        Ok(TimerSpecOf {
            timer_id,
            method_id,
            input_port_id,
            default_interval_ms: interval,
            description,
        })
    }

    fn protocol<'v>(
        &mut self,
        entry: &'v Value,
        loc: &Loc<'_>,
    ) -> Result<ProtocolSpecOf<Text<'v>>> {
        let keys = ProtocolKeys::of_map(object(entry, loc)?);
        let protocol_id = trimmed_text(keys.protocol_id);
        let method_id = trimmed_text(keys.method_id);
        let spec = ProtocolSpecOf {
            protocol_id: Cow::Borrowed(""),
            method_id: Cow::Borrowed(""),
            input_port_id: trimmed_text(keys.input_port_id),
            output_port_id: trimmed_text(keys.output_port_id),
            description: trimmed_text(keys.description),
            wire_id: trimmed_text(keys.wire_id),
            transport_kind: protocol_word(keys.transport_kind, enums::protocol_transport_kind),
            role: protocol_word(keys.role, enums::protocol_role),
            spec_uri: trimmed_text(keys.spec_uri),
            auto_install: boolean(keys.auto_install, true),
            advertise: boolean(keys.advertise, false),
            discovery_key: trimmed_text(keys.discovery_key),
            default_port: stored_u16(defined(keys.default_port)),
            require_secure_transport: boolean(keys.require_secure_transport, false),
        };
        let protocol_id = self.require(protocol_id, slot(0), loc, "protocolId");
        let method_id = self.require(method_id, slot(1), loc, "methodId");
        Ok(ProtocolSpecOf {
            protocol_id,
            method_id,
            ..spec
        })
    }

    fn build_artifact<'v>(
        &mut self,
        entry: &'v Value,
        loc: &Loc<'_>,
    ) -> Result<BuildArtifactOf<Text<'v>>> {
        let keys = ArtifactKeys::of_map(object(entry, loc)?);
        let artifact_id = text(keys.artifact_id);
        let kind = text(keys.kind);
        let path = text(keys.path);
        let target = text(keys.target);
        let entry_symbol = text(keys.entry_symbol);
        let artifact_id = self.require(artifact_id, slot(0), loc, "artifactId");
        let path = self.require(path, slot(2), loc, "path");
        Ok(BuildArtifactOf {
            artifact_id,
            kind,
            path,
            target,
            entry_symbol,
        })
    }
}

/// A list of type references. `null` elements are rejected (the reference crashes on them);
/// other non-objects read as `{}`.
fn type_refs<'v>(
    items: &'v [Value],
    loc: &Loc<'_>,
    key: &'static str,
) -> Result<Vec<TypeRefOf<Text<'v>, Vec<u8>>>> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            if item.is_null() {
                let at = loc.item(key, i);
                return Err(Error::new(
                    ErrorCode::ManifestInvalidValue,
                    format!("{at} must be a JSON object, got null"),
                ));
            }
            Ok(type_ref::type_ref_from_json_borrowed(item))
        })
        .collect()
}

/// `invokeSurfaces`: numbers as is, text trimmed/lowercased/looked up, unknown dropped,
/// duplicates (by numeric value, before the u8 store) dropped.
fn invoke_surfaces(items: &[Value]) -> Vec<u8> {
    let mut seen: Vec<f64> = Vec::new();
    let mut surfaces = Vec::new();
    for item in items {
        let value = match item {
            Value::Number(n) => Some(number_value(n)),
            Value::Null => None,
            other => {
                with_lowercase(&js_text(other), enums::invoke_surface_from_name).map(f64::from)
            }
        };
        if let Some(value) = value.filter(|v| !seen.contains(v)) {
            seen.push(value);
            surfaces.push(wrap_unsigned(value, 8) as u8);
        }
    }
    surfaces
}

/// `runtimeTargets`: `String()` (null → empty), trimmed, empty dropped; order and duplicates kept.
fn runtime_targets(items: &[Value]) -> Vec<Text<'_>> {
    items
        .iter()
        .filter_map(|item| {
            if item.is_null() {
                return None;
            }
            let trimmed = trim_cow(js_text(item));
            (!trimmed.is_empty()).then_some(trimmed)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn required_error(input: Value) -> String {
        let err = normalize(&input).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ManifestRequiredField, "{err}");
        err.message().to_owned()
    }

    #[test]
    fn required_fields_in_serialization_order() {
        assert!(
            required_error(json!({}))
                .starts_with("FlatBuffers: field 4 must be set (manifest.pluginId")
        );
        let msg = required_error(
            json!({"methods": [{"inputPorts": [{"portId": "in", "acceptedTypeSets": [{}]}]}]}),
        );
        assert!(
            msg.contains("methods[0].inputPorts[0].acceptedTypeSets[0].setId"),
            "{msg}"
        );
        let msg = required_error(json!({"pluginId": "p", "timers": [{"timerId": "t"}]}));
        assert!(msg.starts_with("FlatBuffers: field 6 must be set"), "{msg}");
        let msg = required_error(
            json!({"pluginId": "p", "protocols": [{"protocolId": "  ", "methodId": "m"}]}),
        );
        assert!(msg.starts_with("FlatBuffers: field 4 must be set"), "{msg}");
        let msg = required_error(json!({"pluginId": "p", "buildArtifacts": [{"artifactId": "a"}]}));
        assert!(msg.starts_with("FlatBuffers: field 8 must be set"), "{msg}");
    }

    #[test]
    fn conversion_failures_win_over_missing_fields() {
        let err = normalize(&json!({"timers": [{"defaultIntervalMs": 1.5}]})).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ManifestInvalidValue);
        let err = normalize(&json!({"pluginId": "p", "methods": [null]})).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ManifestInvalidValue);
        assert!(err.message().contains("methods[0]"), "{}", err.message());
        assert_eq!(
            normalize(&json!([])).unwrap_err().code(),
            ErrorCode::ManifestInvalidValue
        );
        assert_eq!(
            normalize(&json!({"pluginId": "p", "schemasUsed": [null]}))
                .unwrap_err()
                .code(),
            ErrorCode::ManifestInvalidValue
        );
    }

    #[test]
    fn numbers_compare_with_the_default_before_wrapping() {
        let n = normalize(&json!({"pluginId": "p", "abiVersion": 1, "methods": [{"methodId": "m", "maxBatch": 1.5, "drainPolicy": 257}]}))
            .unwrap()
            .manifest;
        assert_eq!(n.abi_version, None);
        assert_eq!(n.methods[0].max_batch, Some(1));
        assert_eq!(n.methods[0].drain_policy, Some(1));
        let n = normalize(&json!({"pluginId": "p", "pluginFamily": "Storage", "invokeSurfaces": ["direct", 0, " COMMAND ", "x", 1.5]}))
            .unwrap()
            .manifest;
        assert_eq!(n.plugin_family, None);
        assert_eq!(n.invoke_surfaces, vec![0, 1, 1]);
    }

    #[test]
    fn borrowed_text_stays_borrowed_and_matches_the_owned_result() {
        let input = json!({"pluginId": " p ", "protocols": [{"protocolId": " /x ", "methodId": "m", "transportKind": "WebSocket", "role": "dial"}], "runtimeTargets": [" wasi ", 5, null, "  "]});
        let (m, _) = normalize_borrowed(&input).unwrap();
        assert!(matches!(m.plugin_id, Cow::Borrowed(" p ")));
        assert!(matches!(m.protocols[0].protocol_id, Cow::Borrowed("/x")));
        assert_eq!(m.protocols[0].transport_kind.as_deref(), Some("ws"));
        assert!(matches!(m.protocols[0].role, Some(Cow::Borrowed("dial"))));
        assert!(matches!(m.runtime_targets[0], Cow::Borrowed("wasi")));
        assert_eq!(m.runtime_targets[1], "5");
        assert_eq!(m.runtime_targets.len(), 2);
        assert_eq!(m.into_owned(), normalize(&input).unwrap().manifest);
    }

    #[test]
    fn lowercasing_without_allocating_matches_to_lowercase() {
        let long = format!(" {} ", "AbC_".repeat(20));
        for text in [
            " DIRECT ",
            "",
            "\u{feff}Data_Source\n",
            long.as_str(),
            " İSTANBUL ",
            "\u{212a}",
        ] {
            assert_eq!(
                with_lowercase(text, str::to_owned),
                js_trim(text).to_lowercase(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn capability_warnings() {
        let n = normalize(&json!({"pluginId": "p", "externalInterfaces": [{}], "capabilities": ["cron", " EXEC ", "schedule-cron", {"capability": null}, 5, {"capability": 35, "required": false}]}))
            .unwrap();
        let kinds: Vec<_> = n
            .manifest
            .capabilities
            .iter()
            .map(|c| c.capability_or_default())
            .collect();
        assert_eq!(kinds, vec![35, 25, 35]);
        assert!(!n.manifest.capabilities[2].required);
        assert_eq!(
            n.warnings,
            vec![
                warnings::EXTERNAL_INTERFACES_OMITTED.to_owned(),
                warnings::capability_omitted("schedule-cron"),
                warnings::capability_omitted("unknown"),
                warnings::capability_omitted("unknown"),
            ]
        );
    }
}
