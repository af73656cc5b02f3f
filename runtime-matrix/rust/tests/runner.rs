//! The runner's own contract (runtime-matrix/README.md), without fixtures: this test also makes
//! `cargo test --workspace` build the `sdm-matrix-rust` binary that `run.sh` uses.

use std::path::Path;
use std::process::{Command, Output};

fn runner(cwd: &Path, args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sdm-matrix-rust"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("the runner starts")
}

#[test]
fn a_failing_case_is_a_result_with_its_stage_code_and_number() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases");
    let out = dir.path().join("out");
    std::fs::create_dir(&cases).unwrap();
    // Relative paths resolve against the current directory: there is no such artifact.
    std::fs::write(
        cases.join("b-missing.json"),
        r#"{"artifact": "missing.wasm", "open": {"allowUnsigned": true},
            "invoke": {"mode": "direct", "method": "echo", "inputs": [{"port": "echo", "base64": "aGk="}]}}"#,
    )
    .unwrap();
    // Not WebAssembly: refused by the loader.
    std::fs::write(dir.path().join("junk.wasm"), b"not wasm").unwrap();
    std::fs::write(
        cases.join("a-junk.json"),
        r#"{"artifact": "junk.wasm", "open": {"allowUnsigned": true}, "program": {"args": ["x"]}}"#,
    )
    .unwrap();
    std::fs::write(cases.join("notes.txt"), "not a case").unwrap();

    let output = runner(dir.path(), &[&cases, &out]);
    assert!(output.status.success(), "{output:?}");
    let mut names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["a-junk.json", "b-missing.json"]);

    let text = std::fs::read_to_string(out.join("b-missing.json")).unwrap();
    assert!(text.ends_with("}\n"), "{text}");
    let keys: Vec<_> = text
        .lines()
        .filter(|l| l.starts_with("  \""))
        .map(|l| l.trim().split('"').nth(1).unwrap().to_owned())
        .collect();
    assert_eq!(
        keys,
        ["case", "error", "invoke", "program"],
        "sorted: {text}"
    );
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["case"], "b-missing");
    assert_eq!(value["error"]["stage"], "open");
    assert_eq!(value["error"]["code"], "io");
    assert_eq!(
        value["error"]["number"],
        space_data_module::ErrorCode::Io.number()
    );
    assert!(value["invoke"].is_null() && value["program"].is_null());

    let junk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("a-junk.json")).unwrap()).unwrap();
    assert_eq!(junk["error"]["stage"], "open", "{junk}");
    assert_ne!(junk["error"]["code"], "io", "{junk}");
}

#[test]
fn a_malformed_case_breaks_the_runner_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("unknown.json", r#"{"artifact": "a.wasm", "invoek": {}}"#),
        (
            "both.json",
            r#"{"artifact": "a.wasm", "invoke": {"mode": "direct", "method": "m"}, "program": {}}"#,
        ),
        (
            "base64.json",
            r#"{"artifact": "a.wasm", "program": {"stdinBase64": "***"}}"#,
        ),
    ] {
        let cases = dir.path().join(name.trim_end_matches(".json"));
        std::fs::create_dir(&cases).unwrap();
        std::fs::write(cases.join(name), text).unwrap();
        let output = runner(dir.path(), &[&cases, &dir.path().join("out")]);
        assert_eq!(output.status.code(), Some(1), "{name}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(name), "{name}: {stderr}");
    }
    let usage = runner(dir.path(), &[]);
    assert_eq!(usage.status.code(), Some(2));
}
