//! PluginManifest codec against the reference vectors (spec checklist 13, items 1-7).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use space_data_module::ErrorCode;
use space_data_module::conformance::{bytes_diff, json_diff, numbered_cases, read, read_json};
use space_data_module::manifest::{
    self, decode, decode_ref, decode_to_json, decode_two_pass, encode, encode_json, encode_json_str,
};

fn vectors(sub: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors")).join(sub)
}

fn read_text(path: &Path) -> String {
    String::from_utf8(read(path).unwrap()).unwrap()
}

/// Checklist 1: the single-file-bundle manifest, 552 bytes with the documented hash.
#[test]
fn single_file_bundle_manifest_is_byte_exact() {
    let dir = vectors("single-file-bundle");
    let encoded = encode_json_str(&read_text(&dir.join("manifest.json"))).unwrap();
    let expected = read(&dir.join("manifest.fb")).unwrap();
    assert_eq!(bytes_diff(&expected, &encoded.bytes), None);
    assert_eq!(encoded.bytes.len(), 552);
    assert_eq!(
        hex::encode(Sha256::digest(&encoded.bytes)),
        "30b65eb6c853bb84c9c2fda86da2ef13dfeda50ff2956b0f1cad9ce44c493045"
    );
}

/// Checklist 2 and 3: every named manifest vector (bytes, warnings, decoded JSON).
#[test]
fn named_manifest_vectors() {
    let dir = vectors("manifests");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".fb").map(str::to_owned))
        .collect();
    names.sort();
    assert_eq!(names.len(), 7, "{names:?}");
    for name in &names {
        let encoded = encode_json_str(&read_text(&dir.join(format!("{name}.json")))).unwrap();
        let expected = read(&dir.join(format!("{name}.fb"))).unwrap();
        assert_eq!(bytes_diff(&expected, &encoded.bytes), None, "{name}");
        let warnings = read_json(&dir.join(format!("{name}.warnings.json"))).unwrap();
        assert_eq!(json!(encoded.warnings), warnings, "{name} warnings");
        let decoded = decode_to_json(&expected).unwrap();
        let expected_path = dir.join(format!("{name}.decoded.json"));
        let expected_json = read_json(&expected_path).unwrap();
        assert_eq!(json_diff(&expected_json, &decoded), None, "{name} decoded");
        // Key order of 4.7 (the expected file is parsed with preserve_order).
        assert_eq!(
            keys(&decoded),
            [
                "pluginId",
                "name",
                "version",
                "pluginFamily",
                "methods",
                "capabilities",
                "timers",
                "protocols",
                "schemasUsed",
                "buildArtifacts",
                "abiVersion",
                "invokeSurfaces",
                "runtimeTargets"
            ]
        );
        // Decoding and re-encoding the reference bytes gives them back.
        assert_eq!(
            encode(&decode(&expected).unwrap()).unwrap(),
            expected,
            "{name} round trip"
        );
    }
}

fn keys(value: &Value) -> Vec<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

