//! Deployment authorizations and the open report through the extern "C" functions, against
//! the public vectors (vectors/publication/authorization, vectors/publication/cases).

use std::ffi::CStr;
use std::path::PathBuf;
use std::ptr;

use serde_json::{Value, json};
use space_data_module::ErrorCode;
use space_data_module_ffi::*;

fn vector_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../vectors")
        .join(relative)
}

fn vector_bytes(relative: &str) -> Vec<u8> {
    std::fs::read(vector_path(relative)).unwrap()
}

fn vector_json(relative: &str) -> Value {
    serde_json::from_slice(&vector_bytes(relative)).unwrap()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn keys() -> Value {
    vector_json("publication/inputs/keys.json")
}

fn key(name: &str, field: &str) -> Vec<u8> {
    unhex(keys()[name][field].as_str().unwrap())
}

fn empty() -> sdm_bytes {
    sdm_bytes {
        ptr: ptr::null_mut(),
        len: 0,
    }
}

/// Takes a library buffer, copies it out and frees it.
fn take(mut bytes: sdm_bytes) -> Vec<u8> {
    let copy = if bytes.ptr.is_null() {
        Vec::new()
    } else {
        // SAFETY: filled by the library, valid for `len` bytes.
        unsafe { std::slice::from_raw_parts(bytes.ptr, bytes.len) }.to_vec()
    };
    // SAFETY: filled by the library.
    unsafe { sdm_bytes_free(&mut bytes) };
    copy
}

fn last_message() -> String {
    // SAFETY: the library returns a valid NUL-terminated string.
    unsafe { CStr::from_ptr(sdm_last_error_message()) }
        .to_string_lossy()
        .into_owned()
}

fn create(options: &Value, private_key: &[u8], signer: Option<&Value>) -> (u32, Option<Value>) {
    let options = serde_json::to_vec(options).unwrap();
    let signer = signer.map(|s| serde_json::to_vec(s).unwrap());
    let (signer_ptr, signer_len) = signer
        .as_ref()
        .map_or((ptr::null(), 0), |s| (s.as_ptr(), s.len()));
    let mut out = empty();
    // SAFETY: valid buffers for their lengths; `out` writable.
    let status = unsafe {
        sdm_authorization_create(
            options.as_ptr(),
            options.len(),
            private_key.as_ptr(),
            private_key.len(),
            signer_ptr,
            signer_len,
            &mut out,
        )
    };
    let json = (status == 0).then(|| serde_json::from_slice(&take(out)).unwrap());
    (status, json)
}

fn verify(envelope: &Value, trusted: &[Vec<u8>], options: Option<&Value>) -> (u32, Option<Value>) {
    let envelope = serde_json::to_vec(envelope).unwrap();
    let trusted: Vec<u8> = trusted.concat();
    let options = options.map(|o| serde_json::to_vec(o).unwrap());
    let (options_ptr, options_len) = options
        .as_ref()
        .map_or((ptr::null(), 0), |o| (o.as_ptr(), o.len()));
    let mut out = empty();
    // SAFETY: valid buffers for their lengths; `out` writable.
    let status = unsafe {
        sdm_authorization_verify(
            envelope.as_ptr(),
            envelope.len(),
            trusted.as_ptr(),
            trusted.len(),
            options_ptr,
            options_len,
            &mut out,
        )
    };
    if status != 0 {
        assert_eq!(sdm_last_error_code(), status);
        assert!(!last_message().is_empty());
        assert!(out.ptr.is_null(), "out-param written on failure");
        return (status, None);
    }
    assert_eq!(sdm_last_error_code(), 0);
    (status, Some(serde_json::from_slice(&take(out)).unwrap()))
}

fn status_of(name: &str) -> u32 {
    ErrorCode::from_name(name).unwrap().number()
}

#[test]
fn create_reproduces_the_reference_envelope_byte_for_byte() {
    let (status, envelope) = create(
        &vector_json("publication/authorization/create-options.json"),
        &key("signer", "privateKeyHex"),
        Some(&json!({"derivationPath": "m/44'/0'/0'/0/0", "keyId": "vector-signer-1"})),
    );
    assert_eq!(status, 0, "{}", last_message());
    assert_eq!(
        envelope.unwrap(),
        vector_json("publication/authorization/auth-valid/envelope.json")
    );
}

#[test]
fn verify_matches_every_authorization_vector() {
    let cases = [
        "auth-valid",
        "neg-auth-bad-signature",
        "neg-auth-expired",
        "neg-auth-tampered-payload",
        "neg-auth-untrusted-signer",
    ];
    for case in cases {
        let expected = vector_json(&format!("publication/authorization/{case}/expected.json"));
        let envelope = vector_json(&format!("publication/authorization/{case}/envelope.json"));
        let inputs = &expected["verifierInputs"];
        let trusted: Vec<Vec<u8>> = inputs["trustedSignerPublicKeysHex"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| unhex(k.as_str().unwrap()))
            .collect();
        let options = json!({
            "now": inputs["nowMs"],
            "artifact": inputs["artifact"],
            "target": inputs["target"],
            "requiredCapabilities": inputs["requiredCapabilities"],
        });
        let (status, result) = verify(&envelope, &trusted, Some(&options));
        let expect = &expected["expect"];
        if expect["outcome"] == "ok" {
            assert_eq!(status, 0, "{case}: {}", last_message());
            let result = result.unwrap();
            assert_eq!(result["signerPublicKeyHex"], expect["signerPublicKeyHex"]);
            assert_eq!(result["payload"], envelope["payload"]);
        } else {
            let class = expect["errorClass"].as_str().unwrap();
            assert_eq!(status, status_of(class), "{case}: {}", last_message());
        }
    }
}

#[test]
fn verify_applies_the_clock_and_the_skew_window() {
    let private = key("signer", "privateKeyHex");
    let options = json!({"issuedAt": 1000, "ttlMs": 100, "nonce": "00"});
    let (status, envelope) = create(&options, &private, None);
    assert_eq!(status, 0, "{}", last_message());
    let envelope = envelope.unwrap();
    assert_eq!(envelope["protected"]["keyId"], Value::Null);
    assert_eq!(envelope["payload"]["expiresAt"], 1100);
    let trusted = vec![key("signer", "publicKeyHex")];
    let expired = status_of("authorization-expired");
    for (now, skew, expected) in [
        (1100, 0, 0),
        (1101, 0, expired),
        (1150, 50, 0),
        (1151, 50, expired),
        (999, 0, expired),
        (999, 1, 0),
    ] {
        let (status, _) = verify(
            &envelope,
            &trusted,
            Some(&json!({"now": now, "clockSkewMs": skew})),
        );
        assert_eq!(status, expected, "now {now} skew {skew}");
    }
    // Without `now`, the system clock: an authorization issued at 1000 ms is long expired.
    assert_eq!(verify(&envelope, &trusted, None).0, expired);
    // A fresh one (issuedAt = the system clock) verifies with no options at all.
    let (status, fresh) = create(&json!({}), &private, None);
    assert_eq!(status, 0);
    assert_eq!(verify(&fresh.unwrap(), &trusted, None).0, 0);
}

#[test]
fn verify_checks_expectations_and_rejects_unknown_options() {
    let private = key("signer", "privateKeyHex");
    let (_, envelope) = create(
        &json!({"artifactId": "a1", "target": {"id": "t1", "audience": "aud"}, "capabilities": ["clock"]}),
        &private,
        None,
    );
    let envelope = envelope.unwrap();
    let trusted = vec![key("signer", "publicKeyHex")];
    let mismatch = status_of("authorization-mismatch");
    for (options, expected) in [
        (json!({"artifact": {"artifactId": "a1"}}), 0),
        (json!({"artifact": {"artifactId": "a2"}}), mismatch),
        (json!({"target": {"id": "t2"}}), mismatch),
        (json!({"target": {"audience": "aud"}}), 0),
        (json!({"requiredCapabilities": ["clock"]}), 0),
        (json!({"requiredCapabilities": ["http"]}), mismatch),
        (json!({"nowMs": 1}), ErrorCode::InvalidArgument.number()),
        (json!({"now": "soon"}), ErrorCode::InvalidArgument.number()),
        (json!([]), ErrorCode::InvalidJson.number()),
    ] {
        let (status, _) = verify(&envelope, &trusted, Some(&options));
        assert_eq!(status, expected, "{options}: {}", last_message());
    }
    let other = vec![key("otherSigner", "publicKeyHex")];
    assert_eq!(
        verify(&envelope, &other, None).0,
        status_of("signer-untrusted")
    );
    // The signer JSON accepts only its two members.
    let (status, _) = create(&json!({}), &private, Some(&json!({"keyid": "x"})));
    assert_eq!(status, ErrorCode::InvalidArgument.number());
}

fn open_report(artifact: &[u8], trusted: &[u8], recipient: Option<&[u8]>) -> (u32, Vec<u8>, Value) {
    let mut wasm = sdm_bytes {
        ptr: ptr::dangling_mut::<u8>(),
        len: 9,
    };
    let mut outcome = empty();
    // SAFETY: valid buffers for their lengths (recipient: NULL, 0 when absent).
    let status = unsafe {
        sdm_open_report(
            artifact.as_ptr(),
            artifact.len(),
            trusted.as_ptr(),
            trusted.len(),
            recipient.map_or(ptr::null(), <[u8]>::as_ptr),
            recipient.map_or(0, <[u8]>::len),
            &mut wasm,
            &mut outcome,
        )
    };
    assert_eq!(status, 0, "{}", last_message());
    (
        status,
        take(wasm),
        serde_json::from_slice(&take(outcome)).unwrap(),
    )
}

#[test]
fn open_report_returns_the_partial_report_of_a_refusal() {
    let artifact = vector_bytes("publication/cases/single-file-bundle-signed/artifact.wasm");
    let trusted = key("signer", "publicKeyHex");
    let (_, wasm, outcome) = open_report(&artifact, &trusted, None);
    assert_eq!(outcome["outcome"], "ok");
    assert_eq!(outcome["status"], 0);
    assert!(wasm.starts_with(b"\0asm"));
    assert!(outcome["report"]["signature"].is_object());

    // The same artifact against an untrusted key: refused after the trailer, records and CID
    // were established; `sdm_open` gives the same status with no report.
    let untrusted = key("otherSigner", "publicKeyHex");
    let (_, wasm, outcome) = open_report(&artifact, &untrusted, None);
    assert!(wasm.is_empty());
    assert_eq!(outcome["outcome"], "error");
    let status = outcome["status"].as_u64().unwrap() as u32;
    assert_eq!(
        ErrorCode::from_number(status).unwrap().as_str(),
        outcome["code"]
    );
    assert!(!outcome["detail"].as_str().unwrap().is_empty());
    let partial = &outcome["report"];
    assert_eq!(partial["trailer"]["present"], true);
    assert!(partial["cid"].is_object());
    assert!(partial.get("wasm").is_none());
    let (mut plain, mut report) = (empty(), empty());
    // SAFETY: valid buffers.
    let open_status = unsafe {
        sdm_open(
            artifact.as_ptr(),
            artifact.len(),
            untrusted.as_ptr(),
            untrusted.len(),
            ptr::null(),
            0,
            &mut plain,
            &mut report,
        )
    };
    assert_eq!(open_status, status);
    assert!(plain.ptr.is_null() && report.ptr.is_null());

    // Report only (out_wasm NULL), for a plain wasm without a trailer.
    let mut outcome = empty();
    let module = vector_bytes("publication/inputs/base-module.wasm");
    // SAFETY: valid buffers; out_wasm NULL is allowed.
    let status = unsafe {
        sdm_open_report(
            module.as_ptr(),
            module.len(),
            trusted.as_ptr(),
            trusted.len(),
            ptr::null(),
            0,
            ptr::null_mut(),
            &mut outcome,
        )
    };
    assert_eq!(status, 0);
    let outcome: Value = serde_json::from_slice(&take(outcome)).unwrap();
    assert_eq!(outcome["outcome"], "error");
    assert_eq!(outcome["report"]["trailer"]["present"], false);
}
