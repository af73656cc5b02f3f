//! The `bundle` and `inspect` verbs, run as a user would run them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_space-data-module");

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors")
}

fn v(path: &str) -> String {
    vectors().join(path).display().to_string()
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run the CLI")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn read_json(path: &str) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Semantic JSON equality as the vectors README defines it (key order ignored).
fn same_json(expected: &Value, actual: &Value) -> bool {
    expected == actual
}

fn reference_args(output: &str) -> Vec<String> {
    let aux = format!(
        "id=auxiliary-note,file={},role=auxiliary,encoding=raw-bytes,section=sds.auxiliary,\
         media-type=application/octet-stream,description=Opaque auxiliary bytes for cross-language round-trip tests.",
        v("single-file-bundle/auxiliary.bin")
    );
    [
        "bundle".to_owned(),
        "--wasm".to_owned(),
        v("single-file-bundle/base-module.wasm"),
        "--manifest".to_owned(),
        v("single-file-bundle/manifest.json"),
        "--authorization".to_owned(),
        v("single-file-bundle/authorization.json"),
        "--signature".to_owned(),
        v("single-file-bundle/signature.json"),
        "--transport".to_owned(),
        v("single-file-bundle/transport.json"),
        "--entry".to_owned(),
        aux,
        "-o".to_owned(),
        output.to_owned(),
    ]
    .to_vec()
}

#[test]
fn bundle_reproduces_the_reference_module_and_inspect_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.wasm");
    let mut args = reference_args(out.to_str().unwrap());
    args.push("--json".into());
    let result = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(result.status.success(), "{}", stderr(&result));
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(v("single-file-bundle/single-file-module.wasm")).unwrap()
    );
    let summary: Value = serde_json::from_slice(&result.stdout).unwrap();
    assert_eq!(
        summary["bundleSha256Hex"],
        "098a37dab26a27aeab57416ca422408774eee053a5d9a687756191df754b2c90"
    );

    let inspect = run(&["inspect", out.to_str().unwrap(), "--json", "--verify"]);
    assert!(inspect.status.success(), "{}", stderr(&inspect));
    let report: Value = serde_json::from_slice(&inspect.stdout).unwrap();
    assert_eq!(
        report["pluginId"],
        "com.digitalarsenal.examples.single-file-vector"
    );
    assert_eq!(report["verified"], true);
    assert_eq!(report["entries"].as_array().unwrap().len(), 5);

    let human = run(&["inspect", out.to_str().unwrap(), "--verify"]);
    assert!(human.status.success());
    assert!(String::from_utf8_lossy(&human.stdout).contains("verify: ok"));
}

#[test]
fn inspect_json_matches_the_differential_parsed_json() {
    for case in 1..=15 {
        let module = v(&format!("differential/bundle/{case}.bundled.wasm"));
        let input = read_json(&v(&format!("differential/bundle/{case}.bundle-input.json")));
        let mut args = vec!["inspect".to_owned(), module, "--json".to_owned()];
        if let Some(name) = input["parseOptions"]["bundleSectionName"].as_str() {
            args.push("--bundle-section-name".into());
            args.push(name.into());
        }
        let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(out.status.success(), "case {case}: {}", stderr(&out));
        let actual: Value = serde_json::from_slice(&out.stdout).unwrap();
        let expected = read_json(&v(&format!("differential/bundle/{case}.parsed.json")));
        assert!(
            same_json(&expected, &actual),
            "case {case}:\nexpected {expected}\nactual {actual}"
        );
    }
}

