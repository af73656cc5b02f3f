//! Issues and the report that carries them.

use serde_json::{Map, Value, json};

use super::codes::{Code, Severity};

/// One finding: what (code), where (location, a dotted path rooted at the source name or the
/// wasm path), how bad (severity) and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    pub code: Code,
    pub location: String,
    pub message: String,
}

impl Issue {
    /// An issue with the severity its code always has.
    pub fn new(code: Code, location: impl Into<String>, message: impl Into<String>) -> Self {
        Issue {
            severity: code.severity(),
            code,
            location: location.into(),
            message: message.into(),
        }
    }

    /// `{"severity", "code", "location", "message"}`.
    pub fn to_json(&self) -> Value {
        json!({
            "severity": self.severity.as_str(),
            "code": self.code.as_str(),
            "location": self.location,
            "message": self.message,
        })
    }
}

/// The result of a validation: every issue in the order the checks found it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// The name locations are rooted at (`"manifest"` unless the caller named the source).
    pub source_name: String,
    pub issues: Vec<Issue>,
    /// True when export names were checked (a wasm module or an export list was given).
    pub checked_artifact: bool,
    /// The export names that were checked (sorted when read from a wasm module, as the
    /// reference sorts them; as given otherwise).
    pub export_names: Vec<String>,
}

impl Report {
    /// True when no issue is an error.
    pub fn ok(&self) -> bool {
        self.errors().next().is_none()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|issue| issue.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|issue| issue.severity == Severity::Warning)
    }

    /// True when the report has errors, or warnings and `strict` is set.
    pub fn fails(&self, strict: bool) -> bool {
        !self.ok() || (strict && self.warnings().next().is_some())
    }

    /// `{"ok", "issues": [{"severity", "code", "location", "message"}]}`.
    pub fn to_json(&self) -> Value {
        self.shape(true)
    }

    /// The shape of the vectors' `N.report.json`: like [`Report::to_json`] without messages
    /// (the reference's wording is not part of the contract).
    pub fn to_vector_json(&self) -> Value {
        self.shape(false)
    }

    fn shape(&self, with_message: bool) -> Value {
        let issues = self
            .issues
            .iter()
            .map(|issue| {
                let mut value = issue.to_json();
                if !with_message && let Value::Object(map) = &mut value {
                    map.remove("message");
                }
                value
            })
            .collect();
        let mut out = Map::new();
        out.insert("ok".to_owned(), Value::Bool(self.ok()));
        out.insert("issues".to_owned(), Value::Array(issues));
        Value::Object(out)
    }
}
