//! Stress (issue 13): one [`Runtime`] and one [`RuntimeHost`] (with its host policy) shared by
//! eight threads, each invoking a different module, for a while. Every call's result is
//! asserted; a watchdog fails the run, naming the thread, when one makes no progress; resident
//! memory after the run must stay within a stated factor of the memory after warm-up; and
//! dropping everything must give back every thread the run started.
//!
//! - `cargo test` runs the short form (1 s) so it is in CI.
//! - `make stress` runs the `#[ignore]`d long form: `SDM_STRESS_SECONDS` (default 10),
//!   `SDM_STRESS_STALL_SECONDS` (watchdog, default 20), `SDM_STRESS_RSS_FACTOR` (default 1.5).
//!
//! The echo and host-proxy examples are compiled from examples/ when the wasm32-wasi C
//! toolchain is installed (`make deps`); without it, WAT stand-ins with the same roles run.

mod guests;
mod support;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use space_data_module::ErrorCode;
use space_data_module::api::format::{self, BundleOptions};
use space_data_module::api::program::{self, Program, ProgramPreopen};
use space_data_module::compiler::{self, Toolchain};
use space_data_module::host::HostPolicy;
use space_data_module::invoke::{FrameSet, FrameSpec, InvokeRequest};
use space_data_module::runtime::{
    Grants, InvokeMode, Limits, LoadedModule, Runtime, RuntimeConfig,
};
use space_data_module::runtime_host::{MemoryRowStore, ModuleRef, RuntimeHost};
use support::{Raw, Reply, guest_wasm, unsigned};

/// Memory after the run may be at most this factor of the memory after warm-up, plus
/// [`RSS_SLACK_BYTES`] (allocator arenas settle during the first seconds).
const DEFAULT_RSS_FACTOR: f64 = 1.5;
const RSS_SLACK_BYTES: u64 = 32 << 20;

#[test]
fn eight_threads_share_one_runtime_and_host_briefly() {
    stress(Duration::from_secs(1));
}

/// `make stress`.
#[test]
#[ignore = "long: run by `make stress` (SDM_STRESS_SECONDS, default 10)"]
fn eight_threads_share_one_runtime_and_host() {
    let seconds = env_number("SDM_STRESS_SECONDS", 10.0);
    stress(Duration::from_secs_f64(seconds));
}

fn env_number(name: &str, default: f64) -> f64 {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a number")),
        Err(_) => default,
    }
}

/// One line of /proc/self/status as a number (kB lines in bytes).
fn proc_status(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|line| line.starts_with(&format!("{key}:")))
        .unwrap_or_else(|| panic!("no {key} in /proc/self/status"));
    let mut fields = line[key.len() + 1..].split_whitespace();
    let value: u64 = fields.next().and_then(|n| n.parse().ok()).expect(key);
    match fields.next() {
        Some("kB") => value * 1024,
        _ => value,
    }
}

/// One thread's job: call number `i` of its module, asserting the result.
type Call = Box<dyn FnMut(u64) -> Result<(), String> + Send>;

struct Workload {
    name: String,
    call: Call,
}

fn workload(
    name: impl Into<String>,
    call: impl FnMut(u64) -> Result<(), String> + Send + 'static,
) -> Workload {
    Workload {
        name: name.into(),
        call: Box::new(call),
    }
}

fn check(ok: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what()) }
}

fn expect_code<T: std::fmt::Debug>(
    result: space_data_module::Result<T>,
    expected: ErrorCode,
) -> Result<(), String> {
    match result {
        Err(err) if err.code() == expected => Ok(()),
        other => Err(format!("expected {expected:?}, got {other:?}")),
    }
}

/// A payload that differs per thread and call, with sizes from 0 to about 64 KiB.
fn payload(seed: u64, i: u64) -> Vec<u8> {
    let len = ((i * 7919 + seed * 104_729) % 65_536) as usize;
    let mut data: Vec<u8> = (0..len).map(|k| (k as u64 ^ i ^ seed) as u8).collect();
    // A first byte of 0xff makes the WAT echo spin (its hostile switch): keep it below.
    if let Some(first) = data.first_mut() {
        *first &= 0x7f;
    }
    data
}

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn read_json(path: &str) -> Value {
    serde_json::from_slice(&std::fs::read(root().join(path)).unwrap()).unwrap()
}

