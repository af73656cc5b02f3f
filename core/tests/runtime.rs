//! The wasmtime runtime against small hand-written guests (WAT): direct and command modes,
//! the embedded-manifest accessors, every limit, hostile guests, caching and threads.

use std::sync::Arc;
use std::time::{Duration, Instant};

use space_data_module::ErrorCode;
use space_data_module::invoke::{self, FrameSet};
use space_data_module::runtime::{Grants, InvokeMode, Limits, Runtime, RuntimeConfig};

mod guests;
use guests::ECHO;

/// A direct-mode guest (tests/guests): `plugin_invoke_stream` runs `invoke_body` (locals $req
/// $len $out $resp, must return i32); `extra` is spliced into the module.
fn direct_guest(invoke_body: &str, extra: &str) -> Vec<u8> {
    guests::direct_with(invoke_body, "", extra)
}

fn runtime() -> Runtime {
    Runtime::new(RuntimeConfig::default()).unwrap()
}

fn small_limits() -> Limits {
    Limits {
        fuel: Some(50_000_000),
        timeout: Some(Duration::from_secs(20)),
        max_memory_bytes: 16 << 20,
        max_response_bytes: 1 << 20,
        max_request_bytes: 2 << 20,
        ..Limits::default()
    }
}

fn direct(
    rt: &Runtime,
    wasm: &[u8],
    request: &[u8],
    limits: &Limits,
) -> space_data_module::Result<Vec<u8>> {
    let module = rt.load(&space_data_module::publication::VerifiedModule::allow_unsigned(wasm)?)?;
    rt.invoke_bytes(
        &module,
        request,
        InvokeMode::Direct,
        &Grants::default(),
        limits,
    )
}

#[test]
fn direct_echo_round_trips_bytes_of_many_sizes() {
    let rt = runtime();
    let module = rt.load(&unsigned(&direct_guest(ECHO, ""))).unwrap();
    let mut session = rt.session(&module, small_limits(), Grants::default());
    for size in [0usize, 1, 7, 4096, 65536, 1 << 20] {
        let request: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
        assert_eq!(
            session.invoke_bytes(&request).unwrap(),
            request,
            "size {size}"
        );
    }
}

