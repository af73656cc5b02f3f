//! The error a host operation fails with, and its `sdn_host` envelope form.

use serde_json::{Map, Value};

use crate::{Error, ErrorCode};

/// A failed host operation. `name` is the JavaScript error name the reference reports
/// (`Error`, `TypeError`, `RangeError`, `SyntaxError`, `HostCapabilityError`,
/// `HostFilesystemScopeError`); `code` is the stable core code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostError {
    pub code: ErrorCode,
    pub name: &'static str,
    pub message: String,
    /// Set for capability and policy errors (the reference fills it only for those).
    pub operation: Option<String>,
    pub capability: Option<String>,
    /// True when the reference puts `code` into the envelope (capability and scope errors);
    /// otherwise the envelope's `code` is null, as in the reference, and the stable code
    /// travels in `sdmCode`.
    pub reference_code: bool,
}

impl HostError {
    pub fn new(code: ErrorCode, name: &'static str, message: impl Into<String>) -> Self {
        HostError {
            code,
            name,
            message: message.into(),
            operation: None,
            capability: None,
            reference_code: false,
        }
    }

    /// `TypeError` with `host-invalid-params`: the common shape of a parameter check.
    pub fn invalid_params(message: impl Into<String>) -> Self {
        HostError::new(ErrorCode::HostInvalidParams, "TypeError", message)
    }

    /// A policy or capability refusal, naming what was refused.
    pub fn denied(
        code: ErrorCode,
        name: &'static str,
        message: impl Into<String>,
        operation: &str,
        capability: &str,
    ) -> Self {
        HostError {
            code,
            name,
            message: message.into(),
            operation: Some(operation.to_owned()),
            capability: Some(capability.to_owned()),
            reference_code: true,
        }
    }

    /// The `error` member of an `sdn_host` envelope: the reference's five members in its order,
    /// then `sdmCode` (the stable core code, always present).
    pub fn to_envelope_error(&self) -> Value {
        let mut error = Map::new();
        error.insert("name".into(), Value::from(self.name));
        error.insert("message".into(), Value::from(self.message.clone()));
        error.insert(
            "code".into(),
            if self.reference_code {
                Value::from(self.code.as_str())
            } else {
                Value::Null
            },
        );
        error.insert("operation".into(), opt(&self.operation));
        error.insert("capability".into(), opt(&self.capability));
        error.insert("sdmCode".into(), Value::from(self.code.as_str()));
        Value::Object(error)
    }
}

fn opt(value: &Option<String>) -> Value {
    value.clone().map(Value::from).unwrap_or(Value::Null)
}

impl std::fmt::Display for HostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

impl std::error::Error for HostError {}

impl From<HostError> for Error {
    fn from(err: HostError) -> Error {
        Error::new(err.code, err.message)
    }
}