/// The C examples, when the toolchain is installed.
struct Compiled {
    echo_direct: Vec<u8>,
    echo_command: Vec<u8>,
    host_proxy: Vec<u8>,
}

fn compile_examples() -> Option<Compiled> {
    let toolchain = match Toolchain::detect() {
        Ok(toolchain) => toolchain,
        Err(err) => {
            eprintln!("no wasm32-wasi C toolchain ({err}): WAT stand-ins replace the C examples");
            return None;
        }
    };
    let compile = |manifest: &str, source: &str, undefined: bool| {
        let manifest = read_json(manifest);
        let source = std::fs::read_to_string(root().join(source)).unwrap();
        compiler::compile_with_manifest(&toolchain, &manifest, &source, "c", undefined)
            .unwrap_or_else(|err| panic!("{err}"))
            .wasm
    };
    Some(Compiled {
        echo_direct: compile(
            "examples/invoke-echo/manifest.direct.json",
            "examples/invoke-echo/module.c",
            false,
        ),
        echo_command: compile(
            "examples/invoke-echo/manifest.command.json",
            "examples/invoke-echo/module.c",
            false,
        ),
        host_proxy: compile(
            "examples/host-proxy/manifest.json",
            "examples/host-proxy/module.c",
            true,
        ),
    })
}