#[test]
fn a_fixed_response_guest_decodes() {
    let response = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/invoke/ok-one-output.response.fb"
    ))
    .unwrap();
    let data: String = response.iter().map(|b| format!("\\{b:02x}")).collect();
    let body = format!(
        "(i32.store (local.get $out) (i32.const {})) (i32.const 32768)",
        response.len()
    );
    let wasm = direct_guest(&body, &format!(r#"(data (i32.const 32768) "{data}")"#));
    let rt = runtime();
    let module = rt.load(&unsigned(&wasm)).unwrap();
    let request = invoke::InvokeRequest::build("echo", []).unwrap();
    let decoded = rt
        .invoke(
            &module,
            &request,
            InvokeMode::Direct,
            &Grants::default(),
            &small_limits(),
        )
        .unwrap();
    assert_eq!(decoded, invoke::decode_response(&response).unwrap());
    assert_eq!(
        decoded.payload(0).map(<[u8]>::len),
        Some(decoded.output_frames[0].size as usize)
    );
}

/// Runs a hostile guest, checks its code, then checks that the same runtime still serves a
/// good module and that the same session recovers.
fn hostile(body: &str, limits: &Limits, expected: ErrorCode) {
    let rt = runtime();
    let err = direct(&rt, &direct_guest(body, ""), b"hello", limits).unwrap_err();
    assert_eq!(err.code(), expected, "{err}");
    assert_eq!(
        direct(&rt, &direct_guest(ECHO, ""), b"next", limits).unwrap(),
        b"next"
    );
}

#[test]
fn an_infinite_loop_is_stopped_by_fuel() {
    hostile(
        "(loop $l (br $l)) (i32.const 0)",
        &small_limits(),
        ErrorCode::RuntimeFuelExhausted,
    );
}

#[test]
fn an_infinite_loop_is_stopped_by_the_timeout() {
    let limits = Limits {
        fuel: None,
        timeout: Some(Duration::from_millis(200)),
        ..small_limits()
    };
    let started = Instant::now();
    hostile(
        "(loop $l (br $l)) (i32.const 0)",
        &limits,
        ErrorCode::RuntimeTimeout,
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn calls_without_a_timeout_or_fuel_limit_run() {
    // No timeout used to set the epoch deadline to u64::MAX, which overflowed inside wasmtime.
    let rt = runtime();
    for timeout in [None, Some(Duration::MAX)] {
        let limits = Limits {
            fuel: None,
            timeout,
            ..small_limits()
        };
        let wasm = direct_guest(ECHO, "");
        assert_eq!(
            direct(&rt, &wasm, b"no limits", &limits).unwrap(),
            b"no limits"
        );
    }
}

#[test]
fn a_memory_bomb_stops_at_the_cap() {
    hostile(
        "(loop $l (drop (memory.grow (i32.const 16))) (br $l)) (i32.const 0)",
        &small_limits(),
        ErrorCode::RuntimeMemoryLimit,
    );
    // A module whose initial memory is above the cap cannot even start.
    let rt = runtime();
    let big = wat::parse_str(r#"(module (memory (export "memory") 1024) (func (export "plugin_alloc") (param i32) (result i32) (i32.const 0)) (func (export "plugin_free") (param i32 i32)) (func (export "plugin_invoke_stream") (param i32 i32 i32) (result i32) (i32.const 0)))"#).unwrap();
    assert_eq!(
        direct(&rt, &big, b"x", &small_limits()).unwrap_err().code(),
        ErrorCode::RuntimeMemoryLimit
    );
}

#[test]
fn an_out_of_bounds_response_pointer_is_refused() {
    hostile(
        "(i32.store (local.get $out) (i32.const 16)) (i32.const -256)",
        &small_limits(),
        ErrorCode::RuntimeOutOfBounds,
    );
    // An in-range pointer whose length runs past the end of memory.
    hostile(
        "(i32.store (local.get $out) (i32.const 65536)) (i32.const 1024)",
        &small_limits(),
        ErrorCode::RuntimeOutOfBounds,
    );
}

#[test]
fn a_response_length_over_the_cap_is_refused() {
    hostile(
        "(i32.store (local.get $out) (i32.const 2147483647)) (i32.const 1024)",
        &small_limits(),
        ErrorCode::RuntimeResponseTooLarge,
    );
}

#[test]
fn null_responses_traps_and_failed_allocations_have_codes() {
    hostile(
        "(i32.const 0)",
        &small_limits(),
        ErrorCode::RuntimeNullResponse,
    );
    hostile("unreachable", &small_limits(), ErrorCode::RuntimeTrap);
    let rt = runtime();
    let no_alloc = direct_guest(ECHO, "").to_vec();
    let _ = no_alloc;
    let zero_alloc = wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "plugin_alloc") (param i32) (result i32) (i32.const 0)) (func (export "plugin_free") (param i32 i32)) (func (export "plugin_invoke_stream") (param i32 i32 i32) (result i32) (i32.const 0)))"#).unwrap();
    assert_eq!(
        direct(&rt, &zero_alloc, b"x", &small_limits())
            .unwrap_err()
            .code(),
        ErrorCode::RuntimeAllocFailed
    );
    let bad_alloc = wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "plugin_alloc") (param i32) (result i32) (i32.const 65534)) (func (export "plugin_free") (param i32 i32)) (func (export "plugin_invoke_stream") (param i32 i32 i32) (result i32) (i32.const 0)))"#).unwrap();
    assert_eq!(
        direct(&rt, &bad_alloc, b"xyz", &small_limits())
            .unwrap_err()
            .code(),
        ErrorCode::RuntimeOutOfBounds
    );
}

