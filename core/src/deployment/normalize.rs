//! `normalizeDeploymentPlan`, reproduced field by field.
//!
//! Every normalized object lists its keys in the reference's order; missing values become
//! `null`, `[]`, `{}`, `0` or `false` exactly as the reference fills them. The JSON coercions
//! (`String()`, `Number()`, `trim`) are the ones of [`crate::js`].

use serde_json::{Map, Value};

use crate::js::{js_trim, to_js_string, to_number};
use crate::{Error, ErrorCode, Result};

/// `formatVersion` when the plan gives none (or a non-finite one).
pub const DEPLOYMENT_PLAN_FORMAT_VERSION: f64 = 1.0;

/// The normalized form of `plan`, as the reference computes it before canonicalizing.
///
/// Any non-null value is accepted: fields are read only from objects, so a string or number
/// plan yields the all-defaults plan, like property access on a JavaScript primitive.
/// Errors with [`ErrorCode::DeploymentInvalidPlan`] where the reference crashes: a `null`
/// plan, or a `null` element in one of the six lists.
pub fn normalize_plan(plan: &Value) -> Result<Value> {
    if plan.is_null() {
        return Err(Error::new(
            ErrorCode::DeploymentInvalidPlan,
            "Deployment plan must not be null.",
        ));
    }
    let mut out = Map::new();
    out.insert(
        "formatVersion".into(),
        integer(field(plan, "formatVersion"), DEPLOYMENT_PLAN_FORMAT_VERSION),
    );
    for key in [
        "pluginId",
        "version",
        "artifactCid",
        "bundleCid",
        "environmentId",
    ] {
        out.insert(key.into(), string(field(plan, key)));
    }
    let lists: [(&str, fn(&Value) -> Value); 6] = [
        ("protocolInstallations", protocol_installation),
        ("inputBindings", input_binding),
        ("scheduleBindings", schedule_binding),
        ("serviceBindings", service_binding),
        ("authPolicies", auth_policy),
        ("publicationBindings", publication_binding),
    ];
    for (key, normalize) in lists {
        let items = match field(plan, key) {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    if item.is_null() {
                        Err(Error::new(
                            ErrorCode::DeploymentInvalidPlan,
                            format!("Deployment plan {key}[{index}] must not be null."),
                        ))
                    } else {
                        Ok(normalize(item))
                    }
                })
                .collect::<Result<Vec<_>>>()?,
            _ => Vec::new(),
        };
        out.insert(key.into(), Value::Array(items));
    }
    Ok(Value::Object(out))
}

fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.as_object()?.get(key)
}

/// `normalizeString`: null/absent → null; `String(v).trim()`; empty → null.
fn string(value: Option<&Value>) -> Value {
    match value {
        None | Some(Value::Null) => Value::Null,
        Some(v) => non_empty(js_trim(&to_js_string(v)).to_owned()),
    }
}

fn non_empty(text: String) -> Value {
    if text.is_empty() {
        Value::Null
    } else {
        Value::String(text)
    }
}

/// `normalizeBoolean(v, false)`: null/absent → false; otherwise `v === true`.
fn boolean(value: Option<&Value>) -> Value {
    Value::Bool(matches!(value, Some(Value::Bool(true))))
}

/// `normalizeInteger(v, fallback)`: `Number(v ?? fallback)`, non-finite → fallback, then
/// `Math.max(0, Math.trunc(x))`.
fn integer(value: Option<&Value>, fallback: f64) -> Value {
    let x = match value {
        None | Some(Value::Null) => fallback,
        Some(v) => to_number(v),
    };
    let x = if x.is_finite() { x } else { fallback };
    js_number(x.trunc().max(0.0))
}

