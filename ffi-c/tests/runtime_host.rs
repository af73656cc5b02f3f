//! `sdm_runtime_host` through the extern "C" functions: one durable host shared by 8 threads,
//! rows surviving a reopen, and the registry's stable error codes.

use std::ptr;
use std::thread;

use space_data_module_ffi::*;

/// A raw pointer that may cross threads; docs/c-abi.md says `sdm_runtime_host` may.
#[derive(Clone, Copy)]
struct Shared(*mut sdm_runtime_host);
// SAFETY: the core RuntimeHost is Send + Sync (the contract under test).
unsafe impl Send for Shared {}
// SAFETY: as above.
unsafe impl Sync for Shared {}

fn open(path: &str) -> *mut sdm_runtime_host {
    let mut host: *mut sdm_runtime_host = ptr::null_mut();
    // SAFETY: valid input and out-pointer.
    assert_eq!(
        unsafe { sdm_runtime_host_open(path.as_ptr(), path.len(), &mut host) },
        0
    );
    host
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

fn take(bytes: &mut sdm_bytes) -> Vec<u8> {
    let out = if bytes.ptr.is_null() {
        Vec::new()
    } else {
        // SAFETY: the library filled ptr/len.
        unsafe { std::slice::from_raw_parts(bytes.ptr, bytes.len) }.to_vec()
    };
    // SAFETY: a buffer filled by the library.
    unsafe { sdm_bytes_free(bytes) };
    out
}

#[test]
fn one_durable_host_serves_eight_threads_and_survives_a_reopen() {
    // No tempfile dev-dependency in this crate: a per-process directory, removed at the end.
    let dir = std::env::temp_dir().join(format!("sdm-ffi-runtime-host-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("rows.db").to_string_lossy().into_owned();
    let host = Shared(open(&path));
    let per_thread = 25u64;
    let ids: Vec<Vec<u64>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..8)
            .map(|thread| {
                scope.spawn(move || {
                    let host = host;
                    let payload = format!("{{\"thread\":{thread}}}");
                    (0..per_thread)
                        .map(|_| {
                            let mut id = 0u64;
                            // SAFETY: live shared handle, valid buffers.
                            let status = unsafe {
                                sdm_runtime_host_append_row(
                                    host.0,
                                    b"OMM".as_ptr(),
                                    3,
                                    payload.as_ptr(),
                                    payload.len(),
                                    &mut id,
                                )
                            };
                            assert_eq!(status, 0);
                            id
                        })
                        .collect()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let mut all: Vec<u64> = ids.concat();
    for mine in &ids {
        assert!(mine.windows(2).all(|pair| pair[0] < pair[1]));
    }
    all.sort_unstable();
    assert_eq!(all, (1..=8 * per_thread).collect::<Vec<_>>());
    // SAFETY: no thread uses the handle any more.
    unsafe { sdm_runtime_host_free(host.0) };

    let reopened = open(&path);
    let mut json = sdm_bytes {
        ptr: ptr::null_mut(),
        len: 0,
    };
    // SAFETY: live handle, valid buffers.
    assert_eq!(
        unsafe { sdm_runtime_host_list_rows(reopened, b"OMM".as_ptr(), 3, &mut json) },
        0
    );
    let rows: serde_json::Value = serde_json::from_slice(&take(&mut json)).unwrap();
    assert_eq!(rows.as_array().unwrap().len() as u64, 8 * per_thread);
    let mut id = 0u64;
    // SAFETY: live handle, valid buffers.
    assert_eq!(
        unsafe {
            sdm_runtime_host_append_row(reopened, b"OMM".as_ptr(), 3, b"1".as_ptr(), 1, &mut id)
        },
        0
    );
    assert_eq!(id, 8 * per_thread + 1);

    // Registry codes: 864 before load and after unload, 863 for an unknown id.
    let wasm = wat::parse_str(r#"(module (memory (export "memory") 1))"#).unwrap();
    let verified = verify_unsigned(&wasm);
    // SAFETY: live handle, valid buffers.
    assert_eq!(
        unsafe {
            sdm_runtime_host_install_module(
                reopened,
                b"m".as_ptr(),
                1,
                verified,
                ptr::null(),
                0,
                false,
                &mut json,
            )
        },
        0
    );
    let installed: serde_json::Value = serde_json::from_slice(&take(&mut json)).unwrap();
    assert_eq!(installed["module"]["moduleId"], "m");
    assert_eq!(installed["module"]["loaded"], false);
    let invoke = |id: &[u8]| {
        let mut out = sdm_bytes {
            ptr: ptr::null_mut(),
            len: 0,
        };
        // SAFETY: live handle, valid buffers.
        unsafe {
            sdm_runtime_host_invoke(reopened, id.as_ptr(), id.len(), b"x".as_ptr(), 1, &mut out)
        }
    };
    assert_eq!(invoke(b"m"), 864);
    assert_eq!(invoke(b"ghost"), 863);
    // SAFETY: live handle, valid input.
    assert_eq!(
        unsafe { sdm_runtime_host_load_module(reopened, b"m".as_ptr(), 1) },
        0
    );
    assert_ne!(invoke(b"m"), 864); // loaded: the runtime's own error (no invoke export)
    let mut was_loaded = false;
    // SAFETY: live handle, valid buffers.
    assert_eq!(
        unsafe { sdm_runtime_host_unload_module(reopened, b"m".as_ptr(), 1, &mut was_loaded) },
        0
    );
    assert!(was_loaded);
    assert_eq!(invoke(b"m"), 864);
    // SAFETY: not used afterwards.
    unsafe { sdm_runtime_host_free(reopened) };
    let _ = std::fs::remove_dir_all(&dir);
}
