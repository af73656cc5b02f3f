//! JSON manifest → [`PluginManifest`] (spec 4.3), with the warnings of 4.4 and the
//! required-field errors of 4.5.
//!
//! Mirrors the reference's `toEmbeddedPluginManifest` followed by the checks its packer makes.
//! Error precedence follows the reference: a value that cannot be converted at all (a `null`
//! method, a fractional `defaultIntervalMs`) fails first, during normalization; otherwise the
//! first missing required field *in serialization order* (children before their parent, the
//! root's `pluginId` last) is reported.

mod bigint;
pub mod type_ref;

use std::fmt;

use serde_json::{Map, Value};

use super::enums;
use super::model::{
    AcceptedTypeSet, BuildArtifact, HostCapability, MethodManifest, PluginManifest, PortManifest,
    ProtocolSpec, TimerSpec,
};
use super::warnings;
use crate::fbs::type_ref::stored_u16;
use crate::fbs::{TypeRef, slot};
use crate::js::{js_trim, number_value, to_js_string, to_number, wrap_unsigned};
use crate::{Error, ErrorCode, Result};

/// A normalized manifest and the warnings normalization recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub manifest: PluginManifest,
    pub warnings: Vec<String>,
}

/// Normalizes a JSON manifest the way the reference's encoder does.
pub fn normalize(input: &Value) -> Result<Normalized> {
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
        None => Ok(Normalized {
            manifest,
            warnings: normalizer.warnings,
        }),
    }
}

/// JavaScript `value ?? fallback` sees `undefined` and `null` alike.
pub(crate) fn defined(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null())
}

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

/// Text of an optional string field stored "as given": absent/null → absent, anything else
/// through `String()`.
fn text(object: &Map<String, Value>, key: &str) -> Option<String> {
    defined(object.get(key)).map(to_js_string)
}

/// The elements of a list key; a non-array value is an empty list.
fn list<'v>(object: &'v Map<String, Value>, key: &str) -> &'v [Value] {
    match object.get(key) {
        Some(Value::Array(items)) => items,
        _ => &[],
    }
}

