//! The network policy check: host, port, and every resolved address; then a TCP connection to a
//! checked address only. Nothing here connects before the whole check has passed.

use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;

use super::NetRules;
use super::params::{Deadline, network_failed};
use crate::ErrorCode;
use crate::host::HostError;

/// Which operation is asking, for error messages and the `operation`/`capability` members.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call {
    /// `HTTP`, `WebSocket`, `MQTT`, `TCP`, `UDP` or `TLS`, as in the reference's messages.
    pub kind: &'static str,
    pub operation: &'static str,
    pub capability: &'static str,
}

impl Call {
    pub(crate) fn denied(&self, message: String) -> HostError {
        HostError::denied(
            ErrorCode::HostNetworkDenied,
            "Error",
            message,
            self.operation,
            self.capability,
        )
    }
}

/// A destination that passed the policy: connect only to `addrs`.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    /// The lower-cased host (IPv6 literals without brackets).
    pub host: String,
    pub port: u16,
    /// Every address the host resolved to, all inside the allowed ranges; never empty.
    pub addrs: Vec<SocketAddr>,
}

/// Lower-cases a host and removes the brackets of an IPv6 literal (`[::1]` → `::1`).
pub(crate) fn normalize_host(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    match host
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    {
        Some(inner) => inner.to_owned(),
        None => host,
    }
}

/// Checks `host:port` against `rules`: the host must be listed (or `"*"` be), the port listed,
/// and every address the host resolves to must lie in an allowed range. Resolution happens only
/// after the host and port passed, and within the deadline.
pub(crate) fn check(
    rules: &NetRules,
    call: &Call,
    host: &str,
    port: u16,
    deadline: &Deadline,
) -> Result<Checked, HostError> {
    let kind = call.kind;
    let normalized = normalize_host(host);
    let host_allowed = rules
        .hosts
        .iter()
        .any(|allowed| allowed == "*" || normalize_host(allowed) == normalized);
    if normalized.is_empty() || !host_allowed {
        return Err(call.denied(format!(
            "{kind} host \"{host}\" is not permitted by this host."
        )));
    }
    if !rules.ports.contains(&port) {
        return Err(call.denied(format!(
            "{kind} port \"{port}\" is not permitted by this host."
        )));
    }
    let addrs = resolve(&normalized, port, deadline, kind)?;
    for addr in &addrs {
        let ip = addr.ip().to_canonical();
        if !rules.addresses.iter().any(|range| range.contains(&ip)) {
            return Err(call.denied(format!(
                "{kind} host \"{host}\" resolves to address {ip}, which is not permitted by this host."
            )));
        }
    }
    Ok(Checked {
        host: normalized,
        port,
        addrs,
    })
}

/// An IP literal is its own address; a name goes to the system resolver on a helper thread so
/// the deadline bounds the lookup too.
fn resolve(
    host: &str,
    port: u16,
    deadline: &Deadline,
    kind: &str,
) -> Result<Vec<SocketAddr>, HostError> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let (sender, receiver) = mpsc::channel();
    let name = host.to_owned();
    std::thread::Builder::new()
        .name("sdm-host-resolve".into())
        .spawn(move || {
            let found = (name.as_str(), port)
                .to_socket_addrs()
                .map(|addrs| addrs.collect::<Vec<_>>());
            // The receiver is gone when the deadline passed first; nothing to report then.
            let _ = sender.send(found);
        })
        .map_err(|err| network_failed(format!("{kind} host lookup could not start: {err}")))?;
    let found = receiver
        .recv_timeout(deadline.remaining()?)
        .map_err(|_| deadline.timed_out())?;
    let mut addrs = found
        .map_err(|err| network_failed(format!("{kind} host \"{host}\" lookup failed: {err}")))?;
    addrs.dedup();
    if addrs.is_empty() {
        return Err(network_failed(format!(
            "{kind} host \"{host}\" did not resolve to any address."
        )));
    }
    Ok(addrs)
}

/// Connects to the first checked address that accepts, within the deadline.
pub(crate) fn connect_tcp(
    checked: &Checked,
    deadline: &Deadline,
    kind: &str,
) -> Result<TcpStream, HostError> {
    let mut last_error = None;
    for addr in &checked.addrs {
        match TcpStream::connect_timeout(addr, deadline.remaining()?) {
            Ok(stream) => return Ok(stream),
            Err(err) if err.kind() == std::io::ErrorKind::TimedOut => {
                return Err(deadline.timed_out());
            }
            Err(err) => last_error = Some((addr, err)),
        }
    }
    Err(match last_error {
        Some((addr, err)) => network_failed(format!("{kind} connection to {addr} failed: {err}")),
        None => network_failed(format!("{kind} host has no address to connect to.")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const CALL: Call = Call {
        kind: "TCP",
        operation: "tcp.request",
        capability: "tcp",
    };

    fn deadline() -> Deadline {
        Deadline::after(Duration::from_secs(5), "TCP request")
    }

    #[test]
    fn hosts_compare_lower_cased_without_ipv6_brackets() {
        assert_eq!(normalize_host(" Example.COM "), "example.com");
        assert_eq!(normalize_host("[::1]"), "::1");
        let rules = NetRules {
            hosts: vec!["[::1]".into()],
            ports: vec![80],
            addresses: vec!["::1/128".parse().unwrap()],
        };
        let checked = check(&rules, &CALL, "::1", 80, &deadline()).unwrap();
        assert_eq!(checked.host, "::1");
        assert_eq!(checked.addrs, vec!["[::1]:80".parse().unwrap()]);
    }

    #[test]
    fn ipv4_mapped_addresses_are_checked_as_ipv4() {
        let rules = NetRules {
            hosts: vec!["*".into()],
            ports: vec![80],
            addresses: vec!["10.0.0.0/8".parse().unwrap()],
        };
        let err = check(&rules, &CALL, "::ffff:127.0.0.1", 80, &deadline()).unwrap_err();
        assert_eq!(err.code, ErrorCode::HostNetworkDenied);
        assert!(err.message.contains("127.0.0.1"), "{}", err.message);
        assert!(check(&rules, &CALL, "::ffff:10.1.2.3", 80, &deadline()).is_ok());
    }

    #[test]
    fn empty_rules_allow_nothing() {
        let err = check(&NetRules::default(), &CALL, "127.0.0.1", 80, &deadline()).unwrap_err();
        assert_eq!(err.code, ErrorCode::HostNetworkDenied);
        assert_eq!(
            err.message,
            "TCP host \"127.0.0.1\" is not permitted by this host."
        );
        let rules = NetRules {
            hosts: vec!["127.0.0.1".into()],
            ports: Vec::new(),
            addresses: vec!["0.0.0.0/0".parse().unwrap()],
        };
        let err = check(&rules, &CALL, "127.0.0.1", 80, &deadline()).unwrap_err();
        assert_eq!(
            err.message,
            "TCP port \"80\" is not permitted by this host."
        );
    }
}
