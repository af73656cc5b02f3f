//! `normalizeEntry` / `normalizeTypeRef` of the reference's bundle codec: JSON-valued entry
//! fields → stored values (spec 7.1 text rules, 7.3.3, 7.3.4).

use serde_json::Value;

use super::model::{
    BundleEntry, encoding, encoding_from_name, normalize_enum_text, role, role_from_name,
};
use crate::fbs::TypeRef;
use crate::fbs::type_ref::{stored_u16, stored_u32, wire_format_from_json};
use crate::js::{is_truthy, number_value, to_js_string, to_number, wrap_unsigned};
use crate::{Error, ErrorCode, Result};

/// The builder's store decision for a scalar given as a JavaScript number: stored when
/// `x != default` (so NaN is stored), as `x` wrapped to the field width.
pub(crate) fn stored_scalar(x: f64, default: f64, bits: u32) -> Option<u64> {
    (x != default).then(|| wrap_unsigned(x, bits))
}

/// `String(v)` for a present, non-null value; `None` otherwise.
pub(crate) fn optional_text(value: Option<&Value>) -> Option<String> {
    match value {
        None | Some(Value::Null) => None,
        Some(v) => Some(to_js_string(v)),
    }
}

/// The JavaScript number an enum field holds after `normalizeRole`/`normalizePayloadEncoding`:
/// a JSON number passes through unchanged; anything else is text looked up by name, with
/// `fallback` for unknown names (and for absent/null values, whose text is the default name).
fn enum_number(value: Option<&Value>, lookup: fn(&str) -> Option<u8>, fallback: u8) -> f64 {
    match value {
        Some(Value::Number(n)) => number_value(n),
        None | Some(Value::Null) => f64::from(fallback),
        Some(other) => {
            f64::from(lookup(&normalize_enum_text(&to_js_string(other))).unwrap_or(fallback))
        }
    }
}

/// The stored role of a role value (`normalizeRole`).
pub fn stored_role(value: Option<&Value>) -> Option<u8> {
    let x = enum_number(value, role_from_name, role::AUXILIARY);
    stored_scalar(x, f64::from(role::AUXILIARY), 8).map(|v| v as u8)
}

/// The stored payload encoding of an encoding value (`normalizePayloadEncoding`).
pub fn stored_encoding(value: Option<&Value>) -> Option<u8> {
    let x = enum_number(value, encoding_from_name, encoding::RAW_BYTES);
    stored_scalar(x, f64::from(encoding::RAW_BYTES), 8).map(|v| v as u8)
}

/// The stored flags (`Number(flags ?? 0)`, u32).
pub fn stored_flags(value: Option<&Value>) -> Option<u32> {
    let x = match value {
        None | Some(Value::Null) => 0.0,
        Some(v) => to_number(v),
    };
    stored_scalar(x, 0.0, 32).map(|v| v as u32)
}

/// Whether the create step canonicalizes a non-byte payload: only when the encoding is
/// *exactly* the text `json-utf8` or the number 2 (reference quirk: `JSON_UTF8` is rejected).
pub(crate) fn is_exact_json_encoding(value: Option<&Value>) -> bool {
    match value {
        Some(Value::String(s)) => s == "json-utf8",
        Some(Value::Number(n)) => number_value(n) == f64::from(encoding::JSON_UTF8),
        _ => false,
    }
}

/// Bundle-path type reference (spec 7.3.4). A falsy value means no type ref; a truthy
/// non-object yields the all-defaults type ref (its fields read as absent).
pub fn normalize_type_ref(value: Option<&Value>) -> Result<Option<TypeRef>> {
    let Some(value) = value.filter(|v| is_truthy(v)) else {
        return Ok(None);
    };
    let field = |key: &str| value.as_object().and_then(|map| map.get(key));
    Ok(Some(TypeRef {
        schema_name: optional_text(field("schemaName")),
        file_identifier: optional_text(field("fileIdentifier")),
        schema_hash: schema_hash_bytes(field("schemaHash"))?,
        accepts_any_flatbuffer: field("acceptsAnyFlatbuffer").is_some_and(is_truthy),
        wire_format: wire_format_from_json(field("wireFormat")),
        root_type_name: optional_text(field("rootTypeName")),
        fixed_string_length: stored_u16(field("fixedStringLength")),
        byte_length: stored_u32(field("byteLength")),
        required_alignment: stored_u16(field("requiredAlignment")),
    }))
}

