//! The lab's HTTP API (`space-data-module lab`): every endpoint, the guard (Host, Origin,
//! content type, body cap), malformed input, and that the server keeps answering after each
//! refusal. The binary is started on port 0 and spoken to over plain TCP (HTTP/1.1, one request
//! per connection), so every header and byte sent is the test's own.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A running lab, stopped when dropped.
struct Lab {
    child: Child,
    /// `127.0.0.1:PORT`
    authority: String,
}

impl Lab {
    fn start() -> Lab {
        let mut child = Command::new(env!("CARGO_BIN_EXE_space-data-module"))
            .args(["lab", "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the lab starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("lab: serving ")
            .unwrap_or_else(|| panic!("first line names the URL: {line:?}"));
        let authority = url
            .strip_prefix("http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap()
            .to_owned();
        assert!(authority.starts_with("127.0.0.1:"), "{authority}");
        assert_ne!(authority, "127.0.0.1:0");
        Lab { child, authority }
    }

    fn origin(&self) -> String {
        format!("http://{}", self.authority)
    }

    /// Sends one request; `headers` replace the defaults of the same name (Host,
    /// Content-Length); a header with an empty value only removes the default.
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        let mut stream = TcpStream::connect(&self.authority).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        let named = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
        if !named("host") {
            head += &format!("Host: {}\r\n", self.authority);
        }
        if !named("content-length") {
            head += &format!("Content-Length: {}\r\n", body.len());
        }
        for (name, value) in headers.iter().filter(|(_, value)| !value.is_empty()) {
            head += &format!("{name}: {value}\r\n");
        }
        head += "\r\n";
        stream.write_all(head.as_bytes()).unwrap();
        // The server may answer (413) before it read everything: a write error then is fine.
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Answer::parse(&raw)
    }

    fn get(&self, path: &str) -> Answer {
        self.send("GET", path, &[], b"")
    }

    fn post(&self, path: &str, body: &Value) -> Answer {
        self.send(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
    }

    /// The server still answers (after a refusal, a panic, a reset connection).
    fn assert_alive(&self) {
        let answer = self.get("/api/session");
        assert_eq!(answer.status, 200, "{}", answer.text());
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn parse(raw: &[u8]) -> Answer {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
        let head = std::str::from_utf8(&raw[..split]).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .map(|line| {
                let (name, value) = line.split_once(':').unwrap();
                (name.trim().to_ascii_lowercase(), value.trim().to_owned())
            })
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
        {
            body = dechunk(&body);
        }
        Answer {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        assert!(
            self.header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "{:?}",
            self.headers
        );
        serde_json::from_slice(&self.body).unwrap_or_else(|err| panic!("{err}: {}", self.text()))
    }

    /// A JSON answer with this status; its body.
    fn ok(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.text());
        self.json()
    }

    /// An error answer: this status, and the CLI's error object with this code.
    fn error(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "{}", self.text());
        let error = self.json()["error"].clone();
        assert_eq!(error["code"], code, "{error}");
        assert!(error["number"].as_u64().is_some(), "{error}");
        assert!(!error["message"].as_str().unwrap().is_empty(), "{error}");
        error
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 4 + size..];
    }
}

fn vector(name: &str) -> Vec<u8> {
    std::fs::read(common::vectors().join("inputs").join(name)).unwrap()
}

fn manifest() -> String {
    String::from_utf8(vector("manifest.json")).unwrap()
}

fn module_b64() -> String {
    B64.encode(vector("base-module.wasm"))
}

fn session(lab: &Lab) -> Value {
    lab.get("/api/session").ok()
}

/// The number the CLI's error table gives a code (docs/errors.md), read from the CLI itself.
fn cli_error(args: &[&str]) -> Value {
    let output = common::cli(args);
    assert_ne!(output.status.code(), Some(0));
    serde_json::from_slice::<Value>(&output.stdout).unwrap()
}

#[test]
fn serves_the_page_and_the_session_without_secrets() {
    let lab = Lab::start();
    let page = lab.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.text().contains("Run Publication Demo"));
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    for asset in ["/lab.js", "/lab.css"] {
        let answer = lab.get(asset);
        assert_eq!(answer.status, 200, "{asset}");
        assert!(!answer.body.is_empty());
    }
    let head = lab.send("HEAD", "/", &[], b"");
    assert_eq!(head.status, 200);

    let answer = lab.get("/api/session");
    let info = answer.ok();
    assert_eq!(info["signingPublicKeyHex"].as_str().unwrap().len(), 66);
    assert_eq!(info["recipientPublicKeyHex"].as_str().unwrap().len(), 64);
    assert_eq!(info["caps"]["requestBodyBytes"], 32 << 20);
    assert!(info["compilerAvailable"].is_boolean());
    assert!(
        !answer.text().to_lowercase().contains("private"),
        "{}",
        answer.text()
    );

    let demo = lab.get("/api/demo/echo").ok();
    assert_eq!(demo["method"], "echo");
    assert!(
        demo["source"]
            .as_str()
            .unwrap()
            .contains("plugin_push_output")
    );
}

#[test]
fn default_port_is_4318_and_port_0_prints_the_bound_url() {
    let help = common::cli(&["lab", "--help"]);
    assert!(common::stdout(&help).contains("[default: 4318]"));
    // Two labs on port 0 get two ports.
    let (a, b) = (Lab::start(), Lab::start());
    assert_ne!(a.authority, b.authority);
}

#[test]
fn check_reports_the_vector_pair_and_a_broken_manifest() {
    let lab = Lab::start();
    let report = lab
        .post(
            "/api/check",
            &json!({ "manifest": manifest(), "wasmBase64": module_b64() }),
        )
        .ok();
    assert_eq!(report, json!({ "ok": true, "issues": [] }));

    // The same rule codes as `check --json` gives for the same broken manifest.
    let mut broken: Value = serde_json::from_str(&manifest()).unwrap();
    broken.as_object_mut().unwrap().remove("pluginId");
    broken["methods"][0]["inputPorts"][0]["portId"] = json!("");
    let report = lab
        .post("/api/check", &json!({ "manifest": broken.to_string() }))
        .ok();
    assert_eq!(report["ok"], false);
    let dir = tempfile::tempdir().unwrap();
    let path = common::write(dir.path(), "broken.json", &broken.to_string());
    let cli = common::cli(&["check", "--json", "--manifest", common::p(&path)]);
    let cli: Value = serde_json::from_slice(&cli.stdout).unwrap();
    let codes = |report: &Value| -> Vec<(String, String)> {
        report["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["code"].as_str().unwrap().to_owned(),
                    i["severity"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert!(!codes(&report).is_empty());
    assert_eq!(codes(&report), codes(&cli));

    // Not a module: the wasm error code, as a 400.
    let answer = lab.post(
        "/api/check",
        &json!({ "manifest": manifest(), "wasmBase64": B64.encode(b"not wasm at all") }),
    );
    assert_eq!(answer.status, 400, "{}", answer.text());
    let error = answer.json()["error"].clone();
    let cli = cli_error(&[
        "check",
        "--json",
        "--manifest",
        common::p(&common::vectors().join("inputs/manifest.json")),
        "--wasm",
        common::p(&common::write(dir.path(), "bad.wasm", "not wasm at all")),
    ])["error"]
        .clone();
    assert!(
        error["code"].as_str().unwrap().starts_with("wasm-"),
        "{error}"
    );
    assert_eq!(
        (&error["code"], &error["number"]),
        (&cli["code"], &cli["number"])
    );
    lab.post(
        "/api/check",
        &json!({ "manifest": manifest(), "wasmBase64": "%%%" }),
    )
    .error(400, "invalid-argument");
    lab.assert_alive();
}

#[test]
fn bundle_and_inspect_show_the_entries_with_verified_hashes() {
    let lab = Lab::start();
    let bundled = lab
        .post(
            "/api/bundle",
            &json!({ "manifest": manifest(), "wasmBase64": module_b64() }),
        )
        .ok();
    let wasm = B64.decode(bundled["wasmBase64"].as_str().unwrap()).unwrap();
    assert_eq!(&wasm[..4], b"\0asm");
    assert_eq!(bundled["summary"]["outputBytes"], wasm.len());
    assert_eq!(bundled["inspect"]["verified"], true);
    let entries = bundled["inspect"]["entries"].as_array().unwrap();
    assert!(
        entries.iter().any(|e| e["role"] == "manifest"),
        "{entries:?}"
    );

    let inspected = lab
        .post("/api/inspect", &json!({ "wasmBase64": B64.encode(&wasm) }))
        .ok();
    assert_eq!(inspected["verified"], true);
    assert_eq!(inspected["entries"], bundled["inspect"]["entries"]);
    // A module without a bundle: the bundle error code.
    let answer = lab.post("/api/inspect", &json!({ "wasmBase64": module_b64() }));
    assert_eq!(answer.status, 400, "{}", answer.text());
    assert!(
        answer.json()["error"]["code"]
            .as_str()
            .unwrap()
            .starts_with("bundle-")
    );
    lab.assert_alive();
}

#[test]
fn protect_then_open_with_the_trust_list_and_refusals_carry_the_cli_codes() {
    let lab = Lab::start();
    let signer = session(&lab)["signingPublicKeyHex"].clone();
    let protected = lab
        .post(
            "/api/protect",
            &json!({
                "manifest": manifest(),
                "wasmBase64": module_b64(),
                "singleFileBundle": true,
                "encrypt": true,
            }),
        )
        .ok();
    assert_eq!(protected["result"]["encrypted"], true);
    assert_eq!(protected["result"]["signingPublicKeyHex"], signer);
    let text = protected.to_string();
    assert!(!text.contains("privateKey"), "no key material in responses");
    let artifact = protected["artifactBase64"].clone();

    let opened = lab
        .post(
            "/api/open",
            &json!({ "artifactBase64": artifact, "trust": [signer] }),
        )
        .ok();
    let outcome = &opened["outcome"];
    assert_eq!(outcome["outcome"], "ok", "{outcome}");
    assert_eq!(outcome["authentication"]["signed"], true);
    assert_eq!(outcome["report"]["signature"]["signerPublicKeyHex"], signer);
    assert!(outcome["report"]["enc"].is_object());
    let trailer = &outcome["report"]["trailer"];
    assert_eq!(trailer["present"], true);
    let standards: Vec<&str> = trailer["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["standard"].as_str().unwrap())
        .collect();
    assert_eq!(standards, ["ENC", "PNM"]);
    let opened_wasm = B64.decode(opened["wasmBase64"].as_str().unwrap()).unwrap();
    assert_eq!(&opened_wasm[..4], b"\0asm");

    // Untrusted signer: a refusal (200 with outcome error), with the code and number the CLI
    // gives the same artifact.
    let refused = lab
        .post(
            "/api/open",
            &json!({ "artifactBase64": artifact, "trust": [common::OTHER_PUBLIC] }),
        )
        .ok();
    assert_eq!(refused["outcome"]["outcome"], "error");
    assert!(refused["wasmBase64"].is_null());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.wasm");
    std::fs::write(&path, B64.decode(artifact.as_str().unwrap()).unwrap()).unwrap();
    let cli = cli_error(&[
        "open",
        common::p(&path),
        "--json",
        "--trust",
        common::OTHER_PUBLIC,
        "-o",
        common::p(&dir.path().join("out.wasm")),
    ]);
    assert_eq!(refused["outcome"]["code"], cli["code"]);
    assert_eq!(refused["outcome"]["status"], cli["status"]);

    // A trust list entry is hex, never a file name: a real key file's path is refused.
    let key_file = dir.path().join("signer.json");
    std::fs::write(&key_file, json!({ "publicKeyHex": signer }).to_string()).unwrap();
    lab.post(
        "/api/open",
        &json!({ "artifactBase64": artifact, "trust": [common::p(&key_file)] }),
    )
    .error(400, "key-invalid");

    // Hostile bytes are a refusal, not a crash.
    let refused = lab
        .post(
            "/api/open",
            &json!({ "artifactBase64": B64.encode([0xffu8; 300]), "trust": [signer] }),
        )
        .ok();
    assert_eq!(refused["outcome"]["outcome"], "error");
    lab.assert_alive();
}

#[test]
fn protect_with_an_uploaded_key_and_encrypt_for_a_given_recipient() {
    let lab = Lab::start();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("signing.json");
    let generated = common::cli(&["keygen", "--kind", "signing", "-o", common::p(&key)]);
    assert!(generated.status.success(), "{}", common::stderr(&generated));
    let key_text = std::fs::read_to_string(&key).unwrap();
    let public: Value = serde_json::from_str(&key_text).unwrap();
    let protected = lab
        .post(
            "/api/protect",
            &json!({
                "manifest": manifest(),
                "wasmBase64": module_b64(),
                "signingKeyFile": key_text,
                "encryptForHex": session(&lab)["recipientPublicKeyHex"],
            }),
        )
        .ok();
    assert_eq!(
        protected["result"]["signingPublicKeyHex"],
        public["publicKeyHex"]
    );
    assert_eq!(protected["result"]["encrypted"], true);
    lab.post(
        "/api/protect",
        &json!({ "manifest": manifest(), "wasmBase64": module_b64(), "encryptForHex": "abcd" }),
    )
    .error(400, "key-invalid");
    lab.assert_alive();
}

#[test]
fn compile_and_invoke_the_echo_module_through_the_loader() {
    let lab = Lab::start();
    let info = session(&lab);
    let demo = lab.get("/api/demo/echo").ok();
    // Whether or not clang is there: a source that names a file is refused before clang runs.
    let reads_a_file = demo["source"]
        .as_str()
        .unwrap()
        .replace("#include <stdint.h>", "#include \"/etc/passwd\"");
    let refused = lab.post(
        "/api/compile",
        &json!({ "manifest": demo["manifest"], "source": reads_a_file }),
    );
    let error = refused.error(400, "invalid-argument");
    assert!(
        !error["message"].as_str().unwrap().contains("root:"),
        "{error}"
    );

    let compiled = lab.post(
        "/api/compile",
        &json!({ "manifest": demo["manifest"], "source": demo["source"] }),
    );
    if info["compilerAvailable"] == false {
        compiled.error(501, "compiler-toolchain-missing");
        eprintln!("skipped: clang for wasm32-wasi is not installed (make deps installs it)");
        return;
    }
    let compiled = compiled.ok();
    assert_eq!(compiled["report"]["ok"], true);
    assert_eq!(compiled["methods"], json!(["echo"]));
    let protected = lab
        .post(
            "/api/protect",
            &json!({
                "manifest": demo["manifest"],
                "wasmBase64": compiled["wasmBase64"],
                "singleFileBundle": true,
                "encrypt": true,
            }),
        )
        .ok();
    let signer = info["signingPublicKeyHex"].clone();
    let call = |trust: Value, input: Value| {
        lab.post(
            "/api/invoke",
            &json!({
                "artifactBase64": protected["artifactBase64"],
                "trust": trust,
                "method": "echo",
                "inputs": [input],
            }),
        )
    };
    let invoked = call(
        json!([signer]),
        json!({ "port": "echo", "text": "hello, lab" }),
    )
    .ok();
    assert_eq!(invoked["outputTexts"], json!(["hello, lab"]));
    assert_eq!(invoked["failed"], false);
    assert_eq!(invoked["outcome"]["outcome"], "ok");
    let binary = call(
        json!([signer]),
        json!({ "port": "echo", "base64": B64.encode([0u8, 1, 2, 255]) }),
    )
    .ok();
    assert_eq!(
        binary["result"]["outputs"][0]["payloadBase64"],
        B64.encode([0u8, 1, 2, 255])
    );
    // Fail closed: an untrusted signer runs nothing (422, the loader's code).
    let refused = call(
        json!([common::OTHER_PUBLIC]),
        json!({ "port": "echo", "text": "x" }),
    );
    assert_eq!(refused.status, 422, "{}", refused.text());
    // Both or neither of text/base64 is a usage error.
    call(json!([signer]), json!({ "port": "echo" })).error(400, "invalid-argument");
    // C that does not compile: the compiler's code with clang's diagnostics.
    let broken = lab.post(
        "/api/compile",
        &json!({ "manifest": demo["manifest"], "source": "int echo(void) { return }" }),
    );
    broken.error(422, "compiler-failed");
    lab.assert_alive();
}

#[test]
fn key_download_is_explicit_and_matches_the_session_keys() {
    let lab = Lab::start();
    let info = session(&lab);
    for (kind, public) in [
        ("signing", &info["signingPublicKeyHex"]),
        ("recipient", &info["recipientPublicKeyHex"]),
    ] {
        let answer = lab.post("/api/keys/download", &json!({ "kind": kind }));
        assert_eq!(answer.status, 200);
        assert!(
            answer
                .header("content-disposition")
                .unwrap()
                .starts_with("attachment"),
        );
        assert_eq!(answer.header("cache-control"), Some("no-store"));
        let file = answer.json();
        assert_eq!(&file["publicKeyHex"], public);
        assert_eq!(file["privateKeyHex"].as_str().unwrap().len(), 64);
    }
    lab.post("/api/keys/download", &json!({ "kind": "mnemonic" }))
        .error(400, "invalid-argument");
}

#[test]
fn malformed_json_wrong_type_and_cross_origin_are_refused_and_the_server_goes_on() {
    let lab = Lab::start();
    let json_type = ("Content-Type", "application/json");
    for body in [&b"{not json"[..], b"", b"[1,2]", b"{\"manifest\": 5}"] {
        lab.send("POST", "/api/check", &[json_type], body)
            .error(400, "invalid-json");
        lab.assert_alive();
    }
    // Unknown members are refused, not ignored.
    lab.post(
        "/api/check",
        &json!({ "manifest": manifest(), "wasm": "x" }),
    )
    .error(400, "invalid-json");
    // Invalid UTF-8 in the body.
    lab.send("POST", "/api/check", &[json_type], &[0xff, 0xfe, b'{'])
        .error(400, "invalid-json");

    let body = json!({ "manifest": manifest() }).to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        lab.send(
            "POST",
            "/api/check",
            &[("Content-Type", content_type)],
            body.as_bytes(),
        )
        .error(415, "invalid-argument");
    }
    lab.send("POST", "/api/check", &[], body.as_bytes())
        .error(415, "invalid-argument");
    let cross = [json_type, ("Origin", "http://evil.example")];
    lab.send("POST", "/api/check", &cross, body.as_bytes())
        .error(403, "invalid-argument");
    let origin = lab.origin();
    let same = [
        json_type,
        ("Origin", origin.as_str()),
        ("Sec-Fetch-Site", "same-origin"),
    ];
    assert_eq!(
        lab.send("POST", "/api/check", &same, body.as_bytes())
            .status,
        200
    );
    let site = [json_type, ("Sec-Fetch-Site", "cross-site")];
    lab.send("POST", "/api/check", &site, body.as_bytes())
        .error(403, "invalid-argument");
    // DNS rebinding: a foreign Host, on any path.
    for path in ["/", "/api/session"] {
        lab.send("GET", path, &[("Host", "evil.example")], b"")
            .error(403, "invalid-argument");
    }
    lab.send(
        "POST",
        "/api/check",
        &[json_type, ("Host", "evil.example")],
        body.as_bytes(),
    )
    .error(403, "invalid-argument");

    lab.get("/nope").error(404, "invalid-argument");
    lab.post("/api/nope", &json!({}))
        .error(404, "invalid-argument");
    lab.get("/api/check").error(405, "invalid-argument");
    lab.send("PUT", "/api/check", &[json_type], body.as_bytes())
        .error(405, "invalid-argument");
    lab.send(
        "OPTIONS",
        "/api/check",
        &[("Origin", "http://evil.example")],
        b"",
    )
    .error(405, "invalid-argument");
    lab.assert_alive();
}

#[test]
fn oversize_uploads_are_413_and_the_server_goes_on() {
    let lab = Lab::start();
    let json_type = ("Content-Type", "application/json");
    // A real body one byte over the 32 MiB cap, declared.
    let mut big = b"{\"manifest\":\"".to_vec();
    big.resize((32 << 20) + 1 - 2, b'a');
    big.extend_from_slice(b"\"}");
    assert_eq!(big.len(), (32 << 20) + 1);
    let error = lab
        .send("POST", "/api/check", &[json_type], &big)
        .error(413, "input-too-large");
    assert_eq!(error["number"], 3);
    lab.assert_alive();
    // The same, chunked (no Content-Length): cut off at the cap.
    let mut chunked = Vec::new();
    for piece in big.chunks(1 << 20) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    lab.send(
        "POST",
        "/api/check",
        &[
            json_type,
            ("Transfer-Encoding", "chunked"),
            ("Content-Length", ""),
        ],
        &chunked,
    )
    .error(413, "input-too-large");
    lab.assert_alive();
    // A huge declared length is refused before a byte of the body is read.
    lab.send(
        "POST",
        "/api/check",
        &[json_type, ("Content-Length", "1000000000000000")],
        b"{}",
    )
    .error(413, "input-too-large");
    lab.assert_alive();
    // At the cap is fine: the body is read and parsed (a manifest that is too long for the
    // manifest cap is the core's own 413).
    big.truncate((32 << 20) - 2);
    big.extend_from_slice(b"\"}");
    lab.send("POST", "/api/check", &[json_type], &big)
        .error(413, "input-too-large");
    lab.assert_alive();
}
