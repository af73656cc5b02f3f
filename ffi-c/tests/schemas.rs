//! Real C ABI outputs validate against the JSON Schemas in docs/schemas, which core generates
//! from its report types: one shape, defined once, on every boundary.

use std::path::PathBuf;
use std::ptr;

use serde_json::Value;
use space_data_module_ffi::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(relative: &str) -> Vec<u8> {
    std::fs::read(root().join(relative)).unwrap()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn key(name: &str, field: &str) -> Vec<u8> {
    let keys: Value =
        serde_json::from_slice(&read("vectors/publication/inputs/keys.json")).unwrap();
    unhex(keys[name][field].as_str().unwrap())
}

fn empty() -> sdm_bytes {
    sdm_bytes {
        ptr: ptr::null_mut(),
        len: 0,
    }
}

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

fn json(bytes: sdm_bytes) -> Value {
    serde_json::from_slice(&take(bytes)).unwrap()
}

/// Fails with every validation error when `instance` does not match `docs/schemas/NAME`.
fn assert_valid(name: &str, instance: &Value) {
    let schema: Value =
        serde_json::from_slice(&read(&format!("docs/schemas/{name}.schema.json"))).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|err| format!("{} at {}", err, err.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{instance:#}");
}

/// And the schema is not vacuous: a value of the wrong shape is refused.
fn assert_refused(name: &str, instance: &Value) {
    let schema: Value =
        serde_json::from_slice(&read(&format!("docs/schemas/{name}.schema.json"))).unwrap();
    assert!(
        !jsonschema::validator_for(&schema)
            .unwrap()
            .is_valid(instance),
        "{name} accepted {instance}"
    );
}

#[test]
fn check_and_inspect_outputs_match_their_schemas() {
    let manifest = read("vectors/single-file-bundle/manifest.json");
    let module = read("vectors/single-file-bundle/single-file-module.wasm");
    for wasm in [None, Some(module.as_slice())] {
        let mut out = empty();
        let (ptr, len) = wasm.map_or((ptr::null(), 0), |w| (w.as_ptr(), w.len()));
        // SAFETY: valid buffers.
        let status = unsafe { sdm_check(manifest.as_ptr(), manifest.len(), ptr, len, &mut out) };
        assert_eq!(status, 0);
        assert_valid("check-report", &json(out));
    }
    let failing = br#"{"name": 5, "methods": "nope"}"#;
    let mut out = empty();
    // SAFETY: valid buffers.
    let status = unsafe { sdm_check(failing.as_ptr(), failing.len(), ptr::null(), 0, &mut out) };
    assert_eq!(status, 0);
    let report = json(out);
    assert_eq!(report["ok"], false);
    assert_valid("check-report", &report);
    assert_refused(
        "check-report",
        &serde_json::json!({"ok": "yes", "issues": []}),
    );

    let mut out = empty();
    // SAFETY: valid buffers.
    let status = unsafe { sdm_bundle_inspect(module.as_ptr(), module.len(), &mut out) };
    assert_eq!(status, 0);
    let parsed = json(out);
    assert_valid("parsed-bundle", &parsed);
    assert_refused("parsed-bundle", &serde_json::json!({"entries": 3}));
}

#[test]
fn protect_open_and_authorization_outputs_match_their_schemas() {
    let manifest = read("vectors/single-file-bundle/manifest.json");
    let wasm = read("vectors/single-file-bundle/single-file-module.wasm");
    let signer = key("signer", "privateKeyHex");
    let recipient_public = key("recipient", "publicKeyHex");
    let (mut artifact, mut result) = (empty(), empty());
    // SAFETY: valid buffers; keys of 32 bytes.
    let status = unsafe {
        sdm_protect(
            manifest.as_ptr(),
            manifest.len(),
            wasm.as_ptr(),
            wasm.len(),
            signer.as_ptr(),
            signer.len(),
            recipient_public.as_ptr(),
            recipient_public.len(),
            true,
            &mut artifact,
            &mut result,
        )
    };
    assert_eq!(status, 0);
    let artifact = take(artifact);
    assert_valid("protect-result", &json(result));

    let trusted = key("signer", "publicKeyHex");
    let recipient = key("recipient", "privateKeyHex");
    for (trust, expect_ok) in [
        (trusted.clone(), true),
        (key("otherSigner", "publicKeyHex"), false),
    ] {
        let (mut plain, mut outcome) = (empty(), empty());
        // SAFETY: valid buffers.
        let status = unsafe {
            sdm_open_report(
                artifact.as_ptr(),
                artifact.len(),
                trust.as_ptr(),
                trust.len(),
                recipient.as_ptr(),
                recipient.len(),
                &mut plain,
                &mut outcome,
            )
        };
        assert_eq!(status, 0);
        take(plain);
        let outcome = json(outcome);
        assert_eq!(outcome["outcome"] == "ok", expect_ok, "{outcome}");
        assert_valid("open-outcome", &outcome);
        assert_valid("open-report", &outcome["report"]);
    }

    let (mut plain, mut report) = (empty(), empty());
    // SAFETY: valid buffers.
    let status = unsafe {
        sdm_open(
            artifact.as_ptr(),
            artifact.len(),
            trusted.as_ptr(),
            trusted.len(),
            recipient.as_ptr(),
            recipient.len(),
            &mut plain,
            &mut report,
        )
    };
    assert_eq!(status, 0);
    take(plain);
    assert_valid("open-report", &json(report));

    let envelope = read("vectors/publication/authorization/auth-valid/envelope.json");
    let options = br#"{"now": 1767225700000}"#;
    let mut out = empty();
    // SAFETY: valid buffers.
    let status = unsafe {
        sdm_authorization_verify(
            envelope.as_ptr(),
            envelope.len(),
            trusted.as_ptr(),
            trusted.len(),
            options.as_ptr(),
            options.len(),
            &mut out,
        )
    };
    assert_eq!(status, 0, "authorization verify");
    assert_valid("verified-authorization", &json(out));
}

#[test]
fn runtime_host_module_records_match_their_schema() {
    let wasm = wat::parse_str(r#"(module (memory (export "memory") 1))"#).unwrap();
    let mut verified: *mut sdm_verified = ptr::null_mut();
    // SAFETY: valid buffers and out-pointer.
    let status = unsafe {
        sdm_verify(
            wasm.as_ptr(),
            wasm.len(),
            ptr::null(),
            0,
            ptr::null(),
            0,
            SDM_VERIFY_ALLOW_UNSIGNED,
            &mut verified,
        )
    };
    assert_eq!(status, 0);
    let mut host: *mut sdm_runtime_host = ptr::null_mut();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { sdm_runtime_host_new(&mut host) }, 0);
    let mut out = empty();
    // SAFETY: live handles, valid buffers.
    let status = unsafe {
        sdm_runtime_host_install_module(
            host,
            b"m".as_ptr(),
            1,
            verified,
            b"{\"owner\":\"ops\"}".as_ptr(),
            15,
            false,
            &mut out,
        )
    };
    assert_eq!(status, 0);
    let installed = json(out);
    assert_valid("module-record", &installed["module"]);
    // SAFETY: handles from this test, freed once.
    unsafe {
        sdm_runtime_host_free(host);
        sdm_verified_free(verified);
    }
}
