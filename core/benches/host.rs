//! `sdn_host` hostcall round trips from a WAT guest (call_json, response_len, read_response),
//! each with a baseline measured in the same run:
//!
//! - `clock.now` versus a guest calling a trivial host import that returns a constant: the
//!   difference is the bridge's cost (memory reads, JSON parse, capability check, envelope).
//! - a 64 KiB `filesystem.readFile` (sandboxed open, read, base64 envelope, copy into the
//!   guest) versus `std::fs::read` of the same file.
//!
//! Run briefly: `cargo bench -p space-data-module --bench host -- --warm-up-time 1 --measurement-time 2`.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use space_data_module::host::{Host, HostPolicy, HostcallState, bridge};
use wasmtime::{Engine, Linker, Module, Store, TypedFunc};

const GUEST_WAT: &str = r#"(module
  (import "sdn_host" "call_json" (func $call_json (param i32 i32 i32 i32) (result i32)))
  (import "sdn_host" "response_len" (func $response_len (result i32)))
  (import "sdn_host" "read_response" (func $read_response (param i32 i32) (result i32)))
  (import "bench" "constant" (func $constant (result i32)))
  (memory (export "memory") 4)
  (data (i32.const 0) "clock.now")
  (data (i32.const 16) "filesystem.readFile")
  (data (i32.const 64) "{\"path\":\"blob.bin\"}")
  ;; One hostcall and a full read of its response into memory at 4096; returns bytes read.
  (func (export "hostcall") (param $op i32) (param $op_len i32) (param $pl i32) (param $pl_len i32)
        (result i32)
    (drop (call $call_json (local.get $op) (local.get $op_len) (local.get $pl) (local.get $pl_len)))
    (call $read_response (i32.const 4096) (call $response_len)))
  (func (export "baseline") (result i32) (call $constant))
)"#;

struct State {
    hostcall: HostcallState,
}

fn bench_host(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let blob = dir.path().join("blob.bin");
    std::fs::write(&blob, vec![0x5a; 64 * 1024]).expect("blob");
    let policy = HostPolicy::new()
        .grant_all(["clock", "filesystem"])
        .filesystem_root(dir.path());
    let host = Arc::new(Host::new(policy));

    let engine = Engine::default();
    let mut linker: Linker<State> = Linker::new(&engine);
    bridge::add_to_linker(&mut linker, |state: &mut State| &mut state.hostcall).expect("link");
    linker
        .func_wrap("bench", "constant", || 42i32)
        .expect("constant import");
    let wasm = wat::parse_str(GUEST_WAT).expect("guest WAT");
    let module = Module::new(&engine, wasm).expect("guest");
    let mut store = Store::new(
        &engine,
        State {
            hostcall: HostcallState::new(host),
        },
    );
    let instance = linker.instantiate(&mut store, &module).expect("instance");
    let hostcall: TypedFunc<(i32, i32, i32, i32), i32> = instance
        .get_typed_func(&mut store, "hostcall")
        .expect("hostcall export");
    let baseline: TypedFunc<(), i32> = instance
        .get_typed_func(&mut store, "baseline")
        .expect("baseline export");

    // Sanity: both operations succeed and read what they should.
    assert!(hostcall.call(&mut store, (0, 9, 0, 0)).expect("clock.now") > 20);
    let read = hostcall
        .call(&mut store, (16, 19, 64, 19))
        .expect("readFile");
    assert!(read > 87_000, "64 KiB as base64 in an envelope, got {read}");

    let mut group = c.benchmark_group("hostcall");
    group.bench_function("baseline_constant_import", |b| {
        b.iter(|| baseline.call(&mut store, ()).expect("baseline"))
    });
    group.bench_function("clock.now", |b| {
        b.iter(|| hostcall.call(&mut store, (0, 9, 0, 0)).expect("clock.now"))
    });
    group.bench_function("baseline_std_fs_read_64KiB", |b| {
        b.iter(|| std::fs::read(&blob).expect("read").len())
    });
    group.bench_function("filesystem.readFile_64KiB", |b| {
        b.iter(|| {
            hostcall
                .call(&mut store, (16, 19, 64, 19))
                .expect("readFile")
        })
    });
    group.finish();
}

criterion_group!(benches, bench_host);
criterion_main!(benches);
