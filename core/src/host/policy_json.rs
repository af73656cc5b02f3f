//! The JSON form of a [`HostPolicy`], the one way the CLI (`--host-policy FILE`), the C ABI
//! (`sdm_host_new`) and every binding describe what a guest may do. Unknown members are
//! errors: a misspelt `"grnat"` must not silently grant nothing (or everything).
//!
//! ```json
//! {
//!   "grant": ["clock", "filesystem", "tcp"],
//!   "filesystemRoot": "/srv/module-data",
//!   "exec": {"allowedCommands": ["/bin/echo"], "inheritEnv": false,
//!            "env": {"LANG": "C"}, "allowGuestEnv": false},
//!   "net": {"tcp": {"hosts": ["127.0.0.1"], "ports": [7000], "addresses": ["127.0.0.1/32"]},
//!           "extraRootsPem": []},
//!   "contextFile": "/srv/module-data/context.json",
//!   "limits": {"maxReadBytes": 1048576, "defaultTimeoutMs": 5000},
//!   "runtimeTarget": "node"
//! }
//! ```
//! Every member is optional; `{}` is the empty policy (nothing granted).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use crate::host::limits::HostLimits;
use crate::host::net::{NetPolicy, NetRules};
use crate::host::policy::{ContextStoreChoice, ExecPolicy, HostPolicy};
use crate::{Error, ErrorCode, Result};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PolicyJson {
    #[serde(default)]
    grant: Vec<String>,
    filesystem_root: Option<PathBuf>,
    #[serde(default)]
    exec: ExecJson,
    #[serde(default)]
    net: NetJson,
    context_file: Option<PathBuf>,
    #[serde(default)]
    limits: LimitsJson,
    runtime_target: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ExecJson {
    #[serde(default)]
    allowed_commands: Vec<String>,
    #[serde(default)]
    inherit_env: bool,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    allow_guest_env: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct NetJson {
    #[serde(default)]
    http: RulesJson,
    #[serde(default)]
    websocket: RulesJson,
    #[serde(default)]
    mqtt: RulesJson,
    #[serde(default)]
    tcp: RulesJson,
    #[serde(default)]
    udp: RulesJson,
    #[serde(default)]
    tls: RulesJson,
    #[serde(default)]
    extra_roots_pem: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RulesJson {
    #[serde(default)]
    hosts: Vec<String>,
    #[serde(default)]
    ports: Vec<u16>,
    #[serde(default)]
    addresses: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct LimitsJson {
    max_operation_bytes: Option<usize>,
    max_request_bytes: Option<usize>,
    max_response_bytes: Option<usize>,
    max_read_bytes: Option<usize>,
    max_random_bytes: Option<usize>,
    default_timeout_ms: Option<u64>,
    max_timeout_ms: Option<u64>,
}

impl HostPolicy {
    /// Parses the JSON form (module doc). Errors: `invalid-json` for text that is not JSON,
    /// `invalid-argument` for an unknown member, a wrong type or a bad address range.
    pub fn from_json_str(text: &str) -> Result<HostPolicy> {
        let value: Value = serde_json::from_str(text).map_err(|err| {
            Error::new(
                ErrorCode::InvalidJson,
                format!("host policy is not JSON: {err}"),
            )
        })?;
        HostPolicy::from_json(&value)
    }

    /// As [`HostPolicy::from_json_str`], from a parsed value.
    pub fn from_json(value: &Value) -> Result<HostPolicy> {
        let parsed = PolicyJson::deserialize(value)
            .map_err(|err| Error::new(ErrorCode::InvalidArgument, format!("host policy: {err}")))?;
        let defaults = HostLimits::default();
        let limits = HostLimits {
            max_operation_bytes: parsed
                .limits
                .max_operation_bytes
                .unwrap_or(defaults.max_operation_bytes),
            max_request_bytes: parsed
                .limits
                .max_request_bytes
                .unwrap_or(defaults.max_request_bytes),
            max_response_bytes: parsed
                .limits
                .max_response_bytes
                .unwrap_or(defaults.max_response_bytes),
            max_read_bytes: parsed
                .limits
                .max_read_bytes
                .unwrap_or(defaults.max_read_bytes),
            max_random_bytes: parsed
                .limits
                .max_random_bytes
                .unwrap_or(defaults.max_random_bytes),
            default_timeout: parsed
                .limits
                .default_timeout_ms
                .map_or(defaults.default_timeout, Duration::from_millis),
            max_timeout: parsed
                .limits
                .max_timeout_ms
                .map_or(defaults.max_timeout, Duration::from_millis),
        };
        let net = NetPolicy {
            http: rules(parsed.net.http, "http")?,
            websocket: rules(parsed.net.websocket, "websocket")?,
            mqtt: rules(parsed.net.mqtt, "mqtt")?,
            tcp: rules(parsed.net.tcp, "tcp")?,
            udp: rules(parsed.net.udp, "udp")?,
            tls: rules(parsed.net.tls, "tls")?,
            extra_roots_pem: parsed.net.extra_roots_pem,
        };
        let exec = ExecPolicy {
            allowed_commands: parsed.exec.allowed_commands,
            inherit_env: parsed.exec.inherit_env,
            env: parsed.exec.env.into_iter().collect(),
            allow_guest_env: parsed.exec.allow_guest_env,
        };
        let mut policy = HostPolicy::new()
            .grant_all(parsed.grant.iter().map(String::as_str))
            .exec_policy(exec)
            .net(net)
            .limits(limits);
        policy.filesystem_root = parsed.filesystem_root;
        if let Some(path) = parsed.context_file {
            policy.context_store = ContextStoreChoice::JsonFile(path);
        }
        if let Some(target) = parsed.runtime_target {
            policy.runtime_target = target;
        }
        Ok(policy)
    }
}

fn rules(json: RulesJson, protocol: &str) -> Result<NetRules> {
    let addresses = json
        .addresses
        .iter()
        .map(|text| parse_range(text, protocol))
        .collect::<Result<Vec<_>>>()?;
    Ok(NetRules {
        hosts: json.hosts.iter().map(|h| h.to_ascii_lowercase()).collect(),
        ports: json.ports,
        addresses,
    })
}

/// `127.0.0.1/32`, `::1/128`, or a bare address (one host).
fn parse_range(text: &str, protocol: &str) -> Result<ipnet::IpNet> {
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!(
                    "host policy: net.{protocol}.addresses: \"{text}\" is not an address or range"
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_object_is_the_empty_policy() {
        assert_eq!(
            HostPolicy::from_json_str("{}").unwrap(),
            HostPolicy::default()
        );
    }

    #[test]
    fn every_member_lands_in_its_field() {
        let policy = HostPolicy::from_json_str(
            r#"{"grant":[" clock ","tcp"],"filesystemRoot":"/srv/x",
                "exec":{"allowedCommands":["/bin/echo"],"inheritEnv":true,"env":{"A":"1"},"allowGuestEnv":true},
                "net":{"tcp":{"hosts":["LocalHost"],"ports":[7],"addresses":["127.0.0.1","10.0.0.0/8"]},
                       "extraRootsPem":["pem"]},
                "contextFile":"/srv/x/c.json",
                "limits":{"maxReadBytes":5,"defaultTimeoutMs":250,"maxRandomBytes":9},
                "runtimeTarget":"space-data-module"}"#,
        )
        .unwrap();
        assert_eq!(
            policy.granted.iter().collect::<Vec<_>>(),
            vec!["clock", "tcp"]
        );
        assert_eq!(policy.filesystem_root, Some(PathBuf::from("/srv/x")));
        assert_eq!(policy.exec.allowed_commands, vec!["/bin/echo"]);
        assert!(policy.exec.inherit_env && policy.exec.allow_guest_env);
        assert_eq!(policy.exec.env, vec![("A".to_owned(), "1".to_owned())]);
        assert_eq!(policy.net.tcp.hosts, vec!["localhost"]);
        assert_eq!(policy.net.tcp.ports, vec![7]);
        assert_eq!(policy.net.tcp.addresses.len(), 2);
        assert!(policy.net.http.hosts.is_empty());
        assert_eq!(policy.net.extra_roots_pem, vec!["pem"]);
        assert_eq!(
            policy.context_store,
            ContextStoreChoice::JsonFile(PathBuf::from("/srv/x/c.json"))
        );
        assert_eq!(policy.limits.max_read_bytes, 5);
        assert_eq!(policy.limits.max_random_bytes, 9);
        assert_eq!(policy.limits.default_timeout, Duration::from_millis(250));
        assert_eq!(policy.runtime_target, "space-data-module");
    }

    #[test]
    fn mistakes_are_errors_not_silent_defaults() {
        for (text, code) in [
            ("{\"grnat\":[\"clock\"]}", ErrorCode::InvalidArgument),
            ("{\"grant\":\"clock\"}", ErrorCode::InvalidArgument),
            (
                "{\"net\":{\"tcp\":{\"addresses\":[\"nope\"]}}}",
                ErrorCode::InvalidArgument,
            ),
            (
                "{\"net\":{\"tcp\":{\"ports\":[70000]}}}",
                ErrorCode::InvalidArgument,
            ),
            ("[]", ErrorCode::InvalidArgument),
            ("{", ErrorCode::InvalidJson),
        ] {
            let err = HostPolicy::from_json_str(text).unwrap_err();
            assert_eq!(err.code(), code, "{text}: {err}");
        }
    }
}
