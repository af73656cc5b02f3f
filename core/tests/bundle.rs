//! Bundle create / parse / verify against the vectors (spec checklist 14-27).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use space_data_module::ErrorCode;
use space_data_module::bundle::{
    self, CreateOptions, EntryInput, ManifestInput, ParseOptions, Payload,
};
use space_data_module::js::parse_json;

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors")
}

fn read(path: &str) -> Vec<u8> {
    let full = vectors().join(path);
    std::fs::read(&full).unwrap_or_else(|err| panic!("{}: {err}", full.display()))
}

fn read_json(path: &str) -> Value {
    parse_json(std::str::from_utf8(&read(path)).unwrap()).unwrap()
}

fn sha_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The 10.1 create call with `wasm` as the module.
fn reference_options(wasm: Vec<u8>) -> CreateOptions {
    let mut auxiliary = EntryInput::new(
        "auxiliary-note",
        "auxiliary",
        "raw-bytes",
        Payload::Bytes(read("single-file-bundle/auxiliary.bin")),
    );
    auxiliary.section_name = Some(json!("sds.auxiliary"));
    auxiliary.media_type = Some(json!("application/octet-stream"));
    auxiliary.description = Some(json!(
        "Opaque auxiliary bytes for cross-language round-trip tests."
    ));
    CreateOptions {
        wasm,
        manifest: ManifestInput::Json(read_json("single-file-bundle/manifest.json")),
        authorization: Some(Payload::Json(read_json(
            "single-file-bundle/authorization.json",
        ))),
        signature: Some(Payload::Json(read_json(
            "single-file-bundle/signature.json",
        ))),
        transport_envelope: Some(Payload::Json(read_json(
            "single-file-bundle/transport.json",
        ))),
        entries: vec![auxiliary],
        ..CreateOptions::default()
    }
}

#[test]
fn reference_vector_is_recreated_byte_for_byte() {
    let created = bundle::create(&reference_options(read(
        "single-file-bundle/base-module.wasm",
    )))
    .unwrap();
    assert_eq!(created.bundle_bytes, read("single-file-bundle/bundle.fb"));
    assert_eq!(
        created.wasm,
        read("single-file-bundle/single-file-module.wasm")
    );
    assert_eq!(
        created.canonical_module_hash_hex(),
        "b76c89bbc1e3b91f3dd06aa47f569d7d910253b64a994a75be0eb2a7cf6ff3b5"
    );
    assert_eq!(
        created.manifest_hash_hex(),
        "30b65eb6c853bb84c9c2fda86da2ef13dfeda50ff2956b0f1cad9ce44c493045"
    );
    assert_eq!(
        created.bundle.entries[0].payload,
        read("single-file-bundle/manifest.fb")
    );
    for entry in &created.bundle.entries {
        assert_eq!(
            entry.sha256,
            Sha256::digest(&entry.payload).to_vec(),
            "{}",
            entry.entry_id
        );
    }
}

#[test]
fn rebundling_is_idempotent() {
    let bundled = read("single-file-bundle/single-file-module.wasm");
    let created = bundle::create(&reference_options(bundled.clone())).unwrap();
    assert_eq!(created.wasm, bundled);
}

#[test]
fn caller_supplied_sha256_is_ignored() {
    let mut entry = EntryInput::new("x", "auxiliary", "raw-bytes", Payload::Bytes(vec![1, 2, 3]));
    entry.flags = Some(json!(1));
    let options = CreateOptions {
        wasm: read("bundle-edge/minimal-input.wasm"),
        entries: vec![entry],
        ..CreateOptions::default()
    };
    let created = bundle::create(&options).unwrap();
    assert_eq!(
        created.bundle.entries[0].sha256,
        Sha256::digest([1, 2, 3]).to_vec()
    );
}

