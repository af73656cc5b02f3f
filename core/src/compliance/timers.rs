//! `timers`: each names a method (and optionally one of its input ports) and needs the
//! `timers` capability.

use serde_json::Value;

use super::capabilities::Declared;
use super::codes::Code;
use super::fields::{Bounds, Issues};
use super::methods::{MethodLookup, PortList};
use super::values::{is_nullish, is_record, non_empty_string, prop, template_or};

/// Checks every timer of the (array) `timers` list.
pub(crate) fn validate_timers(
    issues: &mut Issues,
    timers: &[Value],
    methods: &MethodLookup<'_>,
    declared: Option<&Declared<'_>>,
    source: &str,
) {
    for (index, timer) in timers.iter().enumerate() {
        validate_timer(
            issues,
            timer,
            &format!("{source}.timers[{index}]"),
            methods,
            declared,
        );
    }
}

fn validate_timer(
    issues: &mut Issues,
    timer: &Value,
    location: &str,
    methods: &MethodLookup<'_>,
    declared: Option<&Declared<'_>>,
) {
    if !is_record(Some(timer)) {
        issues.push(
            Code::InvalidTimer,
            location,
            "Timer entries must be objects.",
        );
        return;
    }
    let field = |key: &str| prop(Some(timer), key);
    let timer_name = template_or(field("timerId"), "timer");
    let timer_id_valid = issues.string_field(
        field("timerId"),
        format!("{location}.timerId"),
        "Timer timerId",
    );
    let method_id_valid = issues.string_field(
        field("methodId"),
        format!("{location}.methodId"),
        "Timer methodId",
    );
    let method_id = non_empty_string(field("methodId")).unwrap_or_default();
    let mut method = None;
    if method_id_valid {
        method = methods.get(method_id);
        if method.is_none() {
            issues.push(
                Code::UnknownTimerMethod,
                format!("{location}.methodId"),
                format!("Timer \"{timer_name}\" references unknown method \"{method_id}\"."),
            );
        }
    }
    if !is_nullish(field("inputPortId")) {
        match non_empty_string(field("inputPortId")) {
            None => issues.push(
                Code::InvalidTimerInputPort,
                format!("{location}.inputPortId"),
                "Timer inputPortId must be a non-empty string when present.",
            ),
            // Divergence: the reference throws a TypeError when the method has no
            // `inputPorts` array; here that is reported as an unknown input port.
            Some(port) if method.is_some_and(|method| !method.has_port(PortList::Input, port)) => issues.push(
                Code::UnknownTimerInputPort,
                format!("{location}.inputPortId"),
                format!("Timer \"{timer_name}\" references unknown input port \"{port}\" on method \"{method_id}\"."),
            ),
            Some(_) => {}
        }
    }
    if field("defaultIntervalMs").is_some() {
        issues.integer_field(
            field("defaultIntervalMs"),
            format!("{location}.defaultIntervalMs"),
            "Timer defaultIntervalMs",
            Bounds::at_least(0),
        );
    }
    if timer_id_valid && declared.is_some_and(|declared| !declared.contains("timers")) {
        issues.push(
            Code::UndeclaredTimerCapability,
            location,
            format!("Timer \"{timer_name}\" requires the \"timers\" capability to be declared in manifest.capabilities."),
        );
    }
}
