//! Per-call overhead of the C ABI: `sdm_bundle_inspect` called through its `extern "C"` symbol
//! against the same work done directly in Rust (`bundle::parse` + the parsed-report JSON), on
//! the same bytes in the same run. The difference is the boundary: argument checks,
//! `catch_unwind`, the last-error reset and the `sdm_bytes` hand-over (plus its free).
//! `rust/parse` alone shows what the JSON report costs on top of the parse.
//!
//! Run briefly: `cargo bench -p space-data-module-ffi --bench inspect -- --warm-up-time 1 --measurement-time 2`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use space_data_module::bundle::{self, ParseOptions};
use space_data_module_ffi::{sdm_bundle_inspect, sdm_bytes, sdm_bytes_free};

fn vector_module() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/single-file-bundle/single-file-module.wasm"
    ))
    .expect("vector module")
}

fn c_inspect(module: &[u8]) -> usize {
    let mut out = sdm_bytes {
        ptr: std::ptr::null_mut(),
        len: 0,
    };
    // SAFETY: `module` is valid for its length and `out` is writable.
    let status = unsafe { sdm_bundle_inspect(module.as_ptr(), module.len(), &mut out) };
    assert_eq!(status, 0, "sdm_bundle_inspect failed");
    let len = out.len;
    // SAFETY: `out` was filled by the library.
    unsafe { sdm_bytes_free(&mut out) };
    len
}

fn rust_inspect(module: &[u8]) -> usize {
    let parsed = bundle::parse(module, &ParseOptions::default()).expect("parse");
    serde_json::to_vec(&bundle::report::parsed_json(&parsed))
        .expect("json")
        .len()
}

fn bench(c: &mut Criterion) {
    let module = vector_module();
    // Both paths must produce the same JSON, or the comparison is meaningless.
    let mut out = sdm_bytes {
        ptr: std::ptr::null_mut(),
        len: 0,
    };
    // SAFETY: valid input and out-param.
    assert_eq!(
        unsafe { sdm_bundle_inspect(module.as_ptr(), module.len(), &mut out) },
        0
    );
    // SAFETY: filled by the library, valid for `len` bytes.
    let c_json = unsafe { std::slice::from_raw_parts(out.ptr, out.len) }.to_vec();
    // SAFETY: filled by the library.
    unsafe { sdm_bytes_free(&mut out) };
    let parsed = bundle::parse(&module, &ParseOptions::default()).expect("parse");
    let rust_json = serde_json::to_vec(&bundle::report::parsed_json(&parsed)).expect("json");
    assert_eq!(c_json, rust_json);
    let mut group = c.benchmark_group("inspect/single-file-module");
    group.bench_function("c-abi/sdm_bundle_inspect", |b| {
        b.iter(|| c_inspect(black_box(&module)))
    });
    group.bench_function("rust/parse+json", |b| {
        b.iter(|| rust_inspect(black_box(&module)))
    });
    group.bench_function("rust/parse", |b| {
        b.iter(|| bundle::parse(black_box(&module), &ParseOptions::default()).expect("parse"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