#[test]
fn parse_of_the_reference_vector() {
    let parsed = bundle::parse(
        &read("single-file-bundle/single-file-module.wasm"),
        &ParseOptions::default(),
    )
    .unwrap();
    let ids: Vec<&str> = parsed
        .bundle
        .entries
        .iter()
        .map(|e| e.entry_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "manifest",
            "authorization",
            "signature",
            "transport",
            "auxiliary-note"
        ]
    );
    let roles: Vec<&str> = parsed
        .bundle
        .entries
        .iter()
        .map(|e| e.role_name())
        .collect();
    assert_eq!(
        roles,
        [
            "manifest",
            "authorization",
            "signature",
            "transport",
            "auxiliary"
        ]
    );
    let encodings: Vec<&str> = parsed
        .bundle
        .entries
        .iter()
        .map(|e| e.encoding_name())
        .collect();
    assert_eq!(
        encodings,
        [
            "flatbuffer",
            "json-utf8",
            "json-utf8",
            "json-utf8",
            "raw-bytes"
        ]
    );
    assert_eq!(
        parsed.canonical_module_hash_hex(),
        "b76c89bbc1e3b91f3dd06aa47f569d7d910253b64a994a75be0eb2a7cf6ff3b5"
    );
    assert_eq!(
        parsed.manifest.as_ref().unwrap()["pluginId"],
        json!("com.digitalarsenal.examples.single-file-vector")
    );
    assert_eq!(parsed.deployment_plan, None);
    assert_eq!(parsed.trailer, None);
    assert_eq!(parsed.bundle_bytes, read("single-file-bundle/bundle.fb"));
    bundle::verify(&parsed).unwrap();
}

#[test]
fn expected_json_summary_matches_every_field() {
    let module = read("single-file-bundle/single-file-module.wasm");
    let parsed = bundle::parse(&module, &ParseOptions::default()).unwrap();
    let summary = bundle::report::summary_json(
        &parsed,
        &read("single-file-bundle/base-module.wasm"),
        &module,
    );
    let expected = read_json("single-file-bundle/expected.json");
    assert_eq!(
        space_data_module::conformance::json_diff(&expected, &summary),
        None
    );
    // Same key order as the file, too.
    assert_eq!(
        serde_json::to_string_pretty(&summary).unwrap() + "\n",
        String::from_utf8(read("single-file-bundle/expected.json")).unwrap()
    );
}

/// The 10.3 `edge-*` create options.
fn edge_options() -> CreateOptions {
    let json_obj = EntryInput {
        entry_id: Some(json!("json-obj")),
        role: Some(json!("ATTESTATION")),
        payload_encoding: Some(json!(2)),
        payload: Some(Payload::Json(json!({"k": "v", "a": 1.5}))),
        flags: Some(json!(7)),
        type_ref: Some(json!({
            "schemaName": "X.fbs", "schemaHash": "ab", "wireFormat": "aligned-binary",
            "byteLength": 16, "requiredAlignment": 4, "rootTypeName": "X"
        })),
        ..EntryInput::default()
    };
    let json_str = EntryInput {
        entry_id: Some(json!("json-str")),
        payload_encoding: Some(json!("json-utf8")),
        payload: Some(Payload::Json(json!("hello"))),
        role: Some(json!(2)),
        ..EntryInput::default()
    };
    let upper = EntryInput {
        entry_id: Some(json!("upper")),
        payload_encoding: Some(json!("JSON_UTF8")),
        payload: Some(Payload::Bytes(b"[1]".to_vec())),
        ..EntryInput::default()
    };
    let cbor = EntryInput {
        entry_id: Some(json!("cbor")),
        payload_encoding: Some(json!("cbor")),
        payload: Some(Payload::Bytes(vec![0xa0])),
        role: Some(json!("weird")),
        ..EntryInput::default()
    };
    CreateOptions {
        wasm: read("bundle-edge/edge-input.wasm"),
        authorization: Some(Payload::Json(json!("{\"b\":1, \"a\":2}"))),
        signature: Some(Payload::Json(
            json!({"z": 1, "a": [1, "x", null], "m": {"y": true, "b": false}}),
        )),
        transport_envelope: Some(Payload::Json(Value::Null)),
        deployment_plan: Some(json!({})),
        entries: vec![
            EntryInput {
                payload: Some(Payload::Bytes(vec![1, 2, 3])),
                ..EntryInput::default()
            },
            json_obj,
            json_str,
            upper,
            cbor,
        ],
        ..CreateOptions::default()
    }
}

