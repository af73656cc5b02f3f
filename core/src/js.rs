//! JavaScript value semantics the reference applies to JSON input.
//!
//! The reference reads manifests and options with `JSON.parse` and then coerces values with
//! `Number()`, `String()` and truthiness. Byte identity with it depends on reproducing those
//! coercions exactly, so they live here once and every module uses them.

use serde_json::Value;

/// Parses JSON text the way `JSON.parse` does for our purposes: every number keeps the
/// double value JavaScript would see (read them with [`to_number`]), and for duplicate keys
/// the last value wins while the key keeps its first position.
pub fn parse_json(text: &str) -> crate::Result<Value> {
    serde_json::from_str(text).map_err(|err| {
        crate::Error::new(
            crate::ErrorCode::InvalidJson,
            format!("invalid JSON: {err}"),
        )
    })
}

/// Parses JSON bytes (UTF-8); see [`parse_json`].
pub fn parse_json_bytes(bytes: &[u8]) -> crate::Result<Value> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| crate::Error::new(crate::ErrorCode::InvalidJson, "invalid JSON: not UTF-8"))?;
    parse_json(text)
}

/// `Number(value)`.
pub fn to_number(value: &Value) -> f64 {
    match value {
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => number_value(n),
        Value::String(s) => string_to_number(s),
        Value::Array(_) => string_to_number(&to_js_string(value)),
        Value::Object(_) => f64::NAN,
    }
}

/// The double a JSON number denotes (integers beyond 2^53 round as `JSON.parse` rounds them).
pub fn number_value(n: &serde_json::Number) -> f64 {
    // u64/i64 to f64 with `as` rounds to nearest, ties to even, like the JS parser.
    if let Some(u) = n.as_u64() {
        u as f64
    } else if let Some(i) = n.as_i64() {
        i as f64
    } else {
        n.as_f64().unwrap_or(f64::NAN)
    }
}

/// `String(value)`.
pub fn to_js_string(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_to_string(number_value(n)),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Null => String::new(),
                other => to_js_string(other),
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".to_owned(),
    }
}

/// JavaScript truthiness of a JSON value.
pub fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => {
            let x = number_value(n);
            x != 0.0 && !x.is_nan()
        }
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// ECMAScript `Number::toString(10)`: shortest round-trip digits, `-0` as `0`, exponent
/// form outside `[1e-7, 1e21)`.
pub fn number_to_string(x: f64) -> String {
    if x == 0.0 {
        return "0".to_owned();
    }
    let mut buffer = ryu_js::Buffer::new();
    buffer.format(x).to_owned()
}

/// `ToUint32`-style wrapping used when the reference stores a double into an unsigned
/// field of `bits` width (≤ 32): NaN and infinities become 0, the value is truncated toward
/// zero and reduced modulo 2^bits.
pub fn wrap_unsigned(x: f64, bits: u32) -> u64 {
    debug_assert!(bits <= 32);
    if !x.is_finite() {
        return 0;
    }
    let modulus = 2f64.powi(bits as i32);
    // `%` on f64 is exact, so the reduction loses nothing even for huge doubles.
    let wrapped = x.trunc() % modulus;
    let wrapped = if wrapped < 0.0 {
        wrapped + modulus
    } else {
        wrapped
    };
    wrapped as u64
}

/// True for the characters ECMAScript's `StringToNumber` trims (WhiteSpace and LineTerminator).
pub fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{0009}'
            | '\u{000B}'
            | '\u{000C}'
            | '\u{0020}'
            | '\u{00A0}'
            | '\u{FEFF}'
            | '\u{000A}'
            | '\u{000D}'
            | '\u{2028}'
            | '\u{2029}'
    ) || (c != '\u{FEFF}' && is_space_separator(c))
}

fn is_space_separator(c: char) -> bool {
    // Unicode general category Zs.
    matches!(
        c,
        '\u{0020}' | '\u{00A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// `String.prototype.trim()`.
pub fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_whitespace)
}

