//! The hostile-guest suite (issue 13): guests that attack the runtime through memory growth,
//! response pointers and lengths, the stack, the allocator protocol, fuel and the clock. Every
//! case asserts the exact error code, and that the next call on the same runtime (and, for
//! sessions, on the same session) still works: the process survives and nothing is poisoned.
//!
//! Already in tests/runtime.rs, not repeated here: the memory bomb in `plugin_invoke_stream`
//! and an initial memory above the cap, a response pointer of -256 and a length past the end of
//! memory, a response length of 2^31-1, the null response, a trap, `plugin_alloc` returning 0 or
//! a block past the end, infinite loops stopped by fuel and by the timeout (separately), and
//! a looping `_start`.

mod guests;

use std::time::{Duration, Instant};

use guests::{ECHO, command_with, direct, direct_with, unsigned};
use space_data_module::runtime::{
    Grants, InvokeMode, Limits, LoadedModule, Runtime, RuntimeConfig,
};
use space_data_module::{ErrorCode, Result};

fn runtime() -> Runtime {
    Runtime::new(RuntimeConfig::default()).unwrap()
}

/// Small caps, so every bomb is cheap: 16 MiB of memory, 4 KiB responses.
fn limits() -> Limits {
    Limits {
        fuel: Some(50_000_000),
        timeout: Some(Duration::from_secs(20)),
        max_memory_bytes: 16 << 20,
        max_response_bytes: 4096,
        ..Limits::default()
    }
}

fn load(rt: &Runtime, wasm: &[u8]) -> LoadedModule {
    rt.load(&unsigned(wasm)).unwrap()
}

fn call(rt: &Runtime, module: &LoadedModule, request: &[u8], limits: &Limits) -> Result<Vec<u8>> {
    rt.invoke_bytes(
        module,
        request,
        InvokeMode::Direct,
        &Grants::default(),
        limits,
    )
}

fn assert_code<T: std::fmt::Debug>(result: Result<T>, expected: ErrorCode, case: &str) {
    match result {
        Err(err) => assert_eq!(err.code(), expected, "{case}: {err}"),
        Ok(value) => panic!("{case}: expected {expected:?}, got Ok({value:?})"),
    }
}

/// The same runtime still runs a good module in both modes.
fn still_works(rt: &Runtime) {
    let echo = load(rt, &direct(ECHO));
    assert_eq!(call(rt, &echo, b"next", &limits()).unwrap(), b"next");
    let command = load(rt, &guests::command_echo());
    assert_eq!(
        rt.invoke_command_bytes(&command, b"next", &Grants::default(), &limits())
            .unwrap(),
        b"next"
    );
}

/// Memory and table bombs in every place a guest runs code: each stops at the cap with
/// `runtime-memory-limit`.
#[test]
fn memory_and_table_bombs_stop_at_the_cap_wherever_they_run() {
    const BOMB: &str = "(loop $l (drop (memory.grow (i32.const 16))) (br $l))";
    let rt = runtime();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        // One grow far past the cap (4 GiB).
        (
            "one huge grow",
            direct("(drop (memory.grow (i32.const 65535))) (i32.const 0)"),
        ),
        (
            "bomb in _initialize",
            direct_with(
                ECHO,
                "",
                &format!(r#"(func (export "_initialize") {BOMB})"#),
            ),
        ),
        ("bomb in plugin_free", direct_with(ECHO, BOMB, "")),
        (
            "table bomb",
            direct(
                "(loop $l (drop (table.grow (ref.null func) (i32.const 100000))) (br $l)) (i32.const 0)",
            ),
        ),
    ];
    for (case, wasm) in cases {
        let module = load(&rt, &wasm);
        assert_code(
            call(&rt, &module, b"x", &limits()),
            ErrorCode::RuntimeMemoryLimit,
            case,
        );
    }
    let command = load(&rt, &command_with(BOMB));
    assert_code(
        rt.run_command(&command, Vec::new(), &Grants::default(), &limits()),
        ErrorCode::RuntimeMemoryLimit,
        "bomb in _start",
    );
    // Growth up to the cap is allowed: 15 MiB more on a 64 KiB memory.
    let below = load(
        &rt,
        &direct_with(
            &format!("(drop (memory.grow (i32.const 240))) {ECHO}"),
            "",
            "",
        ),
    );
    assert_eq!(call(&rt, &below, b"fits", &limits()).unwrap(), b"fits");
    still_works(&rt);
}