/// `Number(value ?? fallback)`.
fn number_or(object: &Map<String, Value>, key: &str, fallback: f64) -> f64 {
    defined(object.get(key)).map_or(fallback, to_number)
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

/// An enum field that takes a JSON number as is, or else text (absent → `fallback_name`)
/// trimmed, lowercased and looked up, unknown → the default.
fn stored_enum(
    value: Option<&Value>,
    fallback_name: &str,
    default: u8,
    lookup: fn(&str) -> Option<u8>,
) -> Option<u8> {
    let number = match value {
        Some(Value::Number(n)) => number_value(n),
        other => {
            let text = defined(other).map_or_else(|| fallback_name.to_owned(), to_js_string);
            f64::from(lookup(&js_trim(&text).to_lowercase()).unwrap_or(default))
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
fn trimmed_text(object: &Map<String, Value>, key: &str) -> Option<String> {
    let text = to_js_string(defined(object.get(key))?);
    let trimmed = js_trim(&text);
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Protocol `transportKind` / `role`: trimmed, lowercased, `_` → `-`, empty → absent, then the
/// alias table.
fn protocol_word(
    object: &Map<String, Value>,
    key: &str,
    alias: fn(&str) -> &str,
) -> Option<String> {
    let text = to_js_string(defined(object.get(key))?);
    let normalized = js_trim(&text).to_lowercase().replace('_', "-");
    (!normalized.is_empty()).then(|| alias(&normalized).to_owned())
}

/// `normalizeBoolean(value, fallback)`: absent/null → fallback, otherwise `value === true`.
fn boolean(object: &Map<String, Value>, key: &str, fallback: bool) -> bool {
    match defined(object.get(key)) {
        None => fallback,
        Some(value) => matches!(value, Value::Bool(true)),
    }
}

/// `value !== false`.
fn not_false(object: &Map<String, Value>, key: &str) -> bool {
    !matches!(object.get(key), Some(Value::Bool(false)))
}

impl Normalizer {
    /// Records a missing required field (only the first one counts) and returns the value to
    /// carry on with.
    fn require(&mut self, value: Option<String>, field: u16, loc: &Loc<'_>, key: &str) -> String {
        if value.is_none() && self.missing.is_none() {
            self.missing = Some(Error::new(
                ErrorCode::ManifestRequiredField,
                format!("FlatBuffers: field {field} must be set ({loc}.{key} is required)"),
            ));
        }
        value.unwrap_or_default()
    }

    fn manifest(&mut self, input: &Map<String, Value>, loc: &Loc<'_>) -> Result<PluginManifest> {
        if !list(input, "externalInterfaces").is_empty() {
            self.warnings
                .push(warnings::EXTERNAL_INTERFACES_OMITTED.to_owned());
        }
        let capabilities = list(input, "capabilities")
            .iter()
            .filter_map(|entry| self.capability(entry))
            .collect();
        let plugin_id = text(input, "pluginId");
        let name = text(input, "name");
        let version = text(input, "version");
        let plugin_family = stored_enum(
            input.get("pluginFamily"),
            "analysis",
            enums::PLUGIN_FAMILY_DEFAULT,
            enums::plugin_family_from_name,
        );
        let methods = list(input, "methods")
            .iter()
            .enumerate()
            .map(|(i, entry)| self.method(entry, &loc.item("methods", i)))
            .collect::<Result<_>>()?;
        let timers = list(input, "timers")
            .iter()
            .enumerate()
            .map(|(i, entry)| self.timer(entry, &loc.item("timers", i)))
            .collect::<Result<_>>()?;
        let protocols = list(input, "protocols")
            .iter()
            .enumerate()
            .map(|(i, entry)| self.protocol(entry, &loc.item("protocols", i)))
            .collect::<Result<_>>()?;
        let schemas_used = type_refs(list(input, "schemasUsed"), loc, "schemasUsed")?;
        let build_artifacts = list(input, "buildArtifacts")
            .iter()
            .enumerate()
            .map(|(i, entry)| self.build_artifact(entry, &loc.item("buildArtifacts", i)))
            .collect::<Result<_>>()?;
        let abi_version = stored_u32_number(
            number_or(input, "abiVersion", 1.0),
            enums::ABI_VERSION_DEFAULT,
        );
        let invoke_surfaces = invoke_surfaces(list(input, "invokeSurfaces"));
        let runtime_targets = runtime_targets(list(input, "runtimeTargets"));
        let plugin_id = self.require(plugin_id, slot(0), loc, "pluginId");
        Ok(PluginManifest {
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
    fn capability(&mut self, entry: &Value) -> Option<HostCapability> {
        if let Value::String(name) = entry {
            let Some(kind) = enums::capability_from_name(&js_trim(name).to_lowercase()) else {
                self.warnings.push(warnings::capability_omitted(name));
                return None;
            };
            return Some(HostCapability {
                capability: stored_u16_number(f64::from(kind), enums::CAPABILITY_DEFAULT),
                ..HostCapability::default()
            });
        }
        // Non-object elements have no `capability` key (so they warn with `unknown`).
        let fields = entry.as_object();
        let raw = fields.and_then(|o| defined(o.get("capability")));
        let kind = match raw {
            Some(Value::Number(n)) => Some(number_value(n)),
            other => {
                let text = other.map(to_js_string).unwrap_or_default();
                enums::capability_from_name(&js_trim(&text).to_lowercase()).map(f64::from)
            }
        };
        let Some(kind) = kind else {
            let shown = raw.map_or_else(|| "unknown".to_owned(), to_js_string);
            self.warnings.push(warnings::capability_omitted(&shown));
            return None;
        };
        let empty = Map::new();
        let fields = fields.unwrap_or(&empty);
        Some(HostCapability {
            capability: stored_u16_number(kind, enums::CAPABILITY_DEFAULT),
            scope: text(fields, "scope"),
            required: not_false(fields, "required"),
            description: text(fields, "description"),
        })
    }

    fn method(&mut self, entry: &Value, loc: &Loc<'_>) -> Result<MethodManifest> {
        let fields = object(entry, loc)?;
        let method_id = text(fields, "methodId");
        let display_name = text(fields, "displayName");
        let input_ports = self.ports(fields, "inputPorts", loc)?;
        let output_ports = self.ports(fields, "outputPorts", loc)?;
        let max_batch =
            stored_u32_number(number_or(fields, "maxBatch", 1.0), enums::MAX_BATCH_DEFAULT);
        let drain_policy = stored_enum(
            fields.get("drainPolicy"),
            "drain-until-yield",
            enums::DRAIN_POLICY_DEFAULT,
            enums::drain_policy_from_name,
        );
        let description = text(fields, "description");
        let method_id = self.require(method_id, slot(0), loc, "methodId");
        Ok(MethodManifest {
            method_id,
            display_name,
            input_ports,
            output_ports,
            max_batch,
            drain_policy,
            description,
        })
    }

    fn ports(
        &mut self,
        method: &Map<String, Value>,
        key: &'static str,
        loc: &Loc<'_>,
    ) -> Result<Vec<PortManifest>> {
        list(method, key)
            .iter()
            .enumerate()
            .map(|(i, entry)| self.port(entry, &loc.item(key, i)))
            .collect()
    }

    fn port(&mut self, entry: &Value, loc: &Loc<'_>) -> Result<PortManifest> {
        let fields = object(entry, loc)?;
        let port_id = text(fields, "portId");
        let display_name = text(fields, "displayName");
        let accepted_type_sets = list(fields, "acceptedTypeSets")
            .iter()
            .enumerate()
            .map(|(i, entry)| self.type_set(entry, &loc.item("acceptedTypeSets", i)))
            .collect::<Result<_>>()?;
        let min_streams =
            stored_u16_number(number_or(fields, "minStreams", 1.0), enums::STREAMS_DEFAULT);
        let max_streams =
            stored_u16_number(number_or(fields, "maxStreams", 1.0), enums::STREAMS_DEFAULT);
        let required = not_false(fields, "required");
        let description = text(fields, "description");
        let port_id = self.require(port_id, slot(0), loc, "portId");
        Ok(PortManifest {
            port_id,
            display_name,
            accepted_type_sets,
            min_streams,
            max_streams,
            required,
            description,
        })
    }

    fn type_set(&mut self, entry: &Value, loc: &Loc<'_>) -> Result<AcceptedTypeSet> {
        let fields = object(entry, loc)?;
        let set_id = text(fields, "setId");
        let allowed_types = type_refs(list(fields, "allowedTypes"), loc, "allowedTypes")?;
        let description = text(fields, "description");
        let set_id = self.require(set_id, slot(0), loc, "setId");
        Ok(AcceptedTypeSet {
            set_id,
            allowed_types,
            description,
        })
    }

    fn timer(&mut self, entry: &Value, loc: &Loc<'_>) -> Result<TimerSpec> {
        let fields = object(entry, loc)?;
        let timer_id = text(fields, "timerId");
        let method_id = text(fields, "methodId");
        let input_port_id = text(fields, "inputPortId");
        let interval = defined(fields.get("defaultIntervalMs")).map_or(Ok(None), |value| {
            bigint::to_bigint(value)
                .map(|big| big.stored())
                .map_err(|message| {
                    Error::new(
                        ErrorCode::ManifestInvalidValue,
                        format!("{loc}.defaultIntervalMs: {message}"),
                    )
                })
        })?;
        let description = text(fields, "description");
        let timer_id = self.require(timer_id, slot(0), loc, "timerId");
        let method_id = self.require(method_id, slot(1), loc, "methodId");
        Ok(TimerSpec {
            timer_id,
            method_id,
            input_port_id,
            default_interval_ms: interval,
            description,
        })
    }

    fn protocol(&mut self, entry: &Value, loc: &Loc<'_>) -> Result<ProtocolSpec> {
        let fields = object(entry, loc)?;
        let protocol_id = trimmed_text(fields, "protocolId");
        let method_id = trimmed_text(fields, "methodId");
        let spec = ProtocolSpec {
            protocol_id: String::new(),
            method_id: String::new(),
            input_port_id: trimmed_text(fields, "inputPortId"),
            output_port_id: trimmed_text(fields, "outputPortId"),
            description: trimmed_text(fields, "description"),
            wire_id: trimmed_text(fields, "wireId"),
            transport_kind: protocol_word(fields, "transportKind", enums::protocol_transport_kind),
            role: protocol_word(fields, "role", enums::protocol_role),
            spec_uri: trimmed_text(fields, "specUri"),
            auto_install: boolean(fields, "autoInstall", true),
            advertise: boolean(fields, "advertise", false),
            discovery_key: trimmed_text(fields, "discoveryKey"),
            default_port: stored_u16(defined(fields.get("defaultPort"))),
            require_secure_transport: boolean(fields, "requireSecureTransport", false),
        };
        let protocol_id = self.require(protocol_id, slot(0), loc, "protocolId");
        let method_id = self.require(method_id, slot(1), loc, "methodId");
        Ok(ProtocolSpec {
            protocol_id,
            method_id,
            ..spec
        })
    }

    fn build_artifact(&mut self, entry: &Value, loc: &Loc<'_>) -> Result<BuildArtifact> {
        let fields = object(entry, loc)?;
        let artifact_id = text(fields, "artifactId");
        let kind = text(fields, "kind");
        let path = text(fields, "path");
        let target = text(fields, "target");
        let entry_symbol = text(fields, "entrySymbol");
        let artifact_id = self.require(artifact_id, slot(0), loc, "artifactId");
        let path = self.require(path, slot(2), loc, "path");
        Ok(BuildArtifact {
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
fn type_refs(items: &[Value], loc: &Loc<'_>, key: &'static str) -> Result<Vec<TypeRef>> {
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
            Ok(type_ref::type_ref_from_json(item))
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
            other => enums::invoke_surface_from_name(&js_trim(&to_js_string(other)).to_lowercase())
                .map(f64::from),
        };
        if let Some(value) = value.filter(|v| !seen.contains(v)) {
            seen.push(value);
            surfaces.push(wrap_unsigned(value, 8) as u8);
        }
    }
    surfaces
}

/// `runtimeTargets`: `String()` (null → empty), trimmed, empty dropped; order and duplicates kept.
fn runtime_targets(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .filter_map(|item| {
            let text = if item.is_null() {
                String::new()
            } else {
                to_js_string(item)
            };
            let trimmed = js_trim(&text);
            (!trimmed.is_empty()).then(|| trimmed.to_owned())
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
