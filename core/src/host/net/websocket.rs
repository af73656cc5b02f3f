//! `websocket.exchange`: one message out, the first data message in, over tungstenite on a TCP
//! (or rustls) stream this module opened to a checked address.

use std::io::{Read, Write};
use std::net::TcpStream;

use rustls::{ClientConnection, StreamOwned};
use serde_json::{Map, Value};
use tungstenite::client::IntoClientRequest;
use tungstenite::handshake::HandshakeError;
use tungstenite::http::HeaderValue;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tungstenite::{Message, WebSocket};

use super::NetPolicy;
use super::params::{self, BodyEncoding, Deadline, io_error, network_failed, read_limit_exceeded};
use super::resolve::{self, Call};
use super::tls_config::{TrustExtras, client_config, server_name};
use crate::host::{HostError, HostLimits};

const CALL: Call = Call {
    kind: "WebSocket",
    operation: "websocket.exchange",
    capability: "websocket",
};

/// The byte stream under the WebSocket: plain TCP for `ws:`, rustls for `wss:`.
enum Transport {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Read for Transport {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Transport::Plain(stream) => stream.read(buf),
            Transport::Tls(stream) => stream.read(buf),
        }
    }
}

impl Write for Transport {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Transport::Plain(stream) => stream.write(buf),
            Transport::Tls(stream) => stream.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Transport::Plain(stream) => stream.flush(),
            Transport::Tls(stream) => stream.flush(),
        }
    }
}

pub(crate) fn exchange(
    params: &Map<String, Value>,
    policy: &NetPolicy,
    limits: &HostLimits,
) -> Result<Value, HostError> {
    let deadline = Deadline::from_params(params, limits, "WebSocket exchange")?;
    let url_text = params::required_string(params, "url", "WebSocket url")?;
    let url = url::Url::parse(&url_text)
        .map_err(|err| HostError::invalid_params(format!("Invalid WebSocket url: {err}")))?;
    let secure = match url.scheme() {
        "ws" => false,
        "wss" => true,
        other => {
            return Err(HostError::invalid_params(format!(
                "Unsupported WebSocket protocol \"{other}:\". Expected ws: or wss:."
            )));
        }
    };
    let encoding = BodyEncoding::parse(
        params,
        "responseType",
        "WebSocket responseType",
        &[
            ("bytes", BodyEncoding::Bytes),
            ("utf8", BodyEncoding::Text),
            ("json", BodyEncoding::Json),
        ],
        BodyEncoding::Text,
    )?;
    let protocols = protocol_list(params::member(params, "protocols"))?;
    let message = match params::member(params, "message") {
        None => None,
        Some(Value::String(text)) => Some(Message::text(text.clone())),
        Some(other) => params::bytes(Some(other), "WebSocket message")?.map(Message::binary),
    };
    let expect_response =
        params::optional_bool(params, "expectResponse", "WebSocket expectResponse")?
            .unwrap_or(true);
    let host = url
        .host_str()
        .ok_or_else(|| HostError::invalid_params("WebSocket url has no host."))?
        .to_owned();
    let port = url
        .port_or_known_default()
        .ok_or_else(|| HostError::invalid_params("WebSocket url has no port."))?;
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|err| HostError::invalid_params(format!("Invalid WebSocket url: {err}")))?;
    if !protocols.is_empty() {
        let header = HeaderValue::from_str(&protocols.join(", ")).map_err(|_| {
            HostError::invalid_params("WebSocket protocols must be header-safe tokens.")
        })?;
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", header);
    }
    let tls = if secure {
        Some(client_config(
            &TrustExtras {
                policy_pem: &policy.extra_roots_pem,
                request_pem: &[],
            },
            None,
            &[b"http/1.1"],
        )?)
    } else {
        None
    };

    let checked = resolve::check(&policy.websocket, &CALL, &host, port, &deadline)?;
    let socket = resolve::connect_tcp(&checked, &deadline, "WebSocket")?;
    let control = socket
        .try_clone()
        .map_err(|err| io_error(&err, &deadline, "WebSocket exchange"))?;
    let transport = match tls {
        None => Transport::Plain(socket),
        Some(config) => {
            let connection = ClientConnection::new(config, server_name(&checked.host)?)
                .map_err(|err| network_failed(format!("TLS setup failed: {err}")))?;
            Transport::Tls(Box::new(StreamOwned::new(connection, socket)))
        }
    };
    let refresh = |deadline: &Deadline| -> Result<(), HostError> {
        let left = deadline.remaining()?;
        control
            .set_read_timeout(Some(left))
            .and_then(|()| control.set_write_timeout(Some(left)))
            .map_err(|err| io_error(&err, deadline, "WebSocket exchange"))
    };
    refresh(&deadline)?;
    let config = WebSocketConfig::default()
        .max_message_size(Some(limits.max_read_bytes))
        .max_frame_size(Some(limits.max_read_bytes));
    let (mut socket, response) =
        match tungstenite::client::client_with_config(request, transport, Some(config)) {
            Ok(done) => done,
            Err(HandshakeError::Interrupted(_)) => return Err(deadline.timed_out()),
            Err(HandshakeError::Failure(err)) => {
                return Err(ws_error(
                    err,
                    &deadline,
                    limits,
                    "WebSocket handshake failed",
                ));
            }
        };
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let mut result = Map::new();
    result.insert("url".into(), Value::from(url.as_str()));
    result.insert(
        "protocol".into(),
        Value::from(header("sec-websocket-protocol")),
    );
    result.insert(
        "extensions".into(),
        Value::from(header("sec-websocket-extensions")),
    );
    result.insert("closeCode".into(), Value::Null);
    result.insert("closeReason".into(), Value::from(""));

    if let Some(message) = message {
        refresh(&deadline)?;
        socket
            .send(message)
            .map_err(|err| ws_error(err, &deadline, limits, "WebSocket send failed"))?;
    }
    if !expect_response {
        close(&mut socket, &deadline, &refresh);
        result.insert("body".into(), Value::Null);
        return Ok(Value::Object(result));
    }
    let body = loop {
        refresh(&deadline)?;
        match socket.read() {
            Ok(Message::Text(text)) => {
                break encoding.encode(text.as_str().as_bytes(), "WebSocket message")?;
            }
            Ok(Message::Binary(data)) => break encoding.encode(&data, "WebSocket message")?,
            Ok(Message::Close(frame)) => {
                let code = frame
                    .map(|frame| u16::from(frame.code).to_string())
                    .unwrap_or_else(|| "unknown".to_owned());
                return Err(network_failed(format!(
                    "WebSocket closed before response (code {code})."
                )));
            }
            // Pings are answered by tungstenite on the next read or write.
            Ok(_) => continue,
            Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed) => {
                return Err(network_failed(
                    "WebSocket closed before response (code unknown).",
                ));
            }
            Err(err) => {
                return Err(ws_error(
                    err,
                    &deadline,
                    limits,
                    "WebSocket exchange failed",
                ));
            }
        }
    };
    close(&mut socket, &deadline, &refresh);
    result.insert("body".into(), body);
    Ok(Value::Object(result))
}

