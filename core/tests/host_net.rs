//! Network host operations against real servers on 127.0.0.1 (ephemeral ports, one thread each):
//! the granted exchange, policy refusals that never reach the server, read caps and timeouts.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, TcpListener, TcpStream, UdpSocket};
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};
use space_data_module::ErrorCode;
use space_data_module::host::net::{self, NetPolicy, NetRules};
use space_data_module::host::{HostError, HostLimits};

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

fn limits() -> HostLimits {
    HostLimits {
        default_timeout: Duration::from_secs(10),
        ..HostLimits::default()
    }
}

fn small_read_limits(max_read_bytes: usize) -> HostLimits {
    HostLimits {
        max_read_bytes,
        ..limits()
    }
}

/// Rules for 127.0.0.1:`port` only.
fn loopback(port: u16) -> NetRules {
    NetRules::allow("127.0.0.1", &[port], &[LOOPBACK])
}

/// Rules for the name `localhost`, at every loopback address it may resolve to.
fn localhost(port: u16) -> NetRules {
    NetRules::allow(
        "localhost",
        &[port],
        &[LOOPBACK, IpAddr::V6(Ipv6Addr::LOCALHOST)],
    )
}

/// The three ways one rule set can refuse a target on `port`.
fn refusing_rules(port: u16) -> Vec<(&'static str, NetRules)> {
    vec![
        (
            "host",
            NetRules::allow("example.invalid", &[port], &[LOOPBACK]),
        ),
        (
            "port",
            NetRules::allow("127.0.0.1", &[port.wrapping_add(1)], &[LOOPBACK]),
        ),
        (
            "address",
            NetRules {
                hosts: vec!["127.0.0.1".into()],
                ports: vec![port],
                addresses: vec!["10.0.0.0/8".parse().unwrap()],
            },
        ),
        ("empty", NetRules::default()),
    ]
}

fn bytes_of(value: &Value) -> Vec<u8> {
    assert_eq!(value["__type"], "bytes", "not a bytes envelope: {value}");
    base64::engine::general_purpose::STANDARD
        .decode(value["base64"].as_str().unwrap())
        .unwrap()
}

fn bytes_param(data: &[u8]) -> Value {
    json!({"__type": "bytes", "base64": base64::engine::general_purpose::STANDARD.encode(data)})
}

fn expect_err(result: Result<Value, HostError>, code: ErrorCode) -> HostError {
    match result {
        Ok(value) => panic!("expected {code:?}, got {value}"),
        Err(err) => {
            assert_eq!(err.code, code, "{err}");
            err
        }
    }
}

fn expect_denied(result: Result<Value, HostError>, operation: &str, capability: &str) {
    let err = expect_err(result, ErrorCode::HostNetworkDenied);
    assert_eq!(err.name, "Error");
    assert_eq!(err.operation.as_deref(), Some(operation));
    assert_eq!(err.capability.as_deref(), Some(capability));
    assert!(
        err.message.contains("is not permitted by this host."),
        "{}",
        err.message
    );
    let envelope = err.to_envelope_error();
    assert_eq!(envelope["code"], "host-network-denied");
}

/// The listener saw no connection attempt at all.
fn assert_untouched(listener: &TcpListener) {
    listener.set_nonblocking(true).unwrap();
    match listener.accept() {
        Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {}
        Err(err) => panic!("unexpected accept error: {err}"),
        Ok((_, peer)) => panic!("a connection reached the server from {peer}"),
    }
    listener.set_nonblocking(false).unwrap();
}

fn assert_udp_untouched(socket: &UdpSocket) {
    socket.set_nonblocking(true).unwrap();
    let mut buffer = [0u8; 64];
    match socket.recv_from(&mut buffer) {
        Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("a datagram reached the server: {other:?}"),
    }
}

fn listen() -> (TcpListener, u16) {
    let listener = TcpListener::bind((LOOPBACK, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

/// Accepts `count` connections, handing each to `handle` on the server thread.
fn serve(
    listener: TcpListener,
    count: usize,
    handle: impl Fn(TcpStream) + Send + 'static,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        for _ in 0..count {
            let (stream, _) = listener.accept().unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            handle(stream);
        }
    })
}

/// Accepts one connection and keeps it open without answering for `hold`.
fn serve_silently(listener: TcpListener, hold: Duration) -> JoinHandle<()> {
    std::thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            std::thread::sleep(hold);
            drop(stream);
        }
    })
}

fn assert_quick_timeout(result: Result<Value, HostError>, started: Instant) {
    expect_err(result, ErrorCode::HostTimeout);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "timeout took {:?}",
        started.elapsed()
    );
}

// ---- TCP -----------------------------------------------------------------------------------

fn tcp_echo(stream: TcpStream) {
    let mut stream = stream;
    let mut request = Vec::new();
    stream.read_to_end(&mut request).unwrap();
    let mut reply = b"echo:".to_vec();
    reply.extend_from_slice(&request);
    stream.write_all(&reply).unwrap();
}

