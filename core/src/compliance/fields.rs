//! The issue list being built and the field-level checks every rule uses
//! (non-empty strings, integers with bounds, optional booleans).

use serde_json::Value;

use super::codes::Code;
use super::report::Issue;
use super::values::{integer, is_nullish, non_empty_string, number};

/// Issues in the order the checks find them.
#[derive(Debug, Default)]
pub(crate) struct Issues {
    pub(crate) list: Vec<Issue>,
}

impl Issues {
    pub(crate) fn push(
        &mut self,
        code: Code,
        location: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.list.push(Issue::new(code, location, message));
    }

    /// `missing-string` unless `value` is a non-empty string; true when it is one.
    pub(crate) fn string_field(
        &mut self,
        value: Option<&Value>,
        location: String,
        label: &str,
    ) -> bool {
        if non_empty_string(value).is_some() {
            return true;
        }
        self.push(
            Code::MissingString,
            location,
            format!("{label} must be a non-empty string."),
        );
        false
    }

    /// Like [`Issues::string_field`], but absent or `null` is fine.
    pub(crate) fn optional_string_field(
        &mut self,
        value: Option<&Value>,
        location: String,
        label: &str,
    ) -> bool {
        is_nullish(value) || self.string_field(value, location, label)
    }

    /// `invalid-integer` unless `value` is an integral number; `integer-range` outside the bounds.
    pub(crate) fn integer_field(
        &mut self,
        value: Option<&Value>,
        location: String,
        label: &str,
        bounds: Bounds,
    ) -> bool {
        let Some(x) = integer(value) else {
            self.push(
                Code::InvalidInteger,
                location,
                format!("{label} must be an integer."),
            );
            return false;
        };
        if let Some(min) = bounds.min
            && x < min
        {
            self.push(
                Code::IntegerRange,
                location,
                format!("{label} must be greater than or equal to {min}."),
            );
            return false;
        }
        if let Some(max) = bounds.max
            && x > max
        {
            self.push(
                Code::IntegerRange,
                location,
                format!("{label} must be less than or equal to {max}."),
            );
            return false;
        }
        true
    }

    /// Like [`Issues::integer_field`], but absent or `null` is fine.
    pub(crate) fn optional_integer_field(
        &mut self,
        value: Option<&Value>,
        location: String,
        label: &str,
        bounds: Bounds,
    ) -> bool {
        is_nullish(value) || self.integer_field(value, location, label, bounds)
    }

    /// `invalid-boolean` when `value` is present, not `null` and not a boolean.
    pub(crate) fn optional_boolean_field(
        &mut self,
        value: Option<&Value>,
        location: String,
        label: &str,
    ) -> bool {
        if is_nullish(value) || matches!(value, Some(Value::Bool(_))) {
            return true;
        }
        self.push(
            Code::InvalidBoolean,
            location,
            format!("{label} must be a boolean when present."),
        );
        false
    }
}

/// Inclusive integer bounds (whole numbers, printed without a fraction in messages).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Bounds {
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
}

impl Bounds {
    pub(crate) const fn at_least(min: i32) -> Self {
        Bounds {
            min: Some(min as f64),
            max: None,
        }
    }

    pub(crate) const fn between(min: i32, max: i32) -> Self {
        Bounds {
            min: Some(min as f64),
            max: Some(max as f64),
        }
    }
}

/// `a < b` for two values already known to be numbers (false otherwise).
pub(crate) fn less_than(a: Option<&Value>, b: Option<&Value>) -> bool {
    matches!((number(a), number(b)), (Some(x), Some(y)) if x < y)
}
