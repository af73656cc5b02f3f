//! Type references on the manifest path (spec 4.3.9): strings as given, `schemaHash` text
//! parsed as hex, `acceptsAnyFlatbuffer` only for a literal `true`.

use std::borrow::Cow;

use serde_json::Value;

use super::{defined, js_text, keys};
use crate::fbs::type_ref::{TypeRef, TypeRefOf, stored_u16, stored_u32, wire_format_from_json};
use crate::js::{is_js_whitespace, is_truthy, js_trim, to_number, wrap_unsigned};

keys!(TypeRefKeys {
    schema_name: "schemaName",
    file_identifier: "fileIdentifier",
    schema_hash: "schemaHash",
    accepts_any_flatbuffer: "acceptsAnyFlatbuffer",
    wire_format: "wireFormat",
    root_type_name: "rootTypeName",
    fixed_string_length: "fixedStringLength",
    byte_length: "byteLength",
    required_alignment: "requiredAlignment",
});

/// Normalizes one type reference. A JSON value that is not an object reads as `{}` (the
/// reference looks its keys up on the primitive and finds nothing); `null` is rejected by
/// the caller.
pub fn type_ref_from_json(value: &Value) -> TypeRef {
    type_ref_from_json_borrowed(value).into_owned()
}

/// [`type_ref_from_json`], with text borrowed from `value` where it is kept as given.
pub fn type_ref_from_json_borrowed(value: &Value) -> TypeRefOf<Cow<'_, str>, Vec<u8>> {
    let keys = TypeRefKeys::of(value);
    TypeRefOf {
        schema_name: defined(keys.schema_name).map(js_text),
        file_identifier: defined(keys.file_identifier).map(js_text),
        schema_hash: schema_hash_from_json(defined(keys.schema_hash)),
        accepts_any_flatbuffer: matches!(
            defined(keys.accepts_any_flatbuffer),
            Some(Value::Bool(true))
        ),
        wire_format: wire_format_from_json(defined(keys.wire_format)),
        root_type_name: defined(keys.root_type_name).map(js_text),
        fixed_string_length: stored_u16(defined(keys.fixed_string_length)),
        byte_length: stored_u32(defined(keys.byte_length)),
        required_alignment: stored_u16(defined(keys.required_alignment)),
    }
}

/// `schemaHash`: falsy → empty; an array → `Number(x) & 0xff` per element; anything else → its
/// text, trimmed, one leading `0x`/`0X` removed, then read as hex pairs (empty or odd length →
/// empty). Lengths and pairs count UTF-16 code units, as JavaScript strings do.
pub fn schema_hash_from_json(value: Option<&Value>) -> Vec<u8> {
    let Some(value) = value.filter(|v| is_truthy(v)) else {
        return Vec::new();
    };
    if let Value::Array(items) = value {
        return items
            .iter()
            .map(|item| (wrap_unsigned(to_number(item), 32) & 0xff) as u8)
            .collect();
    }
    let text = js_text(value);
    let trimmed = js_trim(&text);
    let body = match trimmed.get(..2) {
        Some(head) if head.eq_ignore_ascii_case("0x") => &trimmed[2..],
        _ => trimmed,
    };
    let units: Vec<u16> = body.encode_utf16().collect();
    if units.is_empty() || !units.len().is_multiple_of(2) {
        return Vec::new();
    }
    // Int8 store of the parsed value: NaN → 0, negatives wrap.
    units
        .chunks(2)
        .map(|pair| wrap_unsigned(parse_int_hex(pair), 8) as u8)
        .collect()
}

/// JavaScript `parseInt(text, 16)` over a pair of UTF-16 code units: leading whitespace
/// skipped, optional sign, optional `0x`, then the longest run of hex digits (none → NaN).
fn parse_int_hex(units: &[u16]) -> f64 {
    // A pair is at most two characters: no allocation.
    let mut chars = ['\0'; 2];
    let mut len = 0;
    for (slot, c) in chars
        .iter_mut()
        .zip(char::decode_utf16(units.iter().copied()))
    {
        *slot = c.unwrap_or('\u{FFFD}');
        len += 1;
    }
    let mut rest = &chars[..len];
    while let [first, tail @ ..] = rest {
        if !is_js_whitespace(*first) {
            break;
        }
        rest = tail;
    }
    let mut sign = 1.0;
    if let [first @ ('-' | '+'), tail @ ..] = rest {
        if *first == '-' {
            sign = -1.0;
        }
        rest = tail;
    }
    if let ['0', 'x' | 'X', tail @ ..] = rest {
        rest = tail;
    }
    let mut digits = rest.iter().map_while(|c| c.to_digit(16)).peekable();
    if digits.peek().is_none() {
        return f64::NAN;
    }
    sign * digits.fold(0.0, |acc, d| acc * 16.0 + f64::from(d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schema_hash_quirks() {
        assert_eq!(
            schema_hash_from_json(Some(&json!("0xA0ff"))),
            vec![0xa0, 0xff]
        );
        assert_eq!(schema_hash_from_json(Some(&json!(" 0X0102 "))), vec![1, 2]);
        assert_eq!(schema_hash_from_json(Some(&json!("abc"))), Vec::<u8>::new());
        assert_eq!(schema_hash_from_json(Some(&json!(""))), Vec::<u8>::new());
        assert_eq!(schema_hash_from_json(Some(&json!(false))), Vec::<u8>::new());
        // "zz" is NaN → 0; "5z" parses the valid prefix; "-5" wraps as an Int8 store.
        assert_eq!(
            schema_hash_from_json(Some(&json!("zz5z-5"))),
            vec![0, 5, 0xfb]
        );
        assert_eq!(
            schema_hash_from_json(Some(&json!([256, 1.9, -1, "7", null]))),
            vec![0, 1, 255, 7, 0]
        );
        assert_eq!(schema_hash_from_json(Some(&json!(1234))), vec![0x12, 0x34]);
        // "é1" is two UTF-16 units; the pair is not hex.
        assert_eq!(schema_hash_from_json(Some(&json!("é1"))), vec![0]);
    }

    #[test]
    fn primitives_read_as_empty_objects() {
        assert_eq!(type_ref_from_json(&json!("OMM.fbs")), TypeRef::default());
        let t = type_ref_from_json(
            &json!({"schemaName": 5, "acceptsAnyFlatbuffer": "yes", "wireFormat": "aligned_binary"}),
        );
        assert_eq!(t.schema_name.as_deref(), Some("5"));
        assert!(!t.accepts_any_flatbuffer);
        assert!(t.is_aligned_binary());
    }
}
