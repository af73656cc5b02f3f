//! `protect`: signs, bundles and encrypts; refuses wrong mnemonics and keys; atomic output.

mod common;

use common::*;

fn protect(
    dir: &std::path::Path,
    extra: &[&str],
    mnemonic_text: &str,
    out: &std::path::Path,
) -> std::process::Output {
    let mnemonic = write(dir, "mnemonic.txt", mnemonic_text);
    let manifest = vectors().join("inputs/manifest.json");
    let wasm = vectors().join("inputs/base-module.wasm");
    let mut args = vec![
        "protect",
        "--manifest",
        p(&manifest),
        "--wasm",
        p(&wasm),
        "--mnemonic-file",
        p(&mnemonic),
        "-o",
        p(out),
    ];
    args.extend_from_slice(extra);
    cli(&args)
}

#[test]
fn protected_artifacts_open_to_the_input_wasm() {
    let dir = tempfile::tempdir().unwrap();
    let recipient = recipient_key_file(dir.path(), "recipient");
    let recipient_public = "d9c9caf643ab2d4e647697a5b66cd7d1a2fd6c77560795894ac28586866db661";
    let input = std::fs::read(vectors().join("inputs/base-module.wasm")).unwrap();
    for (name, extra) in [
        ("signed", vec![]),
        ("encrypted", vec!["--encrypt-for", recipient_public]),
        (
            "bundled",
            vec!["--single-file-bundle", "--encrypt-for", recipient_public],
        ),
    ] {
        let out = dir.path().join(format!("{name}.wasm"));
        let output = protect(dir.path(), &extra, MNEMONIC, &out);
        assert_eq!(code(&output), 0, "{name}: {}", stderr(&output));
        assert!(stdout(&output).contains(&format!("signingPublicKeyHex={SIGNER_PUBLIC}")));
        assert!(!stdout(&output).contains("abandon"));
        let opened = dir.path().join(format!("{name}.open.wasm"));
        let output = cli(&[
            "open",
            p(&out),
            "--trust",
            SIGNER_PUBLIC,
            "--decrypt-with",
            p(&recipient),
            "-o",
            p(&opened),
        ]);
        assert_eq!(code(&output), 0, "{name}: {}", stderr(&output));
        let wasm = std::fs::read(&opened).unwrap();
        if name == "bundled" {
            assert!(wasm.len() > input.len());
        } else {
            assert_eq!(wasm, input);
        }
    }
}

#[test]
fn json_output_carries_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.wasm");
    let output = protect(dir.path(), &["--json"], MNEMONIC, &out);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["signingPublicKeyHex"], SIGNER_PUBLIC);
    assert!(json.get("mnemonic").is_none());
    assert!(!stdout(&output).contains("abandon") && !stdout(&output).contains("e284129cc0922579"));
}

#[test]
fn a_wrong_mnemonic_is_an_error_not_a_fresh_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.wasm");
    let output = protect(
        dir.path(),
        &[],
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon wrong",
        &out,
    );
    assert_eq!(code(&output), 7);
    assert!(
        stderr(&output).contains("error[key-invalid]"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists());
}

#[test]
fn a_malformed_recipient_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.wasm");
    for key in [
        "d9c9caf6",
        "zz",
        "0xd9c9caf643ab2d4e647697a5b66cd7d1a2fd6c77560795894ac28586866db661",
    ] {
        let output = protect(dir.path(), &["--encrypt-for", key], MNEMONIC, &out);
        assert_eq!(code(&output), 7, "{key}: {}", stderr(&output));
        assert!(!out.exists());
    }
}

#[test]
fn missing_mnemonic_and_unwritable_output_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = vectors().join("inputs/manifest.json");
    let wasm = vectors().join("inputs/base-module.wasm");
    let out = dir.path().join("a.wasm");
    let output = cli(&[
        "protect",
        "--manifest",
        p(&manifest),
        "--wasm",
        p(&wasm),
        "-o",
        p(&out),
    ]);
    assert_eq!(code(&output), 4, "{}", stderr(&output));
    let blocked = dir.path().join("no-such-dir/a.wasm");
    let output = protect(dir.path(), &[], MNEMONIC, &blocked);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert_files(dir.path(), &["mnemonic.txt"]);
}
