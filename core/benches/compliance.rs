//! Compliance throughput on the kitchen-sink manifest, next to a same-run baseline: parsing
//! the same manifest text with `JSON.parse` semantics (`js::parse_json`).

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use space_data_module::compliance::{
    ArtifactExports, ArtifactOptions, ManifestOptions, StandardsCatalog, validate_artifact,
    validate_manifest, validate_manifest_with_standards,
};
use space_data_module::js;

const KITCHEN_SINK: &str = include_str!("../../vectors/manifests/kitchen-sink.manifest.json");

fn bench(c: &mut Criterion) {
    let manifest = js::parse_json(KITCHEN_SINK).expect("kitchen-sink manifest parses");
    let options = ManifestOptions::default();
    let catalog = StandardsCatalog::builtin();
    let mut group = c.benchmark_group("compliance/kitchen-sink");
    group.bench_function("baseline: parse_json", |b| {
        b.iter(|| js::parse_json(black_box(KITCHEN_SINK)))
    });
    group.bench_function("validate_manifest", |b| {
        b.iter(|| validate_manifest(black_box(&manifest), &options))
    });
    group.bench_function("validate_manifest_with_standards", |b| {
        b.iter(|| validate_manifest_with_standards(black_box(&manifest), &options, catalog))
    });
    group.finish();

    // Artifact checks are dominated by WebAssembly validation of the module.
    let wasm = include_bytes!("../../vectors/differential/compliance/base-module.wasm");
    let artifact_options = ArtifactOptions::default();
    let mut group = c.benchmark_group("compliance/base-module.wasm");
    group.bench_function("validate_artifact", |b| {
        b.iter(|| {
            validate_artifact(
                black_box(&manifest),
                ArtifactExports::Wasm(black_box(wasm)),
                &artifact_options,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
