//! Network operations: `http.request`, `websocket.exchange`, `mqtt.publish`,
//! `mqtt.subscribeOnce`, `tcp.request`, `udp.request`, `tls.request`.
//!
//! Every connection goes through [`NetRules`] of its protocol: the host string must be allowed,
//! the port must be allowed, and **every address the name resolves to** must lie in an allowed
//! range; the connection then goes to the checked address (no second resolution). Empty rules
//! allow nothing. Every operation has a deadline (`timeoutMs`, else
//! [`HostLimits::default_timeout`], capped by [`HostLimits::max_timeout`]) covering resolution,
//! connect and exchange, and reads at most [`HostLimits::max_read_bytes`] bytes of reply.
//! `docs/host-network.md` documents params, results and the deviations from the reference.

mod http;
mod mqtt;
mod params;
mod resolve;
mod socket;
mod stream;
mod tls;
mod tls_config;
mod websocket;

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

/// Most redirects `http.request` follows (each hop is checked against the policy again).
pub const MAX_HTTP_REDIRECTS: usize = http::MAX_REDIRECTS;

/// The capability `operation` needs, or `None` when it is not a network operation.
pub fn capability_of(operation: &str) -> Option<&'static str> {
    OPERATIONS
        .iter()
        .find(|(name, _)| *name == operation)
        .map(|(_, capability)| *capability)
}

/// Runs one network operation. The caller has already checked the capability; this checks the
/// policy, then connects. Params and results follow spec section 5.4 (see
/// `docs/host-network.md`). Params must be a JSON object (or `null`, read as `{}`).
///
/// Errors: `host-network-denied` (policy; nothing was connected), `host-invalid-params`,
/// `host-timeout`, `host-limit-exceeded`, `host-network-failed`, `host-operation-failed`
/// (a reply that is not the JSON asked for), `host-operation-unknown`.
pub fn invoke(
    operation: &str,
    params: &Value,
    policy: &NetPolicy,
    limits: &HostLimits,
) -> Result<Value, HostError> {
    let run = match operation {
        "http.request" => http::request,
        "websocket.exchange" => websocket::exchange,
        "mqtt.publish" => mqtt::publish,
        "mqtt.subscribeOnce" => mqtt::subscribe_once,
        "tcp.request" => socket::tcp_request,
        "udp.request" => socket::udp_request,
        "tls.request" => tls::tls_request,
        _ => {
            return Err(HostError::new(
                crate::ErrorCode::HostOperationUnknown,
                "Error",
                format!("Operation \"{operation}\" is not a network operation."),
            ));
        }
    };
    run(params::object(params)?, policy, limits)
}
