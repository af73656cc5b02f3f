//! `space-data-module check` on valid and invalid manifest + wasm pairs, human and JSON output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn vectors(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/differential/compliance"
    ))
    .join(name)
}

fn check(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_space-data-module"))
        .arg("check")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn valid_pair_passes_with_human_output() {
    let (manifest, wasm) = (vectors("3.manifest.json"), vectors("base-module.wasm"));
    let out = check(&["--manifest", path(&manifest), "--wasm", path(&wasm)]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("PASS {}\n", manifest.display())),
        "{text}"
    );
    assert!(text.contains("No issues found."), "{text}");
}

#[test]
fn valid_pair_passes_with_json_output() {
    let (manifest, wasm) = (vectors("3.manifest.json"), vectors("base-module.wasm"));
    let out = check(&[
        "--manifest",
        path(&manifest),
        "--wasm",
        path(&wasm),
        "--standards",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report, serde_json::json!({"ok": true, "issues": []}));
}

#[test]
fn invalid_pair_fails_with_human_output() {
    let (manifest, wasm) = (
        vectors("81.manifest.json"),
        vectors("exports-manifest-only.wasm"),
    );
    let out = check(&["--manifest", path(&manifest), "--wasm", path(&wasm)]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("FAIL {}\n", manifest.display())),
        "{text}"
    );
    let wasm_name = wasm.display().to_string();
    for symbol in ["plugin_invoke_stream", "plugin_alloc", "plugin_free"] {
        let line = format!(
            "  ERROR missing-plugin-invoke-export at {wasm_name}: Plugin artifact is missing required direct invoke export \"{symbol}\"."
        );
        assert!(text.contains(&line), "missing line {line:?} in\n{text}");
    }
    assert!(text.contains("3 error(s), 0 warning(s)"), "{text}");
}

#[test]
fn invalid_pair_fails_with_json_output() {
    let (manifest, wasm) = (
        vectors("81.manifest.json"),
        vectors("exports-manifest-only.wasm"),
    );
    let out = check(&[
        "--manifest",
        path(&manifest),
        "--wasm",
        path(&wasm),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["ok"], false);
    let issues = report["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 3);
    for issue in issues {
        assert_eq!(issue["severity"], "error");
        assert_eq!(issue["code"], "missing-plugin-invoke-export");
        assert_eq!(issue["location"], wasm.display().to_string());
        assert!(
            issue["message"]
                .as_str()
                .unwrap()
                .starts_with("Plugin artifact is missing")
        );
    }
}

#[test]
fn manifest_only_rules_are_rooted_at_the_manifest_path() {
    let manifest = vectors("10.manifest.json");
    let out = check(&["--manifest", path(&manifest), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["issues"][0]["code"], "missing-string");
    assert_eq!(
        report["issues"][0]["location"],
        format!("{}.version", manifest.display())
    );
}

#[test]
fn warnings_pass_unless_strict() {
    let manifest = vectors("84.manifest.json");
    let out = check(&["--manifest", path(&manifest), "--standards"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("PASS "), "{text}");
    assert!(
        text.contains("  WARNING unresolved-standards-type at "),
        "{text}"
    );
    let strict = check(&["--manifest", path(&manifest), "--standards", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(stdout(&strict).starts_with("FAIL "));
    // Without --standards the same manifest has no issue at all.
    assert_eq!(
        check(&["--manifest", path(&manifest), "--strict"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn unreadable_inputs_are_errors_with_their_class_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    let out = check(&["--manifest", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error[io]:"));

    let bad_json = dir.path().join("bad.json");
    std::fs::write(&bad_json, "{").unwrap();
    let out = check(&["--manifest", bad_json.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error[invalid-json]:"));

    let bad_wasm = dir.path().join("bad.wasm");
    std::fs::write(&bad_wasm, b"\0asm\x01\0\0\0\x01\x04\x01\x60").unwrap();
    let out = check(&[
        "--manifest",
        path(&vectors("3.manifest.json")),
        "--wasm",
        bad_wasm.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error[wasm-invalid]:"));
}

#[test]
fn conformance_runs_the_compliance_layout() {
    let out = Command::new(env!("CARGO_BIN_EXE_space-data-module"))
        .args(["conformance", vectors("").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("conformance: 84 passed, 0 failed"));
}
