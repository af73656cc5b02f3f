//! `sdm_module_run` through its extern "C" symbol: a WASI program's args, stdin, stdout,
//! stderr and exit code, and the argument errors (NULL, malformed or unknown program JSON),
//! with the out-params untouched on every failure.

use std::ffi::CStr;
use std::ptr;

use space_data_module::ErrorCode;
use space_data_module_ffi::*;

/// `_start`: copies up to 4 KiB of stdin to stdout, writes "err" to stderr and exits with
/// argc (argv[0] included).
const PROGRAM_WAT: &str = r#"
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "err")
  (func (export "_start")
    (drop (call $args_sizes (i32.const 100) (i32.const 104)))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 4096))
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 4) (i32.load (i32.const 8)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))
    (i32.store (i32.const 0) (i32.const 32))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 12)))
    (call $proc_exit (i32.load (i32.const 100)))))
"#;

struct Loaded {
    runtime: *mut sdm_runtime,
    module: *mut sdm_module,
}

impl Drop for Loaded {
    fn drop(&mut self) {
        // SAFETY: handles from sdm_runtime_new / sdm_module_load, freed once.
        unsafe {
            sdm_module_free(self.module);
            sdm_runtime_free(self.runtime);
        }
    }
}

fn load(wat: &str) -> Loaded {
    let wasm = wat::parse_str(wat).unwrap();
    let mut verified: *mut sdm_verified = ptr::null_mut();
    let mut runtime: *mut sdm_runtime = ptr::null_mut();
    let mut module: *mut sdm_module = ptr::null_mut();
    // SAFETY: valid inputs and out-pointers; every handle is freed below or by `Loaded`.
    unsafe {
        assert_eq!(
            sdm_verify(
                wasm.as_ptr(),
                wasm.len(),
                ptr::null(),
                0,
                ptr::null(),
                0,
                SDM_VERIFY_ALLOW_UNSIGNED,
                &mut verified,
            ),
            0
        );
        assert_eq!(sdm_runtime_new(&mut runtime), 0);
        assert_eq!(sdm_module_load(runtime, verified, &mut module), 0);
        sdm_verified_free(verified);
    }
    Loaded { runtime, module }
}

/// What one call returned: the status, or the outputs.
#[derive(Debug, PartialEq)]
enum Run {
    Failed(u32),
    Ran(i32, Vec<u8>, Vec<u8>),
}

fn take(bytes: &mut sdm_bytes) -> Vec<u8> {
    let copy = if bytes.ptr.is_null() {
        Vec::new()
    } else {
        // SAFETY: a buffer the library filled.
        unsafe { std::slice::from_raw_parts(bytes.ptr, bytes.len) }.to_vec()
    };
    // SAFETY: as above.
    unsafe { sdm_bytes_free(bytes) };
    copy
}

/// Calls `sdm_module_run` with sentinel out-params and checks that a failure leaves them
/// untouched.
fn run(
    module: *const sdm_module,
    program: Option<&[u8]>,
    stdin: (*const u8, usize),
    host: *const sdm_host,
    limits: Option<&sdm_limits>,
) -> Run {
    let mut exit_code = -12345;
    let sentinel = 0xdead_usize as *mut u8;
    let mut stdout = sdm_bytes {
        ptr: sentinel,
        len: 7,
    };
    let mut stderr = sdm_bytes {
        ptr: sentinel,
        len: 7,
    };
    let (program_ptr, program_len) = program.map_or((ptr::null(), 0), |p| (p.as_ptr(), p.len()));
    // SAFETY: valid (or deliberately NULL) pointers with their lengths.
    let status = unsafe {
        sdm_module_run(
            module,
            program_ptr,
            program_len,
            stdin.0,
            stdin.1,
            host,
            limits.map_or(ptr::null(), |l| l as *const sdm_limits),
            &mut exit_code,
            &mut stdout,
            &mut stderr,
        )
    };
    if status != 0 {
        assert_eq!(exit_code, -12345, "exit code written on failure");
        assert!(stdout.ptr == sentinel && stdout.len == 7, "stdout written");
        assert!(stderr.ptr == sentinel && stderr.len == 7, "stderr written");
        return Run::Failed(status);
    }
    Run::Ran(exit_code, take(&mut stdout), take(&mut stderr))
}

fn last_message() -> String {
    // SAFETY: the library returns a valid NUL-terminated string.
    unsafe { CStr::from_ptr(sdm_last_error_message()) }
        .to_string_lossy()
        .into_owned()
}

const INVALID_ARGUMENT: u32 = SDM_ERR_INVALID_ARGUMENT;