/// Differential corpus: every case byte-exact and decoded JSON equal.
#[test]
fn differential_manifest_corpus() {
    let dir = vectors("differential/manifest");
    let cases = numbered_cases(&dir, ".manifest.json").unwrap();
    assert_eq!(cases.len(), 40);
    let mut failures = Vec::new();
    for n in cases {
        let text = read_text(&dir.join(format!("{n}.manifest.json")));
        let expected = read(&dir.join(format!("{n}.manifest.fb"))).unwrap();
        match encode_json_str(&text) {
            Ok(encoded) => {
                if let Some(diff) = bytes_diff(&expected, &encoded.bytes) {
                    failures.push(format!("case {n}: {diff}"));
                }
            }
            Err(err) => failures.push(format!("case {n}: encode failed: {err}")),
        }
        let decoded = decode_to_json(&expected).unwrap();
        let expected_json = read_json(&dir.join(format!("{n}.decoded.json"))).unwrap();
        if let Some(diff) = json_diff(&expected_json, &decoded) {
            failures.push(format!("case {n} decoded: {diff}"));
        }
        if encode(&decode(&expected).unwrap()).unwrap() != expected {
            failures.push(format!("case {n}: decode then encode changed the bytes"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Every `PMAN` buffer under `vectors/` (named, differential, single-file-bundle).
fn manifest_buffers() -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "fb") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&vectors(""), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let bytes = read(&path).unwrap();
            (bytes.get(4..8) == Some(b"PMAN")).then_some((path, bytes))
        })
        .collect()
}

/// The borrowed view agrees with the owned decode (and with the two-pass reference path) on
/// every manifest vector, borrows its text from the buffer, and encodes to the same bytes.
#[test]
fn decode_ref_agrees_with_decode_on_every_manifest_vector() {
    let buffers = manifest_buffers();
    assert!(buffers.len() >= 48, "{} manifest buffers", buffers.len());
    for (path, bytes) in &buffers {
        let name = path.display();
        let owned = decode(bytes).unwrap();
        let view = decode_ref(bytes).unwrap();
        assert_eq!(view.clone().into_owned(), owned, "{name}");
        assert_eq!(decode_two_pass(bytes).unwrap(), owned, "{name}");
        let range = bytes.as_ptr_range();
        assert!(
            range.contains(&view.plugin_id.as_ptr()),
            "{name}: not borrowed"
        );
        assert_eq!(&encode(&view).unwrap(), bytes, "{name}: view re-encodes");
        assert_eq!(
            manifest::to_decoded_json(&view),
            manifest::to_decoded_json(&owned),
            "{name}"
        );
    }
}

/// The one-pass walk accepts exactly what the `flatbuffers` verifier followed by the reader
/// accepts: every single-byte change and every truncation of the richest vector.
#[test]
fn one_pass_decode_matches_the_verifier_on_every_single_byte_corruption() {
    let good = read(&vectors("manifests/kitchen-sink.manifest.fb")).unwrap();
    let check = |bytes: &[u8]| {
        let two_pass = decode_two_pass(bytes);
        let one_pass = decode(bytes);
        let view = decode_ref(bytes).map(|v| v.into_owned());
        match (&two_pass, &one_pass, &view) {
            (Ok(a), Ok(b), Ok(c)) => assert!(a == b && b == c),
            (Err(a), Err(b), Err(c)) => {
                assert_eq!(a.code(), b.code(), "{b}");
                assert_eq!(b.code(), c.code(), "{c}");
            }
            _ => panic!(
                "disagree on {bytes:?}: two-pass {:?}, one-pass {:?}, view {:?}",
                two_pass.as_ref().err(),
                one_pass.as_ref().err(),
                view.as_ref().err()
            ),
        }
    };
    let mut rejected = 0;
    for i in 0..good.len() {
        for delta in [1u8, 2, 4, 0x80, 0xff] {
            let mut bytes = good.clone();
            bytes[i] = bytes[i].wrapping_add(delta);
            check(&bytes);
            rejected += usize::from(decode(&bytes).is_err());
        }
        check(&good[..i]);
    }
    // Enough of the mutations hit offsets, lengths and text for the comparison to mean something.
    assert!(rejected > good.len(), "only {rejected} rejected");
}

/// Hostile aliasing: a vector of offsets all pointing to one large string passes every bounds
/// check, but its apparent size (2 GiB+) is rejected, as by the verifier, without copying.
#[test]
fn aliased_strings_past_the_apparent_size_limit_are_rejected() {
    let bytes = aliased_runtime_targets(2100);
    assert_eq!(
        decode_ref(&bytes).unwrap_err().code(),
        ErrorCode::ManifestMalformed
    );
    assert_eq!(
        decode_two_pass(&bytes).unwrap_err().code(),
        ErrorCode::ManifestMalformed
    );
    // Below the limit the same shape is accepted by both.
    let bytes = aliased_runtime_targets(16);
    assert_eq!(decode_ref(&bytes).unwrap().runtime_targets.len(), 16);
    assert_eq!(decode_two_pass(&bytes).unwrap().runtime_targets.len(), 16);
}

/// A manifest whose `runtime_targets` are `copies` offsets to one 1 MiB string.
fn aliased_runtime_targets(copies: usize) -> Vec<u8> {
    let mut fbb = flatbuffers::FlatBufferBuilder::new();
    let big = fbb.create_string(&"x".repeat(1 << 20));
    let targets = fbb.create_vector(&vec![big; copies]);
    let plugin_id = fbb.create_string("p");
    let start = fbb.start_table();
    fbb.push_slot_always(4, plugin_id);
    fbb.push_slot_always(28, targets);
    let root = fbb.end_table(start);
    fbb.finish(root, Some("PMAN"));
    fbb.finished_data().to_vec()
}

/// Checklist 4.
#[test]
fn worked_example_is_the_minimal_vector() {
    let bytes = encode_json(&json!({"pluginId": "min"})).unwrap().bytes;
    assert_eq!(bytes.len(), 120);
    assert_eq!(
        bytes,
        read(&vectors("manifests/minimal.manifest.fb")).unwrap()
    );
}

/// Checklist 5.
#[test]
fn identifier_and_verification_failures() {
    let good = read(&vectors("single-file-bundle/manifest.fb")).unwrap();
    for short in 0..8 {
        assert_eq!(
            decode(&good[..short]).unwrap_err().code(),
            ErrorCode::ManifestIdentifierMismatch
        );
    }
    let bundle = read(&vectors("single-file-bundle/bundle.fb")).unwrap();
    let err = decode(&bundle).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ManifestIdentifierMismatch);
    assert_eq!(err.message(), "Plugin manifest buffer identifier mismatch.");
    // Truncated but still carrying PMAN: verification fails.
    assert_eq!(
        decode(&good[..good.len() / 2]).unwrap_err().code(),
        ErrorCode::ManifestMalformed
    );
    // The root offset pointing past the end.
    let mut corrupt = good.clone();
    corrupt[..4].copy_from_slice(&0x7fff_fff0u32.to_le_bytes());
    let err = decode(&corrupt).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ManifestMalformed, "{err}");
    // A string whose terminator is overwritten: the verifier rejects it.
    let mut corrupt = good.clone();
    let last = corrupt.len() - 1;
    let terminator = (0..=last)
        .rev()
        .find(|&i| corrupt[i] == 0 && i > 0 && corrupt[i - 1] != 0)
        .unwrap();
    corrupt[terminator] = b'x';
    assert_eq!(
        decode(&corrupt).unwrap_err().code(),
        ErrorCode::ManifestMalformed
    );
}