/// `_initialize` and `_start` are called through the signatures checked at load too: a
/// mistyped one is refused with the missing-export code, before anything runs, and a correctly
/// typed `_initialize` still runs before the first call.
#[test]
fn mistyped_start_and_initialize_are_refused() {
    let rt = runtime();
    let initialize_with_result = direct_guest(
        ECHO,
        r#"(func (export "_initialize") (result i32) (i32.const 1))"#,
    );
    let err = direct(&rt, &initialize_with_result, b"x", &small_limits()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::RuntimeMissingExport, "{err}");
    assert!(err.message().contains("_initialize"), "{err}");

    let initialize_traps = direct_guest(ECHO, r#"(func (export "_initialize") unreachable)"#);
    let err = direct(&rt, &initialize_traps, b"x", &small_limits()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::RuntimeTrap, "{err}");

    let start_with_param = wat::parse_str(
        r#"(module (memory (export "memory") 1) (func (export "_start") (param i32)))"#,
    )
    .unwrap();
    let module = rt.load(&unsigned(&start_with_param)).unwrap();
    let err = rt
        .run_command(&module, Vec::new(), &Grants::default(), &small_limits())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RuntimeMissingExport, "{err}");
}

#[test]
fn missing_or_mistyped_exports_are_reported() {
    let rt = runtime();
    let cases = [
        r#"(module (memory (export "memory") 1))"#,
        r#"(module (memory (export "memory") 1) (func (export "plugin_alloc") (param i32) (result i32) (i32.const 0)) (func (export "plugin_free") (param i32 i32)))"#,
        r#"(module (memory (export "memory") 1) (func (export "plugin_alloc") (param i64) (result i32) (i32.const 0)) (func (export "plugin_free") (param i32 i32)) (func (export "plugin_invoke_stream") (param i32 i32 i32) (result i32) (i32.const 0)))"#,
        r#"(module (func (export "plugin_alloc") (param i32) (result i32) (i32.const 0)) (func (export "plugin_free") (param i32 i32)) (func (export "plugin_invoke_stream") (param i32 i32 i32) (result i32) (i32.const 0)))"#,
        // Right names, wrong types: the checks made once at load must catch every one.
        r#"(module (memory (export "memory") 1) (func (export "plugin_alloc") (param i32) (result i32) (i32.const 8)) (func (export "plugin_free") (param i32 i32)) (func (export "plugin_invoke_stream") (param i32 i32 i32) (result i64) (i64.const 0)))"#,
        r#"(module (memory (export "memory") 1) (func (export "plugin_alloc") (param i32) (result i32) (i32.const 8)) (func (export "plugin_free") (param i32 i32) (result i32) (i32.const 0)) (func (export "plugin_invoke_stream") (param i32 i32 i32) (result i32) (i32.const 0)))"#,
        r#"(module (memory (export "memory") 1) (func (export "plugin_alloc") (param i32) (result i32) (i32.const 8)) (func (export "plugin_free") (param i32 i32)) (func (export "plugin_invoke_stream") (param i32 i32 i32 i32) (result i32) (i32.const 0)))"#,
        r#"(module (memory (export "memory") 1) (global (export "plugin_alloc") i32 (i32.const 0)) (func (export "plugin_free") (param i32 i32)) (func (export "plugin_invoke_stream") (param i32 i32 i32) (result i32) (i32.const 0)))"#,
    ];
    for wat_text in cases {
        let err = direct(
            &rt,
            &wat::parse_str(wat_text).unwrap(),
            b"x",
            &small_limits(),
        )
        .unwrap_err();
        assert_eq!(
            err.code(),
            ErrorCode::RuntimeMissingExport,
            "{wat_text}: {err}"
        );
        let module = rt
            .load(&unsigned(&wat::parse_str(wat_text).unwrap()))
            .unwrap();
        let err = rt
            .run_command(&module, Vec::new(), &Grants::default(), &small_limits())
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::RuntimeMissingExport);
        let err = rt
            .read_manifest_bytes(&module, &small_limits())
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::RuntimeMissingExport);
    }
    // Invalid wasm never reaches the runtime: the loader refuses it first.
    assert_eq!(
        direct(&rt, b"\0asm\x01\0\0\0\x63", b"x", &small_limits())
            .unwrap_err()
            .code(),
        ErrorCode::WasmInvalid
    );
    let unknown_import = wat::parse_str(
        r#"(module (import "sdn_host" "no_such_import" (func (param i32 i32 i32 i32) (result i32))))"#,
    )
    .unwrap();
    assert_eq!(
        rt.load(&unsigned(&unknown_import)).unwrap_err().code(),
        ErrorCode::RuntimeInstantiateFailed
    );
}