/// A non-negative integral double as a JSON number (exact integer form when it fits).
fn js_number(x: f64) -> Value {
    if x < 9_007_199_254_740_992.0 {
        Value::from(x as u64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

/// `normalizeStringArray`: a non-array → `[]`; each element through [`string`], nulls dropped.
fn string_array(value: Option<&Value>) -> Value {
    match value {
        Some(Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|item| string(Some(item)))
                .filter(|v| !v.is_null())
                .collect(),
        ),
        _ => Value::Array(Vec::new()),
    }
}

/// `normalizeRecord`: a (shallow copy of an) object, anything else → `{}`.
fn record(value: Option<&Value>) -> Value {
    match value {
        Some(Value::Object(map)) => Value::Object(map.clone()),
        _ => Value::Object(Map::new()),
    }
}

/// The shared shape of the reference's enum-name normalizers: null/absent → null;
/// `String(v).trim().toLowerCase()` with `_` → `-`; aliases; empty → null.
fn enum_name(value: Option<&Value>, aliases: &[(&str, &str)]) -> Value {
    match value {
        None | Some(Value::Null) => Value::Null,
        Some(v) => {
            let normalized = js_trim(&to_js_string(v)).to_lowercase().replace('_', "-");
            match aliases.iter().find(|(from, _)| *from == normalized) {
                Some((_, to)) => Value::String((*to).to_owned()),
                None => non_empty(normalized),
            }
        }
    }
}

fn transport_kind(value: Option<&Value>) -> Value {
    enum_name(value, &[("websocket", "ws"), ("pipe", "wasi-pipe")])
}

fn protocol_role(value: Option<&Value>) -> Value {
    enum_name(value, &[("handler", "handle")])
}

fn binding_mode(value: Option<&Value>) -> Value {
    enum_name(value, &[("remote", "delegated")])
}

fn schedule_kind(value: Option<&Value>) -> Value {
    enum_name(value, &[("startup", "once")])
}

fn source_kind(value: Option<&Value>) -> Value {
    enum_name(value, &[])
}

/// How one output field is computed from the input field of the same name.
#[derive(Clone, Copy)]
enum Kind {
    Str,
    Bool,
    Int,
    StrArray,
    Record,
    Transport,
    Role,
    Mode,
    Schedule,
    Source,
}

fn build(value: &Value, fields: &[(&str, Kind)]) -> Value {
    let mut out = Map::new();
    for &(key, kind) in fields {
        let input = field(value, key);
        let normalized = match kind {
            Kind::Str => string(input),
            Kind::Bool => boolean(input),
            Kind::Int => integer(input, 0.0),
            Kind::StrArray => string_array(input),
            Kind::Record => record(input),
            Kind::Transport => transport_kind(input),
            Kind::Role => protocol_role(input),
            Kind::Mode => binding_mode(input),
            Kind::Schedule => schedule_kind(input),
            Kind::Source => source_kind(input),
        };
        out.insert(key.to_owned(), normalized);
    }
    Value::Object(out)
}

use Kind::*;

fn protocol_installation(value: &Value) -> Value {
    build(
        value,
        &[
            ("protocolId", Str),
            ("wireId", Str),
            ("transportKind", Transport),
            ("role", Role),
            ("peerId", Str),
            ("listenMultiaddrs", StrArray),
            ("advertisedMultiaddrs", StrArray),
            ("nodeInfoUrl", Str),
            ("serviceName", Str),
            ("resolvedPort", Int),
            ("artifactCid", Str),
            ("description", Str),
        ],
    )
}

fn input_binding(value: &Value) -> Value {
    build(
        value,
        &[
            ("bindingId", Str),
            ("interfaceId", Str),
            ("targetPluginId", Str),
            ("targetMethodId", Str),
            ("targetInputPortId", Str),
            ("sourceKind", Source),
            ("multiaddrs", StrArray),
            ("allowPeerIds", StrArray),
            ("allowServerKeys", StrArray),
            ("deliveryMode", Str),
            ("description", Str),
        ],
    )
}

fn schedule_binding(value: &Value) -> Value {
    build(
        value,
        &[
            ("scheduleId", Str),
            ("bindingMode", Mode),
            ("triggerId", Str),
            ("targetMethodId", Str),
            ("targetInputPortId", Str),
            ("scheduleKind", Schedule),
            ("cron", Str),
            ("intervalMs", Int),
            ("runAtStartup", Bool),
            ("startupDelayMs", Int),
            ("timezone", Str),
            ("description", Str),
        ],
    )
}

fn service_binding(value: &Value) -> Value {
    build(
        value,
        &[
            ("serviceId", Str),
            ("bindingMode", Mode),
            ("serviceKind", Str),
            ("triggerId", Str),
            ("protocolId", Str),
            ("routePath", Str),
            ("method", Str),
            ("transportKind", Transport),
            ("adapter", Str),
            ("listenHost", Str),
            ("listenPort", Int),
            ("remoteUrl", Str),
            ("allowTransports", StrArray),
            ("authPolicyId", Str),
            ("description", Str),
            ("properties", Record),
        ],
    )
}

fn auth_policy(value: &Value) -> Value {
    build(
        value,
        &[
            ("policyId", Str),
            ("bindingMode", Mode),
            ("targetKind", Str),
            ("targetId", Str),
            ("adapter", Str),
            ("walletProfileId", Str),
            ("trustMapId", Str),
            ("allowPeerIds", StrArray),
            ("allowServerKeys", StrArray),
            ("allowEntityIds", StrArray),
            ("requireSignedRequests", Bool),
            ("requireEncryptedTransport", Bool),
            ("description", Str),
            ("properties", Record),
        ],
    )
}

fn publication_binding(value: &Value) -> Value {
    build(
        value,
        &[
            ("publicationId", Str),
            ("interfaceId", Str),
            ("bindingMode", Mode),
            ("sourceKind", Str),
            ("sourceMethodId", Str),
            ("sourceOutputPortId", Str),
            ("sourceNodeId", Str),
            ("sourceTriggerId", Str),
            ("schemaName", Str),
            ("mediaType", Str),
            ("archivePath", Str),
            ("queryInterfaceId", Str),
            ("emitPnm", Bool),
            ("emitFlatbufferArchive", Bool),
            ("pinPolicy", Str),
            ("maxRecords", Int),
            ("maxBytes", Int),
            ("minLivelinessSeconds", Int),
            ("recordRangeStartField", Str),
            ("recordRangeStopField", Str),
            ("description", Str),
            ("properties", Record),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_plan_has_the_twelve_defaults() {
        let plan = normalize_plan(&json!({})).unwrap();
        let text = crate::canonical_json::canonical_string(&plan).unwrap();
        assert_eq!(
            text,
            r#"{"artifactCid":null,"authPolicies":[],"bundleCid":null,"environmentId":null,"formatVersion":1,"inputBindings":[],"pluginId":null,"protocolInstallations":[],"publicationBindings":[],"scheduleBindings":[],"serviceBindings":[],"version":null}"#
        );
        assert_eq!(normalize_plan(&json!("text")).unwrap(), plan);
    }

    #[test]
    fn coercions_follow_the_reference() {
        let plan = normalize_plan(&json!({
            "formatVersion": "abc",
            "pluginId": "  p  ",
            "version": 7,
            "environmentId": "   ",
            "protocolInstallations": [{"transportKind": "WebSocket", "role": "HANDLER", "listenMultiaddrs": ["a", "", " ", null, 5], "resolvedPort": -3.5}, 4],
            "scheduleBindings": [{"bindingMode": "remote", "scheduleKind": "Start_Up", "runAtStartup": "yes", "intervalMs": 12.9}],
            "serviceBindings": [{"properties": [1]}],
        }))
        .unwrap();
        assert_eq!(plan["formatVersion"], json!(1));
        assert_eq!(plan["pluginId"], json!("p"));
        assert_eq!(plan["version"], json!("7"));
        assert_eq!(plan["environmentId"], Value::Null);
        let install = &plan["protocolInstallations"][0];
        assert_eq!(install["transportKind"], json!("ws"));
        assert_eq!(install["role"], json!("handle"));
        assert_eq!(install["listenMultiaddrs"], json!(["a", "5"]));
        assert_eq!(install["resolvedPort"], json!(0));
        assert_eq!(plan["protocolInstallations"][1]["protocolId"], Value::Null);
        let schedule = &plan["scheduleBindings"][0];
        assert_eq!(schedule["bindingMode"], json!("delegated"));
        assert_eq!(schedule["scheduleKind"], json!("start-up"));
        assert_eq!(schedule["runAtStartup"], json!(false));
        assert_eq!(schedule["intervalMs"], json!(12));
        assert_eq!(plan["serviceBindings"][0]["properties"], json!({}));
    }

    #[test]
    fn null_plan_or_null_element_is_an_error() {
        assert_eq!(
            normalize_plan(&Value::Null).unwrap_err().code(),
            ErrorCode::DeploymentInvalidPlan
        );
        assert_eq!(
            normalize_plan(&json!({"authPolicies": [null]}))
                .unwrap_err()
                .code(),
            ErrorCode::DeploymentInvalidPlan
        );
    }
}
