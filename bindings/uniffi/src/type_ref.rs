//! An output frame's FlatBuffer type reference as a typed record (`OutputFrame.typeRef`).
//!
//! The core renders a frame's type reference once, for every front end: the `typeRef` member
//! of `api::invoke::OutputFrame` (`invoke --json`, the C ABI's response JSON), which reads the
//! stored strings the way the reference does. This module gives exactly those members their
//! types, so a Kotlin or Swift caller sees the same values the CLI prints, without parsing JSON.

use serde_json::Value;

/// How a port's payload is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum WireFormat {
    /// A FlatBuffer (`"flatbuffer"`, stored 0).
    Flatbuffer,
    /// A fixed-layout record (`"aligned-binary"`, stored 1): `root_type_name`, `byte_length`
    /// and `required_alignment` describe it.
    AlignedBinary,
}

#[uniffi::export]
impl WireFormat {
    /// The name in JSON: `"flatbuffer"` or `"aligned-binary"`.
    pub fn wire_name(&self) -> String {
        match self {
            WireFormat::Flatbuffer => "flatbuffer",
            WireFormat::AlignedBinary => "aligned-binary",
        }
        .to_owned()
    }
}

/// The type reference of a frame: which schema its payload follows and, for aligned-binary
/// payloads, the record layout. Every member of the core's `typeRef` JSON, typed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TypeRef {
    pub schema_name: Option<String>,
    /// The 4-character FlatBuffer file identifier.
    pub file_identifier: Option<String>,
    /// Possibly empty.
    pub schema_hash: Vec<u8>,
    pub accepts_any_flatbuffer: bool,
    pub wire_format: WireFormat,
    pub root_type_name: Option<String>,
    pub fixed_string_length: u16,
    pub byte_length: u32,
    pub required_alignment: u16,
}

impl TypeRef {
    /// The typed form of the core's `typeRef` member (`None` for `null`). The core writes every
    /// member with its type, so a missing or mistyped member can only be a core change this
    /// binding has not followed; it reads as the member's zero value rather than failing a call
    /// whose payload is fine (the Rust tests and the runtime matrix compare every member).
    pub(crate) fn from_core_json(value: &Value) -> Option<TypeRef> {
        let object = value.as_object()?;
        let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
        let number = |key: &str| object.get(key).and_then(Value::as_u64).unwrap_or(0);
        let narrow16 = |key: &str| u16::try_from(number(key)).unwrap_or(u16::MAX);
        Some(TypeRef {
            schema_name: text("schemaName"),
            file_identifier: text("fileIdentifier"),
            schema_hash: object
                .get("schemaHash")
                .and_then(Value::as_array)
                .map(|bytes| {
                    bytes
                        .iter()
                        .filter_map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                        .collect()
                })
                .unwrap_or_default(),
            accepts_any_flatbuffer: object
                .get("acceptsAnyFlatbuffer")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            wire_format: match object.get("wireFormat").and_then(Value::as_str) {
                Some("aligned-binary") => WireFormat::AlignedBinary,
                _ => WireFormat::Flatbuffer,
            },
            root_type_name: text("rootTypeName"),
            fixed_string_length: narrow16("fixedStringLength"),
            byte_length: u32::try_from(number("byteLength")).unwrap_or(u32::MAX),
            required_alignment: narrow16("requiredAlignment"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The typed record back in the core's JSON shape, to show no member is lost.
    fn to_json(t: &TypeRef) -> Value {
        json!({
            "schemaName": t.schema_name,
            "fileIdentifier": t.file_identifier,
            "schemaHash": t.schema_hash,
            "acceptsAnyFlatbuffer": t.accepts_any_flatbuffer,
            "wireFormat": t.wire_format.wire_name(),
            "rootTypeName": t.root_type_name,
            "fixedStringLength": t.fixed_string_length,
            "byteLength": t.byte_length,
            "requiredAlignment": t.required_alignment,
        })
    }

    #[test]
    fn every_member_of_the_core_json_is_typed() {
        for core in [
            json!({"schemaName": "Vec3.fbs", "fileIdentifier": "VEC3", "schemaHash": [1, 2, 255],
                   "acceptsAnyFlatbuffer": false, "wireFormat": "aligned-binary",
                   "rootTypeName": "Vec3", "fixedStringLength": 0, "byteLength": 24,
                   "requiredAlignment": 8}),
            json!({"schemaName": null, "fileIdentifier": null, "schemaHash": [],
                   "acceptsAnyFlatbuffer": true, "wireFormat": "flatbuffer",
                   "rootTypeName": null, "fixedStringLength": 16, "byteLength": 0,
                   "requiredAlignment": 0}),
        ] {
            let typed = TypeRef::from_core_json(&core).unwrap();
            assert_eq!(to_json(&typed), core);
        }
        assert_eq!(TypeRef::from_core_json(&Value::Null), None);
    }
}
