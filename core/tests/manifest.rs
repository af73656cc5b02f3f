//! PluginManifest codec against the reference vectors (spec checklist 13, items 1-7).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use space_data_module::ErrorCode;
use space_data_module::conformance::{bytes_diff, json_diff, numbered_cases, read, read_json};
use space_data_module::manifest::{
    self, decode, decode_to_json, encode, encode_json, encode_json_str,
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
    use space_data_module::manifest::{decode, encode_json};

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
