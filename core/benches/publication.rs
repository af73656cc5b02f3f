//! Criterion benches: `protect` and `open` (signed-only and signed+encrypted) on the 81 KB
//! vector module and on a 16 MiB module. Throughput is reported in bytes of input wasm.
//!
//! Short run: `cargo bench -p space-data-module --bench publication -- --warm-up-time 1 --measurement-time 2`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;
use space_data_module::keys::random::OsRandom;
use space_data_module::keys::signing::{PublicKey, Signer};
use space_data_module::keys::x25519::X25519PrivateKey;
use space_data_module::publication::{OpenPolicy, ProtectOptions, open, protect};

const MNEMONIC: &str =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

fn inputs() -> (Value, Vec<u8>) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors/publication/inputs");
    let manifest =
        serde_json::from_slice(&std::fs::read(format!("{dir}/manifest.json")).unwrap()).unwrap();
    (
        manifest,
        std::fs::read(format!("{dir}/base-module.wasm")).unwrap(),
    )
}

fn big(base: &[u8]) -> Vec<u8> {
    let filler: Vec<u8> = (0..16u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let mut wasm = base.to_vec();
    wasm.extend(
        space_data_module::wasm::sections::encode_custom_section("filler", &filler).unwrap(),
    );
    wasm
}

fn bench(c: &mut Criterion) {
    let (manifest, base) = inputs();
    let signer = Signer::from_mnemonic(MNEMONIC).unwrap();
    let recipient = X25519PrivateKey::from_bytes([7; 32]);
    let policy = OpenPolicy::trusting(vec![PublicKey::from(&signer)]);
    for (label, wasm) in [("81KB", base.clone()), ("16MiB", big(&base))] {
        let mut group = c.benchmark_group(format!("publication/{label}"));
        group.throughput(Throughput::Bytes(wasm.len() as u64));
        group.sample_size(10);
        for encrypted in [false, true] {
            let mode = if encrypted { "encrypted" } else { "signed" };
            let options = ProtectOptions {
                manifest: manifest.clone(),
                wasm: &wasm,
                single_file_bundle: false,
                recipient_public_key: encrypted.then(|| recipient.public_key()),
                artifact_id: None,
                target: Value::Null,
                capabilities: None,
                now_ms: 1_767_225_600_000,
            };
            group.bench_function(format!("protect/{mode}"), |b| {
                b.iter(|| protect(&options, &signer, &mut OsRandom).unwrap())
            });
            let artifact = protect(&options, &signer, &mut OsRandom)
                .unwrap()
                .protected_artifact_bytes;
            let key = encrypted.then_some(&recipient);
            group.bench_function(format!("open/{mode}"), |b| {
                b.iter(|| open(&artifact, &policy, key).unwrap())
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
