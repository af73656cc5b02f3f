//! Hostile input never panics.
//!
//! Every vector module, manifest and bundle is truncated and bit-flipped (seeded, so a failure
//! reproduces) and fed to every parser of the format layer. Each call must return either a
//! valid result or an `Err` carrying a stable code; a panic fails the test. The run covers at
//! least 10,000 mutated inputs.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use space_data_module::{ErrorCode, Result, bundle, js, manifest, wasm};

const SEED: [u8; 32] = *b"space-data-module hostile seed!!";
const CASES: u32 = 10_000;

/// The corpus: (kind, bytes). Kinds decide which parsers see the input.
fn corpus() -> Vec<(&'static str, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors");
    let files: &[(&str, &str)] = &[
        ("wasm", "single-file-bundle/single-file-module.wasm"),
        ("wasm", "bundle-edge/edge-output.wasm"),
        ("wasm", "bundle-edge/minimal-output.wasm"),
        ("wasm", "differential/bundle/7.bundled.wasm"),
        ("wasm", "differential/bundle/tiny-interleaved.wasm"),
        ("manifest-fb", "manifests/kitchen-sink.manifest.fb"),
        ("manifest-fb", "single-file-bundle/manifest.fb"),
        ("manifest-fb", "manifests/fallbacks.manifest.fb"),
        ("bundle-fb", "single-file-bundle/bundle.fb"),
        ("bundle-fb", "bundle-edge/edge-bundle.fb"),
        ("json", "manifests/kitchen-sink.manifest.json"),
        ("json", "single-file-bundle/manifest.json"),
        ("json", "differential/bundle/7.bundle-input.json"),
    ];
    files
        .iter()
        .map(|(kind, rel)| {
            (
                *kind,
                std::fs::read(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")),
            )
        })
        .collect()
}

/// One mutation of a corpus file.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(prop::sample::Index),
    FlipBits(Vec<(prop::sample::Index, u8)>),
    TruncateAndFlip(prop::sample::Index, prop::sample::Index, u8),
    /// Overwrite a little-endian u32 (FlatBuffers offsets and lengths live in such words).
    OverwriteWord(prop::sample::Index, u32),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        prop::collection::vec((any::<prop::sample::Index>(), 0u8..8), 1..4)
            .prop_map(Mutation::FlipBits),
        (
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            0u8..8
        )
            .prop_map(|(cut, at, bit)| Mutation::TruncateAndFlip(cut, at, bit)),
        (
            any::<prop::sample::Index>(),
            prop_oneof![Just(0u32), Just(u32::MAX), Just(0x7fff_ffff), any::<u32>()]
        )
            .prop_map(|(at, word)| Mutation::OverwriteWord(at, word)),
    ]
}

fn apply(bytes: &[u8], mutation: &Mutation) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let flip = |out: &mut Vec<u8>, at: &prop::sample::Index, bit: u8| {
        if !out.is_empty() {
            let i = at.index(out.len());
            out[i] ^= 1 << bit;
        }
    };
    match mutation {
        Mutation::Truncate(cut) => out.truncate(cut.index(bytes.len() + 1)),
        Mutation::FlipBits(flips) => flips.iter().for_each(|(at, bit)| flip(&mut out, at, *bit)),
        Mutation::TruncateAndFlip(cut, at, bit) => {
            out.truncate(cut.index(bytes.len() + 1));
            flip(&mut out, at, *bit);
        }
        Mutation::OverwriteWord(at, word) => {
            if out.len() >= 4 {
                let i = at.index(out.len() - 3);
                out[i..i + 4].copy_from_slice(&word.to_le_bytes());
            }
        }
    }
    out
}

/// An `Err` must carry a documented code; anything is fine for `Ok`.
fn coded<T>(what: &str, result: Result<T>) -> std::result::Result<(), TestCaseError> {
    if let Err(err) = result {
        prop_assert!(
            ErrorCode::from_number(err.code().number()).is_some() && !err.message().is_empty(),
            "{what}: error without a usable code/message: {err:?}"
        );
    }
    Ok(())
}

fn exercise(kind: &str, bytes: &[u8]) -> std::result::Result<(), TestCaseError> {
    match kind {
        "wasm" => {
            coded("sections", wasm::sections::parse_sections(bytes))?;
            coded(
                "strip",
                wasm::sections::strip_prefixed_custom_sections(bytes, "sds."),
            )?;
            coded("exports", wasm::exports::export_names(bytes))?;
            let parsed = bundle::parse(bytes, &bundle::ParseOptions::default());
            if let Ok(parsed) = &parsed {
                let _ = bundle::report::parsed_json(parsed);
                coded("verify", bundle::verify(parsed))?;
            }
            coded("parse", parsed)?;
        }
        "manifest-fb" => {
            coded("decode", manifest::decode(bytes))?;
            coded("decode_ref", manifest::decode_ref(bytes))?;
            coded("decode_to_json", manifest::decode_to_json(bytes))?;
        }
        "bundle-fb" => coded("bundle decode", bundle::decode(bytes))?,
        "json" => {
            if let Ok(value) = js::parse_json_bytes(bytes) {
                coded("encode_json", manifest::encode_json(&value))?;
                coded(
                    "canonical",
                    space_data_module::canonical_json::canonical_bytes(&value),
                )?;
            }
        }
        other => unreachable!("unknown corpus kind {other}"),
    }
    Ok(())
}

#[test]
fn mutated_vectors_never_panic() {
    let corpus = corpus();
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &SEED));
    let strategy = (0..corpus.len(), mutation());
    let ran = std::sync::atomic::AtomicU32::new(0);
    let result = runner.run(&strategy, |(which, mutation)| {
        ran.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (kind, original) = &corpus[which];
        let mutated = apply(original, &mutation);
        match catch_unwind(AssertUnwindSafe(|| exercise(kind, &mutated))) {
            Ok(outcome) => outcome,
            Err(_) => Err(TestCaseError::fail(format!(
                "panic on {kind} input mutated by {mutation:?}"
            ))),
        }
    });
    if let Err(err) = result {
        panic!("{err}");
    }
    let ran = ran.into_inner();
    assert!(ran >= CASES, "only {ran} cases ran");
    println!("hostile_input: {ran} mutated inputs, no panic");
}