#[test]
fn requests_over_the_cap_are_refused_before_the_guest_runs() {
    let rt = runtime();
    let limits = Limits {
        max_request_bytes: 4,
        ..small_limits()
    };
    assert_eq!(
        direct(&rt, &direct_guest(ECHO, ""), b"hello", &limits)
            .unwrap_err()
            .code(),
        ErrorCode::RuntimeRequestTooLarge
    );
    // Exactly at the cap is allowed.
    assert_eq!(
        direct(&rt, &direct_guest(ECHO, ""), b"hell", &limits).unwrap(),
        b"hell"
    );
}

#[test]
fn a_session_recovers_after_a_failure() {
    let rt = runtime();
    let module = rt.load(&unsigned(&direct_guest(ECHO, ""))).unwrap();
    let mut session = rt.session(&module, small_limits(), Grants::default());
    assert_eq!(session.invoke_bytes(b"one").unwrap(), b"one");
    assert_eq!(
        session.invoke_bytes(&[0xff, 1]).unwrap_err().code(),
        ErrorCode::RuntimeFuelExhausted
    );
    assert_eq!(session.invoke_bytes(b"two").unwrap(), b"two");
    // Fuel is re-armed per call: many calls in one session never add up to exhaustion.
    for _ in 0..200 {
        assert_eq!(session.invoke_bytes(&[7; 1000]).unwrap().len(), 1000);
    }
}

/// A command guest: copies stdin (up to 64 KiB) to stdout, then exits with
/// `(argc - 1) + 10 * environ_count`.
fn command_guest() -> Vec<u8> {
    wat::parse_str(
        r#"(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 2)
  (func (export "_start")
    (local $total i32) (local $n i32)
    (block $done
      (loop $read
        (i32.store (i32.const 0) (i32.add (i32.const 1024) (local.get $total)))
        (i32.store (i32.const 4) (i32.sub (i32.const 65536) (local.get $total)))
        (br_if $done (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
        (local.set $n (i32.load (i32.const 8)))
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $total (i32.add (local.get $total) (local.get $n)))
        (br $read)))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (local.get $total))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (drop (call $environ_sizes_get (i32.const 24) (i32.const 28)))
    (call $proc_exit (i32.add (i32.sub (i32.load (i32.const 16)) (i32.const 1))
                              (i32.mul (i32.load (i32.const 24)) (i32.const 10))))))"#,
    )
    .unwrap()
}