/// A WASI program: copies `greeting.txt` of the first preopen to stdout; exits 100 + errno
/// when it cannot open it.
fn wat_program() -> Vec<u8> {
    wat::parse_str(
        r#"(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
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
    (drop (call $fd_close (i32.load (i32.const 200))))
    (i32.store (i32.const 4) (i32.load (i32.const 8)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#,
    )
    .unwrap()
}

/// The hostcall guest (tests/support) bundled with a manifest declaring `clock` and `random`,
/// so a registry host may grant it those.
fn bundled_hostcall_guest() -> Vec<u8> {
    let mut manifest = read_json("vectors/single-file-bundle/manifest.json");
    manifest["capabilities"] = json!(["clock", "random"]);
    format::create_bundle(
        &guest_wasm(),
        &manifest.to_string(),
        &BundleOptions::default(),
    )
    .unwrap()
    .wasm
}

fn registry_limits() -> Limits {
    Limits {
        timeout: Some(Duration::from_secs(10)),
        max_memory_bytes: 64 << 20,
        ..Limits::default()
    }
}

fn hostile_limits() -> Limits {
    Limits {
        fuel: Some(20_000_000),
        timeout: Some(Duration::from_secs(10)),
        max_memory_bytes: 16 << 20,
        max_response_bytes: 1 << 20,
        ..Limits::default()
    }
}

fn load(runtime: &Runtime, wasm: &[u8]) -> LoadedModule {
    runtime.load(&unsigned(wasm)).unwrap()
}

/// The eight workloads over the shared runtime and host.
fn workloads(runtime: &Arc<Runtime>, host: &Arc<RuntimeHost>, files: &Path) -> Vec<Workload> {
    let compiled = compile_examples();
    let install = |id: &str, wasm: &[u8]| {
        host.modules()
            .install(id, &unsigned(wasm), &Value::Null)
            .unwrap();
        host.modules().load(&ModuleRef::from(id)).unwrap();
        ModuleRef::from(id)
    };
    let mut jobs = Vec::new();

    // 1, 2: the echo example, direct and command mode, through the registry.
    match &compiled {
        Some(c) => {
            for (id, wasm, seed) in [
                ("echo-direct", &c.echo_direct, 1),
                ("echo-command", &c.echo_command, 2),
            ] {
                let module = install(id, wasm);
                let host = Arc::clone(host);
                jobs.push(workload(format!("{id} (C)"), move |i| {
                    let data = payload(seed, i);
                    let request = InvokeRequest::build(
                        "echo",
                        [(FrameSpec::new("echo", None), data.as_slice())],
                    )
                    .map_err(|e| e.to_string())?;
                    let response = host
                        .modules()
                        .invoke(&module, &request)
                        .map_err(|e| e.to_string())?;
                    check(response.status_code == 0, || {
                        format!("status {}", response.status_code)
                    })?;
                    check(response.payload(0) == Some(data.as_slice()), || {
                        "echo differs".into()
                    })
                }));
            }
        }
        None => {
            for (id, wasm, seed) in [
                ("echo-direct", guests::direct(guests::ECHO), 1),
                ("echo-command", guests::command_echo(), 2),
            ] {
                let module = install(id, &wasm);
                let host = Arc::clone(host);
                jobs.push(workload(format!("{id} (WAT)"), move |i| {
                    let data = payload(seed, i);
                    let response = host
                        .modules()
                        .invoke_bytes(&module, &data)
                        .map_err(|e| e.to_string())?;
                    check(response == data, || "echo differs".into())
                }));
            }
        }
    }

    // 3: the host-proxy example asking the shared host policy for the clock.
    match &compiled {
        Some(c) => {
            let module = install("host-proxy", &c.host_proxy);
            let host = Arc::clone(host);
            jobs.push(workload("host-proxy (C) clock.now", move |_| {
                let request = InvokeRequest::build(
                    "call",
                    [(FrameSpec::new("request", None), &b"clock.now\n"[..])],
                )
                .map_err(|e| e.to_string())?;
                let response = host
                    .modules()
                    .invoke(&module, &request)
                    .map_err(|e| e.to_string())?;
                let envelope: Value =
                    serde_json::from_slice(response.payload(0).unwrap_or_default())
                        .map_err(|e| e.to_string())?;
                check(
                    response.status_code == 0 && envelope["result"].is_number(),
                    || format!("status {}: {envelope}", response.status_code),
                )
            }));
        }
        None => {
            let module = install("host-proxy", &bundled_hostcall_guest());
            let host = Arc::clone(host);
            jobs.push(workload("host-proxy (WAT) clock.now", move |_| {
                let bytes = host
                    .modules()
                    .invoke_bytes(&module, &Raw::call("clock.now", "").encode())
                    .map_err(|e| e.to_string())?;
                let envelope = Reply::decode(&bytes).json();
                check(envelope["result"].is_number(), || envelope.to_string())
            }));
        }
    }

    // 4: the hostcall guest: granted random bytes, and a capability it never declared.
    {
        let module = install("hostcall-guest", &bundled_hostcall_guest());
        let host = Arc::clone(host);
        jobs.push(workload("hostcall-guest random/denied", move |i| {
            let (operation, params) = if i % 2 == 0 {
                ("random.bytes", r#"{"length":16}"#)
            } else {
                ("filesystem.readFile", r#"{"path":"x"}"#)
            };
            let bytes = host
                .modules()
                .invoke_bytes(&module, &Raw::call(operation, params).encode())
                .map_err(|e| e.to_string())?;
            let envelope = Reply::decode(&bytes).json();
            if i % 2 == 0 {
                check(envelope["ok"] == true, || envelope.to_string())
            } else {
                check(
                    envelope["error"]["sdmCode"] == "host-capability-denied",
                    || envelope.to_string(),
                )
            }
        }));
    }

    // 5: one direct session on the shared runtime (the guest instance lives across calls).
    {
        let module = load(runtime, &guests::direct(guests::ECHO));
        let mut session = runtime.session(&module, registry_limits(), Grants::default());
        jobs.push(workload("echo session (WAT)", move |i| {
            let data = payload(5, i);
            let response = session.invoke_bytes(&data).map_err(|e| e.to_string())?;
            check(response == data, || "echo differs".into())
        }));
    }

    // 6: a WASI program reading a preopened directory.
    {
        std::fs::write(files.join("greeting.txt"), b"hello from the host").unwrap();
        let module = load(runtime, &wat_program());
        let program = Program {
            preopens: vec![ProgramPreopen {
                host_path: files.to_path_buf(),
                guest_path: "/data".into(),
                read_only: true,
            }],
            ..Program::default()
        };
        let runtime = Arc::clone(runtime);
        jobs.push(workload("wasi-program (WAT)", move |_| {
            let output = program::run_program(
                &runtime,
                &module,
                &program,
                Vec::new(),
                &registry_limits(),
                None,
            )
            .map_err(|e| e.to_string())?;
            check(
                output.exit_code == 0 && output.stdout == b"hello from the host",
                || format!("{output:?}"),
            )
        }));
    }

    // 7: hostile guests that fail by fuel, memory and bounds, each followed by a good call.
    {
        let fuel = load(runtime, &guests::direct("(loop $l (br $l)) (i32.const 0)"));
        let bomb = load(
            runtime,
            &guests::direct("(loop $l (drop (memory.grow (i32.const 16))) (br $l)) (i32.const 0)"),
        );
        let oob = load(
            runtime,
            &guests::direct("(i32.store (local.get $out) (i32.const 16)) (i32.const -256)"),
        );
        let echo = load(runtime, &guests::direct(guests::ECHO));
        let runtime = Arc::clone(runtime);
        jobs.push(workload("hostile fuel/memory/bounds", move |i| {
            let (module, expected) = match i % 3 {
                0 => (&fuel, ErrorCode::RuntimeFuelExhausted),
                1 => (&bomb, ErrorCode::RuntimeMemoryLimit),
                _ => (&oob, ErrorCode::RuntimeOutOfBounds),
            };
            let call = |module: &LoadedModule, data: &[u8]| {
                runtime.invoke_bytes(
                    module,
                    data,
                    InvokeMode::Direct,
                    &Grants::default(),
                    &hostile_limits(),
                )
            };
            expect_code(call(module, b"x"), expected)?;
            let data = payload(7, i);
            check(
                call(&echo, &data).map_err(|e| e.to_string())? == data,
                || "echo differs".into(),
            )
        }));
    }

    // 8: hostile guests stopped by the wall clock (no fuel) and by stack overflow.
    {
        let spin = load(runtime, &guests::direct("(loop $l (br $l)) (i32.const 0)"));
        let deep = load(
            runtime,
            &guests::direct("(drop (call $recurse (i32.const 0))) (i32.const 0)"),
        );
        let runtime = Arc::clone(runtime);
        jobs.push(workload("hostile timeout/stack", move |i| {
            let (module, limits, expected) = if i % 2 == 0 {
                let limits = Limits {
                    fuel: None,
                    timeout: Some(Duration::from_millis(20)),
                    ..hostile_limits()
                };
                (&spin, limits, ErrorCode::RuntimeTimeout)
            } else {
                (&deep, hostile_limits(), ErrorCode::RuntimeTrap)
            };
            expect_code(
                runtime.invoke_bytes(
                    module,
                    b"x",
                    InvokeMode::Direct,
                    &Grants::default(),
                    &limits,
                ),
                expected,
            )
        }));
    }
    jobs
}

/// What the workers share with the watchdog.
struct Shared {
    stop: AtomicBool,
    calls: Vec<AtomicU64>,
    failure: Mutex<Option<String>>,
}

fn stress(duration: Duration) {
    let stall = Duration::from_secs_f64(env_number("SDM_STRESS_STALL_SECONDS", 20.0));
    let rss_factor = env_number("SDM_STRESS_RSS_FACTOR", DEFAULT_RSS_FACTOR);
    let threads_before = proc_status("Threads");
    let files = tempfile::tempdir().unwrap();

    let runtime = Arc::new(Runtime::new(RuntimeConfig::default()).unwrap());
    let host = Arc::new(
        RuntimeHost::with_parts(
            Arc::new(MemoryRowStore::new()),
            Arc::clone(&runtime),
            registry_limits(),
        )
        .with_host_policy(HostPolicy::new().grant("clock").grant("random")),
    );
    let jobs = workloads(&runtime, &host, files.path());
    assert_eq!(jobs.len(), 8, "eight different workloads");
    let names: Vec<String> = jobs.iter().map(|job| job.name.clone()).collect();
    let shared = Arc::new(Shared {
        stop: AtomicBool::new(false),
        calls: (0..jobs.len()).map(|_| AtomicU64::new(0)).collect(),
        failure: Mutex::new(None),
    });

    let handles: Vec<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(index, mut job)| {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(job.name.clone())
                .spawn(move || {
                    let mut i = 0u64;
                    while !shared.stop.load(Ordering::Relaxed) {
                        let outcome = catch_unwind(AssertUnwindSafe(|| (job.call)(i)))
                            .unwrap_or_else(|_| Err("panicked".into()));
                        if let Err(err) = outcome {
                            let mut failure = shared.failure.lock().unwrap();
                            failure.get_or_insert(format!("{}: call {i}: {err}", job.name));
                            shared.stop.store(true, Ordering::Relaxed);
                            return;
                        }
                        i += 1;
                        shared.calls[index].store(i, Ordering::Relaxed);
                    }
                })
                .unwrap()
        })
        .collect();

    // The watchdog: every thread must finish a call at least once per `stall`.
    let started = Instant::now();
    let warm_up = (duration / 4).max(Duration::from_millis(250));
    let mut seen: Vec<(u64, Instant)> = vec![(0, started); names.len()];
    let mut rss_warm = None;
    let watch = |seen: &mut Vec<(u64, Instant)>| {
        let now = Instant::now();
        for (index, (count, since)) in seen.iter_mut().enumerate() {
            let current = shared.calls[index].load(Ordering::Relaxed);
            if current != *count {
                *count = current;
                *since = now;
            } else if now - *since > stall && !handles[index].is_finished() {
                panic!(
                    "watchdog: thread {:?} made no progress for {stall:?} (stuck in call {current})",
                    names[index]
                );
            }
        }
    };
    while started.elapsed() < duration && !shared.stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
        watch(&mut seen);
        if rss_warm.is_none() && started.elapsed() >= warm_up {
            rss_warm = Some(proc_status("VmRSS"));
        }
    }
    let elapsed = started.elapsed();
    shared.stop.store(true, Ordering::Relaxed);
    while !handles.iter().all(std::thread::JoinHandle::is_finished) {
        std::thread::sleep(Duration::from_millis(20));
        watch(&mut seen);
    }
    let rss_end = proc_status("VmRSS");
    for handle in handles {
        handle.join().unwrap();
    }
    if let Some(failure) = shared.failure.lock().unwrap().take() {
        panic!("{failure}");
    }

    let mut total = 0;
    eprintln!("stress: {} threads for {elapsed:.1?}", names.len());
    for (index, name) in names.iter().enumerate() {
        let calls = shared.calls[index].load(Ordering::Relaxed);
        total += calls;
        eprintln!("  {name:<32} {calls:>7} calls");
        assert!(calls > 0, "{name} made no call");
    }
    let rss_warm = rss_warm.unwrap_or(rss_end);
    let bound = (rss_warm as f64 * rss_factor) as u64 + RSS_SLACK_BYTES;
    eprintln!(
        "  total {total} calls; RSS after warm-up {} MiB, at the end {} MiB (bound {} MiB = {rss_factor} x warm-up + {} MiB)",
        rss_warm >> 20,
        rss_end >> 20,
        bound >> 20,
        RSS_SLACK_BYTES >> 20
    );
    assert!(
        rss_end <= bound,
        "resident memory grew from {rss_warm} to {rss_end} bytes"
    );

    // Everything dropped: the epoch ticker and every worker are gone. wasmtime-wasi's one
    // process-wide tokio pool (started lazily by the first WASI call) may remain.
    drop(host);
    assert_eq!(
        Arc::strong_count(&runtime),
        1,
        "nothing else holds the runtime"
    );
    drop(runtime);
    let left: Vec<String> = thread_names()
        .into_iter()
        .filter(|name| name != "tokio-rt-worker")
        .collect();
    assert!(
        left.len() <= threads_before as usize,
        "threads before: {threads_before}; left after the run: {left:?}"
    );
}

/// The names of this process's threads (Linux truncates them to 15 bytes).
fn thread_names() -> Vec<String> {
    std::fs::read_dir("/proc/self/task")
        .expect("/proc/self/task")
        .filter_map(|entry| std::fs::read_to_string(entry.ok()?.path().join("comm")).ok())
        .map(|name| name.trim_end().to_owned())
        .collect()
}
