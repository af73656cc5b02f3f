//! `verify-authorization`: every authorization vector, expiry edges and the skew window.

mod common;

use common::*;

#[test]
fn every_authorization_vector_gives_its_class() {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(vectors().join("index.json")).unwrap()).unwrap();
    for case in index["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "authorization")
    {
        let dir = vectors().join(case["dir"].as_str().unwrap());
        let expected: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
        let now = expected["verifierInputs"]["nowMs"]
            .as_u64()
            .unwrap()
            .to_string();
        let envelope = dir.join("envelope.json");
        let output = cli(&[
            "verify-authorization",
            p(&envelope),
            "--trust",
            SIGNER_PUBLIC,
            "--now-ms",
            &now,
            "--json",
        ]);
        let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        if case["outcome"] == "ok" {
            assert_eq!(code(&output), 0, "{}", stderr(&output));
            assert_eq!(json["signerPublicKeyHex"], SIGNER_PUBLIC);
        } else {
            assert_eq!(code(&output), 7, "{}", case["id"]);
            assert_eq!(json["error"]["code"], case["errorClass"]);
        }
    }
}

#[test]
fn expiry_edges_and_clock_skew() {
    let envelope = vectors().join("authorization/auth-valid/envelope.json");
    let run = |now: &str, skew: &str| {
        code(&cli(&[
            "verify-authorization",
            p(&envelope),
            "--trust",
            SIGNER_PUBLIC,
            "--now-ms",
            now,
            "--clock-skew-ms",
            skew,
        ]))
    };
    assert_eq!(run("1767225900000", "0"), 0, "now == expiresAt is valid");
    assert_eq!(run("1767225900001", "0"), 7, "one ms later it has expired");
    assert_eq!(run("1767225900001", "1000"), 0, "inside the skew window");
    assert_eq!(run("1767225599999", "0"), 7, "issued in the future");
    assert_eq!(run("1767225599999", "1000"), 0);
}

#[test]
fn untrusted_keys_and_missing_files() {
    let envelope = vectors().join("authorization/auth-valid/envelope.json");
    let output = cli(&[
        "verify-authorization",
        p(&envelope),
        "--trust",
        OTHER_PUBLIC,
        "--now-ms",
        "1767225601000",
    ]);
    assert_eq!(code(&output), 7);
    assert!(stderr(&output).contains("error[signer-untrusted]"));
    let output = cli(&[
        "verify-authorization",
        "/nonexistent/envelope.json",
        "--trust",
        SIGNER_PUBLIC,
    ]);
    assert_eq!(code(&output), 3);
}
