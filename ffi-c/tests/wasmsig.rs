//! `sdm_wasm_sign`, `sdm_wasm_verify` and `sdm_verify_wasm_signed` through their extern "C"
//! symbols: embedded and detached signatures, the loader requiring one, the refusal codes, and
//! the argument errors, with the out-params untouched on every failure.

use std::ptr;

use space_data_module::ErrorCode;
use space_data_module::api::wasmsig::WasmsigSecretKey;
use space_data_module_ffi::*;

fn module() -> Vec<u8> {
    wat::parse_str(
        r#"(module (memory (export "memory") 1) (func (export "f") (result i32) (i32.const 7)))"#,
    )
    .unwrap()
}

fn status(code: ErrorCode) -> sdm_status {
    code.number()
}

/// Takes the bytes out of an `sdm_bytes` the library filled, and frees it.
fn take(mut bytes: sdm_bytes) -> Vec<u8> {
    // SAFETY: filled by the library on success; freed once here.
    unsafe {
        let copy = std::slice::from_raw_parts(bytes.ptr, bytes.len).to_vec();
        sdm_bytes_free(&mut bytes);
        copy
    }
}

fn empty() -> sdm_bytes {
    sdm_bytes {
        ptr: ptr::null_mut(),
        len: 0,
    }
}

fn sign(module: &[u8], keys: &[u8], settings: Option<&str>) -> Result<Vec<u8>, sdm_status> {
    let mut out = empty();
    let (settings_ptr, settings_len) = settings.map_or((ptr::null(), 0), |s| (s.as_ptr(), s.len()));
    // SAFETY: valid inputs for their lengths; `out` writable.
    let status = unsafe {
        sdm_wasm_sign(
            module.as_ptr(),
            module.len(),
            keys.as_ptr(),
            keys.len(),
            ptr::null(),
            0,
            settings_ptr,
            settings_len,
            &mut out,
        )
    };
    if status == 0 {
        Ok(take(out))
    } else {
        assert!(out.ptr.is_null() && out.len == 0, "out written on failure");
        Err(status)
    }
}

fn verify(
    module: &[u8],
    detached: Option<&[u8]>,
    trusted: &[u8],
    flags: u32,
) -> Result<serde_json::Value, sdm_status> {
    let mut out = empty();
    let (detached_ptr, detached_len) = detached.map_or((ptr::null(), 0), |d| (d.as_ptr(), d.len()));
    // SAFETY: valid inputs for their lengths; `out` writable.
    let status = unsafe {
        sdm_wasm_verify(
            module.as_ptr(),
            module.len(),
            detached_ptr,
            detached_len,
            trusted.as_ptr(),
            trusted.len(),
            flags,
            &mut out,
        )
    };
    if status == 0 {
        Ok(serde_json::from_slice(&take(out)).unwrap())
    } else {
        assert!(out.ptr.is_null() && out.len == 0, "out written on failure");
        Err(status)
    }
}

fn keys() -> (Vec<u8>, Vec<u8>) {
    let key = WasmsigSecretKey::generate().unwrap();
    (key.to_bytes().to_vec(), key.public_key().raw().to_vec())
}

