//! Issues and the report that carries them.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::codes::{Code, Severity};

/// The compliance report as every front end prints it (`check --json`, `sdm_check`, bindings):
/// `{"ok", "issues": [{"severity", "code", "location", "message"}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(title = "CheckReport")]
pub struct CheckReport {
    /// True when no issue is an error.
    pub ok: bool,
    /// Every issue, in the order the checks found it.
    pub issues: Vec<IssueView>,
}

/// One issue of a [`CheckReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct IssueView {
    /// `"error"` or `"warning"`.
    pub severity: String,
    /// The stable rule code (docs/compliance.md), e.g. `"missing-plugin-id"`.
    pub code: String,
    /// Where: a dotted path rooted at the source name, or the wasm path.
    pub location: String,
    /// A sentence for people; the wording is not part of the contract.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

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

    /// The issue as reported (with or without the message).
    pub fn view(&self, with_message: bool) -> IssueView {
        IssueView {
            severity: self.severity.as_str().to_owned(),
            code: self.code.as_str().to_owned(),
            location: self.location.clone(),
            message: with_message.then(|| self.message.clone()),
        }
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

    /// The report every front end prints.
    pub fn check_report(&self) -> CheckReport {
        self.shape(true)
    }

    /// [`Report::check_report`] as JSON.
    pub fn to_json(&self) -> Value {
        to_value(&self.check_report())
    }

    /// The shape of the vectors' `N.report.json`: like [`Report::to_json`] without messages
    /// (the reference's wording is not part of the contract).
    pub fn to_vector_json(&self) -> Value {
        to_value(&self.shape(false))
    }

    fn shape(&self, with_message: bool) -> CheckReport {
        CheckReport {
            ok: self.ok(),
            issues: self
                .issues
                .iter()
                .map(|issue| issue.view(with_message))
                .collect(),
        }
    }
}

fn to_value(report: &CheckReport) -> Value {
    // Plain strings and booleans: serialization cannot fail.
    serde_json::to_value(report).unwrap_or(Value::Null)
}
