//! Keys cross the C ABI as (pointer, length) and fixed-size outputs as (pointer, capacity): a
//! missing key or a short output buffer is `invalid-argument`, key bytes of the wrong length
//! are `key-invalid` (the core's code for any malformed key). Messages carry no `[code]` prefix.

use std::ffi::CStr;
use std::ptr;

use space_data_module::ErrorCode;
use space_data_module_ffi::*;

const INVALID_ARGUMENT: u32 = SDM_ERR_INVALID_ARGUMENT;
const KEY_INVALID: u32 = SDM_ERR_KEY_INVALID;

fn last_message() -> String {
    // SAFETY: the library returns a valid NUL-terminated string.
    unsafe { CStr::from_ptr(sdm_last_error_message()) }
        .to_string_lossy()
        .into_owned()
}

fn empty() -> sdm_bytes {
    sdm_bytes {
        ptr: ptr::null_mut(),
        len: 0,
    }
}

fn signing_public_key(private: &[u8], capacity: usize) -> (u32, Vec<u8>) {
    let mut out = vec![0xAA; capacity.max(1)];
    // SAFETY: `private` valid for its length, `out` for `capacity` bytes.
    let status = unsafe {
        sdm_signing_public_key(private.as_ptr(), private.len(), out.as_mut_ptr(), capacity)
    };
    (status, out)
}

fn x25519_public_key(private: &[u8], capacity: usize) -> (u32, Vec<u8>) {
    let mut out = vec![0xAA; capacity.max(1)];
    // SAFETY: as above.
    let status = unsafe {
        sdm_x25519_public_key(private.as_ptr(), private.len(), out.as_mut_ptr(), capacity)
    };
    (status, out)
}

#[test]
fn public_key_derivation_checks_lengths_and_capacity() {
    let key = [1u8; 64];
    let (status, out) = signing_public_key(&key[..32], SDM_SIGNING_PUBLIC_KEY_LEN);
    assert_eq!(status, 0, "{}", last_message());
    assert!(out[0] == 2 || out[0] == 3);
    // A larger buffer is fine: exactly 33 bytes are written.
    let (status, big) = signing_public_key(&key[..32], 40);
    assert_eq!(status, 0);
    assert_eq!(big[..33], out[..]);
    assert_eq!(big[33..], [0xAA; 7]);
    // A short buffer: invalid-argument, nothing written.
    let (status, short) = signing_public_key(&key[..32], 32);
    assert_eq!(status, INVALID_ARGUMENT);
    assert!(
        last_message().contains("out_public_key"),
        "{}",
        last_message()
    );
    assert_eq!(short, vec![0xAA; 32]);
    // Key bytes of the wrong length: key-invalid, whatever the length.
    for len in [1, 31, 33, 64] {
        let (status, out) = signing_public_key(&key[..len], 33);
        assert_eq!(status, KEY_INVALID, "len {len}: {}", last_message());
        assert!(
            last_message().contains(&format!("got {len}")),
            "{}",
            last_message()
        );
        assert_eq!(out, vec![0xAA; 33]);
        assert_eq!(x25519_public_key(&key[..len], 32).0, KEY_INVALID);
    }
    // A missing key: invalid-argument.
    assert_eq!(signing_public_key(&[], 33).0, INVALID_ARGUMENT);
    // SAFETY: NULL with a length is the case under test.
    let status = unsafe { sdm_signing_public_key(ptr::null(), 32, [0u8; 33].as_mut_ptr(), 33) };
    assert_eq!(status, INVALID_ARGUMENT);
    // The zero scalar has the right length but is no key.
    assert_eq!(signing_public_key(&[0; 32], 33).0, KEY_INVALID);
    let (status, x) = x25519_public_key(&key[..32], SDM_KEY_LEN);
    assert_eq!(status, 0);
    assert_ne!(x[..], key[..32]);
    assert_eq!(x25519_public_key(&key[..32], 31).0, INVALID_ARGUMENT);
}

