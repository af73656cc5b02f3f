//! `http.request` through ureq, pinned to checked addresses: a resolver that only answers with
//! the addresses the policy check produced, a TLS connector with this module's rustls config, no
//! proxy, and redirects followed here, each hop checked again.

use std::io::{Read, Write};
use std::sync::Arc;

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, StreamOwned};
use serde_json::{Map, Value};
use ureq::Agent;
use ureq::http::{self, Method};
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, TcpConnector,
    Transport, TransportAdapter,
};

use super::NetPolicy;
use super::params::{self, BodyEncoding, Deadline, network_failed, read_limit_exceeded};
use super::resolve::{self, Call, Checked, normalize_host};
use super::tls_config::{TrustExtras, client_config, server_name};
use crate::host::{HostError, HostLimits};

const CALL: Call = Call {
    kind: "HTTP",
    operation: "http.request",
    capability: "http",
};

/// Most redirects followed, as in the Fetch standard.
pub const MAX_REDIRECTS: usize = 20;

/// Answers only for the checked host, only with its checked addresses.
#[derive(Debug)]
struct PinnedResolver {
    checked: Checked,
}

impl Resolver for PinnedResolver {
    fn resolve(
        &self,
        uri: &http::Uri,
        _config: &ureq::config::Config,
        _timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let asked = uri.host().map(normalize_host);
        if asked.as_deref() != Some(self.checked.host.as_str()) {
            return Err(ureq::Error::HostNotFound);
        }
        let mut addrs = self.empty();
        for addr in self.checked.addrs.iter().take(16) {
            addrs.push(*addr);
        }
        Ok(addrs)
    }
}

/// Wraps the TCP transport in rustls for https, with this module's verifying configuration.
#[derive(Debug)]
struct PinnedTls {
    /// `None` for plain http: an https hop then fails instead of going out unverified.
    config: Option<Arc<ClientConfig>>,
    name: ServerName<'static>,
}

impl<In: Transport> Connector<In> for PinnedTls {
    type Out = Either<In, TlsTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else {
            return Ok(None);
        };
        if !details.needs_tls() || transport.is_tls() {
            return Ok(Some(Either::A(transport)));
        }
        let Some(config) = &self.config else {
            return Err(ureq::Error::Tls("https without a TLS configuration"));
        };
        let mut connection = ClientConnection::new(config.clone(), self.name.clone())?;
        let mut socket = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        socket.set_timeout(details.timeout);
        connection.complete_io(&mut socket)?;
        Ok(Some(Either::B(TlsTransport {
            buffers: LazyBuffers::new(
                details.config.input_buffer_size(),
                details.config.output_buffer_size(),
            ),
            stream: StreamOwned::new(connection, socket),
        })))
    }
}

struct TlsTransport {
    buffers: LazyBuffers,
    stream: StreamOwned<ClientConnection, TransportAdapter>,
}

impl std::fmt::Debug for TlsTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TlsTransport")
    }
}

impl Transport for TlsTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let output = self.buffers.output().get(..amount).unwrap_or_default();
        self.stream.write_all(output)?;
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.stream.get_mut().set_timeout(timeout);
        let input = self.buffers.input_append_buf();
        let amount = self.stream.read(input)?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.stream.get_mut().get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}

/// What one hop sends.
struct Outgoing {
    url: url::Url,
    method: Method,
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    body: Option<Vec<u8>>,
}