/// A session whose guest bombed starts a fresh instance for the next call.
#[test]
fn a_session_survives_a_memory_bomb() {
    let rt = runtime();
    let body = format!(
        "(if (i32.eq (i32.load8_u (local.get $req)) (i32.const 0xbb)) (then (loop $l (drop (memory.grow (i32.const 16))) (br $l)))) {ECHO}"
    );
    let module = load(&rt, &direct(&body));
    let mut session = rt.session(&module, limits(), Grants::default());
    assert_eq!(session.invoke_bytes(b"before").unwrap(), b"before");
    assert_code(
        session.invoke_bytes(&[0xbb]),
        ErrorCode::RuntimeMemoryLimit,
        "bomb",
    );
    assert_eq!(session.invoke_bytes(b"after").unwrap(), b"after");
}

/// Response pointers and lengths from `plugin_invoke_stream`, table-driven. Memory is one
/// 64 KiB page and the response cap is 4096 bytes: nothing outside guest memory is ever read.
#[test]
fn response_pointers_and_lengths_are_checked_against_memory_and_the_cap() {
    let cases: &[(&str, &str, i64, std::result::Result<usize, ErrorCode>)] = &[
        ("at the cap", "", 4096, Ok(4096)),
        ("cap + 1", "", 4097, Err(ErrorCode::RuntimeResponseTooLarge)),
        (
            "length -1 (4 GiB - 1)",
            "",
            -1,
            Err(ErrorCode::RuntimeResponseTooLarge),
        ),
        (
            "length 2^31",
            "",
            i32::MIN as i64,
            Err(ErrorCode::RuntimeResponseTooLarge),
        ),
        (
            "ends at the end of memory",
            "(i32.const 61440)",
            4096,
            Ok(4096),
        ),
        (
            "one byte past the end",
            "(i32.const 61441)",
            4096,
            Err(ErrorCode::RuntimeOutOfBounds),
        ),
        (
            "straddles the end",
            "(i32.const 65535)",
            2,
            Err(ErrorCode::RuntimeOutOfBounds),
        ),
        ("empty at the end", "(i32.const 65536)", 0, Ok(0)),
        (
            "pointer past the end",
            "(i32.const 65537)",
            0,
            Err(ErrorCode::RuntimeOutOfBounds),
        ),
        (
            "pointer + length wraps 2^32",
            "(i32.const -16)",
            32,
            Err(ErrorCode::RuntimeOutOfBounds),
        ),
        (
            "pointer -1",
            "(i32.const -1)",
            1,
            Err(ErrorCode::RuntimeOutOfBounds),
        ),
        (
            "null pointer",
            "(i32.const 0)",
            16,
            Err(ErrorCode::RuntimeNullResponse),
        ),
        (
            "in memory the guest grew during the call",
            "(drop (memory.grow (i32.const 1))) (i32.const 70000)",
            100,
            Ok(100),
        ),
    ];
    let rt = runtime();
    for (case, pointer, length, expected) in cases {
        let pointer = if pointer.is_empty() {
            "(i32.const 1024)"
        } else {
            pointer
        };
        let body = format!("(i32.store (local.get $out) (i32.const {length})) {pointer}");
        let module = load(&rt, &direct(&body));
        let mut session = rt.session(&module, limits(), Grants::default());
        match expected {
            Ok(len) => assert_eq!(session.invoke_bytes(b"x").unwrap().len(), *len, "{case}"),
            Err(code) => assert_code(session.invoke_bytes(b"x"), *code, case),
        }
        // The same session answers the next call (a fresh instance after a failure).
        let again = session.invoke_bytes(b"y");
        assert_eq!(again.is_ok(), expected.is_ok(), "{case}: {again:?}");
    }
    still_works(&rt);
}

/// Where `plugin_alloc` puts the request and the length slot is checked too.
#[test]
fn allocations_outside_memory_are_refused_before_writing() {
    let alloc_at = |pointer: i32| {
        wat::parse_str(format!(
            r#"(module (memory (export "memory") 1)
  (func (export "plugin_alloc") (param i32) (result i32) (i32.const {pointer}))
  (func (export "plugin_free") (param i32 i32))
  (func (export "plugin_invoke_stream") (param i32 i32 i32) (result i32) (i32.const 1024)))"#
        ))
        .unwrap()
    };
    let rt = runtime();
    // -4: the request would wrap around 2^32; 65533: the 1-byte request fits but the 4-byte
    // length slot at the same place does not.
    for pointer in [-4, -1, 65536, 65533] {
        let module = load(&rt, &alloc_at(pointer));
        assert_code(
            call(&rt, &module, b"x", &limits()),
            ErrorCode::RuntimeOutOfBounds,
            &format!("plugin_alloc -> {pointer}"),
        );
    }
    still_works(&rt);
}

