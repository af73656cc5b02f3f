//! `space-data-module invoke` against small WAT guests.

use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_space-data-module"))
}

/// A direct-mode guest that answers every request with the bytes of `response`.
fn fixed_response_guest(response: &[u8], invoke_prefix: &str) -> Vec<u8> {
    let data: String = response.iter().map(|b| format!("\\{b:02x}")).collect();
    wat::parse_str(format!(
        r#"(module (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 1024))
  (func (export "plugin_alloc") (param $n i32) (result i32) (local $p i32)
    (local.set $p (global.get $next))
    (global.set $next (i32.and (i32.add (i32.add (local.get $p) (local.get $n)) (i32.const 15)) (i32.const -16)))
    (local.get $p))
  (func (export "plugin_free") (param i32 i32))
  (func (export "plugin_invoke_stream") (param i32 i32) (param $out i32) (result i32)
    {invoke_prefix}
    (i32.store (local.get $out) (i32.const {len}))
    (i32.const 32768))
  (data (i32.const 32768) "{data}"))"#,
        len = response.len()
    ))
    .unwrap()
}

fn vector(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../vectors/invoke")
            .join(name),
    )
    .unwrap()
}

#[test]
fn output_writes_the_single_payload_and_json_prints_the_response() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("m.wasm");
    std::fs::write(
        &module,
        fixed_response_guest(&vector("aligned-output.response.fb"), ""),
    )
    .unwrap();
    let input = dir.path().join("in.bin");
    std::fs::write(&input, b"hello").unwrap();
    let out = dir.path().join("out.bin");
    let status = bin()
        .args([
            "invoke",
            "--allow-unsigned",
            module.to_str().unwrap(),
            "--method",
            "echo",
            "--input-port",
            "in",
            "--input",
        ])
        .arg(&input)
        .arg("--output")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read(&out).unwrap(), (0u8..24).collect::<Vec<_>>());

    let output = bin()
        .args([
            "invoke",
            "--allow-unsigned",
            module.to_str().unwrap(),
            "--method",
            "echo",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["mode"], "direct");
    assert_eq!(json["statusCode"], 0);
    let frame = &json["outputs"][0];
    assert_eq!(frame["portId"], "state");
    assert_eq!(frame["typeRef"]["wireFormat"], "aligned-binary");
    assert_eq!(frame["typeRef"]["rootTypeName"], "StateVector");
    assert_eq!(frame["typeRef"]["requiredAlignment"], 8);
    assert_eq!(frame["typeRef"]["byteLength"], 24);
    assert_eq!(frame["payloadBase64"], "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX");
}

#[test]
fn an_error_response_exits_1_and_limits_give_their_codes() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("err.wasm");
    std::fs::write(
        &module,
        fixed_response_guest(&vector("error.response.fb"), ""),
    )
    .unwrap();
    let output = bin()
        .args([
            "invoke",
            "--allow-unsigned",
            module.to_str().unwrap(),
            "--method",
            "missing",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("unknown-method"));

    let looping = dir.path().join("loop.wasm");
    std::fs::write(
        &looping,
        fixed_response_guest(&vector("empty.response.fb"), "(loop $l (br $l))"),
    )
    .unwrap();
    let output = bin()
        .args([
            "invoke",
            "--allow-unsigned",
            looping.to_str().unwrap(),
            "--method",
            "m",
            "--fuel",
            "100000",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(8));
    assert!(String::from_utf8_lossy(&output.stderr).contains("error[runtime-fuel-exhausted]"));
    let output = bin()
        .args([
            "invoke",
            "--allow-unsigned",
            looping.to_str().unwrap(),
            "--method",
            "m",
            "--fuel",
            "0",
            "--timeout-ms",
            "100",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(8));
    assert!(String::from_utf8_lossy(&output.stderr).contains("error[runtime-timeout]"));

    let output = bin()
        .args([
            "invoke",
            "--allow-unsigned",
            module.to_str().unwrap(),
            "--method",
            "m",
            "--mode",
            "command",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("error[runtime-missing-export]"));
    let output = bin()
        .args([
            "invoke",
            "--allow-unsigned",
            module.to_str().unwrap(),
            "--method",
            "m",
            "--input-port",
            "p",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("error[invalid-argument]"));
}

#[test]
fn compile_then_invoke_the_echo_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("echo.wasm");
    let output = bin()
        .arg("compile")
        .arg("--manifest")
        .arg(root.join("examples/invoke-echo/manifest.hybrid.json"))
        .arg("--source")
        .arg(root.join("examples/invoke-echo/module.c"))
        .arg("-o")
        .arg(&module)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let input = dir.path().join("in.bin");
    std::fs::write(&input, b"echo me").unwrap();
    for mode in ["direct", "command"] {
        let out = dir.path().join(format!("out-{mode}.bin"));
        let status = bin()
            .args([
                "invoke",
                "--allow-unsigned",
                module.to_str().unwrap(),
                "--method",
                "echo",
                "--input-port",
                "echo",
                "--input",
            ])
            .arg(&input)
            .args(["--mode", mode, "--output"])
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success(), "{mode}");
        assert_eq!(std::fs::read(&out).unwrap(), b"echo me");
    }
}

/// Loading fails closed: plain wasm needs `--allow-unsigned`; a protected artifact runs once its
/// signer is trusted, and not with another signer.
#[test]
fn invoke_opens_protected_artifacts_and_refuses_unsigned_modules() {
    const MNEMONIC: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    const SIGNER: &str = "03aaeb52dd7494c361049de67cc680e83ebcbbbdbeb13637d92cd845f70308af5e";
    const OTHER_SIGNER: &str = "03c954cababcaac1d97b97ef3fb517309e7d66e908f9440f31a9ddec15e777df2a";
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("m.wasm");
    std::fs::write(
        &module,
        fixed_response_guest(&vector("ok-one-output.response.fb"), ""),
    )
    .unwrap();
    let mnemonic = dir.path().join("signer.mnemonic");
    std::fs::write(&mnemonic, MNEMONIC).unwrap();
    let manifest =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/publication/inputs/manifest.json");
    let protected = dir.path().join("m.protected.wasm");
    let path = |p: &Path| p.to_str().unwrap().to_owned();

    let unsigned = bin()
        .args(["invoke", &path(&module), "--method", "echo"])
        .output()
        .unwrap();
    assert_eq!(
        unsigned.status.code(),
        Some(7),
        "unsigned modules are refused by default"
    );
    assert!(String::from_utf8_lossy(&unsigned.stderr).contains("error[trailer-missing]"));

    let protect = bin()
        .args([
            "protect",
            "--manifest",
            &path(&manifest),
            "--wasm",
            &path(&module),
        ])
        .args(["--mnemonic-file", &path(&mnemonic), "-o", &path(&protected)])
        .output()
        .unwrap();
    assert!(
        protect.status.success(),
        "{}",
        String::from_utf8_lossy(&protect.stderr)
    );

    let trusted = bin()
        .args([
            "invoke",
            &path(&protected),
            "--trust",
            SIGNER,
            "--method",
            "echo",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        trusted.status.success(),
        "{}",
        String::from_utf8_lossy(&trusted.stderr)
    );
    let response: serde_json::Value = serde_json::from_slice(&trusted.stdout).unwrap();
    assert_eq!(response["statusCode"], 0, "{response}");

    let untrusted = bin()
        .args([
            "invoke",
            &path(&protected),
            "--trust",
            OTHER_SIGNER,
            "--method",
            "echo",
        ])
        .output()
        .unwrap();
    assert_eq!(untrusted.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&untrusted.stderr).contains("error[signature-invalid]"));
}
