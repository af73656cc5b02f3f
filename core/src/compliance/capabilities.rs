//! The `capabilities` list: entries, duplicates and the canonical vocabulary.

use std::collections::HashSet;

use serde_json::Value;

use super::codes::Code;
use super::fields::Issues;
use super::values::{is_record, non_empty_string, prop};
use super::vocabulary::RECOMMENDED_CAPABILITIES;

/// The declared capability ids: raw strings in order with duplicates kept (rules that report
/// per capability walk this list), plus a set for membership tests (so a hostile manifest with
/// many timers and capabilities stays linear).
#[derive(Debug, Default)]
pub(crate) struct Declared<'a> {
    list: Vec<&'a str>,
    set: HashSet<&'a str>,
}

impl<'a> Declared<'a> {
    pub(crate) fn contains(&self, capability: &str) -> bool {
        self.set.contains(capability)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &&'a str> {
        self.list.iter()
    }
}

/// Checks `manifest.capabilities` and returns the declared capabilities, or `None` when the
/// list is not an array: later rules that compare against declared capabilities are skipped then.
pub(crate) fn validate_capabilities<'a>(
    issues: &mut Issues,
    capabilities: Option<&'a Value>,
    source: &str,
) -> Option<Declared<'a>> {
    let Some(Value::Array(entries)) = capabilities else {
        issues.push(
            Code::MissingCapabilitiesArray,
            format!("{source}.capabilities"),
            "manifest.capabilities should be present as an explicit array, even when empty.",
        );
        return None;
    };
    let mut declared = Declared::default();
    for (index, entry) in entries.iter().enumerate() {
        let Some(id) = validate_entry(issues, entry, &format!("{source}.capabilities[{index}]"))
        else {
            continue;
        };
        declared.list.push(id);
        if !declared.set.insert(id) {
            issues.push(
                Code::DuplicateCapability,
                format!("{source}.capabilities"),
                format!("Capability \"{id}\" is declared more than once."),
            );
            continue;
        }
        if !RECOMMENDED_CAPABILITIES.contains(&id) {
            issues.push(
                Code::NoncanonicalCapability,
                format!("{source}.capabilities"),
                format!(
                    "Capability \"{id}\" is not in the current canonical SDN coarse capability set."
                ),
            );
        }
    }
    Some(declared)
}

/// A capability is a non-blank string or a record `{capability, scope?, required?, description?}`.
fn validate_entry<'a>(issues: &mut Issues, entry: &'a Value, location: &str) -> Option<&'a str> {
    if let Some(id) = non_empty_string(Some(entry)) {
        return Some(id);
    }
    if !is_record(Some(entry)) {
        issues.push(
            Code::InvalidCapability,
            location,
            "Capability entries must be non-empty strings or host capability records.",
        );
        return None;
    }
    let field = |key: &str| prop(Some(entry), key);
    if !issues.string_field(
        field("capability"),
        format!("{location}.capability"),
        "Capability id",
    ) {
        return None;
    }
    issues.optional_string_field(
        field("scope"),
        format!("{location}.scope"),
        "Capability scope",
    );
    issues.optional_boolean_field(
        field("required"),
        format!("{location}.required"),
        "Capability required",
    );
    issues.optional_string_field(
        field("description"),
        format!("{location}.description"),
        "Capability description",
    );
    non_empty_string(field("capability"))
}