/// `normalizeByteArray` without an encoding: absent → empty; array → `Number(x) & 0xff`;
/// text → its UTF-8 bytes (not hex); anything else is rejected.
fn schema_hash_bytes(value: Option<&Value>) -> Result<Vec<u8>> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items
            .iter()
            .map(|x| wrap_unsigned(to_number(x), 8) as u8)
            .collect()),
        Some(Value::String(s)) => Ok(s.as_bytes().to_vec()),
        Some(_) => Err(Error::new(
            ErrorCode::BundleInvalidPayload,
            "Expected payload bytes, ArrayBufferView, ArrayBuffer, string, or JSON value.",
        )),
    }
}

/// Builds the stored entry from resolved payload bytes and JSON-valued fields.
/// `entry_id`: `None` or `Some(Null)` fails like the reference's required-field check.
pub(crate) fn normalize_entry(
    fields: &super::EntryInput,
    payload: Vec<u8>,
    sha256: Vec<u8>,
) -> Result<BundleEntry> {
    let entry_id = optional_text(fields.entry_id.as_ref()).ok_or_else(|| {
        Error::new(
            ErrorCode::BundleRequiredField,
            "FlatBuffers: field 4 must be set",
        )
    })?;
    Ok(BundleEntry {
        entry_id,
        role: stored_role(fields.role.as_ref()),
        section_name: optional_text(fields.section_name.as_ref()),
        type_ref: normalize_type_ref(fields.type_ref.as_ref())?,
        payload_encoding: stored_encoding(fields.payload_encoding.as_ref()),
        media_type: optional_text(fields.media_type.as_ref()),
        flags: stored_flags(fields.flags.as_ref()),
        sha256,
        payload,
        description: optional_text(fields.description.as_ref()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enum_rules() {
        assert_eq!(stored_role(None), None);
        assert_eq!(stored_role(Some(&json!("ATTESTATION"))), Some(4));
        assert_eq!(stored_role(Some(&json!("weird"))), None);
        assert_eq!(stored_role(Some(&json!(2))), Some(2));
        assert_eq!(stored_role(Some(&json!(261))), Some(5));
        assert_eq!(stored_role(Some(&json!(5))), None);
        assert_eq!(stored_encoding(Some(&json!(" JSON_UTF8 "))), Some(2));
        assert_eq!(stored_encoding(Some(&json!("raw-bytes"))), None);
        assert_eq!(stored_flags(Some(&json!("x"))), Some(0));
        assert_eq!(stored_flags(Some(&json!(7))), Some(7));
        assert!(is_exact_json_encoding(Some(&json!("json-utf8"))));
        assert!(is_exact_json_encoding(Some(&json!(2.0))));
        assert!(!is_exact_json_encoding(Some(&json!("JSON_UTF8"))));
    }

    #[test]
    fn bundle_path_type_ref() {
        let t = normalize_type_ref(Some(&json!({"schemaName": 5, "schemaHash": "ab", "acceptsAnyFlatbuffer": "yes", "wireFormat": "aligned_binary", "byteLength": 16})))
            .unwrap()
            .unwrap();
        assert_eq!(t.schema_name.as_deref(), Some("5"));
        assert_eq!(t.schema_hash, b"ab");
        assert!(t.accepts_any_flatbuffer);
        assert_eq!(t.wire_format, 1);
        assert_eq!(t.byte_length, Some(16));
        assert_eq!(normalize_type_ref(Some(&json!(0))).unwrap(), None);
        assert_eq!(
            normalize_type_ref(Some(&json!("x"))).unwrap(),
            Some(TypeRef::default())
        );
        assert_eq!(
            normalize_type_ref(Some(&json!({"schemaHash": [256, -1, "3"]})))
                .unwrap()
                .unwrap()
                .schema_hash,
            [0, 255, 3]
        );
        assert_eq!(
            normalize_type_ref(Some(&json!({"schemaHash": 5})))
                .unwrap_err()
                .code(),
            ErrorCode::BundleInvalidPayload
        );
    }
}
