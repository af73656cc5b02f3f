//! `context.*`: scoped key/value storage (scope defaults to `"global"`).

use serde_json::Value;

use crate::host::params::{Params, required_string};
use crate::host::{Host, HostError};

fn scope(params: Params) -> Result<String, HostError> {
    match params.get("scope") {
        None => Ok("global".to_owned()),
        Some(value) => required_string(Some(value), "Context scope"),
    }
}

pub(super) fn get(host: &Host, params: Params) -> Result<Value, HostError> {
    let scope = scope(params)?;
    let key = params.string("key", "Context key")?;
    Ok(host.context().get(&scope, &key)?.unwrap_or(Value::Null))
}

/// Stores `value` (a missing value is stored as `null`, since JSON has no `undefined`).
pub(super) fn set(host: &Host, params: Params) -> Result<Value, HostError> {
    let scope = scope(params)?;
    let key = params.string("key", "Context key")?;
    let value = params.raw("value").cloned().unwrap_or(Value::Null);
    host.context().set(&scope, &key, value)?;
    Ok(Value::Null)
}

pub(super) fn delete(host: &Host, params: Params) -> Result<Value, HostError> {
    let scope = scope(params)?;
    let key = params.string("key", "Context key")?;
    Ok(Value::from(host.context().delete(&scope, &key)?))
}

pub(super) fn list_keys(host: &Host, params: Params) -> Result<Value, HostError> {
    let scope = scope(params)?;
    Ok(Value::from(host.context().list_keys(&scope)?))
}

pub(super) fn list_scopes(host: &Host) -> Result<Value, HostError> {
    Ok(Value::from(host.context().list_scopes()?))
}
