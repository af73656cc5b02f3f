//! The JavaScript predicates the reference's rules are written in, over raw JSON values.
//!
//! The validators see the manifest exactly as `JSON.parse` produced it, so "absent"
//! (`undefined`) and `null` are different, property access on a non-object yields
//! `undefined`, and strings are compared untrimmed unless a rule trims them.

use serde_json::Value;

use crate::js;

/// `value.key` (or `value?.key`): `None` stands for `undefined`. Only objects have the
/// properties the rules read; arrays and primitives yield `undefined` for them.
pub(crate) fn prop<'a>(value: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    match value {
        Some(Value::Object(map)) => map.get(key),
        _ => None,
    }
}

/// `value === undefined || value === null`.
pub(crate) fn is_nullish(value: Option<&Value>) -> bool {
    matches!(value, None | Some(Value::Null))
}

/// `value && typeof value === "object" && !Array.isArray(value)`.
pub(crate) fn is_record(value: Option<&Value>) -> bool {
    matches!(value, Some(Value::Object(_)))
}

/// `Array.isArray(value) ? value : null`.
pub(crate) fn as_array(value: Option<&Value>) -> Option<&Vec<Value>> {
    match value {
        Some(Value::Array(items)) => Some(items),
        _ => None,
    }
}

/// `typeof value === "string" && value.trim().length > 0`, giving the untrimmed string.
pub(crate) fn non_empty_string(value: Option<&Value>) -> Option<&str> {
    match value {
        Some(Value::String(s)) if !js::js_trim(s).is_empty() => Some(s),
        _ => None,
    }
}

/// `value === true`.
pub(crate) fn is_true(value: Option<&Value>) -> bool {
    matches!(value, Some(Value::Bool(true)))
}

/// The number `value` holds, when it is a JSON number.
pub(crate) fn number(value: Option<&Value>) -> Option<f64> {
    match value {
        Some(Value::Number(n)) => Some(js::number_value(n)),
        _ => None,
    }
}

/// `Number.isInteger(value)`: a finite number with no fractional part (`1.0` counts).
pub(crate) fn integer(value: Option<&Value>) -> Option<f64> {
    number(value).filter(|x| x.is_finite() && x.trunc() == *x)
}

/// A template-literal interpolation `${value}`: `undefined` prints as `undefined`.
pub(crate) fn template(value: Option<&Value>) -> String {
    value.map_or_else(|| "undefined".to_owned(), js::to_js_string)
}

/// `${value ?? fallback}`.
pub(crate) fn template_or(value: Option<&Value>, fallback: &str) -> String {
    if is_nullish(value) {
        fallback.to_owned()
    } else {
        template(value)
    }
}

/// `String(value).trim().toLowerCase().replace(/_/g, "-")`.
pub(crate) fn lower_kebab(value: &Value) -> String {
    js::js_trim(&js::to_js_string(value))
        .to_lowercase()
        .replace('_', "-")
}

/// `Number(x).toString(16)` as V8 writes it: integers in lower-case hex with a sign,
/// fractions with as many hex digits as the double's precision needs (V8's
/// `DoubleToRadixCString`), `NaN` and `Infinity` by name.
pub(crate) fn number_to_hex_string(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 {
            "Infinity".to_owned()
        } else {
            "-Infinity".to_owned()
        };
    }
    if value == 0.0 {
        return "0".to_owned();
    }
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let radix = 16.0;
    let negative = value < 0.0;
    let value = value.abs();
    let mut integer = value.floor();
    let mut fraction = value - integer;
    // Only as many fractional digits as the input's precision: half the gap to the next double.
    let mut delta = (0.5 * (next_double(value) - value)).max(next_double(0.0));
    let mut fraction_digits: Vec<u8> = Vec::new();
    if fraction >= delta {
        loop {
            fraction *= radix;
            delta *= radix;
            let digit = fraction as usize; // 0..=15: fraction < 1 before the multiply
            fraction_digits.push(digit as u8);
            fraction -= digit as f64;
            // Round half to even; carry into earlier digits (or the integer part) when needed.
            if (fraction > 0.5 || (fraction == 0.5 && digit & 1 == 1)) && fraction + delta > 1.0 {
                loop {
                    match fraction_digits.pop() {
                        None => {
                            integer += 1.0;
                            break;
                        }
                        Some(last) if last + 1 < 16 => {
                            fraction_digits.push(last + 1);
                            break;
                        }
                        Some(_) => {}
                    }
                }
                break;
            }
            if fraction < delta {
                break;
            }
        }
    }
    // Integer digits; beyond 2^53 the low digits are not represented and print as zeros.
    let mut integer_digits: Vec<u8> = Vec::new();
    while integer / radix >= 9_007_199_254_740_992.0 {
        integer /= radix;
        integer_digits.push(b'0');
    }
    loop {
        let remainder = integer % radix;
        integer_digits.push(DIGITS[remainder as usize & 15]);
        integer = (integer - remainder) / radix;
        if integer <= 0.0 {
            break;
        }
    }
    let mut out = String::with_capacity(integer_digits.len() + fraction_digits.len() + 2);
    if negative {
        out.push('-');
    }
    out.extend(integer_digits.iter().rev().map(|&b| b as char));
    if !fraction_digits.is_empty() {
        out.push('.');
        out.extend(
            fraction_digits
                .iter()
                .map(|&d| DIGITS[usize::from(d) & 15] as char),
        );
    }
    out
}

fn next_double(x: f64) -> f64 {
    // x is finite and non-negative here.
    f64::from_bits(x.to_bits() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_strings_match_v8() {
        // Expected values taken from `(x).toString(16)` in Node.js.
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (255.0, "ff"),
            (256.0, "100"),
            (-1.0, "-1"),
            (0.1, "0.1999999999999a"),
            (1.0 / 3.0, "0.55555555555554"),
            (255.5, "ff.8"),
            (123.456, "7b.74bc6a7ef9dc"),
            (1152921504606846976.0, "1000000000000000"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for &(x, expected) in cases {
            assert_eq!(number_to_hex_string(x), expected, "{x}");
        }
        assert_eq!(number_to_hex_string(1e300).len(), 250);
        assert_eq!(number_to_hex_string(5e-324).len(), 271);
    }

    #[test]
    fn js_predicates() {
        let v: Value = serde_json::json!({"a": " x ", "b": "  ", "n": 1.0, "f": 1.5});
        assert_eq!(non_empty_string(prop(Some(&v), "a")), Some(" x "));
        assert_eq!(non_empty_string(prop(Some(&v), "b")), None);
        assert_eq!(integer(prop(Some(&v), "n")), Some(1.0));
        assert_eq!(integer(prop(Some(&v), "f")), None);
        assert_eq!(prop(Some(&serde_json::json!("str")), "a"), None);
        assert_eq!(template_or(None, "timer"), "timer");
        assert_eq!(template(Some(&serde_json::json!([1, null, "a"]))), "1,,a");
        assert_eq!(lower_kebab(&serde_json::json!(" WASI_Pipe ")), "wasi-pipe");
    }
}