/// Checks `created` against every field of a `*-expected.json` of `vectors/bundle-edge`.
fn check_edge_expected(name: &str, input: &[u8], created: &bundle::Created) {
    let expected = read_json(&format!("bundle-edge/{name}-expected.json"));
    assert_eq!(
        created.bundle_bytes,
        read(&format!("bundle-edge/{name}-bundle.fb")),
        "{name} bundle bytes"
    );
    assert_eq!(
        created.wasm,
        read(&format!("bundle-edge/{name}-output.wasm")),
        "{name} output bytes"
    );
    let b = &created.bundle;
    let rule = b.canonicalization.as_ref().unwrap();
    let custom_names: Vec<String> =
        space_data_module::wasm::sections::custom_sections(&created.wasm)
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
    let actual = json!({
        "inputSha256Hex": sha_hex(input),
        "outputSha256Hex": sha_hex(&created.wasm),
        "bundleSha256Hex": sha_hex(&created.bundle_bytes),
        "bundleLength": created.bundle_bytes.len(),
        "outputLength": created.wasm.len(),
        "canonicalModuleHashHex": created.canonical_module_hash_hex(),
        "manifestHashHex": created.manifest_hash_hex(),
        "bundleVersion": b.bundle_version_or_default(),
        "moduleFormat": b.module_format,
        "canonicalization": {
            "version": rule.version_or_default(),
            "strippedCustomSectionPrefix": rule.stripped_custom_section_prefix,
            "bundleSectionName": rule.bundle_section_name,
            "hashAlgorithm": rule.hash_algorithm,
        },
        "manifestExportSymbol": b.manifest_export_symbol,
        "manifestSizeSymbol": b.manifest_size_symbol,
        "outputCustomSectionNames": custom_names,
        "entries": b.entries.iter().map(|e| json!({
            "entryId": e.entry_id,
            "role": e.role_or_default(),
            "sectionName": e.section_name,
            "payloadEncoding": e.payload_encoding_or_default(),
            "mediaType": e.media_type,
            "flags": e.flags_or_default(),
            "typeRef": e.type_ref.as_ref().map(|t| json!({
                "schemaName": t.schema_name,
                "fileIdentifier": t.file_identifier,
                "schemaHash": hex::encode(&t.schema_hash),
                "acceptsAnyFlatbuffer": t.accepts_any_flatbuffer,
                "wireFormat": space_data_module::fbs::type_ref::wire_format_name(t.wire_format),
                "rootTypeName": t.root_type_name,
                "fixedStringLength": t.fixed_string_length_or_default(),
                "byteLength": t.byte_length_or_default(),
                "requiredAlignment": t.required_alignment_or_default(),
            })),
            "payloadHex": hex::encode(&e.payload),
            "payloadUtf8": (e.payload_encoding_or_default() == 2).then(|| String::from_utf8_lossy(&e.payload).into_owned()),
            "sha256Hex": hex::encode(&e.sha256),
            "description": e.description,
        })).collect::<Vec<_>>(),
    });
    if let Some(diff) = space_data_module::conformance::json_diff(&expected, &actual) {
        panic!("{name}: {diff}");
    }
}

#[test]
fn bundle_edge_minimal() {
    let input = read("bundle-edge/minimal-input.wasm");
    let created = bundle::create(&CreateOptions {
        wasm: input.clone(),
        ..CreateOptions::default()
    })
    .unwrap();
    assert!(created.bundle.manifest_hash.is_empty() && created.bundle.entries.is_empty());
    assert_eq!(created.bundle.bundle_version, None);
    check_edge_expected("minimal", &input, &created);
}

