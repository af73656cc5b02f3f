//! `mqtt.publish` and `mqtt.subscribeOnce`: MQTT 3.1.1 at QoS 0 through rumqttc's sync client,
//! connected to a checked IP address (rumqttc gets the IP literal, so it never resolves).

use std::time::{SystemTime, UNIX_EPOCH};

use rumqttc::{Client, ConnectionError, Event, MqttOptions, Outgoing, Packet, QoS, StateError};
use serde_json::{Map, Value};

use super::NetPolicy;
use super::params::{self, BodyEncoding, Deadline, network_failed, read_limit_exceeded};
use super::resolve::{Call, Checked};
use super::socket::checked_target;
use crate::host::{HostError, HostLimits};

/// Room for the topic and the fixed header around a payload of `max_read_bytes`.
const PACKET_OVERHEAD: usize = 65_536 + 16;

struct Session {
    checked: Checked,
    client_id: String,
    topic: String,
    options: MqttOptions,
}

fn session(
    params: &Map<String, Value>,
    policy: &NetPolicy,
    call: &Call,
    deadline: &Deadline,
    max_incoming: usize,
    max_outgoing: usize,
) -> Result<Session, HostError> {
    let topic = params::required_string(params, "topic", "MQTT topic")?;
    let client_id = params::optional_string(params, "clientId", "MQTT clientId")?
        .unwrap_or_else(default_client_id);
    let username = params::optional_string(params, "username", "MQTT username")?;
    let password = params::optional_string(params, "password", "MQTT password")?;
    let keep_alive =
        params::optional_u64(params, "keepAliveSeconds", "MQTT keepAliveSeconds")?.unwrap_or(30);
    let keep_alive = u16::try_from(keep_alive)
        .map_err(|_| HostError::invalid_params("MQTT keepAliveSeconds must be at most 65535."))?;
    let checked = checked_target(params, &policy.mqtt, call, deadline)?;

    let first = checked
        .addrs
        .first()
        .copied()
        .ok_or_else(|| network_failed("MQTT host has no address to connect to."))?;
    // An IP literal (bracketed for IPv6, as rumqttc joins "host:port") is never looked up again.
    let broker = if first.is_ipv6() {
        format!("[{}]", first.ip())
    } else {
        first.ip().to_string()
    };
    let mut options = MqttOptions::new(client_id.clone(), broker, first.port());
    options.set_keep_alive(std::time::Duration::from_secs(u64::from(keep_alive)));
    options.set_clean_session(true);
    options.set_max_packet_size(max_incoming, max_outgoing);
    if let Some(username) = username {
        options.set_credentials(username, password.unwrap_or_default());
    }
    Ok(Session {
        checked,
        client_id,
        topic,
        options,
    })
}

fn default_client_id() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis());
    format!("space-data-module-sdk-{millis}")
}

fn base_result(session: &Session, topic: &str) -> Map<String, Value> {
    let mut result = Map::new();
    result.insert("host".into(), Value::from(session.checked.host.clone()));
    result.insert("port".into(), Value::from(session.checked.port));
    result.insert("clientId".into(), Value::from(session.client_id.clone()));
    result.insert("topic".into(), Value::from(topic.to_owned()));
    result
}

/// Waits for the next event within the deadline.
fn next_event(
    connection: &mut rumqttc::Connection,
    deadline: &Deadline,
    limits: &HostLimits,
) -> Result<Event, HostError> {
    match connection.recv_timeout(deadline.remaining()?) {
        Err(_) => Err(deadline.timed_out()),
        Ok(Ok(event)) => Ok(event),
        Ok(Err(err)) => Err(connection_error(err, deadline, limits)),
    }
}

fn connection_error(err: ConnectionError, deadline: &Deadline, limits: &HostLimits) -> HostError {
    match err {
        ConnectionError::ConnectionRefused(code) => {
            network_failed(format!("MQTT CONNACK rejected with code {code:?}."))
        }
        ConnectionError::NetworkTimeout | ConnectionError::FlushTimeout => deadline.timed_out(),
        ConnectionError::MqttState(StateError::Deserialization(
            rumqttc::mqttbytes::Error::PayloadSizeLimitExceeded(_),
        )) => read_limit_exceeded("MQTT message", limits.max_read_bytes),
        ConnectionError::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) =>
        {
            deadline.timed_out()
        }
        other => network_failed(format!("MQTT connection failed: {other}")),
    }
}

