//! Canonical JSON, byte-exact with the reference's `canonicalBytes` (`src/auth/canonicalize.js`;
//! spec `bundle-and-manifest.md` section 8).
//!
//! The reference sorts object keys with `String.prototype.localeCompare` and then rebuilds a
//! JavaScript object, which moves array-index keys (`"0"`, `"10"`, ...) to the front in numeric
//! order. Numbers are doubles written the way ECMAScript writes them, strings are escaped the
//! way `JSON.stringify` escapes them. Input values are expected to come from
//! [`crate::js::parse_json`], so every number is read as the double `JSON.parse` would see.

use std::cmp::Ordering;
use std::sync::OnceLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use serde_json::{Map, Value};

use crate::{Error, ErrorCode, Result};

/// The canonical UTF-8 bytes of `value`.
///
/// Errors: [`ErrorCode::CanonicalNonFinite`] for a number that is not finite (unreachable from
/// JSON text), [`ErrorCode::Internal`] if the built-in collation data cannot be loaded.
pub fn canonical_bytes(value: &Value) -> Result<Vec<u8>> {
    Ok(canonical_string(value)?.into_bytes())
}

/// The canonical JSON text of `value` (see [`canonical_bytes`]).
pub fn canonical_string(value: &Value) -> Result<String> {
    let collator = root_collator()?;
    let mut out = String::new();
    write_value(&mut out, value, collator)?;
    Ok(out)
}

/// Orders two object keys the way the reference's canonical JSON does: array-index keys first
/// in numeric order, then the rest by ICU root collation (Node's `localeCompare` under en-US).
/// Keys the collator considers equal compare equal; callers needing the reference's tie
/// behaviour must sort stably from insertion order, as [`canonical_bytes`] does.
pub fn compare_keys(left: &str, right: &str) -> Result<Ordering> {
    let collator = root_collator()?;
    Ok(compare_with(collator, left, right))
}

/// `String.prototype.localeCompare` as Node runs it (ICU root collation), for sorting names.
pub fn locale_compare(left: &str, right: &str) -> Result<Ordering> {
    Ok(root_collator()?.compare(left, right))
}

fn compare_with(collator: &CollatorBorrowed<'static>, left: &str, right: &str) -> Ordering {
    match (array_index(left), array_index(right)) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => collator.compare(left, right),
    }
}

/// The process-wide root collator (tertiary strength, punctuation not ignored), built once
/// from the compiled ICU data.
fn root_collator() -> Result<&'static CollatorBorrowed<'static>> {
    static COLLATOR: OnceLock<Option<CollatorBorrowed<'static>>> = OnceLock::new();
    COLLATOR
        .get_or_init(|| {
            Collator::try_new(CollatorPreferences::default(), CollatorOptions::default()).ok()
        })
        .as_ref()
        .ok_or_else(|| {
            Error::new(
                ErrorCode::Internal,
                "the ICU root collation data could not be loaded",
            )
        })
}

/// `Some(n)` when `key` is a canonical array index: the decimal form, without leading zeros,
/// of an integer 0 <= n <= 2^32 - 2. JavaScript objects enumerate such keys first.
fn array_index(key: &str) -> Option<u32> {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > 10 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if bytes.len() > 1 && bytes[0] == b'0' {
        return None;
    }
    let n: u64 = key.parse().ok()?;
    (n <= u64::from(u32::MAX - 1)).then_some(n as u32)
}

fn write_value(
    out: &mut String,
    value: &Value,
    collator: &CollatorBorrowed<'static>,
) -> Result<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => {
            let x = crate::js::number_value(n);
            if !x.is_finite() {
                return Err(Error::new(
                    ErrorCode::CanonicalNonFinite,
                    "Canonical payloads cannot contain non-finite numbers.",
                ));
            }
            out.push_str(&crate::js::number_to_string(x));
        }
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item, collator)?;
            }
            out.push(']');
        }
        Value::Object(map) => write_object(out, map, collator)?,
    }
    Ok(())
}

fn write_object(
    out: &mut String,
    map: &Map<String, Value>,
    collator: &CollatorBorrowed<'static>,
) -> Result<()> {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    // Stable: keys the collator ties keep their insertion order, as with V8's stable sort.
    entries.sort_by(|(a, _), (b, _)| compare_with(collator, a, b));
    out.push('{');
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, key);
        out.push(':');
        write_value(out, value, collator)?;
    }
    out.push('}');
    Ok(())
}

/// `JSON.stringify` string quoting: the short escapes for `"`, `\`, and the five control
/// characters that have one; `\u00xx` (lowercase hex) for the other C0 controls; everything
/// else (including `/`, DEL, U+2028/9 and all non-ASCII) literally.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> String {
        canonical_string(&crate::js::parse_json(text).unwrap()).unwrap()
    }

    #[test]
    fn ascii_collation_order_of_the_spec() {
        let keys = [
            "a", "A", "a b", "a_b", "a.b", "a1", "a10", "a2", "ab", "aB", "Ab", "b", "B", "Z",
        ];
        for pair in keys.windows(2) {
            assert_eq!(
                compare_keys(pair[0], pair[1]).unwrap(),
                Ordering::Less,
                "{} < {}",
                pair[0],
                pair[1]
            );
        }
        for pair in ["_x", "-y", "$d", "01", "a"].windows(2) {
            assert_eq!(
                compare_keys(pair[0], pair[1]).unwrap(),
                Ordering::Less,
                "{} < {}",
                pair[0],
                pair[1]
            );
        }
        assert_eq!(compare_keys("e", "\u{e9}").unwrap(), Ordering::Less);
        assert_eq!(compare_keys("\u{e9}", "f").unwrap(), Ordering::Less);
    }

    #[test]
    fn array_index_keys_come_first() {
        assert_eq!(
            canonical(r#"{"b":1,"10":2,"9":3,"01":4,"4294967295":5,"4294967294":6}"#),
            r#"{"9":3,"10":2,"4294967294":6,"01":4,"4294967295":5,"b":1}"#
        );
    }

    #[test]
    fn numbers_and_strings() {
        assert_eq!(
            canonical("[1.0,-0,1e21,1e20,12345678901234567890]"),
            "[1,0,1e+21,100000000000000000000,12345678901234567000]"
        );
        assert_eq!(
            canonical(r#""\u0001\u001f\b\f\n\r\t\"\\/\u2028""#),
            "\"\\u0001\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\u{2028}\""
        );
    }

    #[test]
    fn duplicate_keys_keep_first_position_last_value() {
        assert_eq!(canonical(r#"{"a":1,"a":2}"#), r#"{"a":2}"#);
    }

    #[test]
    fn ties_keep_insertion_order() {
        // U+0001 is completely ignorable in root collation: "a\u0001" ties with "a".
        assert_eq!(
            canonical("{\"a\\u0001\":1,\"a\":2}"),
            "{\"a\\u0001\":1,\"a\":2}"
        );
        assert_eq!(
            canonical("{\"a\":2,\"a\\u0001\":1}"),
            "{\"a\":2,\"a\\u0001\":1}"
        );
    }
}
