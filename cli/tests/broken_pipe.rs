//! A reader that goes away early (`... | head`) must not make the CLI panic.

use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn closed_stdout_ends_quietly_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let methods: Vec<String> = (0..4000)
        .map(|i| format!(r#"{{"methodId":"method-{i}","inputPorts":[{{"portId":"in"}}]}}"#))
        .collect();
    let manifest = format!(r#"{{"pluginId":"big","methods":[{}]}}"#, methods.join(","));
    let json_path = dir.path().join("big.json");
    let fb_path = dir.path().join("big.fb");
    std::fs::write(&json_path, manifest).unwrap();
    let cli = env!("CARGO_BIN_EXE_space-data-module");
    let encoded = Command::new(cli)
        .args(["manifest", "encode"])
        .arg(&json_path)
        .arg("-o")
        .arg(&fb_path)
        .output()
        .unwrap();
    assert!(
        encoded.status.success(),
        "{}",
        String::from_utf8_lossy(&encoded.stderr)
    );

    let mut child = Command::new(cli)
        .args(["manifest", "decode"])
        .arg(&fb_path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little of the (well over 64 KiB) output, then hang up.
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(
        !stderr.contains("panicked"),
        "the CLI panicked on a closed pipe: {stderr}"
    );
    assert!(
        !status.success(),
        "a truncated write cannot be reported as success"
    );
}