/// CONNECT, PUBLISH (QoS 0), DISCONNECT.
pub(crate) fn publish(
    params: &Map<String, Value>,
    policy: &NetPolicy,
    limits: &HostLimits,
) -> Result<Value, HostError> {
    let call = Call {
        kind: "MQTT",
        operation: "mqtt.publish",
        capability: "mqtt",
    };
    let deadline = Deadline::from_params(params, limits, "MQTT publish")?;
    let payload =
        params::bytes(params::member(params, "payload"), "MQTT payload")?.unwrap_or_default();
    let max_outgoing = payload.len().saturating_add(PACKET_OVERHEAD);
    let session = session(
        params,
        policy,
        &call,
        &deadline,
        PACKET_OVERHEAD,
        max_outgoing,
    )?;
    let (client, mut connection) = Client::new(session.options.clone(), 10);
    let payload_bytes = payload.len();
    client
        .publish(session.topic.clone(), QoS::AtMostOnce, false, payload)
        .map_err(|err| HostError::invalid_params(format!("MQTT publish rejected: {err}")))?;
    // The event loop reports Outgoing::Publish after the packet was written and flushed.
    loop {
        if let Event::Outgoing(Outgoing::Publish(_)) =
            next_event(&mut connection, &deadline, limits)?
        {
            break;
        }
    }
    disconnect(&client, &mut connection, &deadline, limits);
    let mut result = base_result(&session, &session.topic);
    result.insert("payloadBytes".into(), Value::from(payload_bytes));
    Ok(Value::Object(result))
}

/// Sends DISCONNECT and waits (within the deadline) until it is written; the operation already
/// succeeded, so a failure here is not reported.
fn disconnect(
    client: &Client,
    connection: &mut rumqttc::Connection,
    deadline: &Deadline,
    limits: &HostLimits,
) {
    if client.disconnect().is_err() {
        return;
    }
    while let Ok(event) = next_event(connection, deadline, limits) {
        if let Event::Outgoing(Outgoing::Disconnect) = event {
            break;
        }
    }
}

/// CONNECT, SUBSCRIBE (QoS 0), the first PUBLISH in, DISCONNECT.
pub(crate) fn subscribe_once(
    params: &Map<String, Value>,
    policy: &NetPolicy,
    limits: &HostLimits,
) -> Result<Value, HostError> {
    let call = Call {
        kind: "MQTT",
        operation: "mqtt.subscribeOnce",
        capability: "mqtt",
    };
    let deadline = Deadline::from_params(params, limits, "MQTT subscribe")?;
    let encoding = BodyEncoding::parse(
        params,
        "responseType",
        "MQTT responseType",
        &[
            ("bytes", BodyEncoding::Bytes),
            ("utf8", BodyEncoding::Text),
            ("json", BodyEncoding::Json),
        ],
        BodyEncoding::Text,
    )?;
    let max_incoming = limits.max_read_bytes.saturating_add(PACKET_OVERHEAD);
    let session = session(
        params,
        policy,
        &call,
        &deadline,
        max_incoming,
        PACKET_OVERHEAD,
    )?;
    let (client, mut connection) = Client::new(session.options.clone(), 10);
    client
        .subscribe(session.topic.clone(), QoS::AtMostOnce)
        .map_err(|err| HostError::invalid_params(format!("MQTT subscribe rejected: {err}")))?;
    let message = loop {
        if let Event::Incoming(Packet::Publish(message)) =
            next_event(&mut connection, &deadline, limits)?
        {
            break message;
        }
    };
    if message.payload.len() > limits.max_read_bytes {
        return Err(read_limit_exceeded("MQTT message", limits.max_read_bytes));
    }
    disconnect(&client, &mut connection, &deadline, limits);
    let mut result = base_result(&session, &message.topic);
    result.insert(
        "body".into(),
        encoding.encode(&message.payload, "MQTT message")?,
    );
    Ok(Value::Object(result))
}
