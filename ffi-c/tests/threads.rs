//! The documented thread-safety contract, exercised through the extern "C" functions: one
//! `sdm_runtime` and one `sdm_module` shared by several threads, and a per-thread last error.

use std::ffi::CStr;
use std::ptr;
use std::thread;

use space_data_module_ffi::*;

const VECTOR_MODULE: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../vectors/single-file-bundle/single-file-module.wasm"
));

/// A raw pointer that may cross threads; the contract under test says it may.
struct Shared<T>(*mut T);
impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Shared<T> {}
// SAFETY: sdm_runtime and sdm_module are documented as shareable (core types are Send+Sync).
unsafe impl<T> Send for Shared<T> {}
// SAFETY: as above.
unsafe impl<T> Sync for Shared<T> {}

fn last_message() -> String {
    // SAFETY: the library returns a valid NUL-terminated string.
    unsafe { CStr::from_ptr(sdm_last_error_message()) }
        .to_string_lossy()
        .into_owned()
}

/// Plain wasm through the fail-closed loader with the explicit allow-unsigned flag.
fn verify_unsigned(wasm: &[u8]) -> *mut sdm_verified {
    let mut verified: *mut sdm_verified = ptr::null_mut();
    // SAFETY: valid input and out-pointer.
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
    verified
}

#[test]
fn runtime_and_module_are_shared_across_threads() {
    let mut runtime: *mut sdm_runtime = ptr::null_mut();
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { sdm_runtime_new(&mut runtime) }, 0);
    let mut module: *mut sdm_module = ptr::null_mut();
    let wasm = wat::parse_str(r#"(module (func (export "plugin_invoke_stream")))"#).unwrap();
    let verified = Shared(verify_unsigned(&wasm));
    // SAFETY: live runtime, valid input and out-pointer.
    assert_eq!(
        unsafe { sdm_module_load(runtime, verified.0, &mut module) },
        0
    );
    let (shared_runtime, shared_module) = (Shared(runtime), Shared(module));

    let codes: Vec<(u32, u32)> = thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(move || {
                    let (runtime, module, verified) = (shared_runtime, shared_module, verified);
                    let mut results = (0, 0);
                    for _ in 0..5 {
                        // Loading through the shared runtime hits its module cache.
                        let mut loaded: *mut sdm_module = ptr::null_mut();
                        // SAFETY: live handles, valid buffers.
                        let status = unsafe { sdm_module_load(runtime.0, verified.0, &mut loaded) };
                        assert_eq!(status, 0, "{}", last_message());
                        // SAFETY: loaded above.
                        unsafe { sdm_module_free(loaded) };
                        // The shared module has a wrong direct ABI: every thread gets the same
                        // error status and its own message.
                        let mut response = sdm_bytes {
                            ptr: ptr::null_mut(),
                            len: 0,
                        };
                        let request = [1u8; 16];
                        // SAFETY: live module, valid buffers.
                        results.0 = unsafe {
                            sdm_module_invoke_direct(
                                module.0,
                                request.as_ptr(),
                                request.len(),
                                ptr::null(),
                                &mut response,
                            )
                        };
                        assert!(response.ptr.is_null(), "out-param written on failure");
                        results.1 = sdm_last_error_code();
                        assert!(!last_message().is_empty());
                    }
                    results
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let first = codes[0];
    assert_ne!(first.0, 0);
    for (status, last) in &codes {
        assert_eq!((*status, *last), first);
    }
    // SAFETY: freed once each, no other user left.
    unsafe {
        sdm_module_free(module);
        sdm_runtime_free(runtime);
        sdm_verified_free(verified.0);
    }
}

#[test]
fn last_error_is_per_thread() {
    let mut out = sdm_bytes {
        ptr: ptr::null_mut(),
        len: 0,
    };
    // SAFETY: a zero length is the case under test.
    assert_eq!(
        unsafe { sdm_manifest_decode(VECTOR_MODULE.as_ptr(), 0, &mut out) },
        4
    );
    assert!(
        last_message().contains("pman is empty"),
        "{}",
        last_message()
    );
    thread::spawn(|| {
        assert_eq!(sdm_last_error_code(), 0);
        assert_eq!(last_message(), "");
    })
    .join()
    .unwrap();
    assert_eq!(sdm_last_error_code(), 4);
    assert!(last_message().contains("pman is empty"));
}

/// Needs the `test-hooks` feature (`make test` turns it on): `sdm_debug_force_panic`.
#[cfg(feature = "test-hooks")]
#[test]
fn last_error_is_per_thread_and_panics_are_caught() {
    assert_eq!(sdm_debug_force_panic(), 6);
    assert_eq!(sdm_last_error_code(), 6);
    // Another thread sees its own (empty) last error, then its own failure.
    thread::spawn(|| {
        assert_eq!(sdm_last_error_code(), 0);
        let mut out = sdm_bytes {
            ptr: ptr::null_mut(),
            len: 0,
        };
        // SAFETY: NULL input is the case under test.
        assert_eq!(unsafe { sdm_bundle_inspect(ptr::null(), 4, &mut out) }, 4);
        assert!(last_message().contains("module is NULL"));
    })
    .join()
    .unwrap();
    assert_eq!(sdm_last_error_code(), 6);
    assert!(last_message().contains("sdm_debug_force_panic"));
}

#[test]
fn inspect_from_many_threads_matches_the_core() {
    let expected = serde_json::to_vec(&space_data_module::bundle::report::parsed_json(
        &space_data_module::bundle::parse(VECTOR_MODULE, &Default::default()).unwrap(),
    ))
    .unwrap();
    thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..10 {
                    let mut out = sdm_bytes {
                        ptr: ptr::null_mut(),
                        len: 0,
                    };
                    // SAFETY: valid buffers.
                    let status = unsafe {
                        sdm_bundle_inspect(VECTOR_MODULE.as_ptr(), VECTOR_MODULE.len(), &mut out)
                    };
                    assert_eq!(status, 0, "{}", last_message());
                    // SAFETY: filled by the library on success.
                    let json = unsafe { std::slice::from_raw_parts(out.ptr, out.len) };
                    assert_eq!(json, expected.as_slice());
                    // SAFETY: freed once.
                    unsafe { sdm_bytes_free(&mut out) };
                    assert!(out.ptr.is_null() && out.len == 0);
                }
            });
        }
    });
}
