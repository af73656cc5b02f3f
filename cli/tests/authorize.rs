//! `authorize`: creates and signs an authorization that `verify-authorization` accepts.

mod common;

use common::*;

#[test]
fn authorize_then_verify() {
    let dir = tempfile::tempdir().unwrap();
    let mnemonic = write(dir.path(), "m.txt", MNEMONIC);
    let options = vectors().join("authorization/create-options.json");
    let out = dir.path().join("auth.json");
    let output = cli(&[
        "authorize",
        "--options",
        p(&options),
        "--mnemonic-file",
        p(&mnemonic),
        "--key-id",
        "vector-signer-1",
        "--ttl-ms",
        "60000000000000",
        "--capability",
        "clock",
        "-o",
        p(&out),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let envelope: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(envelope["protected"]["publicKeyHex"], SIGNER_PUBLIC);
    assert_eq!(
        envelope["payload"]["capabilities"],
        serde_json::json!(["clock"])
    );
    assert_eq!(
        envelope["payload"]["nonce"],
        "c37bd73691abd892fdd80a8f34041313"
    );
    let output = cli(&[
        "verify-authorization",
        p(&out),
        "--trust",
        SIGNER_PUBLIC,
        "--require-capability",
        "clock",
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let output = cli(&[
        "verify-authorization",
        p(&out),
        "--trust",
        SIGNER_PUBLIC,
        "--require-capability",
        "filesystem",
    ]);
    assert_eq!(code(&output), 7);
    assert!(stderr(&output).contains("error[authorization-mismatch]"));
}

#[test]
fn the_vector_envelope_is_reproduced_with_a_signing_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let mnemonic = write(dir.path(), "m.txt", MNEMONIC);
    let key = dir.path().join("key.json");
    assert_eq!(
        code(&cli(&[
            "keygen",
            "--kind",
            "signing",
            "--mnemonic-file",
            p(&mnemonic),
            "-o",
            p(&key)
        ])),
        0
    );
    let out = dir.path().join("auth.json");
    let options = vectors().join("authorization/create-options.json");
    let output = cli(&[
        "authorize",
        "--options",
        p(&options),
        "--key",
        p(&key),
        "--key-id",
        "vector-signer-1",
        "-o",
        p(&out),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let made: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let want: serde_json::Value = serde_json::from_slice(
        &std::fs::read(vectors().join("authorization/auth-valid/envelope.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(made, want);
}

#[test]
fn a_wrong_mnemonic_and_an_unwritable_output_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mnemonic = write(dir.path(), "m.txt", "not a mnemonic at all");
    let out = dir.path().join("auth.json");
    let output = cli(&[
        "authorize",
        "--artifact-id",
        "a",
        "--mnemonic-file",
        p(&mnemonic),
        "-o",
        p(&out),
    ]);
    assert_eq!(code(&output), 7);
    assert!(stderr(&output).contains("error[key-invalid]"));
    let good = write(dir.path(), "good.txt", MNEMONIC);
    let blocked = dir.path().join("x/auth.json");
    let output = cli(&[
        "authorize",
        "--artifact-id",
        "a",
        "--mnemonic-file",
        p(&good),
        "-o",
        p(&blocked),
    ]);
    assert_eq!(code(&output), 3);
    assert_files(dir.path(), &["m.txt", "good.txt"]);
}