/// ECMAScript `StringToNumber`.
pub fn string_to_number(s: &str) -> f64 {
    let t = js_trim(s);
    if t.is_empty() {
        return 0.0;
    }
    let radix_body = |prefix_lower: &str| -> Option<&str> {
        let head = t.get(..2)?;
        head.eq_ignore_ascii_case(prefix_lower).then(|| &t[2..])
    };
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(body) = radix_body(prefix) {
            if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
                return f64::NAN;
            }
            return body.chars().fold(0f64, |acc, c| {
                acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
            });
        }
    }
    let (sign, unsigned) = match t.as_bytes()[0] {
        b'+' => (1.0, &t[1..]),
        b'-' => (-1.0, &t[1..]),
        _ => (1.0, t),
    };
    if unsigned == "Infinity" {
        return sign * f64::INFINITY;
    }
    if !is_decimal_literal(unsigned) {
        return f64::NAN;
    }
    unsigned
        .parse::<f64>()
        .map(|v| sign * v)
        .unwrap_or(f64::NAN)
}

/// StrUnsignedDecimalLiteral without `Infinity`: digits with an optional fraction (at least
/// one digit on either side of the dot) and an optional signed exponent.
fn is_decimal_literal(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    let int_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - frac_start;
    }
    if int_digits + frac_digits == 0 {
        return false;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn number_coercion_matches_ecmascript() {
        let cases: &[(Value, f64)] = &[
            (json!(null), 0.0),
            (json!(true), 1.0),
            (json!(" 3 "), 3.0),
            (json!("7"), 7.0),
            (json!(""), 0.0),
            (json!("0x1F"), 31.0),
            (json!("0b101"), 5.0),
            (json!("1e3"), 1000.0),
            (json!(".5"), 0.5),
            (json!("5."), 5.0),
            (json!("-Infinity"), f64::NEG_INFINITY),
            (json!([]), 0.0),
            (json!([42]), 42.0),
        ];
        for (value, expected) in cases {
            assert_eq!(to_number(value), *expected, "Number({value})");
        }
        for nan in [
            json!("abc"),
            json!("1_000"),
            json!("-0x10"),
            json!("0x"),
            json!("inf"),
            json!("."),
            json!([1, 2]),
            json!({}),
        ] {
            assert!(to_number(&nan).is_nan(), "Number({nan}) should be NaN");
        }
    }

    #[test]
    fn big_integers_round_like_json_parse() {
        let v = parse_json("12345678901234567890").unwrap();
        assert_eq!(to_js_string(&v), "12345678901234567000");
    }

    #[test]
    fn number_formatting_matches_ecmascript() {
        for (x, text) in [
            (-0.0, "0"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (5e-324, "5e-324"),
            (1.5, "1.5"),
            (-0.0025, "-0.0025"),
        ] {
            assert_eq!(number_to_string(x), text);
        }
    }

    #[test]
    fn string_coercion() {
        assert_eq!(to_js_string(&json!([1, null, "a"])), "1,,a");
        assert_eq!(to_js_string(&json!({"a": 1})), "[object Object]");
        assert_eq!(to_js_string(&json!(1.0)), "1");
    }

    #[test]
    fn wrapping_matches_typed_array_stores() {
        assert_eq!(wrap_unsigned(65536.0, 16), 0);
        assert_eq!(wrap_unsigned(-1.0, 16), 65535);
        assert_eq!(wrap_unsigned(12.9, 32), 12);
        assert_eq!(wrap_unsigned(f64::NAN, 32), 0);
        assert_eq!(wrap_unsigned(4294967296.0 + 5.0, 32), 5);
    }

    #[test]
    fn truthiness() {
        assert!(!is_truthy(&json!(0)));
        assert!(!is_truthy(&json!("")));
        assert!(is_truthy(&json!("0")));
        assert!(is_truthy(&json!([])));
    }
}