/// Checklist 6: every required field.
#[test]
fn required_field_errors() {
    let cases = [
        (json!({}), 4),
        (json!({"pluginId": "p", "methods": [{}]}), 4),
        (
            json!({"pluginId": "p", "methods": [{"methodId": "m", "inputPorts": [{}]}]}),
            4,
        ),
        (
            json!({"pluginId": "p", "methods": [{"methodId": "m", "outputPorts": [{"portId": "o", "acceptedTypeSets": [{}]}]}]}),
            4,
        ),
        (json!({"pluginId": "p", "timers": [{"methodId": "m"}]}), 4),
        (json!({"pluginId": "p", "timers": [{"timerId": "t"}]}), 6),
        (
            json!({"pluginId": "p", "protocols": [{"protocolId": " \t", "methodId": "m"}]}),
            4,
        ),
        (
            json!({"pluginId": "p", "protocols": [{"protocolId": "x", "methodId": ""}]}),
            6,
        ),
        (
            json!({"pluginId": "p", "buildArtifacts": [{"path": "a.wasm"}]}),
            4,
        ),
        (
            json!({"pluginId": "p", "buildArtifacts": [{"artifactId": "a"}]}),
            8,
        ),
    ];
    for (input, field) in cases {
        let err = encode_json(&input).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ManifestRequiredField, "{input}");
        assert!(
            err.message()
                .starts_with(&format!("FlatBuffers: field {field} must be set")),
            "{input}: {}",
            err.message()
        );
    }
    // An empty pluginId string encodes fine.
    assert!(encode_json(&json!({"pluginId": ""})).is_ok());
}

