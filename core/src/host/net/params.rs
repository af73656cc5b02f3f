//! Reading operation params and writing results: the shapes shared by every network operation.

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::ErrorCode;
use crate::host::{HostError, HostLimits};

/// The params object; JSON `null` (an empty hostcall payload) reads as `{}`.
pub(crate) fn object(params: &Value) -> Result<&Map<String, Value>, HostError> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    match params {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(EMPTY.get_or_init(Map::new)),
        _ => Err(HostError::invalid_params(
            "Network operation params must be a JSON object.",
        )),
    }
}

/// A member that is absent or `null` is "not given", as `??` treats it in the reference.
pub(crate) fn member<'a>(params: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    params.get(key).filter(|value| !value.is_null())
}

/// A required non-empty string (trimmed), e.g. `TCP host is required.`
pub(crate) fn required_string(
    params: &Map<String, Value>,
    key: &str,
    label: &str,
) -> Result<String, HostError> {
    optional_string(params, key, label)?
        .ok_or_else(|| HostError::invalid_params(format!("{label} is required.")))
}

/// An optional non-empty string (trimmed); an empty string counts as absent.
pub(crate) fn optional_string(
    params: &Map<String, Value>,
    key: &str,
    label: &str,
) -> Result<Option<String>, HostError> {
    match member(params, key) {
        None => Ok(None),
        Some(Value::String(text)) => {
            let trimmed = text.trim();
            Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
        }
        Some(Value::Number(number)) => Ok(Some(number.to_string())),
        Some(_) => Err(HostError::invalid_params(format!(
            "{label} must be a string."
        ))),
    }
}

/// A port in `min..=65535` given as a JSON integer (or a string holding one, as `Number()` reads).
pub(crate) fn port(value: Option<&Value>, label: &str, min: u16) -> Result<u16, HostError> {
    let error =
        || HostError::invalid_params(format!("{label} must be an integer in range {min}..65535."));
    let number = match value {
        Some(Value::Number(number)) => number.as_u64().ok_or_else(error)?,
        Some(Value::String(text)) => text.trim().parse::<u64>().map_err(|_| error())?,
        _ => return Err(error()),
    };
    u16::try_from(number)
        .ok()
        .filter(|port| *port >= min)
        .ok_or_else(error)
}

/// An optional non-negative integer.
pub(crate) fn optional_u64(
    params: &Map<String, Value>,
    key: &str,
    label: &str,
) -> Result<Option<u64>, HostError> {
    match member(params, key) {
        None => Ok(None),
        Some(Value::Number(number)) => number.as_u64().map(Some).ok_or_else(|| {
            HostError::invalid_params(format!("{label} must be a non-negative integer."))
        }),
        Some(_) => Err(HostError::invalid_params(format!(
            "{label} must be a non-negative integer."
        ))),
    }
}

/// An optional boolean; anything else than `true`/`false` is an error.
pub(crate) fn optional_bool(
    params: &Map<String, Value>,
    key: &str,
    label: &str,
) -> Result<Option<bool>, HostError> {
    match member(params, key) {
        None => Ok(None),
        Some(Value::Bool(flag)) => Ok(Some(*flag)),
        Some(_) => Err(HostError::invalid_params(format!(
            "{label} must be a boolean."
        ))),
    }
}

/// Data to send: a string (sent as UTF-8), an array of byte values, or the bytes envelope
/// `{"__type":"bytes","base64":"..."}` that results use (accepted so a guest can echo a result).
pub(crate) fn bytes(value: Option<&Value>, label: &str) -> Result<Option<Vec<u8>>, HostError> {
    let invalid = || {
        HostError::invalid_params(format!(
            "{label} must be a string, an array of byte values or a bytes object."
        ))
    };
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.as_bytes().to_vec())),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_u64()
                    .and_then(|b| u8::try_from(b).ok())
                    .ok_or_else(invalid)
            })
            .collect::<Result<Vec<u8>, _>>()
            .map(Some),
        Some(Value::Object(map)) => {
            let is_bytes = map.get("__type").and_then(Value::as_str) == Some("bytes");
            let encoded = map.get("base64").and_then(Value::as_str);
            match (is_bytes, encoded) {
                (true, Some(encoded)) => base64::engine::general_purpose::STANDARD
                    .decode(encoded.trim())
                    .map(Some)
                    .map_err(|_| HostError::invalid_params(format!("{label} has invalid base64."))),
                _ => Err(invalid()),
            }
        }
        Some(_) => Err(invalid()),
    }
}