pub(crate) fn request(
    params: &Map<String, Value>,
    policy: &NetPolicy,
    limits: &HostLimits,
) -> Result<Value, HostError> {
    let deadline = Deadline::from_params(params, limits, "HTTP request")?;
    let url_text = params::required_string(params, "url", "HTTP url")?;
    let url = url::Url::parse(&url_text)
        .map_err(|err| HostError::invalid_params(format!("Invalid HTTP url: {err}")))?;
    let method = method(params)?;
    let headers = headers(params::member(params, "headers"))?;
    let body = params::bytes(params::member(params, "body"), "HTTP body")?;
    if body.is_some() && (method == Method::GET || method == Method::HEAD) {
        return Err(HostError::invalid_params(
            "Request with GET/HEAD method cannot have body.",
        ));
    }
    let encoding = BodyEncoding::parse(
        params,
        "responseType",
        "HTTP responseType",
        &[
            ("bytes", BodyEncoding::Bytes),
            ("text", BodyEncoding::Text),
            ("json", BodyEncoding::Json),
        ],
        BodyEncoding::Bytes,
    )?;

    let mut outgoing = Outgoing {
        url,
        method,
        headers,
        body,
    };
    for _ in 0..=MAX_REDIRECTS {
        let mut response = send(&outgoing, policy, limits, &deadline)?;
        let status = response.status();
        let location = response
            .headers()
            .get(http::header::LOCATION)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        if let (true, Some(location)) = (status.is_redirection(), location) {
            let next = outgoing.url.join(&location).map_err(|err| {
                network_failed(format!("HTTP redirect to an invalid location: {err}"))
            })?;
            follow_redirect(&mut outgoing, next, status.as_u16());
            continue;
        }
        let data = response
            .body_mut()
            .with_config()
            .limit(u64::try_from(limits.max_read_bytes).unwrap_or(u64::MAX))
            .read_to_vec()
            .map_err(|err| ureq_error(err, &deadline, limits))?;
        let mut result = Map::new();
        result.insert("url".into(), Value::from(outgoing.url.as_str()));
        result.insert("status".into(), Value::from(status.as_u16()));
        result.insert(
            "statusText".into(),
            Value::from(status.canonical_reason().unwrap_or("")),
        );
        result.insert("ok".into(), Value::Bool(status.is_success()));
        result.insert("headers".into(), response_headers(response.headers()));
        result.insert("body".into(), encoding.encode(&data, "HTTP response body")?);
        return Ok(Value::Object(result));
    }
    Err(network_failed("HTTP redirect count exceeded."))
}

/// The Fetch rules: 303 (and 301/302 after a POST) turn into a bodiless GET; a cross-origin hop
/// drops `Authorization`.
fn follow_redirect(outgoing: &mut Outgoing, next: url::Url, status: u16) {
    let to_get = (status == 303 && outgoing.method != Method::HEAD)
        || ((status == 301 || status == 302) && outgoing.method == Method::POST);
    if to_get {
        outgoing.method = Method::GET;
        outgoing.body = None;
        outgoing.headers.retain(|(name, _)| {
            !matches!(
                name.as_str(),
                "content-type"
                    | "content-length"
                    | "content-encoding"
                    | "content-language"
                    | "content-location"
            )
        });
    }
    if next.origin() != outgoing.url.origin() {
        outgoing
            .headers
            .retain(|(name, _)| name != http::header::AUTHORIZATION);
    }
    outgoing.url = next;
}

/// One hop: check the policy for this URL, then send through an agent pinned to it.
fn send(
    outgoing: &Outgoing,
    policy: &NetPolicy,
    limits: &HostLimits,
    deadline: &Deadline,
) -> Result<http::Response<ureq::Body>, HostError> {
    let url = &outgoing.url;
    let secure = match url.scheme() {
        "http" => false,
        "https" => true,
        other => {
            return Err(HostError::invalid_params(format!(
                "Unsupported HTTP protocol \"{other}:\". Expected http: or https:."
            )));
        }
    };
    let host = url
        .host_str()
        .ok_or_else(|| HostError::invalid_params("HTTP url has no host."))?;
    let port = url
        .port_or_known_default()
        .ok_or_else(|| HostError::invalid_params("HTTP url has no port."))?;
    let tls_config = if secure {
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
    let checked = resolve::check(&policy.http, &CALL, host, port, deadline)?;
    let tls = PinnedTls {
        config: tls_config,
        name: server_name(&checked.host)?,
    };
    let config = Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(deadline.remaining()?))
        .allow_non_standard_methods(true)
        .build();
    let agent = Agent::with_parts(
        config,
        TcpConnector::default().chain(tls),
        PinnedResolver { checked },
    );
    let mut builder = http::Request::builder()
        .method(outgoing.method.clone())
        .uri(url.as_str());
    for (name, value) in &outgoing.headers {
        builder = builder.header(name, value);
    }
    let sent = match &outgoing.body {
        None => builder.body(()).map(|request| agent.run(request)),
        Some(body) => builder.body(body.clone()).map(|request| agent.run(request)),
    };
    sent.map_err(|err| HostError::invalid_params(format!("Invalid HTTP request: {err}")))?
        .map_err(|err| ureq_error(err, deadline, limits))
}