/// Non-objects where objects are needed are validation errors, never panics.
#[test]
fn invalid_values_are_errors() {
    for input in [
        json!(null),
        json!("manifest"),
        json!({"pluginId": "p", "methods": [1]}),
        json!({"pluginId": "p", "methods": [{"methodId": "m", "inputPorts": [null]}]}),
        json!({"pluginId": "p", "methods": [{"methodId": "m", "inputPorts": [{"portId": "i", "acceptedTypeSets": ["x"]}]}]}),
        json!({"pluginId": "p", "timers": [[]]}),
        json!({"pluginId": "p", "protocols": [true]}),
        json!({"pluginId": "p", "buildArtifacts": [null]}),
        json!({"pluginId": "p", "schemasUsed": [null]}),
        json!({"pluginId": "p", "timers": [{"timerId": "t", "methodId": "m", "defaultIntervalMs": 0.5}]}),
        json!({"pluginId": "p", "timers": [{"timerId": "t", "methodId": "m", "defaultIntervalMs": "soon"}]}),
    ] {
        assert_eq!(
            encode_json(&input).unwrap_err().code(),
            ErrorCode::ManifestInvalidValue,
            "{input}"
        );
    }
    assert_eq!(
        encode_json_str("{").unwrap_err().code(),
        ErrorCode::InvalidJson
    );
}

/// Checklist 7.
#[test]
fn capability_aliases_and_warning_text() {
    let encoded = encode_json(&json!({"pluginId": "p", "capabilities": ["cron", "schedule_cron", "schedule-cron", "exec"]})).unwrap();
    let decoded = decode(&encoded.bytes).unwrap();
    let kinds: Vec<u16> = decoded
        .capabilities
        .iter()
        .map(|c| c.capability_or_default())
        .collect();
    assert_eq!(kinds, vec![35, 35, 25]);
    assert_eq!(
        encoded.warnings,
        vec![
            "Capability \"schedule-cron\" is not representable in the current embedded FlatBuffer manifest schema and was omitted."
        ]
    );
    assert_eq!(
        decode_to_json(&encoded.bytes).unwrap()["capabilities"],
        json!(["schedule_cron", "schedule_cron", "process_exec"])
    );
}

/// The typed model exposes the normalized values.
#[test]
fn typed_model_of_the_vector_manifest() {
    let m = decode(&read(&vectors("single-file-bundle/manifest.fb")).unwrap()).unwrap();
    assert_eq!(
        m.plugin_id,
        "com.digitalarsenal.examples.single-file-vector"
    );
    assert_eq!(manifest::FILE_IDENTIFIER, b"PMAN");
}

/// The reference's reader drops one leading U+FEFF from every string (TextDecoder); the typed
/// model keeps the stored text.
#[test]
fn decoded_json_drops_a_leading_byte_order_mark() {
    let bytes = encode_json(&json!({"pluginId": "\u{feff}\u{feff}p", "name": "\u{feff}n", "schemasUsed": [{"schemaName": "\u{feff}S"}]}))
        .unwrap()
        .bytes;
    let decoded = decode_to_json(&bytes).unwrap();
    assert_eq!(decoded["pluginId"], "\u{feff}p");
    assert_eq!(decoded["name"], "n");
    assert_eq!(decoded["schemasUsed"][0]["schemaName"], "S");
    assert_eq!(decode(&bytes).unwrap().plugin_id, "\u{feff}\u{feff}p");
}

mod hostile_input {
    use proptest::prelude::*;
    use space_data_module::ErrorCode;
    use space_data_module::manifest::{decode, decode_ref, decode_two_pass, encode_json};

