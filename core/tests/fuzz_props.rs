//! The fuzz targets of `fuzz/` on stable, as property tests with few cases (issue 13): the same
//! bodies (`space_data_module::fuzzing`), fed random bytes and mutated seeds. A body panics on
//! a crash or a broken round trip, so each case only has to return.
//!
//! Seeds: the vector files `fuzz/seed.sh` copies for each target (keep the two in step) plus
//! `fuzz/seeds/<target>/`.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use space_data_module::fuzzing;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// Where a target's vector seeds come from: directories under `vectors/` and a file-name test.
fn seed_rule(target: &str) -> (&'static [&'static str], fn(&str) -> bool) {
    match target {
        "manifest_decode" => (
            &["manifests", "differential/manifest", "single-file-bundle"],
            |name| name.contains("manifest") && name.ends_with(".fb"),
        ),
        "manifest_json" => (
            &[
                "manifests",
                "differential/manifest",
                "differential/bundle",
                "single-file-bundle",
            ],
            |name| name.ends_with("manifest.json"),
        ),
        "wasm_sections" => (&["."], |name| name.ends_with(".wasm")),
        "bundle_parse" => (&["."], |name| {
            name.ends_with(".wasm") || (name.contains("bundle") && name.ends_with(".fb"))
        }),
        "publication_records" => (&["publication/cases"], |name| name.ends_with(".bin")),
        "publication_open" => (&["publication/cases", "single-file-bundle"], |name| {
            name.ends_with(".wasm")
        }),
        "transport_open" => (&["publication/transport", "single-file-bundle"], |name| {
            name == "envelope.json" || name == "transport.json"
        }),
        "invoke_envelopes" => (&["invoke"], |name| name.ends_with(".fb")),
        // Not under vectors/: the wasmsign2-signed modules kept with the core's tests.
        "wasm_signature" => (&["../core/tests/data/wasmsig"], |name| {
            name.ends_with(".wasm")
        }),
        "canonical_json" => (
            &[
                "canonical-json",
                "publication/canonical-json",
                "publication/authorization",
                "single-file-bundle",
            ],
            |name| name.ends_with(".json"),
        ),
        _ => (&[], |_| false),
    }
}

fn walk(dir: &Path, keep: fn(&str) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, keep, out);
        } else if entry.file_name().to_str().is_some_and(keep)
            && entry.metadata().is_ok_and(|m| m.len() < 2 << 20)
        {
            out.push(path);
        }
    }
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let (dirs, keep) = seed_rule(target);
    let mut files = Vec::new();
    for dir in dirs {
        walk(&Path::new(ROOT).join("vectors").join(dir), keep, &mut files);
    }
    walk(
        &Path::new(ROOT).join("fuzz/seeds").join(target),
        |_| true,
        &mut files,
    );
    files.sort();
    files.dedup();
    let seeds: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    assert!(!seeds.is_empty(), "no seeds for {target}");
    seeds
}

/// One mutation of a seed; positions are taken modulo the current length.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Truncate(usize),
    /// A little-endian u32 written over four bytes: offsets and lengths in FlatBuffers.
    Word(usize, u32),
}

fn edit() -> impl Strategy<Value = Edit> {
    let word = prop_oneof![
        Just(0u32),
        Just(1),
        Just(4),
        Just(0x7fff_ffff),
        Just(0x8000_0000),
        Just(u32::MAX),
        any::<u32>()
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Set(at, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<usize>(), 1usize..64).prop_map(|(at, n)| Edit::Delete(at, n)),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), word).prop_map(|(at, w)| Edit::Word(at, w)),
    ]
}

fn mutate(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for edit in edits {
        let len = out.len();
        let at = |i: usize| if len == 0 { 0 } else { i % len };
        match *edit {
            Edit::Set(i, b) if len > 0 => {
                let i = at(i);
                out[i] = b;
            }
            Edit::Insert(i, b) => out.insert(if len == 0 { 0 } else { i % (len + 1) }, b),
            Edit::Delete(i, n) if len > 0 => {
                let start = at(i);
                out.drain(start..(start + n).min(len));
            }
            Edit::Truncate(i) => out.truncate(if len == 0 { 0 } else { i % (len + 1) }),
            Edit::Word(i, w) if len >= 4 => {
                let i = at(i).min(len - 4);
                out[i..i + 4].copy_from_slice(&w.to_le_bytes());
            }
            _ => {}
        }
    }
    out
}

/// Random bytes, or (three times as often) a mutated seed of `target`.
fn input(target: &str) -> impl Strategy<Value = Vec<u8>> + use<> {
    let seeds = seeds(target);
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..512),
        3 => (0..seeds.len(), proptest::collection::vec(edit(), 0..8))
            .prop_map(move |(index, edits)| mutate(&seeds[index], &edits)),
    ]
}

/// Runs `body` and turns a panic into a failure that shows the input.
fn run(body: fn(&[u8]), data: &[u8]) -> Result<(), TestCaseError> {
    std::panic::catch_unwind(|| body(data)).map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        TestCaseError::fail(format!("panicked: {message}"))
    })
}

macro_rules! fuzz_props {
    ($($target:ident: $cases:expr;)*) => {$(
        proptest! {
            #![proptest_config(ProptestConfig {
                cases: $cases,
                failure_persistence: None,
                ..ProptestConfig::default()
            })]
            #[test]
            fn $target(data in input(stringify!($target))) {
                run(fuzzing::$target, &data)?;
            }
        }
    )*};
}

fuzz_props! {
    manifest_decode: 1024;
    manifest_json: 1024;
    wasm_sections: 1024;
    bundle_parse: 512;
    publication_records: 1024;
    publication_open: 256;
    transport_open: 512;
    invoke_envelopes: 1024;
    canonical_json: 1024;
    host_policy_json: 1024;
    host_ops: 1024;
    wasm_signature: 512;
}

#[test]
fn every_fuzz_target_has_a_property_test_and_seeds() {
    let names: Vec<&str> = fuzzing::TARGETS.iter().map(|(name, _)| *name).collect();
    let here = std::fs::read_to_string(file!())
        .or_else(|_| std::fs::read_to_string(Path::new(ROOT).join("core").join(file!())))
        .unwrap_or_default();
    for name in &names {
        assert!(!seeds(name).is_empty());
        assert!(
            Path::new(ROOT)
                .join(format!("fuzz/fuzz_targets/{name}.rs"))
                .is_file(),
            "fuzz/fuzz_targets/{name}.rs"
        );
        if !here.is_empty() {
            assert!(
                here.contains(&format!("    {name}: ")),
                "{name} has no property test"
            );
        }
    }
}
