//! Runs a directory of conformance vectors and reports, per case, the first difference.
//!
//! Implementers of other SDKs point the CLI's `conformance DIR` at a directory in one of the
//! layouts of `vectors/differential/README.md` (or the publication layout) to check
//! themselves against the reference. Every layout has its own runner module; this module
//! detects the layout and holds the shared comparison helpers.

pub mod bundle;
pub mod compliance;
pub mod invoke;
pub mod manifest;
pub mod publication;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{Error, ErrorCode, Result};

/// The result of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseOutcome {
    /// Layout name (`manifest`, `bundle`, `compliance`, `publication`).
    pub layout: &'static str,
    /// Case name within the layout (usually its number).
    pub case: String,
    /// `None` when the case passed; otherwise the first difference found.
    pub failure: Option<String>,
}

/// All outcomes of a run, in the order the cases were run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub outcomes: Vec<CaseOutcome>,
}

impl Summary {
    pub fn passed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.failure.is_none()).count()
    }

    pub fn failed(&self) -> usize {
        self.outcomes.len() - self.passed()
    }

    pub fn failures(&self) -> impl Iterator<Item = &CaseOutcome> {
        self.outcomes.iter().filter(|o| o.failure.is_some())
    }
}

/// One layout: how to recognise its directory and how to run it.
struct Layout {
    name: &'static str,
    detect: fn(&Path) -> bool,
    run: fn(&Path) -> Result<Vec<CaseOutcome>>,
}

const LAYOUTS: &[Layout] = &[
    Layout {
        name: "invoke",
        detect: invoke::detect,
        run: invoke::run,
    },
    Layout {
        name: "manifest",
        detect: manifest::detect,
        run: manifest::run,
    },
    Layout {
        name: "bundle",
        detect: bundle::detect,
        run: bundle::run,
    },
    Layout {
        name: "compliance",
        detect: compliance::detect,
        run: compliance::run,
    },
    Layout {
        name: "publication",
        detect: publication::detect,
        run: publication::run,
    },
];

/// Runs every case under `dir`. `dir` is either one layout directory or a directory whose
/// immediate subdirectories are layout directories (such as `vectors/differential`).
pub fn run_dir(dir: &Path) -> Result<Summary> {
    if !dir.is_dir() {
        return Err(Error::new(
            ErrorCode::Io,
            format!("{} is not a directory", dir.display()),
        ));
    }
    let mut summary = Summary::default();
    if let Some(layout) = LAYOUTS.iter().find(|layout| (layout.detect)(dir)) {
        summary.outcomes.extend((layout.run)(dir)?);
        return Ok(summary);
    }
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    subdirs.sort();
    let mut matched = false;
    for sub in subdirs {
        if let Some(layout) = LAYOUTS.iter().find(|layout| (layout.detect)(&sub)) {
            matched = true;
            summary.outcomes.extend((layout.run)(&sub)?);
        }
    }
    if !matched {
        let known: Vec<_> = LAYOUTS.iter().map(|l| l.name).collect();
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!(
                "{} is not a conformance directory (known layouts: {})",
                dir.display(),
                known.join(", ")
            ),
        ));
    }
    Ok(summary)
}

/// Case numbers present in `dir`, found as files named `<N><suffix>`, in numeric order.
pub fn numbered_cases(dir: &Path, suffix: &str) -> Result<Vec<u64>> {
    let mut cases: Vec<u64> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            name.strip_suffix(suffix)?.parse().ok()
        })
        .collect();
    cases.sort_unstable();
    Ok(cases)
}

/// Reads a file, naming it in the error.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|err| Error::new(ErrorCode::Io, format!("{}: {err}", path.display())))
}

/// Reads and parses a JSON file (numbers as `JSON.parse` sees them).
pub fn read_json(path: &Path) -> Result<Value> {
    crate::js::parse_json_bytes(&read(path)?).map_err(|err| err.context(path.display()))
}

/// Compares two byte strings; on difference, names the first differing offset.
pub fn bytes_diff(expected: &[u8], actual: &[u8]) -> Option<String> {
    if expected == actual {
        return None;
    }
    let first = expected
        .iter()
        .zip(actual)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(actual.len()));
    Some(format!(
        "bytes differ at offset {first} (expected {} bytes, got {}; expected byte {}, got {})",
        expected.len(),
        actual.len(),
        expected
            .get(first)
            .map_or("<end>".to_owned(), |b| format!("{b:#04x}")),
        actual
            .get(first)
            .map_or("<end>".to_owned(), |b| format!("{b:#04x}")),
    ))
}

/// Semantic JSON comparison as the vectors README defines it: key order is ignored, array
/// order matters, `null` differs from a missing key, numbers compare by value (integers
/// exactly, so u64 values above 2^53 are not rounded). Returns the first difference as
/// `path: expected X, got Y`.
pub fn json_diff(expected: &Value, actual: &Value) -> Option<String> {
    diff_at("$", expected, actual)
}

fn diff_at(path: &str, expected: &Value, actual: &Value) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let child = format!("{path}.{key}");
                match a.get(key) {
                    None => return Some(format!("{child}: expected {}, key missing", brief(ev))),
                    Some(av) => {
                        if let Some(d) = diff_at(&child, ev, av) {
                            return Some(d);
                        }
                    }
                }
            }
            a.keys()
                .find(|key| !e.contains_key(*key))
                .map(|key| format!("{path}.{key}: unexpected key with value {}", brief(&a[key])))
        }
        (Value::Array(e), Value::Array(a)) => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                if let Some(d) = diff_at(&format!("{path}[{i}]"), ev, av) {
                    return Some(d);
                }
            }
            (e.len() != a.len())
                .then(|| format!("{path}: expected {} elements, got {}", e.len(), a.len()))
        }
        (Value::Number(e), Value::Number(a)) => {
            let equal = match (e.as_u64(), a.as_u64(), e.as_i64(), a.as_i64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => crate::js::number_value(e) == crate::js::number_value(a),
            };
            (!equal).then(|| format!("{path}: expected {e}, got {a}"))
        }
        _ if expected == actual => None,
        _ => Some(format!(
            "{path}: expected {}, got {}",
            brief(expected),
            brief(actual)
        )),
    }
}

fn brief(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(77).collect();
        format!("{cut}...")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_diff_finds_first_difference() {
        assert_eq!(
            json_diff(&json!({"a": [1, 2]}), &json!({"a": [1, 2]})),
            None
        );
        assert_eq!(
            json_diff(&json!({"a": 1, "b": 2}), &json!({"b": 2, "a": 1})),
            None
        );
        assert_eq!(
            json_diff(&json!({"a": [1, 2]}), &json!({"a": [1, 3]})).unwrap(),
            "$.a[1]: expected 2, got 3"
        );
        assert!(
            json_diff(&json!({"a": null}), &json!({}))
                .unwrap()
                .contains("key missing")
        );
        assert!(
            json_diff(&json!([1]), &json!([1, 2]))
                .unwrap()
                .contains("expected 1 elements")
        );
        assert_eq!(json_diff(&json!(1), &json!(1.0)), None);
        let big: Value = serde_json::from_str("18446744073709551615").unwrap();
        let near: Value = serde_json::from_str("18446744073709551614").unwrap();
        assert!(json_diff(&big, &near).is_some());
    }

    #[test]
    fn bytes_diff_names_offset() {
        assert_eq!(bytes_diff(b"abc", b"abc"), None);
        assert!(
            bytes_diff(b"abc", b"abd")
                .unwrap()
                .starts_with("bytes differ at offset 2")
        );
        assert!(bytes_diff(b"abc", b"ab").unwrap().contains("<end>"));
    }
}
