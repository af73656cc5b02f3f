//! `tls.request`: rustls over a TCP connection to a checked address.

use std::io::Write;

use rustls::{ClientConnection, StreamOwned};
use serde_json::{Map, Value};

use super::NetPolicy;
use super::params::{self, Deadline, io_error, network_failed};
use super::resolve::{self, Call};
use super::socket::{checked_target, endpoint_members, response_encoding};
use super::stream::read_to_end_capped;
use super::tls_config::{ClientAuth, TrustExtras, client_config, server_name};
use crate::host::{HostError, HostLimits};

const CALL: Call = Call {
    kind: "TLS",
    operation: "tls.request",
    capability: "tls",
};

/// Connects, verifies the server, writes `data`, sends `close_notify`, reads to EOF.
pub(crate) fn tls_request(
    params: &Map<String, Value>,
    policy: &NetPolicy,
    limits: &HostLimits,
) -> Result<Value, HostError> {
    let deadline = Deadline::from_params(params, limits, "TLS request")?;
    let encoding = response_encoding(params, "TLS")?;
    let data = params::bytes(params::member(params, "data"), "TLS request data")?;
    // Turning verification off is not offered (fail closed): the request is refused outright.
    if params::optional_bool(params, "rejectUnauthorized", "TLS rejectUnauthorized")? == Some(false)
    {
        return Err(
            CALL.denied("TLS rejectUnauthorized:false is not permitted by this host.".to_owned())
        );
    }
    let ca = pem_list(params::member(params, "ca"), "TLS ca")?;
    let cert = params::optional_string(params, "cert", "TLS cert")?;
    let key = params::optional_string(params, "key", "TLS key")?;
    let client_auth = match (&cert, &key) {
        (Some(cert_pem), Some(key_pem)) => Some(ClientAuth { cert_pem, key_pem }),
        (None, None) => None,
        _ => {
            return Err(HostError::invalid_params(
                "TLS cert and key must be given together.",
            ));
        }
    };
    let servername = params::optional_string(params, "servername", "TLS servername")?;
    let config = client_config(
        &TrustExtras {
            policy_pem: &policy.extra_roots_pem,
            request_pem: &ca,
        },
        client_auth.as_ref(),
        &[],
    )?;
    let checked = checked_target(params, &policy.tls, &CALL, &deadline)?;
    let name = server_name(servername.as_deref().unwrap_or(&checked.host))?;

    let socket = resolve::connect_tcp(&checked, &deadline, "TLS")?;
    let local = socket.local_addr().ok();
    let remote = socket.peer_addr().ok();
    let control = socket
        .try_clone()
        .map_err(|err| io_error(&err, &deadline, "TLS request"))?;
    let connection = ClientConnection::new(config, name)
        .map_err(|err| network_failed(format!("TLS setup failed: {err}")))?;
    let mut stream = StreamOwned::new(connection, socket);

    let context = "TLS request";
    let set_timeouts = |deadline: &Deadline| -> Result<(), HostError> {
        let left = deadline.remaining()?;
        control
            .set_read_timeout(Some(left))
            .and_then(|()| control.set_write_timeout(Some(left)))
            .map_err(|err| io_error(&err, deadline, context))
    };
    set_timeouts(&deadline)?;
    while stream.conn.is_handshaking() {
        stream
            .conn
            .complete_io(&mut stream.sock)
            .map_err(|err| handshake_error(&err, &deadline))?;
        set_timeouts(&deadline)?;
    }
    if let Some(data) = data.as_deref().filter(|data| !data.is_empty()) {
        stream
            .write_all(data)
            .map_err(|err| io_error(&err, &deadline, context))?;
    }
    // Like Node's `socket.end()`: close our direction (close_notify plus a TCP half-close).
    stream.conn.send_close_notify();
    set_timeouts(&deadline)?;
    stream
        .flush()
        .map_err(|err| io_error(&err, &deadline, context))?;
    // Writing close_notify happens in complete_io; flush only moves plaintext.
    while stream.conn.wants_write() {
        stream
            .conn
            .write_tls(&mut stream.sock)
            .map_err(|err| io_error(&err, &deadline, context))?;
    }
    control
        .shutdown(std::net::Shutdown::Write)
        .map_err(|err| io_error(&err, &deadline, context))?;
    let body = read_to_end_capped(
        &mut stream,
        &control,
        limits.max_read_bytes,
        &deadline,
        "TLS response",
        true,
    )?;

    let mut result = Map::new();
    endpoint_members(&mut result, &checked, local, remote);
    // Verification cannot be turned off, so a finished handshake means an authorized peer.
    result.insert("authorized".into(), Value::Bool(true));
    result.insert("authorizationError".into(), Value::Null);
    result.insert("body".into(), encoding.encode(&body, "TLS response")?);
    Ok(Value::Object(result))
}

fn handshake_error(err: &std::io::Error, deadline: &Deadline) -> HostError {
    match err.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => deadline.timed_out(),
        _ => network_failed(format!("TLS handshake failed: {err}")),
    }
}

/// `ca`: one PEM text or an array of them.
fn pem_list(value: Option<&Value>, label: &str) -> Result<Vec<String>, HostError> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::String(pem)) => Ok(vec![pem.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str().map(str::to_owned).ok_or_else(|| {
                    HostError::invalid_params(format!("{label} must hold PEM strings."))
                })
            })
            .collect(),
        Some(_) => Err(HostError::invalid_params(format!(
            "{label} must be a PEM string or an array of PEM strings."
        ))),
    }
}
