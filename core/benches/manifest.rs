//! Manifest codec throughput on the kitchen-sink vector, with a same-run baseline
//! (`serde_json` parse + serialize of the same JSON text) so results can be read as ratios.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use space_data_module::manifest;

const KITCHEN_SINK_JSON: &str = include_str!("../../vectors/manifests/kitchen-sink.manifest.json");
const KITCHEN_SINK_FB: &[u8] = include_bytes!("../../vectors/manifests/kitchen-sink.manifest.fb");

fn bench(c: &mut Criterion) {
    let value: serde_json::Value =
        serde_json::from_str(KITCHEN_SINK_JSON).expect("vector JSON parses");
    let mut group = c.benchmark_group("manifest/kitchen-sink");
    group.bench_function("baseline: serde_json parse+serialize", |b| {
        b.iter(|| {
            let parsed: serde_json::Value =
                serde_json::from_str(black_box(KITCHEN_SINK_JSON)).expect("parses");
            serde_json::to_vec(&parsed).expect("serializes")
        })
    });
    group.bench_function("encode_json_str (parse+normalize+encode)", |b| {
        b.iter(|| manifest::encode_json_str(black_box(KITCHEN_SINK_JSON)).expect("encodes"))
    });
    group.bench_function("encode_json (normalize+encode)", |b| {
        b.iter(|| manifest::encode_json(black_box(&value)).expect("encodes"))
    });
    group.bench_function("decode (verify+read)", |b| {
        b.iter(|| manifest::decode(black_box(KITCHEN_SINK_FB)).expect("decodes"))
    });
    group.bench_function("decode_ref (verify+read, borrowed)", |b| {
        b.iter(|| manifest::decode_ref(black_box(KITCHEN_SINK_FB)).expect("decodes"))
    });
    group.bench_function("decode_to_json", |b| {
        b.iter(|| manifest::decode_to_json(black_box(KITCHEN_SINK_FB)).expect("decodes"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
