//! `keygen --kind ed25519`, `sign-wasm` and `verify-wasm`: the tool-conventions module
//! signatures from the command line, with their exit codes and JSON reports.

mod common;

use common::*;

fn module() -> std::path::PathBuf {
    vectors().join("../single-file-bundle/single-file-module.wasm")
}

fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

fn keygen(dir: &std::path::Path, name: &str) -> (std::path::PathBuf, String) {
    let key = dir.join(name);
    let out = cli(&["keygen", "--kind", "ed25519", "-o", p(&key), "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let hex = json(&out)["publicKeyHex"].as_str().unwrap().to_owned();
    assert_eq!(std::fs::read(&key).unwrap().len(), 65);
    assert_eq!(
        std::fs::read(dir.join(format!("{name}.pub")))
            .unwrap()
            .len(),
        33
    );
    (key, hex)
}

#[test]
fn sign_then_verify_embedded_and_detached() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public_hex) = keygen(dir.path(), "signer.key");
    let signed = dir.path().join("signed.wasm");
    let out = cli(&[
        "sign-wasm",
        p(&module()),
        "--key",
        p(&key),
        "--split-parts",
        "-o",
        p(&signed),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("parts=2"), "{}", stdout(&out));

    // By hex and by the .pub file.
    let public_file = dir.path().join("signer.key.pub");
    for trust in [public_hex.as_str(), p(&public_file)] {
        let out = cli(&["verify-wasm", p(&signed), "--trust", trust, "--json"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let report = json(&out);
        assert_eq!(report["signers"][0], public_hex.as_str());
        assert_eq!(report["complete"], true);
        assert_eq!(report["parts"], 2);
    }

    let sig = dir.path().join("module.sig");
    let out = cli(&[
        "sign-wasm",
        p(&module()),
        "--key",
        p(&key),
        "--detached",
        p(&sig),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = cli(&[
        "verify-wasm",
        p(&module()),
        "--trust",
        &public_hex,
        "--signature",
        p(&sig),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("verified=1 of 1 parts"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn refusals_carry_their_codes_and_the_security_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public_hex) = keygen(dir.path(), "signer.key");
    let (_, other_hex) = keygen(dir.path(), "other.key");
    let signed = dir.path().join("signed.wasm");
    assert_eq!(
        code(&cli(&[
            "sign-wasm",
            p(&module()),
            "--key",
            p(&key),
            "-o",
            p(&signed)
        ])),
        0
    );

    let refused = |args: &[&str], expected: &str| {
        let out = cli(args);
        assert_eq!(code(&out), 7, "{args:?}: {}", stderr(&out));
        assert_eq!(json(&out)["error"]["code"], expected, "{args:?}");
    };
    refused(
        &["verify-wasm", p(&signed), "--trust", &other_hex, "--json"],
        "wasm-signature-untrusted",
    );
    refused(
        &[
            "verify-wasm",
            p(&module()),
            "--trust",
            &public_hex,
            "--json",
        ],
        "wasm-signature-missing",
    );
    let mut bytes = std::fs::read(&signed).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    let tampered = dir.path().join("tampered.wasm");
    std::fs::write(&tampered, &bytes).unwrap();
    refused(
        &[
            "verify-wasm",
            p(&tampered),
            "--trust",
            &public_hex,
            "--json",
        ],
        "wasm-signature-mismatch",
    );

    // Nothing is written when signing fails (a key that is not a key).
    let bad_key = write(dir.path(), "bad.key", "not a key");
    let out_path = dir.path().join("never.wasm");
    let out = cli(&[
        "sign-wasm",
        p(&module()),
        "--key",
        p(&bad_key),
        "-o",
        p(&out_path),
        "--json",
    ]);
    assert_eq!(json(&out)["error"]["code"], "key-invalid");
    assert!(!out_path.exists());
}

#[test]
fn open_can_require_a_wasm_signature_beside_the_pnm_signature() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public_hex) = keygen(dir.path(), "signer.key");
    let (_, other_hex) = keygen(dir.path(), "other.key");
    let recipient = recipient_key_file(dir.path(), "recipient");
    let recipient_public = "d9c9caf643ab2d4e647697a5b66cd7d1a2fd6c77560795894ac28586866db661";
    let mnemonic = write(dir.path(), "mnemonic.txt", MNEMONIC);
    let manifest = vectors().join("inputs/manifest.json");
    let protect_with = |wasm: &std::path::Path, out: &std::path::Path, extra: &[&str]| {
        let mut args = vec![
            "protect",
            "--manifest",
            p(&manifest),
            "--wasm",
            p(wasm),
            "--mnemonic-file",
            p(&mnemonic),
            "--encrypt-for",
            recipient_public,
            "-o",
            p(out),
        ];
        args.extend_from_slice(extra);
        let output = cli(&args);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
    };
    let protect = |wasm: &std::path::Path, out: &std::path::Path| protect_with(wasm, out, &[]);
    let signed = dir.path().join("signed.wasm");
    let base = vectors().join("inputs/base-module.wasm");
    assert_eq!(
        code(&cli(&[
            "sign-wasm",
            p(&base),
            "--key",
            p(&key),
            "-o",
            p(&signed)
        ])),
        0
    );
    let artifact = dir.path().join("signed.protected.wasm");
    protect(&signed, &artifact);
    let unsigned_artifact = dir.path().join("unsigned.protected.wasm");
    protect(&base, &unsigned_artifact);
    // The bundle `protect` embeds comes after the signed parts: only `sds.*` sections are
    // unsigned, which `open` accepts (the bundle is covered by the PNM signature).
    let split = dir.path().join("split.wasm");
    let out = cli(&[
        "sign-wasm",
        p(&base),
        "--key",
        p(&key),
        "--split-parts",
        "-o",
        p(&split),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let bundled_artifact = dir.path().join("bundled.protected.wasm");
    protect_with(&split, &bundled_artifact, &["--single-file-bundle"]);

    let open = |artifact: &std::path::Path, wasm_signer: &str, out: &std::path::Path| {
        cli(&[
            "open",
            p(artifact),
            "--trust",
            SIGNER_PUBLIC,
            "--decrypt-with",
            p(&recipient),
            "--wasm-signer",
            wasm_signer,
            "--json",
            "-o",
            p(out),
        ])
    };
    let opened = dir.path().join("opened.wasm");
    let out = open(&artifact, &public_hex, &opened);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let outcome = json(&out);
    assert_eq!(outcome["wasmSignature"]["signers"][0], public_hex.as_str());
    assert_eq!(outcome["wasmSignature"]["complete"], true);
    assert_eq!(
        std::fs::read(&opened).unwrap(),
        std::fs::read(&signed).unwrap()
    );
    let out = open(
        &bundled_artifact,
        &public_hex,
        &dir.path().join("bundled.wasm"),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let outcome = json(&out);
    assert_eq!(outcome["wasmSignature"]["complete"], false);
    assert_eq!(outcome["wasmSignature"]["verifiedParts"], 1);

    // Refusals write nothing and carry the wasmsig codes; without the option nothing is checked.
    for (artifact, signer, expected) in [
        (&artifact, other_hex.as_str(), "wasm-signature-untrusted"),
        (
            &unsigned_artifact,
            public_hex.as_str(),
            "wasm-signature-missing",
        ),
    ] {
        let never = dir.path().join("never.wasm");
        let out = open(artifact, signer, &never);
        assert_eq!(code(&out), 7, "{}", stderr(&out));
        let outcome = json(&out);
        assert_eq!(outcome["code"], expected);
        assert_eq!(outcome["report"]["signature"]["cidSignatureValid"], true);
        assert!(!never.exists());
    }
    let out = cli(&[
        "open",
        p(&unsigned_artifact),
        "--trust",
        SIGNER_PUBLIC,
        "--decrypt-with",
        p(&recipient),
        "--json",
        "-o",
        p(&dir.path().join("plain.wasm")),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(json(&out).get("wasmSignature").is_none());
}
