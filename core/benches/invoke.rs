//! Direct-mode echo round trip through the runtime (bounds-checked alloc / copy in /
//! `plugin_invoke_stream` / copy out / three frees, fuel and deadline re-armed per call) versus
//! the same guest driven by a raw wasmtime typed-function call (one write, one call, one read),
//! on the same engine, for 64 B and 64 KiB payloads. The ratio of the two is the runtime's
//! overhead. `fresh_instance_echo_64` is the one-shot call (a fresh instance each time) on 1 and
//! 8 threads, with and without the instance pool. A last group measures the envelope codec.
//!
//! Run briefly: `cargo bench -p space-data-module --bench invoke -- --warm-up-time 1 --measurement-time 2`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use space_data_module::invoke::{self, FrameSpec, InvokeRequest};
use space_data_module::runtime::{Grants, InvokeMode, Limits, Runtime, RuntimeConfig};
use wasmtime::{Instance, Module, Store, TypedFunc};

/// Echo guest: bump allocator (reset when every block is freed) and an invoke that copies the
/// request into a fresh block.
const ECHO_WAT: &str = r#"(module
  (memory (export "memory") 2)
  (global $next (mut i32) (i32.const 1024))
  (global $live (mut i32) (i32.const 0))
  (func $alloc (export "plugin_alloc") (param $size i32) (result i32)
    (local $ptr i32) (local $end i32) (local $have i32)
    (local.set $ptr (global.get $next))
    (local.set $end (i32.add (local.get $ptr) (local.get $size)))
    (local.set $have (i32.mul (memory.size) (i32.const 65536)))
    (if (i32.gt_u (local.get $end) (local.get $have))
      (then
        (if (i32.eq (memory.grow (i32.shr_u (i32.add (i32.sub (local.get $end) (local.get $have)) (i32.const 65535)) (i32.const 16))) (i32.const -1))
          (then (return (i32.const 0))))))
    (global.set $next (i32.and (i32.add (local.get $end) (i32.const 15)) (i32.const -16)))
    (global.set $live (i32.add (global.get $live) (i32.const 1)))
    (local.get $ptr))
  (func (export "plugin_free") (param i32 i32)
    (global.set $live (i32.sub (global.get $live) (i32.const 1)))
    (if (i32.le_s (global.get $live) (i32.const 0))
      (then (global.set $live (i32.const 0)) (global.set $next (i32.const 1024)))))
  (func (export "plugin_invoke_stream") (param $req i32) (param $len i32) (param $out i32) (result i32)
    (local $resp i32)
    (local.set $resp (call $alloc (local.get $len)))
    (memory.copy (local.get $resp) (local.get $req) (local.get $len))
    (i32.store (local.get $out) (local.get $len))
    (global.set $live (i32.const 0))
    (local.get $resp)))"#;