#[test]
fn command_mode_runs_stdin_to_stdout_with_only_granted_args_and_env() {
    let rt = runtime();
    let module = rt.load(&unsigned(&command_guest())).unwrap();
    let limits = small_limits();
    let out = rt
        .invoke_command_bytes(&module, b"request bytes", &Grants::default(), &limits)
        .unwrap();
    assert_eq!(out, b"request bytes");
    // Nothing is inherited: argc is 1 and the environment is empty.
    let run = rt
        .run_command(&module, b"x".to_vec(), &Grants::default(), &limits)
        .unwrap();
    assert_eq!((run.exit_code, run.stdout.as_slice()), (0, &b"x"[..]));
    let grants = Grants {
        args: vec!["a".into()],
        env: vec![("K".into(), "V".into()), ("L".into(), "W".into())],
        preopens: vec![],
        ..Grants::default()
    };
    assert_eq!(
        rt.run_command(&module, Vec::new(), &grants, &limits)
            .unwrap()
            .exit_code,
        21
    );
    // The raw shortcut passes `--method NAME` (argc 3) and no other argument.
    let raw = rt
        .run_raw(&module, "echo", b"payload".to_vec(), &grants, &limits)
        .unwrap();
    assert_eq!(
        (raw.exit_code, raw.stdout.as_slice()),
        (22, &b"payload"[..])
    );
    // Exit codes other than 0/1 mean "no response".
    let many = Grants {
        args: (0..63).map(|i| i.to_string()).collect(),
        ..Grants::default()
    };
    let err = rt
        .invoke_command_bytes(&module, b"x", &many, &limits)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RuntimeCommandFailed);
    // Stdout over the response cap.
    let tight = Limits {
        max_response_bytes: 16,
        ..limits.clone()
    };
    let err = rt
        .invoke_command_bytes(&module, &[1; 100], &Grants::default(), &tight)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RuntimeResponseTooLarge, "{err}");
    // Stdin over the request cap.
    let tight = Limits {
        max_request_bytes: 16,
        ..limits
    };
    let err = rt
        .invoke_command_bytes(&module, &[1; 100], &Grants::default(), &tight)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RuntimeRequestTooLarge);
    // And the runtime keeps working.
    assert_eq!(
        rt.invoke_command_bytes(&module, b"ok", &Grants::default(), &small_limits())
            .unwrap(),
        b"ok"
    );
}

#[test]
fn command_mode_loops_are_stopped() {
    let rt = runtime();
    let module = rt.load(&unsigned(&wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "_start") (loop $l (br $l))))"#).unwrap())).unwrap();
    let err = rt
        .run_command(&module, Vec::new(), &Grants::default(), &small_limits())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RuntimeFuelExhausted);
}

fn manifest_guest(size_expr: &str, ptr_expr: &str, bytes: &[u8]) -> Vec<u8> {
    let data: String = bytes.iter().map(|b| format!("\\{b:02x}")).collect();
    wat::parse_str(format!(
        r#"(module (memory (export "memory") 1)
  (data (i32.const 4096) "{data}")
  (func (export "plugin_get_manifest_flatbuffer") (result i32) {ptr_expr})
  (func (export "plugin_get_manifest_flatbuffer_size") (result i32) {size_expr}))"#
    ))
    .unwrap()
}

#[test]
fn the_embedded_manifest_is_read_with_bounds_checks() {
    let manifest = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/manifests/minimal.manifest.fb"
    ))
    .unwrap();
    let rt = runtime();
    let limits = small_limits();
    let good = rt
        .load(&unsigned(&manifest_guest(
            &format!("(i32.const {})", manifest.len()),
            "(i32.const 4096)",
            &manifest,
        )))
        .unwrap();
    assert_eq!(rt.read_manifest_bytes(&good, &limits).unwrap(), manifest);
    let past_end = rt
        .load(&unsigned(&manifest_guest(
            "(i32.const 4096)",
            "(i32.const 63488)",
            &manifest,
        )))
        .unwrap();
    assert_eq!(
        rt.read_manifest_bytes(&past_end, &limits)
            .unwrap_err()
            .code(),
        ErrorCode::RuntimeOutOfBounds
    );
    let huge = rt
        .load(&unsigned(&manifest_guest(
            "(i32.const -1)",
            "(i32.const 4096)",
            &manifest,
        )))
        .unwrap();
    assert_eq!(
        rt.read_manifest_bytes(&huge, &limits).unwrap_err().code(),
        ErrorCode::RuntimeResponseTooLarge
    );
    let looping = rt
        .load(&unsigned(&manifest_guest(
            "(loop $l (br $l)) (i32.const 0)",
            "(i32.const 4096)",
            &manifest,
        )))
        .unwrap();
    assert_eq!(
        rt.read_manifest_bytes(&looping, &limits)
            .unwrap_err()
            .code(),
        ErrorCode::RuntimeFuelExhausted
    );
}

