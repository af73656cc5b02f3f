//! Reading operation parameters with the reference's coercions (`String(x ?? "").trim()`,
//! `Number(x)`, `toUint8Array`), and encoding results (`{"__type":"bytes","base64":...}`).

use base64::Engine;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::host::HostError;
use crate::js;

/// The parameters of one call: a JSON object, or nothing (`null`, or a non-object, reads as
/// "every member missing", like `params?.x` in the reference).
#[derive(Clone, Copy)]
pub struct Params<'a>(Option<&'a Map<String, Value>>);

impl<'a> Params<'a> {
    pub fn new(value: &'a Value) -> Self {
        Params(value.as_object())
    }

    /// The member, `None` when missing (JSON `null` is returned as `Some(Null)`).
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.0.and_then(|object| object.get(key))
    }

    /// The member, `None` when missing or `null` (the reference's `x ?? default`).
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.raw(key).filter(|value| !value.is_null())
    }

    /// `assertNonEmptyString`: `String(x ?? "").trim()`, empty is a TypeError.
    pub fn string(&self, key: &str, label: &str) -> Result<String, HostError> {
        required_string(self.get(key), label)
    }

    /// `assertNonNegativeInteger(Number(x))`.
    pub fn non_negative_integer(&self, key: &str, label: &str) -> Result<u64, HostError> {
        non_negative_integer(self.raw(key), label)
    }

    /// Bytes (`toUint8Array`), required.
    pub fn bytes(&self, key: &str, label: &str) -> Result<Zeroizing<Vec<u8>>, HostError> {
        bytes(self.raw(key), label)
    }

    /// Bytes when present and not null.
    pub fn optional_bytes(
        &self,
        key: &str,
        label: &str,
    ) -> Result<Option<Zeroizing<Vec<u8>>>, HostError> {
        self.get(key)
            .map(|value| bytes(Some(value), label))
            .transpose()
    }

    /// A boolean option by JavaScript truthiness, `default` when missing or null.
    pub fn flag(&self, key: &str, default: bool) -> bool {
        self.get(key).map(js::is_truthy).unwrap_or(default)
    }
}

/// `String(value ?? "").trim()`, non-empty.
pub fn required_string(value: Option<&Value>, label: &str) -> Result<String, HostError> {
    let text = value.map(js::to_js_string).unwrap_or_default();
    let trimmed = js::js_trim(&text);
    if trimmed.is_empty() {
        return Err(HostError::invalid_params(format!("{label} is required.")));
    }
    Ok(trimmed.to_owned())
}

/// `Number(value)` must be an integer ≥ 0 (a missing value is `NaN`, `null` is 0).
pub fn non_negative_integer(value: Option<&Value>, label: &str) -> Result<u64, HostError> {
    let number = value.map(js::to_number).unwrap_or(f64::NAN);
    // 2^53: beyond it doubles are no longer exact integers for any purpose here.
    if !number.is_finite() || number.fract() != 0.0 || !(0.0..=9.0e15).contains(&number) {
        return Err(HostError::invalid_params(format!(
            "{label} must be a non-negative integer."
        )));
    }
    Ok(number as u64)
}

/// `toUint8Array` for JSON: an array of integers 0..=255 (the reference's form), or the
/// bytes envelope `{"__type":"bytes","base64":"..."}` that results use (accepted as input so a
/// guest can pass a result back unchanged).
pub fn bytes(value: Option<&Value>, label: &str) -> Result<Zeroizing<Vec<u8>>, HostError> {
    match value {
        Some(Value::Array(items)) => {
            let mut out = Zeroizing::new(Vec::with_capacity(items.len()));
            for item in items {
                let byte = item.as_u64().filter(|byte| *byte <= 255).ok_or_else(|| {
                    HostError::invalid_params(format!(
                        "{label}: expected byte values in range 0..255."
                    ))
                })?;
                out.push(byte as u8);
            }
            Ok(out)
        }
        Some(Value::Object(object)) if object.get("__type") == Some(&Value::from("bytes")) => {
            let text = object.get("base64").and_then(Value::as_str).unwrap_or("");
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .map(Zeroizing::new)
                .map_err(|_| {
                    HostError::invalid_params(format!("{label}: invalid base64 in bytes value."))
                })
        }
        _ => Err(HostError::invalid_params(format!(
            "{label}: expected a byte array or a bytes value."
        ))),
    }
}

/// A string as its UTF-8 bytes, anything else through [`bytes`].
pub fn text_or_bytes(value: Option<&Value>, label: &str) -> Result<Zeroizing<Vec<u8>>, HostError> {
    match value {
        Some(Value::String(text)) => Ok(Zeroizing::new(text.as_bytes().to_vec())),
        other => bytes(other, label),
    }
}

/// The result form of bytes: `{"__type":"bytes","base64":"..."}`.
pub fn encode_bytes(bytes: &[u8]) -> Value {
    let mut object = Map::new();
    object.insert("__type".into(), Value::from("bytes"));
    object.insert(
        "base64".into(),
        Value::from(base64::engine::general_purpose::STANDARD.encode(bytes)),
    );
    Value::Object(object)
}

/// A JavaScript number as JSON: integral values are written without a fraction (as
/// `JSON.stringify` does), others as the shortest round-trip decimal.
pub fn js_number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// Sorts strings as JavaScript's default `Array.prototype.sort` does (UTF-16 code units).
pub fn sort_js(values: &mut [String]) {
    values.sort_by(|left, right| left.encode_utf16().cmp(right.encode_utf16()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn coercions_follow_the_reference() {
        let value = json!({"n": "12", "neg": -1, "f": 1.5, "s": "  x ", "nul": null});
        let params = Params::new(&value);
        assert_eq!(params.non_negative_integer("n", "N").unwrap(), 12);
        assert!(params.non_negative_integer("neg", "N").is_err());
        assert!(params.non_negative_integer("f", "N").is_err());
        assert!(params.non_negative_integer("missing", "N").is_err());
        assert_eq!(params.non_negative_integer("nul", "N").unwrap(), 0);
        assert_eq!(params.string("s", "S").unwrap(), "x");
        assert_eq!(
            params.string("missing", "Path").unwrap_err().message,
            "Path is required."
        );
        assert_eq!(js_number(3.0), json!(3));
        assert_eq!(js_number(1.25), json!(1.25));
    }

    #[test]
    fn bytes_accept_arrays_and_the_result_form() {
        assert_eq!(&*bytes(Some(&json!([1, 255])), "b").unwrap(), &[1, 255]);
        assert!(bytes(Some(&json!([256])), "b").is_err());
        assert!(bytes(Some(&json!("text")), "b").is_err());
        let round = encode_bytes(b"hi");
        assert_eq!(&*bytes(Some(&round), "b").unwrap(), b"hi");
    }
}