#[test]
fn tcp_request_exchanges_with_a_granted_server() {
    let (listener, port) = listen();
    let server = serve(listener, 2, tcp_echo);
    let policy = NetPolicy {
        tcp: loopback(port),
        ..NetPolicy::default()
    };
    let result = net::invoke(
        "tcp.request",
        &json!({"host": "127.0.0.1", "port": port, "data": "ping", "responseEncoding": "utf8"}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(result["body"], "echo:ping");
    assert_eq!(result["host"], "127.0.0.1");
    assert_eq!(result["port"], port);
    assert_eq!(result["remoteAddress"], "127.0.0.1");
    assert_eq!(result["remotePort"], port);
    assert_eq!(result["localAddress"], "127.0.0.1");
    assert!(result["localPort"].as_u64().unwrap() > 0);

    // Bytes in (the result envelope form), bytes out (the default encoding).
    let result = net::invoke(
        "tcp.request",
        &json!({"host": "127.0.0.1", "port": port, "data": bytes_param(&[0, 1, 255])}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(bytes_of(&result["body"]), b"echo:\x00\x01\xff");
    server.join().unwrap();
}

#[test]
fn tcp_request_refused_by_policy_never_connects() {
    let (listener, port) = listen();
    for (why, rules) in refusing_rules(port) {
        let policy = NetPolicy {
            tcp: rules,
            ..NetPolicy::default()
        };
        let result = net::invoke(
            "tcp.request",
            &json!({"host": "127.0.0.1", "port": port, "data": "x"}),
            &policy,
            &limits(),
        );
        expect_denied(result, "tcp.request", "tcp");
        assert_untouched(&listener);
        println!("refused by {why}");
    }
    // Another protocol's grant does not count.
    let policy = NetPolicy {
        udp: loopback(port),
        tls: loopback(port),
        ..NetPolicy::default()
    };
    expect_denied(
        net::invoke(
            "tcp.request",
            &json!({"host": "127.0.0.1", "port": port}),
            &policy,
            &limits(),
        ),
        "tcp.request",
        "tcp",
    );
    assert_untouched(&listener);
}

#[test]
fn a_name_resolving_outside_the_allowed_addresses_is_refused() {
    let (listener, port) = listen();
    let policy = NetPolicy {
        tcp: NetRules {
            hosts: vec!["localhost".into()],
            ports: vec![port],
            addresses: vec!["10.0.0.0/8".parse().unwrap()],
        },
        ..NetPolicy::default()
    };
    let result = net::invoke(
        "tcp.request",
        &json!({"host": "LocalHost", "port": port, "data": "x"}),
        &policy,
        &limits(),
    );
    let err = expect_err(result, ErrorCode::HostNetworkDenied);
    assert!(
        err.message.contains("resolves to address"),
        "{}",
        err.message
    );
    assert_untouched(&listener);

    // The same name with its loopback addresses allowed goes through.
    let server = serve(listener, 1, tcp_echo);
    let policy = NetPolicy {
        tcp: localhost(port),
        ..NetPolicy::default()
    };
    let result = net::invoke(
        "tcp.request",
        &json!({"host": "LocalHost", "port": port, "data": "hi", "responseEncoding": "utf8"}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(result["host"], "localhost");
    assert_eq!(result["body"], "echo:hi");
    server.join().unwrap();
}

#[test]
fn a_wildcard_host_still_needs_allowed_addresses() {
    let (listener, port) = listen();
    let policy = NetPolicy {
        tcp: NetRules {
            hosts: vec!["*".into()],
            ports: vec![port],
            addresses: vec!["192.168.0.0/16".parse().unwrap()],
        },
        ..NetPolicy::default()
    };
    expect_denied(
        net::invoke(
            "tcp.request",
            &json!({"host": "127.0.0.1", "port": port}),
            &policy,
            &limits(),
        ),
        "tcp.request",
        "tcp",
    );
    assert_untouched(&listener);
}

#[test]
fn tcp_reply_over_the_read_cap_is_refused() {
    let (listener, port) = listen();
    let server = serve(listener, 1, |mut stream| {
        let mut request = Vec::new();
        let _ = stream.read_to_end(&mut request);
        let _ = stream.write_all(&[b'z'; 1000]);
    });
    let policy = NetPolicy {
        tcp: loopback(port),
        ..NetPolicy::default()
    };
    let result = net::invoke(
        "tcp.request",
        &json!({"host": "127.0.0.1", "port": port, "data": "x"}),
        &policy,
        &small_read_limits(100),
    );
    expect_err(result, ErrorCode::HostLimitExceeded);
    server.join().unwrap();
}

#[test]
fn tcp_silent_server_times_out_quickly() {
    let (listener, port) = listen();
    let server = serve_silently(listener, Duration::from_millis(1500));
    let policy = NetPolicy {
        tcp: loopback(port),
        ..NetPolicy::default()
    };
    let started = Instant::now();
    let result = net::invoke(
        "tcp.request",
        &json!({"host": "127.0.0.1", "port": port, "data": "x", "timeoutMs": 300}),
        &policy,
        &limits(),
    );
    assert_quick_timeout(result, started);
    server.join().unwrap();
}

#[test]
fn invalid_params_are_type_errors() {
    let policy = NetPolicy {
        tcp: loopback(9),
        ..NetPolicy::default()
    };
    for params in [
        json!({"port": 9}),
        json!({"host": "127.0.0.1", "port": 0}),
        json!({"host": "127.0.0.1", "port": 70000}),
        json!({"host": "127.0.0.1", "port": 9, "data": [1, 256]}),
        json!({"host": "127.0.0.1", "port": 9, "responseEncoding": "hex"}),
        json!({"host": "127.0.0.1", "port": 9, "timeoutMs": -1}),
        json!([1, 2]),
    ] {
        let err = expect_err(
            net::invoke("tcp.request", &params, &policy, &limits()),
            ErrorCode::HostInvalidParams,
        );
        assert_eq!(err.name, "TypeError");
    }
    expect_err(
        net::invoke("tcp.listen", &json!({}), &policy, &limits()),
        ErrorCode::HostOperationUnknown,
    );
    assert_eq!(net::capability_of("mqtt.subscribeOnce"), Some("mqtt"));
    assert_eq!(net::capability_of("clock.now"), None);
}

// ---- UDP -----------------------------------------------------------------------------------

fn udp_server() -> (UdpSocket, u16) {
    let socket = UdpSocket::bind((LOOPBACK, 0)).unwrap();
    let port = socket.local_addr().unwrap().port();
    (socket, port)
}

#[test]
fn udp_request_exchanges_one_datagram() {
    let (socket, port) = udp_server();
    let server = std::thread::spawn(move || {
        let mut buffer = [0u8; 1500];
        let (count, peer) = socket.recv_from(&mut buffer).unwrap();
        let mut reply = b"udp:".to_vec();
        reply.extend_from_slice(&buffer[..count]);
        socket.send_to(&reply, peer).unwrap();
    });
    let policy = NetPolicy {
        udp: loopback(port),
        ..NetPolicy::default()
    };
    let result = net::invoke(
        "udp.request",
        &json!({"host": "127.0.0.1", "port": port, "data": [104, 105]}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(bytes_of(&result["body"]), b"udp:hi");
    assert_eq!(result["remoteAddress"], "127.0.0.1");
    assert_eq!(result["remotePort"], port);
    server.join().unwrap();
}

#[test]
fn udp_request_refused_by_policy_sends_nothing() {
    let (socket, port) = udp_server();
    for (_, rules) in refusing_rules(port) {
        let policy = NetPolicy {
            udp: rules,
            ..NetPolicy::default()
        };
        expect_denied(
            net::invoke(
                "udp.request",
                &json!({"host": "127.0.0.1", "port": port, "data": "x"}),
                &policy,
                &limits(),
            ),
            "udp.request",
            "udp",
        );
    }
    std::thread::sleep(Duration::from_millis(50));
    assert_udp_untouched(&socket);
}

#[test]
fn udp_caps_and_timeouts() {
    // A server that never answers.
    let (silent, port) = udp_server();
    let policy = NetPolicy {
        udp: loopback(port),
        ..NetPolicy::default()
    };
    let started = Instant::now();
    let result = net::invoke(
        "udp.request",
        &json!({"host": "127.0.0.1", "port": port, "data": "x", "timeoutMs": 300}),
        &policy,
        &limits(),
    );
    assert_quick_timeout(result, started);
    drop(silent);

    // A reply larger than the cap.
    let (socket, port) = udp_server();
    let server = std::thread::spawn(move || {
        let mut buffer = [0u8; 1500];
        let (_, peer) = socket.recv_from(&mut buffer).unwrap();
        socket.send_to(&[7u8; 500], peer).unwrap();
    });
    let policy = NetPolicy {
        udp: loopback(port),
        ..NetPolicy::default()
    };
    let result = net::invoke(
        "udp.request",
        &json!({"host": "127.0.0.1", "port": port, "data": "x"}),
        &policy,
        &small_read_limits(100),
    );
    expect_err(result, ErrorCode::HostLimitExceeded);
    server.join().unwrap();

    // Data is required.
    expect_err(
        net::invoke(
            "udp.request",
            &json!({"host": "127.0.0.1", "port": port}),
            &policy,
            &limits(),
        ),
        ErrorCode::HostInvalidParams,
    );
}

// ---- HTTP ----------------------------------------------------------------------------------

/// A tiny HTTP/1.1 server: one request per connection, `Connection: close`.
fn serve_http<S: Read + Write>(stream: S, far_port: u16) {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let path = parts.next().unwrap_or("").to_owned();
    let mut content_length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            content_length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0u8; content_length];
    reader.read_exact(&mut body).unwrap();
    let (status, extra, reply): (&str, String, Vec<u8>) = match path.as_str() {
        "/echo" => ("200 OK", String::new(), {
            let mut reply = format!("{method} ").into_bytes();
            reply.extend_from_slice(&body);
            reply
        }),
        "/json" => ("200 OK", String::new(), br#"{"answer":42}"#.to_vec()),
        "/missing" => ("404 Not Found", String::new(), b"nope".to_vec()),
        "/big" => ("200 OK", String::new(), vec![b'b'; 1000]),
        "/redirect-local" => ("302 Found", "Location: /echo\r\n".to_owned(), Vec::new()),
        "/redirect-far" => (
            "302 Found",
            format!("Location: http://far.example:{far_port}/echo\r\n"),
            Vec::new(),
        ),
        _ => ("500 Internal Server Error", String::new(), Vec::new()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nX-Test: one\r\nX-Test: two\r\n{extra}Connection: close\r\n\r\n",
        reply.len()
    );
    let stream = reader.get_mut();
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&reply);
    let _ = stream.flush();
}

#[test]
fn http_request_get_post_and_response_types() {
    let (listener, port) = listen();
    let server = serve(listener, 3, |stream| serve_http(stream, 1));
    let policy = NetPolicy {
        http: loopback(port),
        ..NetPolicy::default()
    };
    let base = format!("http://127.0.0.1:{port}");
    let result = net::invoke(
        "http.request",
        &json!({"url": format!("{base}/echo"), "method": "post", "body": "hello",
                "headers": {"content-type": "text/plain"}, "responseType": "text"}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(result["status"], 200);
    assert_eq!(result["ok"], true);
    assert_eq!(result["statusText"], "OK");
    assert_eq!(result["body"], "POST hello");
    assert_eq!(result["url"], format!("{base}/echo"));
    assert_eq!(result["headers"]["x-test"], "one, two");

    let result = net::invoke(
        "http.request",
        &json!({"url": format!("{base}/json"), "responseType": "json"}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(result["body"], json!({"answer": 42}));

    let result = net::invoke(
        "http.request",
        &json!({"url": format!("{base}/missing")}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(result["status"], 404);
    assert_eq!(result["ok"], false);
    assert_eq!(bytes_of(&result["body"]), b"nope");

    server.join().unwrap();
}

#[test]
fn http_redirects_are_rechecked_per_hop() {
    let (listener, port) = listen();
    let (far_listener, far_port) = listen();
    let server = serve(listener, 3, move |stream| serve_http(stream, far_port));
    let policy = NetPolicy {
        http: loopback(port),
        ..NetPolicy::default()
    };
    let base = format!("http://127.0.0.1:{port}");
    let result = net::invoke(
        "http.request",
        &json!({"url": format!("{base}/redirect-local"), "method": "POST", "body": "b",
                "responseType": "text"}),
        &policy,
        &limits(),
    )
    .unwrap();
    // 302 after POST becomes a bodiless GET, as in Fetch.
    assert_eq!(result["body"], "GET ");
    assert_eq!(result["url"], format!("{base}/echo"));

    let result = net::invoke(
        "http.request",
        &json!({"url": format!("{base}/redirect-far")}),
        &policy,
        &limits(),
    );
    let err = expect_err(result, ErrorCode::HostNetworkDenied);
    assert!(err.message.contains("far.example"), "{}", err.message);
    assert_untouched(&far_listener);
    server.join().unwrap();
}

#[test]
fn http_request_refused_by_policy_never_connects() {
    let (listener, port) = listen();
    for (_, rules) in refusing_rules(port) {
        let policy = NetPolicy {
            http: rules,
            ..NetPolicy::default()
        };
        expect_denied(
            net::invoke(
                "http.request",
                &json!({"url": format!("http://127.0.0.1:{port}/echo")}),
                &policy,
                &limits(),
            ),
            "http.request",
            "http",
        );
        assert_untouched(&listener);
    }
    let policy = NetPolicy {
        http: NetRules {
            hosts: vec!["localhost".into()],
            ports: vec![port],
            addresses: vec!["10.0.0.0/8".parse().unwrap()],
        },
        ..NetPolicy::default()
    };
    expect_denied(
        net::invoke(
            "http.request",
            &json!({"url": format!("http://localhost:{port}/echo")}),
            &policy,
            &limits(),
        ),
        "http.request",
        "http",
    );
    assert_untouched(&listener);
    // Only http and https.
    expect_err(
        net::invoke(
            "http.request",
            &json!({"url": "ftp://127.0.0.1/"}),
            &policy,
            &limits(),
        ),
        ErrorCode::HostInvalidParams,
    );
}

#[test]
fn http_caps_and_timeouts() {
    let (listener, port) = listen();
    let server = serve(listener, 1, |stream| serve_http(stream, 1));
    let policy = NetPolicy {
        http: loopback(port),
        ..NetPolicy::default()
    };
    let result = net::invoke(
        "http.request",
        &json!({"url": format!("http://127.0.0.1:{port}/big")}),
        &policy,
        &small_read_limits(100),
    );
    expect_err(result, ErrorCode::HostLimitExceeded);
    server.join().unwrap();

    let (listener, port) = listen();
    let server = serve_silently(listener, Duration::from_millis(1500));
    let policy = NetPolicy {
        http: loopback(port),
        ..NetPolicy::default()
    };
    let started = Instant::now();
    let result = net::invoke(
        "http.request",
        &json!({"url": format!("http://127.0.0.1:{port}/echo"), "timeoutMs": 300}),
        &policy,
        &limits(),
    );
    assert_quick_timeout(result, started);
    server.join().unwrap();

    // Headers arrive, the body never completes: the deadline covers the body read too.
    let (listener, port) = listen();
    let server = serve(listener, 1, |mut stream| {
        let mut head = [0u8; 1024];
        let _ = stream.read(&mut head);
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
        std::thread::sleep(Duration::from_secs(2));
    });
    let policy = NetPolicy {
        http: loopback(port),
        ..NetPolicy::default()
    };
    let started = Instant::now();
    let result = net::invoke(
        "http.request",
        &json!({"url": format!("http://127.0.0.1:{port}/"), "timeoutMs": 400}),
        &policy,
        &limits(),
    );
    assert_quick_timeout(result, started);
    server.join().unwrap();
}

// ---- TLS (and https, wss) ----------------------------------------------------------------

struct TestCertificate {
    pem: String,
    server: Arc<rustls::ServerConfig>,
}

fn test_certificate() -> TestCertificate {
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let server = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![certified.cert.der().clone()], key)
    .unwrap();
    TestCertificate {
        pem: certified.cert.pem(),
        server: Arc::new(server),
    }
}

fn tls_accept(
    config: &Arc<rustls::ServerConfig>,
    stream: TcpStream,
) -> rustls::StreamOwned<rustls::ServerConnection, TcpStream> {
    let connection = rustls::ServerConnection::new(config.clone()).unwrap();
    rustls::StreamOwned::new(connection, stream)
}

#[test]
fn tls_request_verifies_with_the_ca_param_or_policy_roots() {
    let certificate = test_certificate();
    let (listener, port) = listen();
    let config = certificate.server.clone();
    let server = serve(listener, 3, move |stream| {
        let mut tls = tls_accept(&config, stream);
        let mut request = Vec::new();
        if tls.read_to_end(&mut request).is_err() {
            return; // the client that does not trust us aborts the handshake
        }
        let mut reply = b"tls:".to_vec();
        reply.extend_from_slice(&request);
        tls.write_all(&reply).unwrap();
        tls.conn.send_close_notify();
        let _ = tls.flush();
        let _ = tls.sock.shutdown(Shutdown::Both);
    });

    // Trusted through the request's `ca`.
    let policy = NetPolicy {
        tls: localhost(port),
        ..NetPolicy::default()
    };
    let result = net::invoke(
        "tls.request",
        &json!({"host": "localhost", "port": port, "data": "secret", "ca": certificate.pem,
                "responseEncoding": "utf8"}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(result["body"], "tls:secret");
    assert_eq!(result["authorized"], true);
    assert_eq!(result["authorizationError"], Value::Null);
    assert_eq!(result["host"], "localhost");

    // Trusted through the embedder's extra roots, verified against the IP address SAN.
    let policy = NetPolicy {
        tls: loopback(port),
        extra_roots_pem: vec![certificate.pem.clone()],
        ..NetPolicy::default()
    };
    let result = net::invoke(
        "tls.request",
        &json!({"host": "127.0.0.1", "port": port, "data": [1, 2]}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(bytes_of(&result["body"]), b"tls:\x01\x02");

    // Not trusted: the handshake fails.
    let policy = NetPolicy {
        tls: loopback(port),
        ..NetPolicy::default()
    };
    let err = expect_err(
        net::invoke(
            "tls.request",
            &json!({"host": "127.0.0.1", "port": port, "data": "x"}),
            &policy,
            &limits(),
        ),
        ErrorCode::HostNetworkFailed,
    );
    assert!(
        err.message.contains("TLS handshake failed"),
        "{}",
        err.message
    );
    server.join().unwrap();
}

#[test]
fn tls_request_refusals() {
    let certificate = test_certificate();
    let (listener, port) = listen();
    for (_, rules) in refusing_rules(port) {
        let policy = NetPolicy {
            tls: rules,
            ..NetPolicy::default()
        };
        expect_denied(
            net::invoke(
                "tls.request",
                &json!({"host": "127.0.0.1", "port": port, "ca": certificate.pem}),
                &policy,
                &limits(),
            ),
            "tls.request",
            "tls",
        );
    }
    // Turning verification off is refused (fail closed), before any connection.
    let policy = NetPolicy {
        tls: loopback(port),
        ..NetPolicy::default()
    };
    expect_denied(
        net::invoke(
            "tls.request",
            &json!({"host": "127.0.0.1", "port": port, "rejectUnauthorized": false}),
            &policy,
            &limits(),
        ),
        "tls.request",
        "tls",
    );
    expect_err(
        net::invoke(
            "tls.request",
            &json!({"host": "127.0.0.1", "port": port, "ca": "not a pem"}),
            &policy,
            &limits(),
        ),
        ErrorCode::HostInvalidParams,
    );
    assert_untouched(&listener);

    // A server that accepts TCP but never speaks TLS.
    let server = serve_silently(listener, Duration::from_millis(1500));
    let started = Instant::now();
    let result = net::invoke(
        "tls.request",
        &json!({"host": "127.0.0.1", "port": port, "timeoutMs": 300}),
        &policy,
        &limits(),
    );
    assert_quick_timeout(result, started);
    server.join().unwrap();
}

#[test]
fn https_request_pins_and_verifies() {
    let certificate = test_certificate();
    let (listener, port) = listen();
    let config = certificate.server.clone();
    let server = serve(listener, 1, move |stream| {
        let tls = tls_accept(&config, stream);
        serve_http(tls, 1);
    });
    let policy = NetPolicy {
        http: localhost(port),
        extra_roots_pem: vec![certificate.pem.clone()],
        ..NetPolicy::default()
    };
    let result = net::invoke(
        "http.request",
        &json!({"url": format!("https://localhost:{port}/echo"), "method": "PUT",
                "body": bytes_param(b"over tls"), "responseType": "text"}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(result["status"], 200);
    assert_eq!(result["body"], "PUT over tls");
    server.join().unwrap();
}

// ---- WebSocket -----------------------------------------------------------------------------

fn ws_echo<S: Read + Write>(stream: S) {
    let mut socket = tungstenite::accept(stream).unwrap();
    let message = socket.read().unwrap();
    let reply = match message {
        tungstenite::Message::Text(text) => {
            tungstenite::Message::text(format!("ws:{}", text.as_str()))
        }
        tungstenite::Message::Binary(data) => {
            let mut reply = b"ws:".to_vec();
            reply.extend_from_slice(&data);
            tungstenite::Message::binary(reply)
        }
        other => panic!("unexpected {other:?}"),
    };
    socket.send(reply).unwrap();
    // Wait for the client's close.
    while socket.read().is_ok() {}
}

#[test]
fn websocket_exchange_with_a_granted_server() {
    let (listener, port) = listen();
    let server = serve(listener, 2, ws_echo);
    let policy = NetPolicy {
        websocket: loopback(port),
        ..NetPolicy::default()
    };
    let url = format!("ws://127.0.0.1:{port}/socket");
    let result = net::invoke(
        "websocket.exchange",
        &json!({"url": url, "message": "hello"}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(result["body"], "ws:hello");
    assert_eq!(result["url"], url);
    assert_eq!(result["protocol"], "");
    assert_eq!(result["closeCode"], Value::Null);

    let result = net::invoke(
        "websocket.exchange",
        &json!({"url": url, "message": bytes_param(&[9, 8]), "responseType": "bytes"}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(bytes_of(&result["body"]), b"ws:\x09\x08");
    server.join().unwrap();
}

#[test]
fn wss_exchange_verifies_with_policy_roots() {
    let certificate = test_certificate();
    let (listener, port) = listen();
    let config = certificate.server.clone();
    let server = serve(listener, 1, move |stream| {
        ws_echo(tls_accept(&config, stream))
    });
    let policy = NetPolicy {
        websocket: localhost(port),
        extra_roots_pem: vec![certificate.pem.clone()],
        ..NetPolicy::default()
    };
    let result = net::invoke(
        "websocket.exchange",
        &json!({"url": format!("wss://localhost:{port}/"), "message": "{\"n\":1}",
                "responseType": "utf8"}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(result["body"], "ws:{\"n\":1}");
    server.join().unwrap();
}

#[test]
fn websocket_refusals_caps_and_timeouts() {
    let (listener, port) = listen();
    for (_, rules) in refusing_rules(port) {
        let policy = NetPolicy {
            websocket: rules,
            ..NetPolicy::default()
        };
        expect_denied(
            net::invoke(
                "websocket.exchange",
                &json!({"url": format!("ws://127.0.0.1:{port}/"), "message": "x"}),
                &policy,
                &limits(),
            ),
            "websocket.exchange",
            "websocket",
        );
    }
    assert_untouched(&listener);

    // The echo is 103 bytes; the cap is 50.
    let server = serve(listener, 1, |stream| {
        let mut socket = tungstenite::accept(stream).unwrap();
        let _ = socket.read();
        let _ = socket.send(tungstenite::Message::text("y".repeat(103)));
        let _ = socket.flush();
        std::thread::sleep(Duration::from_millis(200));
    });
    let policy = NetPolicy {
        websocket: loopback(port),
        ..NetPolicy::default()
    };
    expect_err(
        net::invoke(
            "websocket.exchange",
            &json!({"url": format!("ws://127.0.0.1:{port}/"), "message": "x"}),
            &policy,
            &small_read_limits(50),
        ),
        ErrorCode::HostLimitExceeded,
    );
    server.join().unwrap();

    // Handshake done, never a reply.
    let (listener, port) = listen();
    let server = serve(listener, 1, |stream| {
        let mut socket = tungstenite::accept(stream).unwrap();
        let _ = socket.read();
        std::thread::sleep(Duration::from_secs(2));
    });
    let policy = NetPolicy {
        websocket: loopback(port),
        ..NetPolicy::default()
    };
    let started = Instant::now();
    let result = net::invoke(
        "websocket.exchange",
        &json!({"url": format!("ws://127.0.0.1:{port}/"), "message": "x", "timeoutMs": 300}),
        &policy,
        &limits(),
    );
    assert_quick_timeout(result, started);
    server.join().unwrap();
}

// ---- MQTT ----------------------------------------------------------------------------------

/// One MQTT control packet: (type, flags, body).
fn read_packet(stream: &mut TcpStream) -> Option<(u8, u8, Vec<u8>)> {
    let mut header = [0u8; 1];
    stream.read_exact(&mut header).ok()?;
    let mut length = 0usize;
    let mut shift = 0;
    loop {
        let mut byte = [0u8; 1];
        stream.read_exact(&mut byte).ok()?;
        length |= usize::from(byte[0] & 0x7f) << shift;
        if byte[0] & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    Some((header[0] >> 4, header[0] & 0x0f, body))
}

fn write_packet(stream: &mut TcpStream, header: u8, body: &[u8]) {
    let mut packet = vec![header];
    let mut length = body.len();
    loop {
        let mut byte = (length % 128) as u8;
        length /= 128;
        if length > 0 {
            byte |= 0x80;
        }
        packet.push(byte);
        if length == 0 {
            break;
        }
    }
    packet.extend_from_slice(body);
    stream.write_all(&packet).unwrap();
}

fn mqtt_string(bytes: &[u8]) -> (String, &[u8]) {
    let length = usize::from(u16::from_be_bytes([bytes[0], bytes[1]]));
    (
        String::from_utf8(bytes[2..2 + length].to_vec()).unwrap(),
        &bytes[2 + length..],
    )
}

/// A minimal broker for one client: CONNACK, SUBACK (then delivers `deliver` on the subscribed
/// topic), records PUBLISHes, answers PINGREQ, stops at DISCONNECT.
fn mqtt_broker(
    mut stream: TcpStream,
    deliver: Vec<u8>,
    published: mpsc::Sender<(String, Vec<u8>, String)>,
) {
    let mut client_id = String::new();
    while let Some((kind, _flags, body)) = read_packet(&mut stream) {
        match kind {
            1 => {
                // Skip protocol name (2+4), level, flags, keep-alive: 10 bytes; then client id.
                client_id = mqtt_string(&body[10..]).0;
                write_packet(&mut stream, 0x20, &[0, 0]);
            }
            8 => {
                let (topic, _) = mqtt_string(&body[2..]);
                write_packet(&mut stream, 0x90, &[body[0], body[1], 0]);
                let mut publish = Vec::new();
                publish.extend_from_slice(&(topic.len() as u16).to_be_bytes());
                publish.extend_from_slice(topic.as_bytes());
                publish.extend_from_slice(&deliver);
                write_packet(&mut stream, 0x30, &publish);
            }
            3 => {
                let (topic, payload) = mqtt_string(&body);
                published
                    .send((topic, payload.to_vec(), client_id.clone()))
                    .unwrap();
            }
            12 => write_packet(&mut stream, 0xd0, &[]),
            14 => break,
            _ => {}
        }
    }
}

#[test]
fn mqtt_publish_and_subscribe_once() {
    let (listener, port) = listen();
    let (sender, received) = mpsc::channel();
    let server = serve(listener, 2, move |stream| {
        mqtt_broker(stream, br#"{"from":"broker"}"#.to_vec(), sender.clone())
    });
    let policy = NetPolicy {
        mqtt: loopback(port),
        ..NetPolicy::default()
    };
    let result = net::invoke(
        "mqtt.publish",
        &json!({"host": "127.0.0.1", "port": port, "topic": "sdm/out", "payload": "hello",
                "clientId": "tester"}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(
        result,
        json!({"host": "127.0.0.1", "port": port, "clientId": "tester", "topic": "sdm/out",
               "payloadBytes": 5})
    );
    let (topic, payload, client_id) = received.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(topic, "sdm/out");
    assert_eq!(payload, b"hello");
    assert_eq!(client_id, "tester");

    let result = net::invoke(
        "mqtt.subscribeOnce",
        &json!({"host": "127.0.0.1", "port": port, "topic": "sdm/in", "responseType": "json"}),
        &policy,
        &limits(),
    )
    .unwrap();
    assert_eq!(result["topic"], "sdm/in");
    assert_eq!(result["body"], json!({"from": "broker"}));
    assert!(
        result["clientId"]
            .as_str()
            .unwrap()
            .starts_with("space-data-module-sdk-")
    );
    server.join().unwrap();
}

#[test]
fn mqtt_refusals_caps_and_timeouts() {
    let (listener, port) = listen();
    for operation in ["mqtt.publish", "mqtt.subscribeOnce"] {
        for (_, rules) in refusing_rules(port) {
            let policy = NetPolicy {
                mqtt: rules,
                ..NetPolicy::default()
            };
            expect_denied(
                net::invoke(
                    operation,
                    &json!({"host": "127.0.0.1", "port": port, "topic": "t"}),
                    &policy,
                    &limits(),
                ),
                operation,
                "mqtt",
            );
        }
    }
    assert_untouched(&listener);

    let (sender, _received) = mpsc::channel();
    let server = serve(listener, 1, move |stream| {
        mqtt_broker(stream, vec![b'm'; 300], sender.clone())
    });
    let policy = NetPolicy {
        mqtt: loopback(port),
        ..NetPolicy::default()
    };
    expect_err(
        net::invoke(
            "mqtt.subscribeOnce",
            &json!({"host": "127.0.0.1", "port": port, "topic": "t"}),
            &policy,
            &small_read_limits(100),
        ),
        ErrorCode::HostLimitExceeded,
    );
    server.join().unwrap();

    // A "broker" that never sends CONNACK.
    let (listener, port) = listen();
    let server = serve_silently(listener, Duration::from_millis(1500));
    let policy = NetPolicy {
        mqtt: loopback(port),
        ..NetPolicy::default()
    };
    let started = Instant::now();
    let result = net::invoke(
        "mqtt.subscribeOnce",
        &json!({"host": "127.0.0.1", "port": port, "topic": "t", "timeoutMs": 300}),
        &policy,
        &limits(),
    );
    assert_quick_timeout(result, started);
    server.join().unwrap();
}

// ---- Through a guest: the same operations called by a wasm guest over `sdn_host` -----------

use space_data_module::host::{Host, HostPolicy};

const NET_CAPABILITIES: [&str; 6] = ["http", "websocket", "mqtt", "tcp", "udp", "tls"];

/// A guest whose manifest declares every network capability, on a host granting `granted`
/// with `net` rules.
fn net_guest(granted: &[&str], net: NetPolicy) -> support::Guest {
    let policy = HostPolicy::new()
        .grant_all(granted.iter().copied())
        .net(net)
        .limits(limits());
    support::Guest::new(Some(Arc::new(Host::for_manifest(
        policy,
        &NET_CAPABILITIES,
    ))))
}

/// The guest's call was refused with the capability error, as a status-1 envelope.
fn assert_guest_denied(reply: &support::Reply, operation: &str, capability: &str) {
    assert_eq!(reply.status, 1, "{}", reply.text());
    let error = reply.error();
    assert_eq!(error["code"], "host-capability-denied", "{error}");
    assert_eq!(error["operation"], operation);
    assert_eq!(error["capability"], capability);
}

#[test]
fn guest_tcp_and_udp_granted_run_and_ungranted_never_connect() {
    let (listener, port) = listen();
    let server = serve(listener, 1, tcp_echo);
    let all = NetPolicy {
        tcp: loopback(port),
        ..NetPolicy::default()
    };
    let params =
        json!({"host": "127.0.0.1", "port": port, "data": "ping", "responseEncoding": "utf8"});
    let reply = net_guest(&["tcp"], all.clone()).call_value("tcp.request", &params);
    assert_eq!(reply.status, 0, "{}", reply.text());
    assert_eq!(reply.result()["body"], "echo:ping");
    server.join().unwrap();

    // Capability not granted (rules present): denied envelope, no connection.
    let (listener, port) = listen();
    let rules = NetPolicy {
        tcp: loopback(port),
        ..NetPolicy::default()
    };
    let params = json!({"host": "127.0.0.1", "port": port, "data": "ping"});
    let reply = net_guest(&["udp"], rules.clone()).call_value("tcp.request", &params);
    assert_guest_denied(&reply, "tcp.request", "tcp");
    assert_untouched(&listener);
    // Granted but the policy does not allow the target: the network denial, no connection.
    let reply = net_guest(&["tcp"], NetPolicy::default()).call_value("tcp.request", &params);
    assert_eq!(reply.status, 1);
    assert_eq!(reply.error()["sdmCode"], "host-network-denied");
    assert_untouched(&listener);

    let (socket, port) = udp_server();
    let params = json!({"host": "127.0.0.1", "port": port, "data": [104, 105]});
    let reply = net_guest(
        &["tcp"],
        NetPolicy {
            udp: loopback(port),
            ..NetPolicy::default()
        },
    )
    .call_value("udp.request", &params);
    assert_guest_denied(&reply, "udp.request", "udp");
    assert_udp_untouched(&socket);
    socket.set_nonblocking(false).unwrap();
    let server = std::thread::spawn(move || {
        let mut buffer = [0u8; 64];
        let (count, peer) = socket.recv_from(&mut buffer).unwrap();
        socket.send_to(&buffer[..count], peer).unwrap();
    });
    let reply = net_guest(
        &["udp"],
        NetPolicy {
            udp: loopback(port),
            ..NetPolicy::default()
        },
    )
    .call_value("udp.request", &params);
    assert_eq!(bytes_of(&reply.result()["body"]), b"hi");
    server.join().unwrap();
}

#[test]
fn guest_http_websocket_and_mqtt_granted_run_and_ungranted_never_connect() {
    // HTTP
    let (listener, port) = listen();
    let http = NetPolicy {
        http: loopback(port),
        ..NetPolicy::default()
    };
    let params = json!({"url": format!("http://127.0.0.1:{port}/echo"), "method": "POST",
                        "body": "from a guest", "responseType": "text"});
    let reply = net_guest(&["websocket"], http.clone()).call_value("http.request", &params);
    assert_guest_denied(&reply, "http.request", "http");
    assert_untouched(&listener);
    let server = serve(listener, 1, |stream| serve_http(stream, 1));
    let reply = net_guest(&["http"], http).call_value("http.request", &params);
    assert_eq!(reply.result()["body"], "POST from a guest");
    assert_eq!(reply.result()["status"], 200);
    server.join().unwrap();

    // WebSocket
    let (listener, port) = listen();
    let ws = NetPolicy {
        websocket: loopback(port),
        ..NetPolicy::default()
    };
    let params = json!({"url": format!("ws://127.0.0.1:{port}/socket"), "message": "hello"});
    let reply = net_guest(&["http"], ws.clone()).call_value("websocket.exchange", &params);
    assert_guest_denied(&reply, "websocket.exchange", "websocket");
    assert_untouched(&listener);
    let server = serve(listener, 1, ws_echo);
    let reply = net_guest(&["websocket"], ws).call_value("websocket.exchange", &params);
    assert_eq!(reply.result()["body"], "ws:hello");
    server.join().unwrap();

    // MQTT
    let (listener, port) = listen();
    let mqtt = NetPolicy {
        mqtt: loopback(port),
        ..NetPolicy::default()
    };
    let params = json!({"host": "127.0.0.1", "port": port, "topic": "sdm/guest",
                        "payload": "hi", "clientId": "guest"});
    let reply = net_guest(&["tcp"], mqtt.clone()).call_value("mqtt.publish", &params);
    assert_guest_denied(&reply, "mqtt.publish", "mqtt");
    assert_untouched(&listener);
    let (sender, received) = mpsc::channel();
    let server = serve(listener, 1, move |stream| {
        mqtt_broker(stream, Vec::new(), sender.clone())
    });
    let reply = net_guest(&["mqtt"], mqtt).call_value("mqtt.publish", &params);
    assert_eq!(reply.result()["payloadBytes"], 2);
    let (topic, payload, client) = received.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(
        (topic.as_str(), payload.as_slice(), client.as_str()),
        ("sdm/guest", &b"hi"[..], "guest")
    );
    server.join().unwrap();
}

#[test]
fn guest_tls_granted_runs_and_ungranted_never_connects() {
    let certificate = test_certificate();
    let (listener, port) = listen();
    let tls = NetPolicy {
        tls: localhost(port),
        extra_roots_pem: vec![certificate.pem.clone()],
        ..NetPolicy::default()
    };
    let params =
        json!({"host": "localhost", "port": port, "data": "secret", "responseEncoding": "utf8"});
    let reply = net_guest(&["tcp"], tls.clone()).call_value("tls.request", &params);
    assert_guest_denied(&reply, "tls.request", "tls");
    assert_untouched(&listener);
    let config = certificate.server.clone();
    let server = serve(listener, 1, move |stream| {
        let mut tls = tls_accept(&config, stream);
        let mut request = Vec::new();
        tls.read_to_end(&mut request).unwrap();
        tls.write_all(b"tls:").unwrap();
        tls.write_all(&request).unwrap();
        tls.conn.send_close_notify();
        let _ = tls.flush();
        let _ = tls.sock.shutdown(Shutdown::Both);
    });
    let reply = net_guest(&["tls"], tls).call_value("tls.request", &params);
    assert_eq!(reply.status, 0, "{}", reply.text());
    assert_eq!(reply.result()["body"], "tls:secret");
    assert_eq!(reply.result()["authorized"], true);
    server.join().unwrap();
}
