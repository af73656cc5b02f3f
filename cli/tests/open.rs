//! `open`: every artifact vector through the CLI; wrong key, untrusted signer, tampered byte.

mod common;

use common::*;

#[test]
fn every_artifact_vector_gives_its_exit_code_and_class() {
    let dir = tempfile::tempdir().unwrap();
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(vectors().join("index.json")).unwrap()).unwrap();
    for case in index["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "artifact")
    {
        let case_dir = vectors().join(case["dir"].as_str().unwrap());
        let expected: serde_json::Value =
            serde_json::from_slice(&std::fs::read(case_dir.join("expected.json")).unwrap())
                .unwrap();
        let inputs = &expected["loaderInputs"];
        let out = dir.path().join("out.wasm");
        let mut args = vec![
            "open".to_owned(),
            p(&case_dir.join("artifact.wasm")).to_owned(),
            "--json".to_owned(),
        ];
        for key in inputs["trustedSignerPublicKeysHex"].as_array().unwrap() {
            args.extend(["--trust".to_owned(), key.as_str().unwrap().to_owned()]);
        }
        if inputs["recipientPrivateKeyHex"].is_string() {
            let who = if case["id"] == "neg-wrong-recipient-key" {
                "wrongRecipient"
            } else {
                "recipient"
            };
            args.extend([
                "--decrypt-with".to_owned(),
                p(&recipient_key_file(dir.path(), who)).to_owned(),
            ]);
        }
        if inputs["requireSignature"] == false {
            args.push("--allow-unsigned".to_owned());
        }
        args.extend(["-o".to_owned(), p(&out).to_owned()]);
        let output = cli(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        if case["outcome"] == "ok" {
            assert_eq!(code(&output), 0, "{}: {}", case["id"], stderr(&output));
            assert_eq!(json["report"]["wasm"], expected["expect"]["wasm"]);
            std::fs::remove_file(&out).unwrap();
        } else {
            let class = case["errorClass"].as_str().unwrap();
            assert_eq!(code(&output), 7, "{}: {}", case["id"], stderr(&output));
            assert_eq!(json["outcome"], "error");
            assert_eq!(json["code"], class);
            assert!(stderr(&output).contains(&format!("error[{class}]")));
            assert!(!out.exists(), "{}: output written on failure", case["id"]);
        }
    }
}

#[test]
fn a_tampered_byte_and_an_untrusted_signer_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut artifact = std::fs::read(vectors().join("cases/signed-only/artifact.wasm")).unwrap();
    artifact[100] ^= 0x80;
    let tampered = dir.path().join("tampered.wasm");
    std::fs::write(&tampered, &artifact).unwrap();
    let out = dir.path().join("out.wasm");
    let output = cli(&[
        "open",
        p(&tampered),
        "--trust",
        SIGNER_PUBLIC,
        "-o",
        p(&out),
    ]);
    assert_eq!(code(&output), 7);
    assert!(stderr(&output).contains("error[cid-mismatch]"));
    let signed = vectors().join("cases/signed-only/artifact.wasm");
    let output = cli(&["open", p(&signed), "--trust", OTHER_PUBLIC, "-o", p(&out)]);
    assert_eq!(code(&output), 7);
    assert!(stderr(&output).contains("error[signature-invalid]"));
    assert!(!out.exists());
    let output = cli(&["open", p(&signed), "--trust", "not-a-key", "-o", p(&out)]);
    assert_eq!(code(&output), 7);
    assert!(stderr(&output).contains("error[key-invalid]"));
}

#[test]
fn an_unwritable_output_path_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let signed = vectors().join("cases/signed-only/artifact.wasm");
    let out = dir.path().join("nope/out.wasm");
    let output = cli(&["open", p(&signed), "--trust", SIGNER_PUBLIC, "-o", p(&out)]);
    assert_eq!(code(&output), 3);
    assert_files(dir.path(), &[]);
}
