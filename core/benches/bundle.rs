//! Bundle create/parse throughput, reported against SHA-256 of the same bytes measured in the
//! same run (create and parse both hash the module at least once, so the ratio is what
//! matters across machines).
//!
//! Run briefly: `cargo bench -p space-data-module --bench bundle -- --warm-up-time 1 --measurement-time 2`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;
use sha2::{Digest, Sha256};
use space_data_module::bundle::{
    self, CreateOptions, EntryInput, ManifestInput, ParseOptions, Payload,
};
use space_data_module::wasm::sections::encode_custom_section;

fn vector(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../vectors/single-file-bundle/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("vector file")
}

fn vector_json(name: &str) -> Value {
    space_data_module::js::parse_json_bytes(&vector(name)).expect("vector JSON")
}

/// The reference vector call (spec 10.1) on `wasm`.
fn reference_options(wasm: Vec<u8>) -> CreateOptions {
    CreateOptions {
        wasm,
        manifest: ManifestInput::Json(vector_json("manifest.json")),
        authorization: Some(Payload::Json(vector_json("authorization.json"))),
        signature: Some(Payload::Json(vector_json("signature.json"))),
        transport_envelope: Some(Payload::Json(vector_json("transport.json"))),
        entries: vec![EntryInput::new(
            "auxiliary-note",
            "auxiliary",
            "raw-bytes",
            Payload::Bytes(vector("auxiliary.bin")),
        )],
        ..CreateOptions::default()
    }
}

/// A valid 16 MiB module: the vector module plus one large (non-`sds.`) custom section.
fn big_module() -> Vec<u8> {
    let mut module = vector("base-module.wasm");
    let filler: Vec<u8> = (0..16 * 1024 * 1024 - module.len() - 16)
        .map(|i| (i * 31 % 251) as u8)
        .collect();
    module.extend(encode_custom_section("bench.filler", &filler).expect("custom section"));
    module
}

fn bench(c: &mut Criterion) {
    for (label, module) in [
        ("81KB", vector("base-module.wasm")),
        ("16MiB", big_module()),
    ] {
        let options = reference_options(module.clone());
        let bundled = bundle::create(&options).expect("create").wasm;
        let mut group = c.benchmark_group(format!("bundle/{label}"));
        group.throughput(Throughput::Bytes(module.len() as u64));
        group.bench_function("sha256 baseline", |b| {
            b.iter(|| Sha256::digest(black_box(&module)))
        });
        group.bench_function("create", |b| {
            b.iter(|| bundle::create(black_box(&options)).expect("create"))
        });
        group.bench_function("parse", |b| {
            b.iter(|| bundle::parse(black_box(&bundled), &ParseOptions::default()).expect("parse"))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
