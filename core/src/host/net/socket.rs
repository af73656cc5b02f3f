//! `tcp.request` and `udp.request` over `std::net`.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpStream, UdpSocket};

use serde_json::{Map, Value};

use super::NetPolicy;
use super::params::{self, BodyEncoding, Deadline, io_error, network_failed, read_limit_exceeded};
use super::resolve::{self, Call, Checked};
use super::stream::read_to_end_capped;
use crate::host::{HostError, HostLimits};

/// `responseEncoding`: `bytes` (default) or `utf8`.
pub(crate) fn response_encoding(
    params: &Map<String, Value>,
    kind: &str,
) -> Result<BodyEncoding, HostError> {
    BodyEncoding::parse(
        params,
        "responseEncoding",
        &format!("{kind} responseEncoding"),
        &[("utf8", BodyEncoding::Text), ("bytes", BodyEncoding::Bytes)],
        BodyEncoding::Bytes,
    )
}

/// `host` and `port` checked against `rules`.
pub(crate) fn checked_target(
    params: &Map<String, Value>,
    rules: &super::NetRules,
    call: &Call,
    deadline: &Deadline,
) -> Result<Checked, HostError> {
    let host = params::required_string(params, "host", &format!("{} host", call.kind))?;
    let port = params::port(
        params::member(params, "port"),
        &format!("{} port", call.kind),
        1,
    )?;
    resolve::check(rules, call, &host, port, deadline)
}

/// The address members every socket result carries.
pub(crate) fn endpoint_members(
    result: &mut Map<String, Value>,
    checked: &Checked,
    local: Option<SocketAddr>,
    remote: Option<SocketAddr>,
) {
    result.insert("host".into(), Value::from(checked.host.clone()));
    result.insert("port".into(), Value::from(checked.port));
    result.insert(
        "localAddress".into(),
        local.map_or(Value::Null, |addr| Value::from(addr.ip().to_string())),
    );
    result.insert(
        "localPort".into(),
        local.map_or(Value::Null, |addr| Value::from(addr.port())),
    );
    result.insert(
        "remoteAddress".into(),
        Value::from(remote.map_or(checked.host.clone(), |addr| addr.ip().to_string())),
    );
    result.insert(
        "remotePort".into(),
        Value::from(remote.map_or(checked.port, |addr| addr.port())),
    );
}

/// Connects, writes `data`, half-closes, reads to EOF.
pub(crate) fn tcp_request(
    params: &Map<String, Value>,
    policy: &NetPolicy,
    limits: &HostLimits,
) -> Result<Value, HostError> {
    let call = Call {
        kind: "TCP",
        operation: "tcp.request",
        capability: "tcp",
    };
    let deadline = Deadline::from_params(params, limits, "TCP request")?;
    let encoding = response_encoding(params, "TCP")?;
    let data = params::bytes(params::member(params, "data"), "TCP request data")?;
    let checked = checked_target(params, &policy.tcp, &call, &deadline)?;

    let mut stream = resolve::connect_tcp(&checked, &deadline, "TCP")?;
    let context = "TCP request";
    if let Some(data) = data.as_deref().filter(|data| !data.is_empty()) {
        stream
            .set_write_timeout(Some(deadline.remaining()?))
            .map_err(|err| io_error(&err, &deadline, context))?;
        stream
            .write_all(data)
            .map_err(|err| io_error(&err, &deadline, context))?;
    }
    stream
        .shutdown(Shutdown::Write)
        .map_err(|err| io_error(&err, &deadline, context))?;
    let reader = stream
        .try_clone()
        .map_err(|err| io_error(&err, &deadline, context))?;
    let body = read_to_end_capped(
        &mut &reader,
        &stream,
        limits.max_read_bytes,
        &deadline,
        "TCP response",
        false,
    )?;
    let mut result = Map::new();
    endpoint_members(
        &mut result,
        &checked,
        local_addr(&stream),
        remote_addr(&stream),
    );
    result.insert("body".into(), encoding.encode(&body, "TCP response")?);
    Ok(Value::Object(result))
}

fn local_addr(stream: &TcpStream) -> Option<SocketAddr> {
    stream.local_addr().ok()
}

