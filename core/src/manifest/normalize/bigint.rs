//! `BigInt(value)` as the reference applies it to `defaultIntervalMs`, followed by the
//! builder's `value !== 0n` store decision and its 64-bit two's-complement store.

use serde_json::Value;

use crate::js::{is_js_whitespace, js_trim, number_value, to_js_string};

/// What `BigInt()` produced: whether it is non-zero (then the field is stored) and its value
/// modulo 2^64 (what is stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrappedBigInt {
    pub non_zero: bool,
    pub wrapped: u64,
}

impl WrappedBigInt {
    /// `Some(wrapped)` when the builder stores the field.
    pub fn stored(self) -> Option<u64> {
        self.non_zero.then_some(self.wrapped)
    }
}

/// `BigInt(value)`. Errors carry JavaScript's messages: a fractional number is a RangeError,
/// unparsable text a SyntaxError.
pub fn to_bigint(value: &Value) -> Result<WrappedBigInt, String> {
    match value {
        Value::Null => Ok(WrappedBigInt {
            non_zero: false,
            wrapped: 0,
        }),
        Value::Bool(b) => Ok(WrappedBigInt {
            non_zero: *b,
            wrapped: u64::from(*b),
        }),
        Value::Number(n) => from_number(number_value(n)),
        // Strings, and arrays/objects through their primitive (string) value.
        other => {
            let text = to_js_string(other);
            from_text(&text).ok_or_else(|| format!("Cannot convert {text} to a BigInt"))
        }
    }
}

fn from_number(x: f64) -> Result<WrappedBigInt, String> {
    if !x.is_finite() || x.trunc() != x {
        return Err(format!(
            "The number {} cannot be converted to a BigInt because it is not an integer",
            crate::js::number_to_string(x)
        ));
    }
    // `%` on doubles is exact, so this is the magnitude modulo 2^64 for every integer double.
    let magnitude = (x.abs() % 18_446_744_073_709_551_616.0) as u64;
    let wrapped = if x < 0.0 {
        magnitude.wrapping_neg()
    } else {
        magnitude
    };
    Ok(WrappedBigInt {
        non_zero: x != 0.0,
        wrapped,
    })
}

/// ECMAScript `StringToBigInt`: trimmed; empty is 0; `0x`/`0o`/`0b` prefixes without sign;
/// otherwise an optionally signed run of decimal digits.
fn from_text(text: &str) -> Option<WrappedBigInt> {
    let t = text.trim_matches(is_js_whitespace);
    debug_assert_eq!(t, js_trim(text));
    if t.is_empty() {
        return Some(WrappedBigInt {
            non_zero: false,
            wrapped: 0,
        });
    }
    let prefixed = t
        .get(..2)
        .and_then(|head| match head.to_ascii_lowercase().as_str() {
            "0x" => Some(16),
            "0o" => Some(8),
            "0b" => Some(2),
            _ => None,
        });
    let (negative, radix, digits) = match prefixed {
        Some(radix) => (false, radix, &t[2..]),
        None => match t.as_bytes().first() {
            Some(b'-') => (true, 10, &t[1..]),
            Some(b'+') => (false, 10, &t[1..]),
            _ => (false, 10, t),
        },
    };
    if digits.is_empty() {
        return None;
    }
    let mut wrapped: u64 = 0;
    let mut non_zero = false;
    for c in digits.chars() {
        let digit = c.to_digit(radix)?;
        non_zero |= digit != 0;
        wrapped = wrapped
            .wrapping_mul(u64::from(radix))
            .wrapping_add(u64::from(digit));
    }
    let wrapped = if negative {
        wrapped.wrapping_neg()
    } else {
        wrapped
    };
    Some(WrappedBigInt { non_zero, wrapped })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stored(v: Value) -> Option<u64> {
        to_bigint(&v).unwrap().stored()
    }

    #[test]
    fn bigint_semantics() {
        assert_eq!(stored(json!(0)), None);
        assert_eq!(stored(json!(1000)), Some(1000));
        assert_eq!(stored(json!(-1)), Some(u64::MAX));
        assert_eq!(stored(json!(" 42 ")), Some(42));
        assert_eq!(stored(json!("-2")), Some(u64::MAX - 1));
        assert_eq!(stored(json!("0x10")), Some(16));
        assert_eq!(stored(json!("")), None);
        assert_eq!(stored(json!(true)), Some(1));
        assert_eq!(stored(json!([7])), Some(7));
        // 2^64 is non-zero, so it is stored, as 0.
        assert_eq!(stored(json!(18446744073709551616.0)), Some(0));
        assert_eq!(stored(json!("18446744073709551617")), Some(1));
        assert_eq!(
            stored(json!(1e20)),
            Some(100_000_000_000_000_000_000u128 as u64)
        );
        assert!(
            to_bigint(&json!(1.5))
                .unwrap_err()
                .contains("not an integer")
        );
        assert!(to_bigint(&json!("1.5")).is_err());
        assert!(to_bigint(&json!("-0x10")).is_err());
        assert!(to_bigint(&json!("1e3")).is_err());
        assert!(to_bigint(&json!({})).is_err());
    }
}