/// Deep recursion exhausts the guest stack: a trap with its own message, in both modes.
#[test]
fn stack_overflow_is_a_trap() {
    let rt = runtime();
    let module = load(
        &rt,
        &direct("(drop (call $recurse (i32.const 0))) (i32.const 0)"),
    );
    let err = call(&rt, &module, b"x", &limits()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::RuntimeTrap, "{err}");
    assert!(err.message().contains("stack"), "{err}");
    let command = load(&rt, &command_with("(drop (call $recurse (i32.const 0)))"));
    let err = rt
        .run_command(&command, Vec::new(), &Grants::default(), &limits())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::RuntimeTrap, "{err}");
    assert!(err.message().contains("stack"), "{err}");
    still_works(&rt);
}

/// The allocator protocol abused: a response freed (and even overwritten) before it is
/// returned is still only guest memory; a `plugin_free` that traps after the response was read
/// fails the call with `runtime-trap` and the session recovers.
#[test]
fn guests_that_free_before_returning_or_trap_in_free() {
    let rt = runtime();
    // Frees its response, then returns it: the bytes are still there.
    let freed = load(
        &rt,
        &direct(&format!(
            "{} (call $free (local.get $resp) (local.get $len)) (local.get $resp)",
            ECHO.trim_end().trim_end_matches("(local.get $resp)")
        )),
    );
    assert_eq!(call(&rt, &freed, b"freed", &limits()).unwrap(), b"freed");
    // Frees every block (the allocator resets), reuses the space and returns the stale
    // pointer: the host reads what the guest wrote there, never anything else.
    let reused = load(
        &rt,
        &direct(
            "(local.set $resp (call $alloc (local.get $len)))
             (memory.copy (local.get $resp) (local.get $req) (local.get $len))
             (call $free (i32.const 0) (i32.const 0)) (call $free (i32.const 0) (i32.const 0))
             (call $free (i32.const 0) (i32.const 0))
             (memory.fill (call $alloc (local.get $len)) (i32.const 0xaa) (local.get $len))
             (i32.store (local.get $out) (local.get $len))
             (local.get $resp)",
        ),
    );
    let response = call(&rt, &reused, b"abcd", &limits()).unwrap();
    assert_eq!(response.len(), 4);
    assert!(
        response.iter().all(|b| *b == 0xaa || b"abcd".contains(b)),
        "{response:?}"
    );
    // plugin_free traps when the block starts with 0xee.
    let trapping = load(
        &rt,
        &direct_with(
            ECHO,
            "(if (i32.eq (i32.load8_u (local.get 0)) (i32.const 0xee)) (then unreachable))",
            "",
        ),
    );
    let mut session = rt.session(&trapping, limits(), Grants::default());
    assert_eq!(session.invoke_bytes(b"ok").unwrap(), b"ok");
    assert_code(
        session.invoke_bytes(&[0xee, 1]),
        ErrorCode::RuntimeTrap,
        "trap in plugin_free",
    );
    assert_eq!(session.invoke_bytes(b"again").unwrap(), b"again");
    still_works(&rt);
}

/// One module, one runtime, both limits set: whichever ends first gives its own code, and the
/// module and its sessions keep working between them.
#[test]
fn fuel_exhaustion_and_timeout_in_the_same_module() {
    let rt = runtime();
    let module = load(&rt, &direct(ECHO));
    let spin = [0xffu8, 0];
    let fuel_first = Limits {
        fuel: Some(5_000_000),
        timeout: Some(Duration::from_secs(20)),
        ..limits()
    };
    let time_first = Limits {
        fuel: Some(u64::MAX / 2),
        timeout: Some(Duration::from_millis(100)),
        ..limits()
    };
    let mut by_fuel = rt.session(&module, fuel_first.clone(), Grants::default());
    let mut by_time = rt.session(&module, time_first.clone(), Grants::default());
    for round in 0..3 {
        assert_code(
            by_fuel.invoke_bytes(&spin),
            ErrorCode::RuntimeFuelExhausted,
            &format!("fuel, round {round}"),
        );
        let started = Instant::now();
        assert_code(
            by_time.invoke_bytes(&spin),
            ErrorCode::RuntimeTimeout,
            &format!("time, round {round}"),
        );
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(by_fuel.invoke_bytes(b"fuel ok").unwrap(), b"fuel ok");
        assert_eq!(by_time.invoke_bytes(b"time ok").unwrap(), b"time ok");
    }
    // The same two limits in command mode, on one module.
    let command = load(&rt, &command_with("(loop $l (br $l))"));
    for (limits, expected) in [
        (&fuel_first, ErrorCode::RuntimeFuelExhausted),
        (&time_first, ErrorCode::RuntimeTimeout),
    ] {
        assert_code(
            rt.run_command(&command, Vec::new(), &Grants::default(), limits),
            expected,
            "command",
        );
    }
    still_works(&rt);
}