fn remote_addr(stream: &TcpStream) -> Option<SocketAddr> {
    stream.peer_addr().ok()
}

/// Sends one datagram to the checked address and takes the first datagram back from it.
pub(crate) fn udp_request(
    params: &Map<String, Value>,
    policy: &NetPolicy,
    limits: &HostLimits,
) -> Result<Value, HostError> {
    let call = Call {
        kind: "UDP",
        operation: "udp.request",
        capability: "udp",
    };
    let deadline = Deadline::from_params(params, limits, "UDP request")?;
    let encoding = response_encoding(params, "UDP")?;
    let data = params::bytes(params::member(params, "data"), "UDP request data")?
        .filter(|data| !data.is_empty())
        .ok_or_else(|| HostError::invalid_params("UDP request data is required."))?;
    let family = udp_family(params)?;
    let bind_ip = match params::optional_string(params, "bindAddress", "UDP bindAddress")? {
        None => None,
        Some(text) => Some(text.parse::<IpAddr>().map_err(|_| {
            HostError::invalid_params("UDP bindAddress must be an IP address literal.")
        })?),
    };
    let bind_port = match params::member(params, "bindPort") {
        None => 0,
        Some(value) => params::port(Some(value), "UDP bindPort", 0)?,
    };
    let expect_response =
        params::optional_bool(params, "expectResponse", "UDP expectResponse")?.unwrap_or(true);
    let checked = checked_target(params, &policy.udp, &call, &deadline)?;

    // The socket family follows `type` when given, else the first checked address.
    let target = checked
        .addrs
        .iter()
        .find(|addr| family.is_none_or(|v6| addr.is_ipv6() == v6))
        .copied()
        .ok_or_else(|| {
            network_failed(format!(
                "UDP host \"{}\" has no address of the requested type.",
                checked.host
            ))
        })?;
    let unspecified = if target.is_ipv6() {
        IpAddr::V6(Ipv6Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    };
    let context = "UDP request";
    let socket = UdpSocket::bind(SocketAddr::new(bind_ip.unwrap_or(unspecified), bind_port))
        .map_err(|err| network_failed(format!("UDP bind failed: {err}")))?;
    // Connecting the socket makes the kernel drop datagrams from any other sender.
    socket
        .connect(target)
        .map_err(|err| network_failed(format!("UDP connect to {target} failed: {err}")))?;
    socket
        .set_write_timeout(Some(deadline.remaining()?))
        .map_err(|err| io_error(&err, &deadline, context))?;
    socket
        .send(&data)
        .map_err(|err| io_error(&err, &deadline, context))?;

    let local = socket.local_addr().ok();
    let mut result = Map::new();
    if !expect_response {
        endpoint_members(&mut result, &checked, local, None);
        result.insert("body".into(), encoding.encode(&[], "UDP response")?);
        return Ok(Value::Object(result));
    }
    // One byte more than the cap (bounded by the largest datagram) tells an oversized reply.
    let mut buffer = vec![0u8; limits.max_read_bytes.saturating_add(1).min(65_536)];
    let count = loop {
        socket
            .set_read_timeout(Some(deadline.remaining()?))
            .map_err(|err| io_error(&err, &deadline, context))?;
        match socket.recv(&mut buffer) {
            Ok(count) => break count,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(io_error(&err, &deadline, context)),
        }
    };
    if count > limits.max_read_bytes {
        return Err(read_limit_exceeded("UDP response", limits.max_read_bytes));
    }
    endpoint_members(&mut result, &checked, local, Some(target));
    result.insert(
        "body".into(),
        encoding.encode(buffer.get(..count).unwrap_or_default(), "UDP response")?,
    );
    Ok(Value::Object(result))
}

/// `type`: `udp4` or `udp6`; `None` when absent (the address decides).
fn udp_family(params: &Map<String, Value>) -> Result<Option<bool>, HostError> {
    match params::optional_string(params, "type", "UDP type")?.as_deref() {
        None => Ok(None),
        Some("udp4") => Ok(Some(false)),
        Some("udp6") => Ok(Some(true)),
        Some(other) => Err(HostError::invalid_params(format!(
            "UDP type \"{other}\" is unsupported. Expected \"udp4\" or \"udp6\"."
        ))),
    }
}