#[test]
fn verify_failure_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let mut module = std::fs::read(v("single-file-bundle/single-file-module.wasm")).unwrap();
    // A byte of the last entry payload (auxiliary.bin, followed only by its description).
    let aux = std::fs::read(v("single-file-bundle/auxiliary.bin")).unwrap();
    let at = module
        .windows(aux.len())
        .rposition(|w| w == aux.as_slice())
        .unwrap();
    module[at] ^= 1;
    let path = dir.path().join("tampered.wasm");
    std::fs::write(&path, &module).unwrap();
    let plain = run(&["inspect", path.to_str().unwrap()]);
    assert!(
        plain.status.success(),
        "parse stays lenient: {}",
        stderr(&plain)
    );
    let out = run(&["inspect", path.to_str().unwrap(), "--verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("MISMATCH"));
}

#[test]
fn bad_inputs_give_one_line_errors_and_no_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.wasm");
    let out_s = out.to_str().unwrap();
    let minimal = v("bundle-edge/minimal-input.wasm");

    // Not a wasm module: wasm class, exit 5.
    let garbage = dir.path().join("garbage.wasm");
    std::fs::write(&garbage, b"not wasm at all").unwrap();
    let r = run(&["bundle", "--wasm", garbage.to_str().unwrap(), "-o", out_s]);
    assert_eq!(r.status.code(), Some(5), "{}", stderr(&r));
    assert_eq!(
        stderr(&r).trim(),
        "error[wasm-magic-mismatch]: WASM magic header mismatch."
    );
    assert!(!out.exists());

    // Invalid JSON option: input class, exit 4.
    let bad_json = dir.path().join("bad.json");
    std::fs::write(&bad_json, b"{nope").unwrap();
    let r = run(&[
        "bundle",
        "--wasm",
        &minimal,
        "--authorization",
        bad_json.to_str().unwrap(),
        "-o",
        out_s,
    ]);
    assert_eq!(r.status.code(), Some(4));
    assert!(
        stderr(&r).starts_with("error[invalid-json]:"),
        "{}",
        stderr(&r)
    );
    assert_eq!(stderr(&r).lines().count(), 1);
    assert!(!out.exists());

    // Missing file: io, exit 3.
    let r = run(&["bundle", "--wasm", "/nonexistent/x.wasm", "-o", out_s]);
    assert_eq!(r.status.code(), Some(3));
    assert!(stderr(&r).starts_with("error[io]:"));
    assert!(!out.exists());

    // Bad entry spec: input class, exit 4.
    let r = run(&[
        "bundle", "--wasm", &minimal, "--entry", "file=x", "-o", out_s,
    ]);
    assert_eq!(r.status.code(), Some(4));
    assert!(stderr(&r).starts_with("error[invalid-argument]:"));
    assert!(!out.exists());

    // A null deployment plan: input class, exit 4.
    let null_plan = dir.path().join("null.json");
    std::fs::write(&null_plan, b"null").unwrap();
    let r = run(&[
        "bundle",
        "--wasm",
        &minimal,
        "--deployment-plan",
        null_plan.to_str().unwrap(),
        "-o",
        out_s,
    ]);
    assert_eq!(r.status.code(), Some(4));
    assert!(stderr(&r).starts_with("error[deployment-invalid-plan]:"));
    assert!(!out.exists());

    // Inspect of a module without a bundle: bundle class, exit 6.
    let r = run(&["inspect", &minimal]);
    assert_eq!(r.status.code(), Some(6));
    assert_eq!(
        stderr(&r).trim(),
        "error[bundle-missing]: Missing required custom section \"sds.bundle\"."
    );

    // An existing output is left untouched on failure, and no temporary file remains.
    std::fs::write(&out, b"keep").unwrap();
    let r = run(&["bundle", "--wasm", garbage.to_str().unwrap(), "-o", out_s]);
    assert_eq!(r.status.code(), Some(5));
    assert_eq!(std::fs::read(&out).unwrap(), b"keep");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 4, "unexpected files: {names:?}");

    // Usage errors exit 2.
    let r = run(&["bundle", "--wasm", &minimal]);
    assert_eq!(r.status.code(), Some(2));
}

#[test]
fn deployment_plan_and_manifest_fb_options() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::write(
        &plan,
        br#"{"pluginId":"p","scheduleBindings":[{"scheduleId":"s","scheduleKind":"startup"}]}"#,
    )
    .unwrap();
    let out = dir.path().join("out.wasm");
    let r = run(&[
        "bundle",
        "--wasm",
        &v("bundle-edge/minimal-input.wasm"),
        "--manifest-fb",
        &v("single-file-bundle/manifest.fb"),
        "--deployment-plan",
        plan.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(r.status.success(), "{}", stderr(&r));
    let inspect = run(&["inspect", out.to_str().unwrap(), "--json", "--verify"]);
    assert!(inspect.status.success(), "{}", stderr(&inspect));
    let report: Value = serde_json::from_slice(&inspect.stdout).unwrap();
    assert_eq!(report["deploymentPlanPresent"], true);
    assert_eq!(
        report["entries"][1]["decodedJson"]["scheduleBindings"][0]["scheduleKind"],
        "once"
    );
    assert_eq!(
        report["manifestHashHex"],
        "30b65eb6c853bb84c9c2fda86da2ef13dfeda50ff2956b0f1cad9ce44c493045"
    );
    assert_eq!(
        report["pluginId"],
        "com.digitalarsenal.examples.single-file-vector"
    );
}

#[test]
fn header_overrides_reach_the_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.wasm");
    let r = run(&[
        "bundle",
        "--wasm",
        &v("differential/bundle/empty.wasm"),
        "--module-format",
        "custom-format/2",
        "--bundle-version",
        "2",
        "--manifest-export-symbol",
        "get_manifest",
        "--manifest-size-symbol",
        "get_manifest_size",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", stderr(&r));
    // Differential case 9 is this call (plus `authorization: null`, which adds nothing).
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(v("differential/bundle/9.bundled.wasm")).unwrap()
    );
}
