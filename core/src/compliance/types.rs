//! Allowed types (port type sets and `schemasUsed`) and accepted type sets, including the
//! rule that every aligned-binary type needs a regular flatbuffer fallback for the same schema.

use serde_json::Value;

use super::codes::Code;
use super::fields::{Bounds, Issues};
use super::values::{as_array, is_record, is_true, non_empty_string, number_to_hex_string, prop};
use crate::js;

/// The two payload wire formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WireFormat {
    Flatbuffer,
    AlignedBinary,
}

/// The wire format `value` names, `None` when it names none. Absent, `null`, `""` and `0`
/// mean flatbuffer, `1` means aligned-binary; anything else is read as a string, trimmed,
/// lower-cased, `_` → `-`. (So `"0"` and `"1"` name nothing.)
pub(crate) fn wire_format(value: Option<&Value>) -> Option<WireFormat> {
    let value = match value {
        None | Some(Value::Null) => return Some(WireFormat::Flatbuffer),
        Some(Value::String(s)) if s.is_empty() => return Some(WireFormat::Flatbuffer),
        Some(Value::Number(n)) if js::number_value(n) == 0.0 => {
            return Some(WireFormat::Flatbuffer);
        }
        Some(Value::Number(n)) if js::number_value(n) == 1.0 => {
            return Some(WireFormat::AlignedBinary);
        }
        Some(other) => other,
    };
    match super::values::lower_kebab(value).as_str() {
        "flatbuffer" => Some(WireFormat::Flatbuffer),
        "aligned-binary" => Some(WireFormat::AlignedBinary),
        _ => None,
    }
}

/// Checks one allowed type at `location`.
pub(crate) fn validate_allowed_type(issues: &mut Issues, ty: Option<&Value>, location: &str) {
    if !is_record(ty) {
        issues.push(
            Code::InvalidTypeRecord,
            location,
            "Allowed type entries must be objects.",
        );
        return;
    }
    let field = |key: &str| prop(ty, key);
    let at = |key: &str| format!("{location}.{key}");
    let Some(format) = wire_format(field("wireFormat")) else {
        issues.push(
            Code::InvalidWireFormat,
            at("wireFormat"),
            "Allowed type wireFormat must be \"flatbuffer\" or \"aligned-binary\".",
        );
        return;
    };
    if format == WireFormat::AlignedBinary {
        if is_true(field("acceptsAnyFlatbuffer")) {
            issues.push(
                Code::AcceptsAnyFlatbufferFormatConflict,
                at("acceptsAnyFlatbuffer"),
                "acceptsAnyFlatbuffer can only be used with flatbuffer wireFormat.",
            );
        }
        if non_empty_string(field("schemaName")).is_none() {
            issues.push(
                Code::MissingAlignedSchemaName,
                at("schemaName"),
                "Aligned-binary allowed types must declare schemaName.",
            );
        }
        if non_empty_string(field("rootTypeName")).is_none() {
            issues.push(
                Code::MissingAlignedRootTypeName,
                at("rootTypeName"),
                "Aligned-binary allowed types must declare rootTypeName.",
            );
        }
        issues.optional_integer_field(
            field("fixedStringLength"),
            at("fixedStringLength"),
            "Allowed type fixedStringLength",
            Bounds::at_least(0),
        );
        issues.optional_integer_field(
            field("byteLength"),
            at("byteLength"),
            "Aligned-binary allowed type byteLength",
            Bounds::at_least(1),
        );
        issues.integer_field(
            field("requiredAlignment"),
            at("requiredAlignment"),
            "Aligned-binary allowed type requiredAlignment",
            Bounds::at_least(1),
        );
        return;
    }
    if is_true(field("acceptsAnyFlatbuffer")) {
        return;
    }
    if non_empty_string(field("schemaName")).is_none()
        && non_empty_string(field("fileIdentifier")).is_none()
        && !has_byte_sequence(field("schemaHash"))
    {
        issues.push(
            Code::MissingTypeIdentity,
            location,
            "Allowed type must declare at least one stable identity field: schemaName, fileIdentifier, or schemaHash.",
        );
    }
    issues.optional_integer_field(
        field("fixedStringLength"),
        at("fixedStringLength"),
        "Allowed type fixedStringLength",
        Bounds::at_least(0),
    );
    issues.optional_integer_field(
        field("byteLength"),
        at("byteLength"),
        "Allowed type byteLength",
        Bounds::at_least(0),
    );
    issues.optional_integer_field(
        field("requiredAlignment"),
        at("requiredAlignment"),
        "Allowed type requiredAlignment",
        Bounds::at_least(0),
    );
}

/// A schema hash counts when it is a non-blank string or a non-empty array.
fn has_byte_sequence(value: Option<&Value>) -> bool {
    match value {
        Some(Value::String(s)) => !js::js_trim(s).is_empty(),
        Some(Value::Array(items)) => !items.is_empty(),
        _ => false,
    }
}

