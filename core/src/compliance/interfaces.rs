//! `externalInterfaces`: what the module reaches outside itself, and through which capability.

use serde_json::Value;

use super::capabilities::Declared;
use super::codes::Code;
use super::fields::Issues;
use super::values::{is_record, non_empty_string, prop};
use super::vocabulary::{EXTERNAL_INTERFACE_DIRECTIONS, EXTERNAL_INTERFACE_KINDS};

/// Checks `manifest.externalInterfaces`; a missing list is only a warning.
pub(crate) fn validate_external_interfaces(
    issues: &mut Issues,
    interfaces: Option<&Value>,
    declared: Option<&Declared<'_>>,
    source: &str,
) {
    let Some(Value::Array(interfaces)) = interfaces else {
        issues.push(
            Code::MissingExternalInterfacesArray,
            format!("{source}.externalInterfaces"),
            "manifest.externalInterfaces should be present as an explicit array, even when empty.",
        );
        return;
    };
    for (index, interface) in interfaces.iter().enumerate() {
        validate_interface(
            issues,
            interface,
            &format!("{source}.externalInterfaces[{index}]"),
            declared,
        );
    }
}

fn validate_interface(
    issues: &mut Issues,
    interface: &Value,
    location: &str,
    declared: Option<&Declared<'_>>,
) {
    if !is_record(Some(interface)) {
        issues.push(
            Code::InvalidExternalInterface,
            location,
            "externalInterfaces entries must be objects.",
        );
        return;
    }
    let field = |key: &str| prop(Some(interface), key);
    issues.string_field(
        field("interfaceId"),
        format!("{location}.interfaceId"),
        "External interface interfaceId",
    );
    match non_empty_string(field("kind")) {
        None => issues.push(
            Code::MissingInterfaceKind,
            format!("{location}.kind"),
            "External interface kind must be a non-empty string.",
        ),
        Some(kind) if !EXTERNAL_INTERFACE_KINDS.contains(&kind) => issues.push(
            Code::UnknownInterfaceKind,
            format!("{location}.kind"),
            format!(
                "External interface kind \"{kind}\" is not in the canonical SDN interface kind set."
            ),
        ),
        Some(_) => {}
    }
    match non_empty_string(field("direction")) {
        None => issues.push(
            Code::MissingInterfaceDirection,
            format!("{location}.direction"),
            "External interface direction must be a non-empty string.",
        ),
        Some(direction) if !EXTERNAL_INTERFACE_DIRECTIONS.contains(&direction) => issues.push(
            Code::InvalidInterfaceDirection,
            format!("{location}.direction"),
            format!("External interface direction \"{direction}\" is invalid."),
        ),
        Some(_) => {}
    }
    match non_empty_string(field("capability")) {
        None => issues.push(
            Code::MissingInterfaceCapability,
            format!("{location}.capability"),
            "External interface should declare the coarse capability it consumes.",
        ),
        Some(capability) if declared.is_some_and(|declared| !declared.contains(capability)) => issues.push(
            Code::UndeclaredInterfaceCapability,
            format!("{location}.capability"),
            format!("External interface capability \"{capability}\" is not declared in manifest.capabilities."),
        ),
        Some(_) => {}
    }
}