fn ureq_error(err: ureq::Error, deadline: &Deadline, limits: &HostLimits) -> HostError {
    match err {
        ureq::Error::Timeout(_) => deadline.timed_out(),
        ureq::Error::BodyExceedsLimit(_) => {
            read_limit_exceeded("HTTP response body", limits.max_read_bytes)
        }
        ureq::Error::Io(io) => params::io_error(&io, deadline, "HTTP request failed"),
        other => network_failed(format!("HTTP request failed: {other}")),
    }
}

/// `method`: default GET; the six standard methods are upper-cased (as Fetch does), and the
/// methods Fetch forbids are refused.
fn method(params: &Map<String, Value>) -> Result<Method, HostError> {
    let given = params::optional_string(params, "method", "HTTP method")?
        .unwrap_or_else(|| "GET".to_owned());
    let upper = given.to_ascii_uppercase();
    let name = match upper.as_str() {
        "DELETE" | "GET" | "HEAD" | "OPTIONS" | "POST" | "PUT" => upper.clone(),
        "CONNECT" | "TRACE" | "TRACK" => {
            return Err(HostError::invalid_params(format!(
                "'{given}' HTTP method is unsupported."
            )));
        }
        _ => given.clone(),
    };
    Method::from_bytes(name.as_bytes())
        .map_err(|_| HostError::invalid_params(format!("'{given}' is not a valid HTTP method.")))
}

/// `headers`: an object of name → string, or an array of `[name, value]` pairs.
fn headers(value: Option<&Value>) -> Result<Vec<(http::HeaderName, http::HeaderValue)>, HostError> {
    let pairs: Vec<(&str, &Value)> = match value {
        None => Vec::new(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(name, value)| (name.as_str(), value))
            .collect(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item.as_array().map(Vec::as_slice) {
                Some([Value::String(name), value]) => Ok((name.as_str(), value)),
                _ => Err(HostError::invalid_params(
                    "HTTP headers pairs must be [name, value] arrays.",
                )),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(HostError::invalid_params(
                "HTTP headers must be an object or an array of [name, value] pairs.",
            ));
        }
    };
    pairs
        .into_iter()
        .map(|(name, value)| {
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Number(_) | Value::Bool(_) => value.to_string(),
                _ => {
                    return Err(HostError::invalid_params(format!(
                        "HTTP header \"{name}\" must have a string value."
                    )));
                }
            };
            let header_name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                HostError::invalid_params(format!("\"{name}\" is not a valid HTTP header name."))
            })?;
            let header_value = http::HeaderValue::from_str(text.trim()).map_err(|_| {
                HostError::invalid_params(format!("HTTP header \"{name}\" has an invalid value."))
            })?;
            Ok((header_name, header_value))
        })
        .collect()
}

/// Response headers as Fetch's `Headers` iterates them: lower-case names, repeated headers
/// joined with ", ".
fn response_headers(headers: &http::HeaderMap) -> Value {
    let mut map = Map::new();
    for name in headers.keys() {
        let joined: Vec<String> = headers
            .get_all(name)
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect();
        map.insert(name.as_str().to_owned(), Value::from(joined.join(", ")));
    }
    Value::Object(map)
}