/// Checks one accepted type set at `location`.
pub(crate) fn validate_accepted_type_set(issues: &mut Issues, set: Option<&Value>, location: &str) {
    if !is_record(set) {
        issues.push(
            Code::InvalidTypeSet,
            location,
            "Accepted type sets must be objects.",
        );
        return;
    }
    issues.string_field(
        prop(set, "setId"),
        format!("{location}.setId"),
        "Accepted type set setId",
    );
    let allowed = match as_array(prop(set, "allowedTypes")) {
        Some(items) if !items.is_empty() => items,
        _ => {
            issues.push(
                Code::MissingAllowedTypes,
                format!("{location}.allowedTypes"),
                "Accepted type sets must declare one or more allowedTypes.",
            );
            return;
        }
    };
    for (index, ty) in allowed.iter().enumerate() {
        validate_allowed_type(
            issues,
            Some(ty),
            &format!("{location}.allowedTypes[{index}]"),
        );
    }

    // Regular fallbacks: every flatbuffer entry that is not accepts-any, whatever its shape
    // (the reference reads non-objects as flatbuffer entries with no identity).
    let regular: Vec<&Value> = allowed
        .iter()
        .filter(|ty| {
            wire_format(prop(Some(ty), "wireFormat")) == Some(WireFormat::Flatbuffer)
                && !is_true(prop(Some(ty), "acceptsAnyFlatbuffer"))
        })
        .collect();
    for (index, ty) in allowed.iter().enumerate() {
        if wire_format(prop(Some(ty), "wireFormat")) != Some(WireFormat::AlignedBinary) {
            continue;
        }
        if !regular
            .iter()
            .any(|fallback| same_logical_schema(ty, fallback))
        {
            issues.push(
                Code::MissingFlatbufferFallback,
                format!("{location}.allowedTypes[{index}]"),
                "Aligned-binary allowed types must be paired with a regular flatbuffer fallback for the same schema in the same acceptedTypeSet.",
            );
        }
    }
}

/// Two allowed types name the same schema when their schema names, file identifiers or
/// schema hashes agree (trimmed, case-insensitive; hashes compared as lower-case hex text).
fn same_logical_schema(left: &Value, right: &Value) -> bool {
    let same =
        |a: Option<String>, b: Option<String>| matches!((a, b), (Some(a), Some(b)) if a == b);
    let text = |ty: &Value, key: &str| identity_text(prop(Some(ty), key));
    same(text(left, "schemaName"), text(right, "schemaName"))
        || same(text(left, "fileIdentifier"), text(right, "fileIdentifier"))
        || same(
            identity_bytes(prop(Some(left), "schemaHash")),
            identity_bytes(prop(Some(right), "schemaHash")),
        )
}

fn identity_text(value: Option<&Value>) -> Option<String> {
    non_empty_string(value).map(|s| js::js_trim(s).to_lowercase())
}

/// A schema hash as comparable text: a string trimmed and lower-cased, an array as the
/// concatenation of `Number(byte).toString(16).padStart(2, "0")`.
fn identity_bytes(value: Option<&Value>) -> Option<String> {
    match value {
        Some(Value::String(s)) => {
            let trimmed = js::js_trim(s).to_lowercase();
            (!trimmed.is_empty()).then_some(trimmed)
        }
        Some(Value::Array(items)) if !items.is_empty() => Some(
            items
                .iter()
                .map(|item| {
                    let hex = number_to_hex_string(js::to_number(item));
                    if hex.chars().count() < 2 {
                        format!("0{hex}")
                    } else {
                        hex
                    }
                })
                .collect(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_format_names() {
        assert_eq!(wire_format(None), Some(WireFormat::Flatbuffer));
        assert_eq!(wire_format(Some(&json!(0))), Some(WireFormat::Flatbuffer));
        assert_eq!(
            wire_format(Some(&json!(1.0))),
            Some(WireFormat::AlignedBinary)
        );
        assert_eq!(
            wire_format(Some(&json!(" Aligned_Binary "))),
            Some(WireFormat::AlignedBinary)
        );
        assert_eq!(
            wire_format(Some(&json!(["flatbuffer"]))),
            Some(WireFormat::Flatbuffer)
        );
        assert_eq!(wire_format(Some(&json!("1"))), None);
        assert_eq!(wire_format(Some(&json!(2))), None);
        assert_eq!(wire_format(Some(&json!(true))), None);
    }

    #[test]
    fn schema_hashes_compare_across_string_and_array_forms() {
        assert_eq!(
            identity_bytes(Some(&json!([10, 255, 1]))).as_deref(),
            Some("0aff01")
        );
        assert_eq!(
            identity_bytes(Some(&json!(" 0AFF01 "))).as_deref(),
            Some("0aff01")
        );
        assert_eq!(identity_bytes(Some(&json!([]))), None);
        assert_eq!(identity_bytes(Some(&json!("  "))), None);
        assert!(same_logical_schema(
            &json!({"schemaHash": [10]}),
            &json!({"schemaHash": "0A"})
        ));
        assert!(same_logical_schema(
            &json!({"schemaName": "A.fbs "}),
            &json!({"schemaName": "a.FBS"})
        ));
        assert!(!same_logical_schema(
            &json!({"schemaName": "A"}),
            &json!("A")
        ));
    }
}