fn bench_round_trip(c: &mut Criterion) {
    let wasm = wat::parse_str(ECHO_WAT).unwrap();
    let runtime = Runtime::new(RuntimeConfig::default()).unwrap();
    let module = runtime.load(&unsigned(&wasm)).unwrap();
    let mut session = runtime.session(&module, Limits::default(), Grants::default());

    // Baseline: the same module on the same engine, called through one typed function.
    let raw_module = Module::new(runtime.engine(), &wasm).unwrap();
    let mut store = Store::new(runtime.engine(), ());
    store.set_fuel(u64::MAX).unwrap();
    // Wasmtime adds the delta to the engine's current epoch, which the runtime's ticker has
    // already advanced: u64::MAX would wrap to a deadline in the past (a trap on the first call).
    store.set_epoch_deadline(u64::MAX / 2);
    let instance = Instance::new(&mut store, &raw_module, &[]).unwrap();
    let memory = instance.get_memory(&mut store, "memory").unwrap();
    let invoke: TypedFunc<(i32, i32, i32), i32> = instance
        .get_typed_func(&mut store, "plugin_invoke_stream")
        .unwrap();
    // One free per call resets the guest's bump allocator; without it every call grows guest
    // memory by the payload size and the baseline times `memory.grow`, not the round trip.
    let free: TypedFunc<(i32, i32), ()> =
        instance.get_typed_func(&mut store, "plugin_free").unwrap();
    const REQUEST_AT: usize = 1024;
    const LEN_SLOT: usize = 512;

    let mut group = c.benchmark_group("direct_echo");
    for size in [64usize, 64 << 10] {
        let payload: Vec<u8> = (0..size).map(|i| i as u8).collect();
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(
            BenchmarkId::new("runtime_session", size),
            &payload,
            |b, payload| b.iter(|| session.invoke_bytes(payload).unwrap()),
        );
        group.bench_with_input(
            BenchmarkId::new("raw_typed_call", size),
            &payload,
            |b, payload| {
                b.iter(|| {
                    memory.write(&mut store, REQUEST_AT, payload).unwrap();
                    let ptr = invoke
                        .call(
                            &mut store,
                            (REQUEST_AT as i32, payload.len() as i32, LEN_SLOT as i32),
                        )
                        .unwrap();
                    let mut len = [0u8; 4];
                    memory.read(&store, LEN_SLOT, &mut len).unwrap();
                    let mut out = vec![0u8; u32::from_le_bytes(len) as usize];
                    memory.read(&store, ptr as u32 as usize, &mut out).unwrap();
                    free.call(&mut store, (ptr, out.len() as i32)).unwrap();
                    out
                })
            },
        );
    }
    group.finish();

    // One-shot calls: a fresh instance per call from the instance pool (the contract of
    // `Runtime::invoke_bytes` and of every binding's `invoke`), on one thread and spread over
    // two (one per core) and eight (the time per call over all threads: on two cores, about
    // half the one-thread time when calls scale), and the same with the pool switched off.
    let request_64 = vec![7u8; 64];
    let unpooled = Runtime::new(RuntimeConfig {
        instance_pool_slots: 0,
        ..RuntimeConfig::default()
    })
    .unwrap();
    let unpooled_module = unpooled.load(&unsigned(&wasm)).unwrap();
    let mut group = c.benchmark_group("fresh_instance_echo_64");
    for (name, runtime, module) in [
        ("pooled", &runtime, &module),
        ("on_demand", &unpooled, &unpooled_module),
    ] {
        for threads in [1usize, 2, 8] {
            group.bench_function(BenchmarkId::new(name, format!("{threads}_threads")), |b| {
                b.iter_custom(|iterations| {
                    let each = (iterations as usize).div_ceil(threads);
                    let start = std::time::Instant::now();
                    std::thread::scope(|scope| {
                        for _ in 0..threads {
                            scope.spawn(|| {
                                for _ in 0..each {
                                    runtime
                                        .invoke_bytes(
                                            module,
                                            &request_64,
                                            InvokeMode::Direct,
                                            &Grants::default(),
                                            &Limits::default(),
                                        )
                                        .unwrap();
                                }
                            });
                        }
                    });
                    start
                        .elapsed()
                        .mul_f64(iterations as f64 / (each * threads) as f64)
                })
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("envelope_codec");
    for size in [64usize, 64 << 10] {
        let payload: Vec<u8> = (0..size).map(|i| i as u8).collect();
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(
            BenchmarkId::new("encode_decode_request", size),
            &payload,
            |b, payload| {
                b.iter(|| {
                    let request = InvokeRequest::build(
                        "echo",
                        [(FrameSpec::new("echo", None), payload.as_slice())],
                    )
                    .unwrap();
                    invoke::decode_request(&invoke::encode_request(&request).unwrap()).unwrap()
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench_round_trip);
criterion_main!(benches);

/// Plain wasm through the loader's explicit allow-unsigned path (the runtime takes only
/// verified modules).
fn unsigned(wasm: &[u8]) -> space_data_module::publication::VerifiedModule {
    space_data_module::publication::VerifiedModule::allow_unsigned(wasm).expect("valid wasm")
}
