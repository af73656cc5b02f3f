//! Methods and their input/output ports.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::codes::Code;
use super::fields::{Bounds, Issues, less_than};
use super::types::validate_accepted_type_set;
use super::values::{as_array, is_record, non_empty_string, prop};
use super::vocabulary::DRAIN_POLICIES;

/// Methods by id, for timers and protocols. When an id repeats, the last method wins.
pub(crate) type MethodLookup<'a> = HashMap<&'a str, MethodPorts<'a>>;

/// Which port list of a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PortList {
    Input,
    Output,
}

/// The port ids of one method, as sets: timers and protocols look ports up by id, and a
/// hostile manifest with many of both must stay linear.
#[derive(Debug, Default)]
pub(crate) struct MethodPorts<'a> {
    inputs: HashSet<&'a str>,
    outputs: HashSet<&'a str>,
}

impl<'a> MethodPorts<'a> {
    /// A list that is missing or not an array has no ports (the reference throws a TypeError
    /// there when a timer or protocol names a port).
    fn of(method: &'a Value) -> Self {
        let ids = |key: &str| -> HashSet<&'a str> {
            as_array(prop(Some(method), key))
                .into_iter()
                .flatten()
                .filter_map(|port| match prop(Some(port), "portId") {
                    Some(Value::String(id)) => Some(id.as_str()),
                    _ => None,
                })
                .collect()
        };
        MethodPorts {
            inputs: ids("inputPorts"),
            outputs: ids("outputPorts"),
        }
    }

    /// Whether the method has a port with exactly this id in `list`.
    pub(crate) fn has_port(&self, list: PortList, port_id: &str) -> bool {
        match list {
            PortList::Input => self.inputs.contains(port_id),
            PortList::Output => self.outputs.contains(port_id),
        }
    }
}

/// Checks every method (the list is known to be a non-empty array) and returns the lookup.
pub(crate) fn validate_methods<'a>(
    issues: &mut Issues,
    methods: &'a [Value],
    source: &str,
) -> MethodLookup<'a> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut lookup = MethodLookup::new();
    for (index, method) in methods.iter().enumerate() {
        let location = format!("{source}.methods[{index}]");
        if !is_record(Some(method)) {
            issues.push(
                Code::InvalidMethod,
                location,
                "Method entries must be objects.",
            );
            continue;
        }
        let field = |key: &str| prop(Some(method), key);
        if issues.string_field(
            field("methodId"),
            format!("{location}.methodId"),
            "methodId",
        ) && let Some(Value::String(id)) = field("methodId")
        {
            if !seen.insert(id) {
                issues.push(
                    Code::DuplicateMethodId,
                    format!("{location}.methodId"),
                    format!("Method \"{id}\" is declared more than once."),
                );
            }
            lookup.insert(id.as_str(), MethodPorts::of(method));
        }
        match as_array(field("inputPorts")) {
            Some(ports) if !ports.is_empty() => {
                for (port_index, port) in ports.iter().enumerate() {
                    validate_port(
                        issues,
                        port,
                        &format!("{location}.inputPorts[{port_index}]"),
                        "Input port",
                    );
                }
            }
            _ => issues.push(
                Code::MissingInputPorts,
                format!("{location}.inputPorts"),
                "Methods must declare one or more inputPorts.",
            ),
        }
        match as_array(field("outputPorts")) {
            Some(ports) => {
                for (port_index, port) in ports.iter().enumerate() {
                    validate_port(
                        issues,
                        port,
                        &format!("{location}.outputPorts[{port_index}]"),
                        "Output port",
                    );
                }
            }
            None => issues.push(
                Code::MissingOutputPorts,
                format!("{location}.outputPorts"),
                "Methods must declare outputPorts as an array.",
            ),
        }
        issues.integer_field(
            field("maxBatch"),
            format!("{location}.maxBatch"),
            "maxBatch",
            Bounds::at_least(1),
        );
        match non_empty_string(field("drainPolicy")) {
            None => issues.push(
                Code::MissingDrainPolicy,
                format!("{location}.drainPolicy"),
                "Methods must declare drainPolicy.",
            ),
            Some(policy) if !DRAIN_POLICIES.contains(&policy) => issues.push(
                Code::InvalidDrainPolicy,
                format!("{location}.drainPolicy"),
                format!("Drain policy \"{policy}\" is invalid."),
            ),
            Some(_) => {}
        }
    }
    lookup
}

fn validate_port(issues: &mut Issues, port: &Value, location: &str, label: &str) {
    if !is_record(Some(port)) {
        issues.push(
            Code::InvalidPort,
            location,
            format!("{label} entries must be objects."),
        );
        return;
    }
    let field = |key: &str| prop(Some(port), key);
    issues.string_field(
        field("portId"),
        format!("{location}.portId"),
        &format!("{label} portId"),
    );
    match as_array(field("acceptedTypeSets")) {
        Some(sets) if !sets.is_empty() => {
            for (index, set) in sets.iter().enumerate() {
                validate_accepted_type_set(
                    issues,
                    Some(set),
                    &format!("{location}.acceptedTypeSets[{index}]"),
                );
            }
        }
        _ => issues.push(
            Code::MissingAcceptedTypeSets,
            format!("{location}.acceptedTypeSets"),
            format!("{label} must declare one or more acceptedTypeSets."),
        ),
    }
    let min_valid = issues.integer_field(
        field("minStreams"),
        format!("{location}.minStreams"),
        &format!("{label} minStreams"),
        Bounds::at_least(0),
    );
    let max_valid = issues.integer_field(
        field("maxStreams"),
        format!("{location}.maxStreams"),
        &format!("{label} maxStreams"),
        Bounds::at_least(0),
    );
    if min_valid && max_valid && less_than(field("maxStreams"), field("minStreams")) {
        issues.push(
            Code::StreamRange,
            location,
            format!("{label} maxStreams must be greater than or equal to minStreams."),
        );
    }
    if !matches!(field("required"), Some(Value::Bool(_))) {
        issues.push(
            Code::InvalidRequiredFlag,
            format!("{location}.required"),
            format!("{label} required must be a boolean."),
        );
    }
}