/// The bytes envelope of a result: `{"__type":"bytes","base64":"..."}`.
pub(crate) fn bytes_value(data: &[u8]) -> Value {
    let mut map = Map::new();
    map.insert("__type".into(), Value::from("bytes"));
    map.insert(
        "base64".into(),
        Value::from(base64::engine::general_purpose::STANDARD.encode(data)),
    );
    Value::Object(map)
}

/// How a received body is handed back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyEncoding {
    /// The bytes envelope.
    Bytes,
    /// UTF-8 text (invalid sequences become U+FFFD, as `TextDecoder` does).
    Text,
    /// Parsed JSON.
    Json,
}

impl BodyEncoding {
    /// Reads `key` among `accepted` names (lower-cased, trimmed); `default` when absent.
    pub(crate) fn parse(
        params: &Map<String, Value>,
        key: &str,
        label: &str,
        accepted: &[(&str, BodyEncoding)],
        default: BodyEncoding,
    ) -> Result<BodyEncoding, HostError> {
        let Some(value) = member(params, key) else {
            return Ok(default);
        };
        let name = value.as_str().map(|text| text.trim().to_ascii_lowercase());
        let found = name
            .as_deref()
            .and_then(|name| accepted.iter().find(|(known, _)| *known == name));
        match found {
            Some((_, encoding)) => Ok(*encoding),
            None => {
                let expected: Vec<String> = accepted
                    .iter()
                    .map(|(known, _)| format!("\"{known}\""))
                    .collect();
                Err(HostError::invalid_params(format!(
                    "Unsupported {label} {value}. Expected {}.",
                    expected.join(", ")
                )))
            }
        }
    }

    /// The result value for `data`.
    pub(crate) fn encode(self, data: &[u8], label: &str) -> Result<Value, HostError> {
        match self {
            BodyEncoding::Bytes => Ok(bytes_value(data)),
            BodyEncoding::Text => Ok(Value::from(String::from_utf8_lossy(data).into_owned())),
            BodyEncoding::Json => serde_json::from_slice(data).map_err(|err| {
                HostError::new(
                    ErrorCode::HostOperationFailed,
                    "SyntaxError",
                    format!("{label} is not valid JSON: {err}"),
                )
            }),
        }
    }
}

/// The instant by which the whole operation (resolution, connect and exchange) must be done.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    at: Instant,
    /// The kind of operation, for messages such as `TCP request timed out.`
    what: &'static str,
}

impl Deadline {
    /// From `params.timeoutMs` (a non-negative integer; absent or 0 means the default), capped
    /// by `limits.max_timeout`.
    pub(crate) fn from_params(
        params: &Map<String, Value>,
        limits: &HostLimits,
        what: &'static str,
    ) -> Result<Deadline, HostError> {
        let requested = optional_u64(params, "timeoutMs", &format!("{what} timeoutMs"))?;
        Ok(Deadline::after(limits.timeout(requested), what))
    }

    pub(crate) fn after(timeout: Duration, what: &'static str) -> Deadline {
        Deadline {
            at: Instant::now() + timeout,
            what,
        }
    }

    /// Time left, or the timeout error when none is.
    pub(crate) fn remaining(&self) -> Result<Duration, HostError> {
        let left = self.at.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(self.timed_out())
        } else {
            Ok(left)
        }
    }

    pub(crate) fn timed_out(&self) -> HostError {
        HostError::new(
            ErrorCode::HostTimeout,
            "Error",
            format!("{} timed out.", self.what),
        )
    }
}

/// A failure of the connection or the exchange.
pub(crate) fn network_failed(message: impl Into<String>) -> HostError {
    HostError::new(ErrorCode::HostNetworkFailed, "Error", message)
}

/// More data than `max_read_bytes` arrived.
pub(crate) fn read_limit_exceeded(what: &str, limit: usize) -> HostError {
    HostError::new(
        ErrorCode::HostLimitExceeded,
        "RangeError",
        format!("{what} exceeds the host's read limit of {limit} bytes."),
    )
}

/// Maps an I/O error: a timed-out read or write is the deadline's error, anything else fails.
pub(crate) fn io_error(err: &std::io::Error, deadline: &Deadline, context: &str) -> HostError {
    match err.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => deadline.timed_out(),
        _ => network_failed(format!("{context}: {err}")),
    }
}