#[test]
fn bundle_edge_edge() {
    let options = edge_options();
    let created = bundle::create(&options).unwrap();
    check_edge_expected("edge", &options.wasm, &created);
    assert_eq!(
        created.canonical_module_hash_hex(),
        "4d0bfea5c38daf2befc80b8dd84ece2721ebe60e0af6ce0af6c04ce69973d75d"
    );

    // Checklist 24: parse of the edge output.
    let parsed = bundle::parse(&created.wasm, &ParseOptions::default()).unwrap();
    let plan = parsed.deployment_plan.as_ref().unwrap();
    assert_eq!(
        space_data_module::canonical_json::canonical_string(plan).unwrap(),
        r#"{"artifactCid":null,"authPolicies":[],"bundleCid":null,"environmentId":null,"formatVersion":1,"inputBindings":[],"pluginId":null,"protocolInstallations":[],"publicationBindings":[],"scheduleBindings":[],"serviceBindings":[],"version":null}"#
    );
    let decoded = |id: &str| {
        parsed
            .entries
            .iter()
            .find(|e| e.entry.entry_id == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        decoded("json-str").decoded,
        bundle::DecodedPayload::Json(json!("hello"))
    );
    assert_eq!(
        decoded("upper").decoded,
        bundle::DecodedPayload::Json(json!([1]))
    );
    assert_eq!(decoded("cbor").decoded, bundle::DecodedPayload::Bytes);
    assert_eq!(decoded("cbor").entry.payload, [0xa0]);
    assert_eq!(
        parsed.canonical_module_hash_hex(),
        "4d0bfea5c38daf2befc80b8dd84ece2721ebe60e0af6ce0af6c04ce69973d75d"
    );
    bundle::verify(&parsed).unwrap();
}

#[test]
fn differential_bundle_cases() {
    let dir = vectors().join("differential/bundle");
    let outcomes = space_data_module::conformance::bundle::run(&dir).unwrap();
    assert_eq!(outcomes.len(), 15);
    let failures: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.failure.as_ref().map(|f| format!("case {}: {f}", o.case)))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn header() -> Vec<u8> {
    b"\0asm\x01\0\0\0".to_vec()
}

fn custom(name: &str, data: &[u8]) -> Vec<u8> {
    space_data_module::wasm::sections::encode_custom_section(name, data).unwrap()
}

#[test]
fn parse_errors_in_reference_wording() {
    let err = bundle::parse(&header(), &ParseOptions::default()).unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (
            ErrorCode::BundleMissing,
            "Missing required custom section \"sds.bundle\"."
        )
    );

    let named = ParseOptions {
        bundle_section_name: Some("acme.bundle".into()),
    };
    let err = bundle::parse(&header(), &named).unwrap_err();
    assert_eq!(
        err.message(),
        "Missing required custom section \"acme.bundle\"."
    );

    let bundle_fb = read("single-file-bundle/bundle.fb");
    let mut two = header();
    two.extend(custom("sds.bundle", &bundle_fb));
    two.extend(custom("sds.bundle", &bundle_fb));
    let err = bundle::parse(&two, &ParseOptions::default()).unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (
            ErrorCode::BundleDuplicate,
            "Expected one \"sds.bundle\" section, found 2."
        )
    );

    for data in [&[][..], &[1, 2], &[1, 2, 3, 4, 5, 6, 7, 8]] {
        let mut module = header();
        module.extend(custom("sds.bundle", data));
        let err = bundle::parse(&module, &ParseOptions::default()).unwrap_err();
        assert_eq!(
            (err.code(), err.message()),
            (
                ErrorCode::BundleIdentifierMismatch,
                "Module bundle buffer identifier mismatch."
            )
        );
    }

    // An SMDB identifier over garbage fails verification instead of reading garbage.
    let mut module = header();
    module.extend(custom("sds.bundle", b"\xff\xff\xff\x7fSMDB\0\0\0\0"));
    assert_eq!(
        bundle::parse(&module, &ParseOptions::default())
            .unwrap_err()
            .code(),
        ErrorCode::BundleMalformed
    );

    // Checklist 27: a footer announcing an empty record collection is not a trailer.
    let mut trailing = read("single-file-bundle/single-file-module.wasm");
    trailing.extend([0, 0, 0, 0, b'$', b'R', b'E', b'C']);
    let err = bundle::parse(&trailing, &ParseOptions::default()).unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (
            ErrorCode::WasmCustomNamePastPayload,
            "WASM custom section name extends past payload."
        )
    );
}

#[test]
fn verify_reports_a_flipped_payload_byte_while_parse_succeeds() {
    let module = read("single-file-bundle/single-file-module.wasm");
    let bundle_start = 81797;
    let original = bundle::parse(&module, &ParseOptions::default()).unwrap();
    let sections_before = original.bundle.entries.len();
    // Flip one byte inside each entry payload in turn (found by searching the bundle bytes).
    for entry in &original.bundle.entries {
        let bundle_bytes = &module[bundle_start..];
        let at = bundle_bytes
            .windows(entry.payload.len())
            .position(|w| w == entry.payload.as_slice())
            .unwrap();
        let mut tampered = module.clone();
        tampered[bundle_start + at] ^= 0x01;
        let parsed = bundle::parse(&tampered, &ParseOptions::default()).unwrap();
        assert_eq!(parsed.bundle.entries.len(), sections_before);
        let err = bundle::verify(&parsed).unwrap_err();
        assert_eq!(
            err.code(),
            ErrorCode::BundleHashMismatch,
            "{}",
            entry.entry_id
        );
        assert!(!bundle::check_hashes(&parsed).is_empty());
    }
    // A flipped byte in the code changes the canonical hash.
    let mut tampered = module.clone();
    tampered[100] ^= 0x01;
    let parsed = bundle::parse(&tampered, &ParseOptions::default()).unwrap();
    assert!(
        bundle::check_hashes(&parsed)
            .iter()
            .any(|m| m.field == "canonical_module_hash")
    );
}

