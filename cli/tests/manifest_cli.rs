//! `space-data-module manifest encode|decode` against the vectors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_space-data-module"))
}

fn vectors(sub: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors")).join(sub)
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    bin().args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn encode_matches_the_vector_and_reports_json() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.fb");
    let input = vectors("manifests/fallbacks.manifest.json");
    let out = run(&[
        "manifest".as_ref(),
        "encode".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        out_path.as_os_str(),
        "--json".as_ref(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let expected = std::fs::read(vectors("manifests/fallbacks.manifest.fb")).unwrap();
    assert_eq!(std::fs::read(&out_path).unwrap(), expected);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["bytes"], expected.len());
    assert_eq!(report["sha256"].as_str().unwrap().len(), 64);
    let warnings: Value = serde_json::from_slice(
        &std::fs::read(vectors("manifests/fallbacks.manifest.warnings.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report["warnings"], warnings);
    // Warnings also go to stderr, one per line.
    assert_eq!(
        stderr(&out)
            .lines()
            .filter(|l| l.starts_with("warning: "))
            .count(),
        warnings.as_array().unwrap().len()
    );
}

#[test]
fn decode_matches_the_vector() {
    let dir = tempfile::tempdir().unwrap();
    let input = vectors("manifests/kitchen-sink.manifest.fb");
    let expected: Value = serde_json::from_slice(
        &std::fs::read(vectors("manifests/kitchen-sink.manifest.decoded.json")).unwrap(),
    )
    .unwrap();

    let out = run(&["manifest".as_ref(), "decode".as_ref(), input.as_os_str()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("{\n  \"pluginId\""),
        "2-space indent, reference key order"
    );
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), expected);

    let out_path = dir.path().join("decoded.json");
    let out = run(&[
        "manifest".as_ref(),
        "decode".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        out_path.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        serde_json::from_slice::<Value>(&std::fs::read(&out_path).unwrap()).unwrap(),
        expected
    );
}

/// Failures: documented exit code (4 for input errors, 3 for io), one `error[<code>]:` line,
/// and no output file left behind.
#[test]
fn failures_exit_with_the_class_code_and_leave_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing_id = dir.path().join("missing-id.json");
    std::fs::write(&missing_id, r#"{"name":"x"}"#).unwrap();
    let not_json = dir.path().join("bad.json");
    std::fs::write(&not_json, "{").unwrap();
    let not_pman = vectors("single-file-bundle/bundle.fb");
    let absent = dir.path().join("absent.json");
    let out_path = dir.path().join("out.fb");

    let cases: [(&str, &Path, &str, i32); 4] = [
        ("encode", &missing_id, "manifest-required-field", 4),
        ("encode", &not_json, "invalid-json", 4),
        ("encode", &absent, "io", 3),
        ("decode", &not_pman, "manifest-identifier-mismatch", 4),
    ];
    for (verb, input, code, exit) in cases {
        let out = run(&[
            "manifest".as_ref(),
            verb.as_ref(),
            input.as_os_str(),
            "-o".as_ref(),
            out_path.as_os_str(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(exit),
            "{verb} {}: {}",
            input.display(),
            stderr(&out)
        );
        let err = stderr(&out);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 1, "{err}");
        assert!(lines[0].starts_with(&format!("error[{code}]: ")), "{err}");
        assert!(!out_path.exists(), "partial output left behind");
    }
    // Only the inputs we created remain: no temporary files either.
    let mut left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(left, ["bad.json", "missing-id.json"]);
}

#[test]
fn encode_requires_an_output_path() {
    let input = vectors("manifests/minimal.manifest.json");
    let out = run(&["manifest".as_ref(), "encode".as_ref(), input.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
}