#[test]
fn compiled_modules_are_cached_by_hash_ignoring_sds_sections() {
    let rt = runtime();
    let wasm = direct_guest(ECHO, "");
    let first = rt.load(&unsigned(&wasm)).unwrap();
    let mut with_bundle = wasm.clone();
    // Any `sds.*` custom section is left out of the hash (an `sds.bundle` would be parsed by
    // the loader, so a neutral one is used here).
    with_bundle.extend_from_slice(&[0, 13, 9]);
    with_bundle.extend_from_slice(b"sds.notes");
    with_bundle.extend_from_slice(b"abc");
    let second = rt.load(&unsigned(&with_bundle)).unwrap();
    assert_eq!(first.hash(), second.hash());
    assert_eq!(rt.cached_modules(), 1);
    rt.load(&unsigned(&command_guest())).unwrap();
    assert_eq!(rt.cached_modules(), 2);
}

#[test]
fn one_runtime_serves_many_threads() {
    let rt = Arc::new(runtime());
    let module = rt.load(&unsigned(&direct_guest(ECHO, ""))).unwrap();
    let threads: Vec<_> = (0..4u8)
        .map(|t| {
            let rt = Arc::clone(&rt);
            let module = module.clone();
            std::thread::spawn(move || {
                let mut session = rt.session(&module, small_limits(), Grants::default());
                for i in 0..25u8 {
                    let request = vec![t, i, 42];
                    assert_eq!(session.invoke_bytes(&request).unwrap(), request);
                    let one_shot = rt
                        .invoke_bytes(
                            &module,
                            &request,
                            InvokeMode::Direct,
                            &Grants::default(),
                            &small_limits(),
                        )
                        .unwrap();
                    assert_eq!(one_shot, request);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
}

/// Opens `greeting.txt` in the first preopened directory (fd 3) and copies it to stdout; exits
/// with 100 + errno when the open fails.
fn preopen_reader() -> Vec<u8> {
    wat::parse_str(
        r#"(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "greeting.txt")
  (func (export "_start")
    (local $errno i32)
    (local.set $errno (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 12) (i32.const 0)
                                       (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 200)))
    (if (local.get $errno) (then (call $proc_exit (i32.add (i32.const 100) (local.get $errno)))))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 1000))
    (drop (call $fd_read (i32.load (i32.const 200)) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 4) (i32.load (i32.const 8)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#,
    )
    .unwrap()
}

#[test]
fn preopened_directories_are_visible_only_when_granted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("greeting.txt"), b"hello from the host").unwrap();
    let rt = runtime();
    let module = rt.load(&unsigned(&preopen_reader())).unwrap();
    let limits = small_limits();
    let denied = rt
        .run_command(&module, Vec::new(), &Grants::default(), &limits)
        .unwrap();
    assert!(
        denied.exit_code > 100 && denied.stdout.is_empty(),
        "{denied:?}"
    );
    let grants = Grants {
        preopens: vec![space_data_module::runtime::Preopen {
            host_path: dir.path().to_path_buf(),
            guest_path: "/data".into(),
            read_only: true,
        }],
        ..Grants::default()
    };
    let granted = rt
        .run_command(&module, Vec::new(), &grants, &limits)
        .unwrap();
    assert_eq!(
        (granted.exit_code, granted.stdout.as_slice()),
        (0, &b"hello from the host"[..])
    );
    let missing = Grants {
        preopens: vec![space_data_module::runtime::Preopen {
            host_path: dir.path().join("nope"),
            guest_path: "/x".into(),
            read_only: true,
        }],
        ..Grants::default()
    };
    assert_eq!(
        rt.run_command(&module, Vec::new(), &missing, &limits)
            .unwrap_err()
            .code(),
        ErrorCode::Io
    );
}

/// Plain wasm through the loader's explicit allow-unsigned path (the runtime takes only
/// verified modules).
fn unsigned(wasm: &[u8]) -> space_data_module::publication::VerifiedModule {
    space_data_module::publication::VerifiedModule::allow_unsigned(wasm).expect("valid wasm")
}
