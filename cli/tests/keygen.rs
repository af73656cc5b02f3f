//! `keygen`: key files written 0600 atomically, only public keys printed.

mod common;

use common::*;

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn every_kind_writes_a_0600_file_and_prints_only_the_public_key() {
    let dir = tempfile::tempdir().unwrap();
    for kind in ["mnemonic", "signing", "recipient"] {
        let out = dir.path().join(kind);
        let output = cli(&["keygen", "--kind", kind, "-o", p(&out)]);
        assert_eq!(code(&output), 0, "{}", stderr(&output));
        #[cfg(unix)]
        assert_eq!(mode(&out), 0o600);
        let secret = std::fs::read_to_string(&out).unwrap();
        let printed = stdout(&output);
        assert!(printed.contains("publicKeyHex="));
        for word in secret
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.len() >= 32)
        {
            if kind != "mnemonic" && secret.contains(&format!("\"privateKeyHex\": \"{word}\"")) {
                assert!(!printed.contains(word), "private key printed");
            }
        }
    }
    let mnemonic = std::fs::read_to_string(dir.path().join("mnemonic")).unwrap();
    assert_eq!(mnemonic.split_whitespace().count(), 12);
    assert_files(dir.path(), &["mnemonic", "signing", "recipient"]);
}

#[test]
fn signing_key_from_a_mnemonic_file_matches_the_vectors() {
    let dir = tempfile::tempdir().unwrap();
    let mnemonic = write(dir.path(), "m.txt", MNEMONIC);
    let out = dir.path().join("key.json");
    let output = cli(&[
        "keygen",
        "--kind",
        "signing",
        "--mnemonic-file",
        p(&mnemonic),
        "--json",
        "-o",
        p(&out),
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let printed: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(printed["publicKeyHex"], SIGNER_PUBLIC);
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        file["privateKeyHex"],
        "e284129cc0922579a535bbf4d1a3b25773090d28c909bc0fed73b5e0222cc372"
    );
    assert_eq!(file["derivationPath"], "m/44'/0'/0'/0/0");
}

#[test]
fn a_wrong_mnemonic_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mnemonic = write(
        dir.path(),
        "m.txt",
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon",
    );
    let out = dir.path().join("key.json");
    let output = cli(&[
        "keygen",
        "--kind",
        "signing",
        "--mnemonic-file",
        p(&mnemonic),
        "-o",
        p(&out),
    ]);
    assert_eq!(code(&output), 7);
    assert!(stderr(&output).contains("error[key-invalid]"));
    assert!(!stderr(&output).contains("abandon abandon"));
    assert_files(dir.path(), &["m.txt"]);
}

#[test]
fn an_unwritable_output_path_fails_without_a_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("missing-dir/key.json");
    let output = cli(&["keygen", "--kind", "recipient", "-o", p(&out)]);
    assert_eq!(code(&output), 3, "{}", stderr(&output));
    assert!(stderr(&output).contains("error[io]"));
    assert_files(dir.path(), &[]);
}
