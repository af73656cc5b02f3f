//! `host.*`: what the host is and what it grants. No capability needed.

use serde_json::Value;

use crate::host::Host;
use crate::host::params::Params;

pub(super) fn runtime_target(host: &Host) -> Value {
    Value::from(host.policy().runtime_target.clone())
}

pub(super) fn list_capabilities(host: &Host) -> Value {
    Value::from(host.granted_capabilities())
}

pub(super) fn list_supported_capabilities() -> Value {
    Value::from(Host::supported_capabilities())
}

pub(super) fn list_operations(host: &Host) -> Value {
    Value::from(host.list_operations())
}

/// `String(capability ?? "").trim()` is granted (missing reads as "", never granted).
pub(super) fn has_capability(host: &Host, params: Params) -> Value {
    let id = params
        .get("capability")
        .map(crate::js::to_js_string)
        .unwrap_or_default();
    Value::from(host.has_capability(crate::js::js_trim(&id)))
}