#[test]
fn create_errors() {
    let base = read("bundle-edge/minimal-input.wasm");
    let mut entry = EntryInput::new(
        "x",
        "auxiliary",
        "JSON_UTF8",
        Payload::Json(json!({"a": 1})),
    );
    let options = CreateOptions {
        wasm: base.clone(),
        entries: vec![entry.clone()],
        ..CreateOptions::default()
    };
    let err = bundle::create(&options).unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (
            ErrorCode::BundleInvalidPayload,
            "entry \"x\" payload must be a Uint8Array, ArrayBufferView, or ArrayBuffer."
        )
    );
    entry.payload_encoding = Some(json!("json-utf8"));
    entry.entry_id = Some(Value::Null);
    let err = bundle::create(&CreateOptions {
        wasm: base.clone(),
        entries: vec![entry],
        ..CreateOptions::default()
    })
    .unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (
            ErrorCode::BundleRequiredField,
            "FlatBuffers: field 4 must be set"
        )
    );
    let err = bundle::create(&CreateOptions {
        wasm: base.clone(),
        deployment_plan: Some(Value::Null),
        ..CreateOptions::default()
    })
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::DeploymentInvalidPlan);
    let err = bundle::create(&CreateOptions {
        wasm: b"\0asm".to_vec(),
        ..CreateOptions::default()
    })
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::WasmTruncated);
    let err = bundle::create(&CreateOptions {
        wasm: base,
        bundle_section_name: Some("  ".into()),
        ..CreateOptions::default()
    })
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::WasmCustomNameRequired);
}

#[test]
fn codec_round_trip_and_find_entry() {
    let bytes = read("single-file-bundle/bundle.fb");
    let decoded = bundle::decode(&bytes).unwrap();
    assert_eq!(bundle::encode(&decoded), bytes);
    assert_eq!(
        decoded.find_entry("auxiliary-note").unwrap().entry_id,
        "auxiliary-note"
    );
    assert_eq!(
        decoded.find_entry(" Transport ").unwrap().entry_id,
        "transport"
    );
    assert_eq!(decoded.find_entry_by_role(2).unwrap().entry_id, "signature");
    assert!(decoded.find_entry("nothing").is_none());
}

/// Spec section 9: parse splits a valid publication trailer off first and reports it; the
/// module before it is what gets parsed and hashed.
#[test]
fn parse_splits_a_valid_publication_trailer() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/publication/cases/single-file-bundle-signed"
    );
    let artifact = std::fs::read(format!("{dir}/artifact.wasm")).unwrap();
    let stripped = std::fs::read(format!("{dir}/stripped-bundled.wasm")).unwrap();
    let collection = std::fs::read(format!("{dir}/record-collection.bin")).unwrap();
    let parsed = space_data_module::bundle::parse(&artifact, &Default::default()).unwrap();
    assert_eq!(parsed.wasm, stripped);
    let trailer = parsed.trailer.as_deref().expect("trailer reported");
    assert!(
        trailer.starts_with(&collection),
        "the trailer begins with the record collection"
    );
    assert_eq!(
        trailer.len(),
        collection.len() + 8,
        "collection plus the 8-byte footer"
    );
    assert_eq!(
        parsed.entries.first().map(|e| e.entry.entry_id.as_str()),
        Some("manifest")
    );
}

#[test]
fn corrupted_bundles_are_errors_or_lenient_parses_never_panics() {
    let module = read("single-file-bundle/single-file-module.wasm");
    let bundle_start = 81797;
    for offset in (81783..module.len()).step_by(17) {
        for mask in [0x80u8, 0xff] {
            let mut corrupted = module.clone();
            corrupted[offset] ^= mask;
            if let Ok(parsed) = bundle::parse(&corrupted, &ParseOptions::default()) {
                let _ = bundle::report::parsed_json(&parsed);
                let _ = bundle::check_hashes(&parsed);
            }
        }
    }
    // Truncations at every length inside the bundle section.
    for len in (bundle_start..module.len()).step_by(97) {
        assert!(bundle::parse(&module[..len], &ParseOptions::default()).is_err());
    }
}