#[test]
fn runs_start_with_args_stdin_stdout_stderr_and_exit_code() {
    let loaded = load(PROGRAM_WAT);
    let stdin = b"hello";
    let program = br#"{"args":["a","b"],"env":{"K":"v"}}"#;
    assert_eq!(
        run(
            loaded.module,
            Some(program),
            (stdin.as_ptr(), stdin.len()),
            ptr::null(),
            None
        ),
        Run::Ran(3, b"hello".to_vec(), b"err".to_vec())
    );
    // No program, no stdin (NULL or any pointer with length 0), a host that grants nothing,
    // explicit default limits: argv is ["module"], stdout is empty ({NULL, 0}).
    let mut host: *mut sdm_host = ptr::null_mut();
    // SAFETY: valid input and out-pointer.
    assert_eq!(unsafe { sdm_host_new(b"{}".as_ptr(), 2, &mut host) }, 0);
    let limits = sdm_limits_default();
    for stdin in [(ptr::null(), 0), (stdin.as_ptr(), 0)] {
        assert_eq!(
            run(loaded.module, None, stdin, host, Some(&limits)),
            Run::Ran(1, Vec::new(), b"err".to_vec())
        );
    }
    // SAFETY: from sdm_host_new.
    unsafe { sdm_host_free(host) };
}

#[test]
fn argument_errors_are_invalid_argument_and_write_nothing() {
    let loaded = load(PROGRAM_WAT);
    let none = (ptr::null(), 0);
    assert_eq!(
        run(ptr::null(), None, none, ptr::null(), None),
        Run::Failed(INVALID_ARGUMENT)
    );
    assert!(last_message().contains("module is NULL"));
    for (json, mentions) in [
        (&b"{"[..], "program JSON"),
        (b"[]", "program JSON"),
        (br#"{"argv":["a"]}"#, "argv"),
        (br#"{"args":"a"}"#, "program JSON"),
        (
            br#"{"preopens":[{"hostPath":"/tmp","guestPath":"/t","mode":"rw"}]}"#,
            "mode",
        ),
        (br#"{"env":{"A=B":"v"}}"#, "A=B"),
        (b"\xff\xfe", "program JSON"),
    ] {
        assert_eq!(
            run(loaded.module, Some(json), none, ptr::null(), None),
            Run::Failed(INVALID_ARGUMENT),
            "{}",
            String::from_utf8_lossy(json)
        );
        assert!(last_message().contains(mentions), "{}", last_message());
    }
    // A present but empty program JSON is not "absent" (the optional-input rule).
    assert_eq!(
        run(loaded.module, Some(&b"{}"[..0]), none, ptr::null(), None),
        Run::Failed(INVALID_ARGUMENT)
    );
    // NULL stdin with a length, and a length above the input cap.
    assert_eq!(
        run(loaded.module, None, (ptr::null(), 3), ptr::null(), None),
        Run::Failed(INVALID_ARGUMENT)
    );
    assert_eq!(
        run(
            loaded.module,
            None,
            (b"x".as_ptr(), usize::MAX),
            ptr::null(),
            None
        ),
        Run::Failed(INVALID_ARGUMENT)
    );

    // A NULL out-param fails before anything runs.
    let (mut exit_code, mut stdout, mut stderr) = (
        0,
        sdm_bytes {
            ptr: ptr::null_mut(),
            len: 0,
        },
        sdm_bytes {
            ptr: ptr::null_mut(),
            len: 0,
        },
    );
    // SAFETY: valid handle; NULL out-params on purpose.
    unsafe {
        let module = loaded.module;
        let null = ptr::null();
        let none = ptr::null();
        let status = [
            sdm_module_run(
                module,
                null,
                0,
                null,
                0,
                none,
                ptr::null(),
                ptr::null_mut(),
                &mut stdout,
                &mut stderr,
            ),
            sdm_module_run(
                module,
                null,
                0,
                null,
                0,
                none,
                ptr::null(),
                &mut exit_code,
                ptr::null_mut(),
                &mut stderr,
            ),
            sdm_module_run(
                module,
                null,
                0,
                null,
                0,
                none,
                ptr::null(),
                &mut exit_code,
                &mut stdout,
                ptr::null_mut(),
            ),
        ];
        assert_eq!(status, [INVALID_ARGUMENT; 3]);
    }
    assert!(stdout.ptr.is_null() && stderr.ptr.is_null());
}

#[test]
fn runtime_errors_keep_their_codes() {
    let reactor =
        load(r#"(module (memory (export "memory") 1) (func (export "plugin_invoke_stream")))"#);
    assert_eq!(
        run(reactor.module, None, (ptr::null(), 0), ptr::null(), None),
        Run::Failed(ErrorCode::RuntimeMissingExport.number())
    );

    let loaded = load(PROGRAM_WAT);
    let limits = sdm_limits {
        max_request_bytes: 2,
        ..sdm_limits_default()
    };
    let stdin = b"hello";
    assert_eq!(
        run(
            loaded.module,
            None,
            (stdin.as_ptr(), stdin.len()),
            ptr::null(),
            Some(&limits)
        ),
        Run::Failed(ErrorCode::RuntimeRequestTooLarge.number())
    );
    let missing = br#"{"preopens":[{"hostPath":"/nonexistent/sdm-run-test","guestPath":"/d"}]}"#;
    let Run::Failed(status) = run(
        loaded.module,
        Some(missing),
        (ptr::null(), 0),
        ptr::null(),
        None,
    ) else {
        panic!("a preopen of a missing directory ran");
    };
    assert_ne!(status, 0);
    assert!(
        last_message().contains("sdm-run-test"),
        "{}",
        last_message()
    );
}