#[test]
fn protect_open_and_authorization_check_key_lengths() {
    let wasm = b"\0asm\x01\0\0\0";
    let manifest = br#"{"pluginId":"p"}"#;
    let key = [1u8; 40];
    let (mut artifact, mut result) = (empty(), empty());
    let protect = |signing: &[u8], recipient: Option<&[u8]>, artifact, result| {
        // SAFETY: buffers valid for their lengths; out-params writable.
        unsafe {
            sdm_protect(
                manifest.as_ptr(),
                manifest.len(),
                wasm.as_ptr(),
                wasm.len(),
                signing.as_ptr(),
                signing.len(),
                recipient.map_or(ptr::null(), <[u8]>::as_ptr),
                recipient.map_or(0, <[u8]>::len),
                false,
                artifact,
                result,
            )
        }
    };
    assert_eq!(
        protect(&key[..31], None, &mut artifact, &mut result),
        KEY_INVALID
    );
    assert_eq!(
        protect(&key[..32], Some(&key[..33]), &mut artifact, &mut result),
        KEY_INVALID
    );
    assert!(last_message().contains("recipient_public_key"));
    assert!(artifact.ptr.is_null() && result.ptr.is_null());
    assert_eq!(
        protect(&key[..32], None, &mut artifact, &mut result),
        0,
        "{}",
        last_message()
    );
    // SAFETY: filled by the library.
    unsafe {
        sdm_bytes_free(&mut artifact);
        sdm_bytes_free(&mut result);
    }
    // Without `out_result_json` the artifact alone is returned.
    assert_eq!(
        protect(&key[..32], None, &mut artifact, ptr::null_mut()),
        0,
        "{}",
        last_message()
    );
    assert!(!artifact.ptr.is_null() && artifact.len > wasm.len());
    // SAFETY: filled by the library.
    unsafe { sdm_bytes_free(&mut artifact) };

    let (mut wasm_out, mut report) = (empty(), empty());
    let (status, trusted) = signing_public_key(&key[..32], 33);
    assert_eq!(status, 0);
    let open = |trusted: &[u8], recipient: &[u8], wasm_out, report| {
        // SAFETY: buffers valid for their lengths; out-params writable.
        unsafe {
            sdm_open(
                wasm.as_ptr(),
                wasm.len(),
                trusted.as_ptr(),
                trusted.len(),
                recipient.as_ptr(),
                recipient.len(),
                wasm_out,
                report,
            )
        }
    };
    assert_eq!(
        open(&trusted, &key[..31], &mut wasm_out, &mut report),
        KEY_INVALID
    );
    assert!(
        last_message().contains("recipient_private_key"),
        "{}",
        last_message()
    );
    assert_eq!(
        open(&trusted[..32], &key[..32], &mut wasm_out, &mut report),
        KEY_INVALID
    );
    assert!(
        last_message().contains("multiple of 33"),
        "{}",
        last_message()
    );
    assert!(wasm_out.ptr.is_null() && report.ptr.is_null());

    let mut envelope = empty();
    // SAFETY: buffers valid for their lengths.
    let status = unsafe {
        sdm_authorization_create(
            b"{}".as_ptr(),
            2,
            key.as_ptr(),
            33,
            ptr::null(),
            0,
            &mut envelope,
        )
    };
    assert_eq!(status, KEY_INVALID);
    assert!(envelope.ptr.is_null());
}

#[test]
fn messages_cross_without_the_code_and_names_come_from_sdm_error_code_name() {
    let (status, _) = signing_public_key(&[1; 31], 33);
    assert_eq!(status, KEY_INVALID);
    let message = last_message();
    assert!(
        !message.contains("[key-invalid]") && !message.starts_with('['),
        "{message}"
    );
    // SAFETY: a non-NULL result is a static C string.
    let name = unsafe { CStr::from_ptr(sdm_error_code_name(status)) };
    assert_eq!(name.to_str().unwrap(), ErrorCode::KeyInvalid.as_str());
    // Reading a name does not change the last error.
    assert_eq!(sdm_last_error_code(), KEY_INVALID);
    assert_eq!(last_message(), message);
    assert_eq!(sdm_abi_version(), SDM_ABI_VERSION);
    assert_eq!(SDM_ABI_VERSION, 2);
}
