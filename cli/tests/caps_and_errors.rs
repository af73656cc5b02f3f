//! Hostile inputs at the command line (issue 13 items 3, 4, 7, 8): every file is read under its
//! cap (a huge file or an endless device is refused after reading at most the cap), `--json`
//! failures print the error object, and outputs keep the target's mode.

mod common;

use common::*;

fn json_stdout(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|err| {
        panic!(
            "stdout is not one JSON document ({err}): {}",
            stdout(output)
        )
    })
}

#[cfg(target_os = "linux")]
#[test]
fn endless_inputs_are_refused_at_their_cap_by_every_reading_verb() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let manifest = vectors().join("../single-file-bundle/manifest.json");
    let module = vectors().join("../single-file-bundle/single-file-module.wasm");
    let zero = "/dev/zero";
    let keys: serde_json::Value =
        serde_json::from_slice(&std::fs::read(vectors().join("inputs/keys.json")).unwrap())
            .unwrap();
    let mnemonic = dir.path().join("mnemonic.txt");
    std::fs::write(&mnemonic, keys["signer"]["mnemonic"].as_str().unwrap()).unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["inspect", zero, "--json"],
        vec!["open", zero, "--allow-unsigned", "-o", p(&out), "--json"],
        vec![
            "invoke",
            zero,
            "--allow-unsigned",
            "--method",
            "m",
            "--json",
        ],
        vec![
            "check",
            "--manifest",
            p(&manifest),
            "--wasm",
            zero,
            "--json",
        ],
        vec!["check", "--manifest", zero, "--json"],
        vec!["manifest", "decode", zero],
        vec![
            "bundle",
            "--wasm",
            p(&module),
            "--manifest",
            zero,
            "-o",
            p(&out),
            "--json",
        ],
        vec![
            "protect",
            "--manifest",
            zero,
            "--wasm",
            p(&module),
            "--mnemonic-file",
            p(&mnemonic),
            "-o",
            p(&out),
            "--json",
        ],
    ];
    for args in cases {
        let output = cli(&args);
        assert_eq!(code(&output), 4, "{args:?}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("error[input-too-large]"),
            "{args:?}: {}",
            stderr(&output)
        );
        if args.contains(&"--json") {
            let json = json_stdout(&output);
            assert_eq!(json["error"]["code"], "input-too-large", "{args:?}");
            assert_eq!(json["error"]["number"], 3, "{args:?}");
        }
        assert!(!out.exists(), "{args:?} wrote its output");
    }
}

#[test]
fn json_failures_print_the_error_object() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.wasm");
    for args in [
        vec!["inspect", p(&missing), "--json"],
        vec!["check", "--manifest", p(&missing), "--json"],
        vec![
            "invoke",
            p(&missing),
            "--allow-unsigned",
            "--method",
            "m",
            "--json",
        ],
    ] {
        let output = cli(&args);
        assert_eq!(code(&output), 3, "{args:?}: {}", stderr(&output));
        let json = json_stdout(&output);
        assert_eq!(json["error"]["code"], "io", "{args:?}");
        assert_eq!(json["error"]["number"], 1, "{args:?}");
        assert!(
            json["error"]["message"]
                .as_str()
                .unwrap()
                .contains("missing.wasm")
        );
    }
}

#[cfg(unix)]
#[test]
fn overwriting_an_output_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("manifest.fb");
    std::fs::write(&out, b"old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let manifest = vectors().join("../single-file-bundle/manifest.json");
    let output = cli(&["manifest", "encode", p(&manifest), "-o", p(&out)]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_ne!(std::fs::read(&out).unwrap(), b"old");
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert_eq!(left.len(), 1, "a temporary file was left behind");
}
