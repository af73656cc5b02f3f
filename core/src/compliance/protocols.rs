//! `protocols`: each binds a wire protocol to a method's ports, with a transport, a role and
//! the capabilities those need.

use serde_json::Value;

use super::capabilities::Declared;
use super::codes::Code;
use super::fields::{Bounds, Issues};
use super::methods::{MethodLookup, PortList};
use super::targets::{protocol_role, transport_kind};
use super::values::{is_nullish, is_record, is_true, non_empty_string, number, prop, template_or};
use super::vocabulary::{
    PROTOCOL_ROLES, PROTOCOL_TRANSPORT_KINDS, ROLE_BOTH, ROLE_DIAL, ROLE_HANDLE, TRANSPORT_LIBP2P,
    TRANSPORT_WS,
};

/// Checks every protocol of the (array) `protocols` list.
pub(crate) fn validate_protocols(
    issues: &mut Issues,
    protocols: &[Value],
    methods: &MethodLookup<'_>,
    declared: Option<&Declared<'_>>,
    source: &str,
) {
    for (index, protocol) in protocols.iter().enumerate() {
        validate_protocol(
            issues,
            protocol,
            &format!("{source}.protocols[{index}]"),
            methods,
            declared,
        );
    }
}

fn validate_protocol(
    issues: &mut Issues,
    protocol: &Value,
    location: &str,
    methods: &MethodLookup<'_>,
    declared: Option<&Declared<'_>>,
) {
    if !is_record(Some(protocol)) {
        issues.push(
            Code::InvalidProtocol,
            location,
            "Protocol entries must be objects.",
        );
        return;
    }
    let field = |key: &str| prop(Some(protocol), key);
    let at = |key: &str| format!("{location}.{key}");
    let name = template_or(field("protocolId"), "protocol");
    let declares =
        |capability: &str| declared.is_some_and(|declared| declared.contains(capability));
    let lacks = |capability: &str| declared.is_some_and(|declared| !declared.contains(capability));

    let protocol_id_valid =
        issues.string_field(field("protocolId"), at("protocolId"), "Protocol protocolId");
    let method_id_valid =
        issues.string_field(field("methodId"), at("methodId"), "Protocol methodId");
    let method_id = non_empty_string(field("methodId")).unwrap_or_default();
    let mut method = None;
    if method_id_valid {
        method = methods.get(method_id);
        if method.is_none() {
            issues.push(
                Code::UnknownProtocolMethod,
                at("methodId"),
                format!("Protocol \"{name}\" references unknown method \"{method_id}\"."),
            );
        }
    }
    // Divergence: the reference throws a TypeError when the method lacks the port list;
    // here that is reported as an unknown port.
    for (key, list, invalid, unknown, label) in [
        (
            "inputPortId",
            PortList::Input,
            Code::InvalidProtocolInputPort,
            Code::UnknownProtocolInputPort,
            "input",
        ),
        (
            "outputPortId",
            PortList::Output,
            Code::InvalidProtocolOutputPort,
            Code::UnknownProtocolOutputPort,
            "output",
        ),
    ] {
        if is_nullish(field(key)) {
            continue;
        }
        match non_empty_string(field(key)) {
            None => issues.push(invalid, at(key), format!("Protocol {key} must be a non-empty string when present.")),
            Some(port) if method.is_some_and(|method| !method.has_port(list, port)) => issues.push(
                unknown,
                at(key),
                format!("Protocol \"{name}\" references unknown {label} port \"{port}\" on method \"{method_id}\"."),
            ),
            Some(_) => {}
        }
    }
    let wire_id_valid = issues.string_field(field("wireId"), at("wireId"), "Protocol wireId");
    let transport = transport_kind(field("transportKind"));
    if issues.string_field(
        field("transportKind"),
        at("transportKind"),
        "Protocol transportKind",
    ) && !transport
        .as_deref()
        .is_some_and(|kind| PROTOCOL_TRANSPORT_KINDS.contains(&kind))
    {
        issues.push(
            Code::UnknownProtocolTransportKind,
            at("transportKind"),
            format!(
                "Protocol \"{name}\" transportKind must be one of: {}.",
                PROTOCOL_TRANSPORT_KINDS.join(", ")
            ),
        );
    }
    let role = protocol_role(field("role"));
    if issues.string_field(field("role"), at("role"), "Protocol role")
        && !role
            .as_deref()
            .is_some_and(|role| PROTOCOL_ROLES.contains(&role))
    {
        issues.push(
            Code::UnknownProtocolRole,
            at("role"),
            format!(
                "Protocol \"{name}\" role must be one of: {}.",
                PROTOCOL_ROLES.join(", ")
            ),
        );
    }
    issues.optional_string_field(field("specUri"), at("specUri"), "Protocol specUri");
    issues.optional_string_field(
        field("discoveryKey"),
        at("discoveryKey"),
        "Protocol discoveryKey",
    );
    issues.optional_boolean_field(
        field("autoInstall"),
        at("autoInstall"),
        "Protocol autoInstall",
    );
    issues.optional_boolean_field(field("advertise"), at("advertise"), "Protocol advertise");
    issues.optional_boolean_field(
        field("requireSecureTransport"),
        at("requireSecureTransport"),
        "Protocol requireSecureTransport",
    );
    issues.optional_integer_field(
        field("defaultPort"),
        at("defaultPort"),
        "Protocol defaultPort",
        Bounds::between(0, 65535),
    );

    let role = role.as_deref().filter(|role| !role.is_empty());
    if protocol_id_valid
        && declared.is_some()
        && !declares("protocol_handle")
        && !declares("protocol_dial")
    {
        issues.push(
            Code::UndeclaredProtocolCapability,
            location,
            format!("Protocol \"{name}\" requires \"protocol_handle\" or \"protocol_dial\" to be declared in manifest.capabilities."),
        );
    }
    if let Some(role) = role {
        if protocol_id_valid
            && (role == ROLE_HANDLE || role == ROLE_BOTH)
            && lacks("protocol_handle")
        {
            issues.push(
                Code::MissingHandleProtocolCapability,
                location,
                format!("Protocol \"{name}\" with role \"{role}\" requires the \"protocol_handle\" capability."),
            );
        }
        if protocol_id_valid && (role == ROLE_DIAL || role == ROLE_BOTH) && lacks("protocol_dial") {
            issues.push(
                Code::MissingDialProtocolCapability,
                location,
                format!("Protocol \"{name}\" with role \"{role}\" requires the \"protocol_dial\" capability."),
            );
        }
    }
    if is_true(field("advertise")) && role == Some(ROLE_DIAL) {
        issues.push(
            Code::ProtocolAdvertiseRoleConflict,
            at("advertise"),
            format!("Protocol \"{name}\" cannot advertise when role is \"dial\"."),
        );
    }
    if transport.as_deref() == Some(TRANSPORT_LIBP2P) && lacks("ipfs") {
        issues.push(
            Code::MissingIpfsCapability,
            location,
            format!("Protocol \"{name}\" with transportKind \"libp2p\" requires the \"ipfs\" capability."),
        );
    }
    if wire_id_valid
        && transport.as_deref() == Some(TRANSPORT_WS)
        && number(field("defaultPort")) == Some(443.0)
        && !is_true(field("requireSecureTransport"))
    {
        issues.push(
            Code::InsecureSecurePortHint,
            at("defaultPort"),
            format!(
                "Protocol \"{name}\" uses defaultPort 443 without requireSecureTransport=true."
            ),
        );
    }
}
