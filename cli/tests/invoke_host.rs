//! `invoke` with a host policy: a compiled guest (examples/host-proxy) forwards one hostcall
//! through `sdn_host`, so these tests see exactly what a guest sees.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_space-data-module"))
}

/// The host-proxy module, compiled once per test binary.
fn proxy() -> &'static Path {
    static MODULE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &MODULE
        .get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/host-proxy");
            let dir = tempfile::tempdir().unwrap();
            let module = dir.path().join("host-proxy.wasm");
            let output = bin()
                .arg("compile")
                .arg("--manifest")
                .arg(root.join("manifest.json"))
                .arg("--source")
                .arg(root.join("module.c"))
                .arg("--allow-undefined-imports")
                .arg("-o")
                .arg(&module)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            (dir, module)
        })
        .1
}

/// Runs `operation` with `params` through the guest; returns the process output and the
/// envelope the guest got back (None when the guest produced no output file).
fn hostcall(operation: &str, params: &str, extra: &[&str]) -> (Output, Option<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let request = dir.path().join("request.txt");
    std::fs::write(&request, format!("{operation}\n{params}")).unwrap();
    let out = dir.path().join("envelope.json");
    let output = bin()
        .arg("invoke")
        .arg(proxy())
        .args([
            "--allow-unsigned",
            "--method",
            "call",
            "--input-port",
            "request",
            "--input",
        ])
        .arg(&request)
        .arg("-o")
        .arg(&out)
        .args(extra)
        .output()
        .unwrap();
    let envelope = std::fs::read(&out)
        .ok()
        .map(|bytes| serde_json::from_slice(&bytes).unwrap());
    (output, envelope)
}

fn denied_code(envelope: &Value) -> &str {
    assert_eq!(envelope["ok"], false, "{envelope}");
    envelope["error"]["sdmCode"].as_str().unwrap()
}

#[test]
fn without_a_policy_nothing_is_granted() {
    let (output, envelope) = hostcall("clock.now", "", &[]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the guest status is the hostcall status"
    );
    let envelope = envelope.unwrap();
    assert_eq!(denied_code(&envelope), "host-capability-denied");
    assert_eq!(envelope["error"]["code"], "host-capability-denied");
    assert_eq!(envelope["error"]["capability"], "clock");
    assert_eq!(envelope["error"]["operation"], "clock.now");
}

#[test]
fn a_granted_capability_runs() {
    let (output, envelope) = hostcall("clock.now", "", &["--grant", "clock"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let now = envelope.unwrap()["result"].as_f64().unwrap();
    assert!(now > 1.7e12, "milliseconds since the epoch: {now}");
}

#[test]
fn a_grant_the_manifest_does_not_declare_is_not_given() {
    // host-proxy declares clock, random, schedule_cron, filesystem, process_exec: not tcp.
    let (_, envelope) = hostcall(
        "tcp.request",
        r#"{"host":"127.0.0.1","port":9,"data":"x"}"#,
        &["--grant", "tcp"],
    );
    assert_eq!(denied_code(&envelope.unwrap()), "host-capability-denied");
}

#[test]
fn filesystem_writes_land_in_the_root_only_when_granted() {
    let root = tempfile::tempdir().unwrap();
    let root_arg = root.path().to_str().unwrap();
    let params = r#"{"path":"notes/today.txt","value":"hello"}"#;

    let (_, envelope) = hostcall("filesystem.writeFile", params, &["--fs-root", root_arg]);
    assert_eq!(denied_code(&envelope.unwrap()), "host-capability-denied");
    assert!(
        !root.path().join("notes").exists(),
        "a denied call has no effect"
    );

    let (output, envelope) = hostcall(
        "filesystem.writeFile",
        params,
        &["--grant", "filesystem", "--fs-root", root_arg],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(envelope.unwrap()["ok"], true);
    assert_eq!(
        std::fs::read_to_string(root.path().join("notes/today.txt")).unwrap(),
        "hello"
    );

    let (_, envelope) = hostcall(
        "filesystem.readFile",
        r#"{"path":"../outside.txt"}"#,
        &["--grant", "filesystem", "--fs-root", root_arg],
    );
    assert_eq!(
        denied_code(&envelope.unwrap()),
        "filesystem-scope-violation"
    );
}

#[test]
fn a_policy_file_grants_and_narrows() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    std::fs::write(
        &policy,
        r#"{"grant":["random"],"limits":{"maxRandomBytes":8}}"#,
    )
    .unwrap();
    let policy_arg = policy.to_str().unwrap();
    let (output, envelope) = hostcall(
        "random.bytes",
        r#"{"length":8}"#,
        &["--host-policy", policy_arg],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(envelope.unwrap()["result"]["__type"], "bytes");
    let (_, envelope) = hostcall(
        "random.bytes",
        r#"{"length":9}"#,
        &["--host-policy", policy_arg],
    );
    assert_eq!(denied_code(&envelope.unwrap()), "host-limit-exceeded");
}

#[test]
fn a_misspelt_policy_is_an_error_not_an_empty_grant() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    std::fs::write(&policy, r#"{"grnat":["clock"]}"#).unwrap();
    let (output, envelope) = hostcall(
        "clock.now",
        "",
        &["--host-policy", policy.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&output.stderr).contains("error[invalid-argument]"));
    assert!(envelope.is_none());
}