/// Sends a normal close (1000, "completed") and flushes it; the exchange already succeeded, so
/// a failure here is not reported.
fn close(
    socket: &mut WebSocket<Transport>,
    deadline: &Deadline,
    refresh: &dyn Fn(&Deadline) -> Result<(), HostError>,
) {
    if refresh(deadline).is_err() {
        return;
    }
    let frame = CloseFrame {
        code: CloseCode::Normal,
        reason: "completed".into(),
    };
    if socket.close(Some(frame)).is_ok() {
        let _ = socket.flush();
    }
}

fn ws_error(
    err: tungstenite::Error,
    deadline: &Deadline,
    limits: &HostLimits,
    context: &str,
) -> HostError {
    match err {
        tungstenite::Error::Io(io) => io_error(&io, deadline, context),
        tungstenite::Error::Capacity(_) => {
            read_limit_exceeded("WebSocket message", limits.max_read_bytes)
        }
        other => network_failed(format!("{context}: {other}")),
    }
}

/// `protocols`: one string or an array of strings.
fn protocol_list(value: Option<&Value>) -> Result<Vec<String>, HostError> {
    let invalid = || {
        HostError::invalid_params("WebSocket protocols must be a string or an array of strings.")
    };
    match value {
        None => Ok(Vec::new()),
        Some(Value::String(protocol)) => Ok(vec![protocol.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned).ok_or_else(invalid))
            .collect(),
        Some(_) => Err(invalid()),
    }
}