    const KITCHEN_SINK: &[u8] = include_bytes!("../../vectors/manifests/kitchen-sink.manifest.fb");

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Random bytes behind a PMAN header: an error with a manifest code, never a panic.
        #[test]
        fn random_pman_buffers_never_panic(body in proptest::collection::vec(any::<u8>(), 0..256), root in any::<u32>()) {
            let mut bytes = root.to_le_bytes().to_vec();
            bytes.extend_from_slice(b"PMAN");
            bytes.extend_from_slice(&body);
            if let Err(err) = decode(&bytes) {
                prop_assert_eq!(err.code(), ErrorCode::ManifestMalformed);
            }
        }

        /// Random corruptions of a rich reference buffer: Ok or a coded error, never a panic.
        #[test]
        fn corrupted_kitchen_sink_never_panics(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
            let mut bytes = KITCHEN_SINK.to_vec();
            for (at, value) in edits {
                let at = at % bytes.len();
                bytes[at] = value;
            }
            if let Err(err) = decode(&bytes) {
                prop_assert!(matches!(err.code(), ErrorCode::ManifestMalformed | ErrorCode::ManifestIdentifierMismatch));
            }
        }

        /// The borrowed view on hostile bytes: the same verdict and value as the owned decode
        /// and the two-pass (verifier, then reader) path, never a panic.
        #[test]
        fn decode_ref_on_hostile_bytes_agrees_with_the_verifier(
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
            words in proptest::collection::vec((any::<usize>(), prop_oneof![Just(0u32), Just(4), Just(0x8000_0000), Just(u32::MAX), any::<u32>()]), 0..3),
            cut in any::<usize>(),
        ) {
            let mut bytes = KITCHEN_SINK.to_vec();
            for (at, value) in edits {
                let at = at % bytes.len();
                bytes[at] = value;
            }
            for (at, word) in words {
                let at = (at % bytes.len()).min(bytes.len() - 4) & !3;
                bytes[at..at + 4].copy_from_slice(&word.to_le_bytes());
            }
            if cut % 4 == 0 {
                bytes.truncate(cut % (bytes.len() + 1));
            }
            let view = decode_ref(&bytes);
            let reference = decode_two_pass(&bytes);
            match (&view, &reference) {
                (Ok(view), Ok(reference)) => {
                    prop_assert_eq!(&view.clone().into_owned(), reference);
                    prop_assert_eq!(&decode(&bytes).unwrap(), reference);
                }
                (Err(a), Err(b)) => {
                    prop_assert_eq!(a.code(), b.code());
                    prop_assert!(matches!(a.code(), ErrorCode::ManifestMalformed | ErrorCode::ManifestIdentifierMismatch));
                    prop_assert!(decode(&bytes).is_err());
                }
                _ => prop_assert!(false, "decode_ref {:?} but two-pass {:?}", view.as_ref().err(), reference.as_ref().err()),
            }
        }

        /// Arbitrary JSON shapes in every list position: Ok or a coded error, never a panic.
        #[test]
        fn arbitrary_json_never_panics(value in json_value()) {
            for key in ["methods", "capabilities", "timers", "protocols", "schemasUsed", "buildArtifacts", "invokeSurfaces", "runtimeTargets", "pluginFamily", "abiVersion"] {
                let input = serde_json::json!({"pluginId": "p", key: [value.clone(), {"methodId": "m", "timerId": "t", "protocolId": "p", "artifactId": "a", "path": "x", "inputPorts": [value.clone()]}]});
                if let Err(err) = encode_json(&input) {
                    prop_assert!(matches!(err.code(), ErrorCode::ManifestInvalidValue | ErrorCode::ManifestRequiredField), "{}", err);
                }
            }
        }
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<f64>()
                .prop_filter("finite", |x| x.is_finite())
                .prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            "[ a-zA-Z0-9_\\-]{0,12}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map(
                    prop_oneof![
                        Just("methodId".to_owned()),
                        Just("portId".to_owned()),
                        Just("capability".to_owned()),
                        Just("defaultIntervalMs".to_owned()),
                        Just("schemaHash".to_owned()),
                        Just("acceptedTypeSets".to_owned()),
                        Just("allowedTypes".to_owned()),
                        Just("maxBatch".to_owned()),
                        "[a-z]{1,6}",
                    ],
                    inner,
                    0..4
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