#[test]
fn embedded_and_detached_signatures_verify_and_refusals_carry_their_codes() {
    let (secret, public) = keys();
    let (_, other_public) = keys();
    let signed = sign(&module(), &secret, None).unwrap();
    let report = verify(&signed, None, &public, 0).unwrap();
    assert_eq!(report["complete"], true);
    assert_eq!(report["signers"][0], hex(&public));

    let mut two = other_public.clone();
    two.extend_from_slice(&public);
    assert_eq!(
        verify(&signed, None, &two, 0).unwrap()["signers"][0],
        hex(&public)
    );
    assert_eq!(
        verify(&signed, None, &other_public, 0),
        Err(status(ErrorCode::WasmSignatureUntrusted))
    );
    assert_eq!(
        verify(&module(), None, &public, 0),
        Err(status(ErrorCode::WasmSignatureMissing))
    );
    let mut tampered = signed.clone();
    *tampered.last_mut().unwrap() ^= 1;
    assert_eq!(
        verify(&tampered, None, &public, 0),
        Err(status(ErrorCode::WasmSignatureMismatch))
    );

    let signature = sign(&module(), &secret, Some(r#"{"detached": true}"#)).unwrap();
    assert!(signature.len() < signed.len());
    let report = verify(&module(), Some(&signature), &public, 0).unwrap();
    assert_eq!(report["parts"], 1);

    // A section appended after signing: without parts the one part no longer matches; with
    // parts it is partial, accepted only with the flag.
    let mut appended = signed.clone();
    appended.extend_from_slice(&[0, 4, 3, b'x', b'y', b'z']);
    assert_eq!(
        verify(&appended, None, &public, 0),
        Err(status(ErrorCode::WasmSignatureMismatch))
    );
    let mut extended = sign(&module(), &secret, Some(r#"{"splitParts": true}"#)).unwrap();
    extended.extend_from_slice(&[0, 4, 3, b'x', b'y', b'z']);
    assert_eq!(
        verify(&extended, None, &public, 0),
        Err(status(ErrorCode::WasmSignaturePartial))
    );
    let report = verify(&extended, None, &public, SDM_WASM_VERIFY_ALLOW_PARTIAL).unwrap();
    assert_eq!(report["complete"], false);
}

#[test]
fn the_loader_can_require_a_wasm_signature() {
    let (secret, public) = keys();
    let (_, other_public) = keys();
    let signed = sign(&module(), &secret, None).unwrap();
    let load = |artifact: &[u8], signers: &[u8]| {
        let mut verified: *mut sdm_verified = ptr::null_mut();
        // SAFETY: valid inputs; `verified` writable and freed below.
        let status = unsafe {
            sdm_verify_wasm_signed(
                artifact.as_ptr(),
                artifact.len(),
                ptr::null(),
                0,
                ptr::null(),
                0,
                signers.as_ptr(),
                signers.len(),
                SDM_VERIFY_ALLOW_UNSIGNED,
                &mut verified,
            )
        };
        let loaded = !verified.is_null();
        // SAFETY: NULL or a live handle, freed once.
        unsafe { sdm_verified_free(verified) };
        (status, loaded)
    };
    assert_eq!(load(&signed, &public), (0, true));
    assert_eq!(
        load(&signed, &other_public),
        (status(ErrorCode::WasmSignatureUntrusted), false)
    );
    assert_eq!(
        load(&module(), &public),
        (status(ErrorCode::WasmSignatureMissing), false)
    );
    assert_eq!(
        load(&signed, &[]),
        (status(ErrorCode::InvalidArgument), false)
    );
    // After the signed parts only `sds.*` sections may follow.
    let split = sign(&module(), &secret, Some(r#"{"splitParts": true}"#)).unwrap();
    let mut bundled = split.clone();
    bundled.extend_from_slice(&[0, 9, 8, b's', b'd', b's', b'.', b'x', b'y', b'z', 0]);
    assert_eq!(load(&bundled, &public), (0, true));
    let mut other = split.clone();
    other.extend_from_slice(&[0, 4, 3, b'x', b'y', b'z']);
    assert_eq!(
        load(&other, &public),
        (status(ErrorCode::WasmSignaturePartial), false)
    );
}

#[test]
fn argument_errors_write_nothing() {
    let (secret, public) = keys();
    assert_eq!(
        sign(&module(), &secret[..64], None),
        Err(status(ErrorCode::KeyInvalid))
    );
    assert_eq!(
        sign(&module(), &[], None),
        Err(status(ErrorCode::InvalidArgument))
    );
    assert_eq!(
        sign(&module(), &secret, Some("{")),
        Err(status(ErrorCode::InvalidJson))
    );
    assert_eq!(
        sign(&module(), &secret, Some(r#"{"detatched": true}"#)),
        Err(status(ErrorCode::InvalidArgument))
    );
    let signed = sign(&module(), &secret, None).unwrap();
    assert_eq!(
        verify(&signed, None, &public[..31], 0),
        Err(status(ErrorCode::KeyInvalid))
    );
    assert_eq!(
        verify(&signed, None, &public, 2),
        Err(status(ErrorCode::InvalidArgument))
    );
    // SAFETY: a NULL out-param is refused before anything is read.
    let code = unsafe {
        sdm_wasm_verify(
            signed.as_ptr(),
            signed.len(),
            ptr::null(),
            0,
            public.as_ptr(),
            32,
            0,
            ptr::null_mut(),
        )
    };
    assert_eq!(code, status(ErrorCode::InvalidArgument));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
