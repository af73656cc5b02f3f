//! Round trips over generated inputs (issue 13, "What to build" 3), with modest case counts:
//!
//! - random manifest JSON: encode -> decode -> encode is byte-stable;
//! - random bundles: create -> parse -> create (from what was parsed) gives identical bytes;
//! - protect -> open for random signer and recipient keys and module sizes;
//! - invoke envelopes with random strings, metadata and payloads: encode -> decode -> encode.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};
use space_data_module::bundle::{
    self, CreateOptions, EntryInput, ManifestInput, ParseOptions, Payload,
};
use space_data_module::invoke::{self, Frame, InvokeRequest, InvokeResponse, TypeRef, WireFormat};
use space_data_module::keys::random::OsRandom;
use space_data_module::keys::signing::{PublicKey, Signer};
use space_data_module::keys::x25519::X25519PrivateKey;
use space_data_module::manifest;
use space_data_module::publication::{self, OpenPolicy, ProtectOptions, protect};

// ---- manifests ----------------------------------------------------------------------------

/// Text with the characters that matter to the codecs: ASCII, whitespace, non-ASCII, a BOM.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9._/ -]{0,12}",
        "\\PC{0,6}",
        "\u{FEFF}[a-z]{0,4}",
        Just(String::new()),
    ]
}

/// A required id: non-empty after trimming, sometimes with a BOM or surrounding spaces.
fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9._-]{0,10}",
        "\u{FEFF}[a-z]{1,4}",
        " [a-zA-Z]{1,6} ",
        "\\PC{0,4}[a-z]",
    ]
}

/// Sets `key` when the value is present.
fn put(object: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        object.insert(key.to_owned(), value);
    }
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0u32..100_000).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e9f64..1e9).prop_map(|x| json!(x)),
        "[0-9]{1,6}".prop_map(Value::from),
    ]
}

fn type_ref_json() -> impl Strategy<Value = Value> {
    (
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(prop_oneof![
            "(0x)?[0-9a-fA-F]{0,16}".prop_map(Value::from),
            proptest::collection::vec(0u16..300, 0..6).prop_map(|v| json!(v)),
        ]),
        proptest::option::of(select(vec![
            json!("flatbuffer"),
            json!("aligned_binary"),
            json!("aligned-binary"),
            json!(0),
            json!(1),
            json!("other"),
        ])),
        proptest::option::of(text()),
        proptest::option::of(number()),
        proptest::option::of(number()),
        proptest::option::of(number()),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(
            |(name, id, hash, wire, root, fixed, length, alignment, any_flatbuffer)| {
                let mut object = Map::new();
                put(&mut object, "schemaName", name.map(Value::from));
                put(&mut object, "fileIdentifier", id.map(Value::from));
                put(&mut object, "schemaHash", hash);
                put(&mut object, "wireFormat", wire);
                put(&mut object, "rootTypeName", root.map(Value::from));
                put(&mut object, "fixedStringLength", fixed);
                put(&mut object, "byteLength", length);
                put(&mut object, "requiredAlignment", alignment);
                put(
                    &mut object,
                    "acceptsAnyFlatbuffer",
                    any_flatbuffer.map(Value::from),
                );
                Value::Object(object)
            },
        )
}

fn port_json() -> impl Strategy<Value = Value> {
    (
        id(),
        proptest::option::of(text()),
        proptest::collection::vec(
            (
                id(),
                proptest::option::of(text()),
                proptest::collection::vec(type_ref_json(), 0..3),
            ),
            0..3,
        ),
        proptest::option::of(number()),
        proptest::option::of(number()),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(|(id, name, sets, min, max, required)| {
            let mut object = Map::new();
            object.insert("portId".into(), Value::from(id));
            put(&mut object, "displayName", name.map(Value::from));
            let sets: Vec<Value> = sets
                .into_iter()
                .map(|(set_id, description, types)| {
                    let mut set = Map::new();
                    set.insert("setId".into(), Value::from(set_id));
                    put(&mut set, "description", description.map(Value::from));
                    set.insert("allowedTypes".into(), Value::from(types));
                    Value::Object(set)
                })
                .collect();
            object.insert("acceptedTypeSets".into(), Value::from(sets));
            put(&mut object, "minStreams", min);
            put(&mut object, "maxStreams", max);
            put(&mut object, "required", required.map(Value::from));
            Value::Object(object)
        })
}

fn method_json() -> impl Strategy<Value = Value> {
    (
        id(),
        proptest::option::of(text()),
        proptest::collection::vec(port_json(), 0..3),
        proptest::collection::vec(port_json(), 0..2),
        proptest::option::of(number()),
        proptest::option::of(select(vec![
            json!("single-shot"),
            json!("DRAIN-TO-EMPTY"),
            json!(0),
            json!(7),
            json!("unknown"),
        ])),
    )
        .prop_map(|(id, description, inputs, outputs, batch, drain)| {
            let mut object = Map::new();
            object.insert("methodId".into(), Value::from(id));
            put(&mut object, "description", description.map(Value::from));
            object.insert("inputPorts".into(), Value::from(inputs));
            object.insert("outputPorts".into(), Value::from(outputs));
            put(&mut object, "maxBatch", batch);
            put(&mut object, "drainPolicy", drain);
            Value::Object(object)
        })
}

fn capability_json() -> impl Strategy<Value = Value> {
    prop_oneof![
        select(vec![
            "clock",
            "Logging",
            "cron",
            "http",
            "not-a-capability",
            " exec "
        ])
        .prop_map(Value::from),
        (
            select(vec!["http", "storage_query", "exec", "filesystem", "bogus"]),
            proptest::option::of(text()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(text()),
        )
            .prop_map(|(id, scope, required, description)| {
                let mut object = Map::new();
                object.insert("capability".into(), Value::from(id));
                put(&mut object, "scope", scope.map(Value::from));
                put(&mut object, "required", required.map(Value::from));
                put(&mut object, "description", description.map(Value::from));
                Value::Object(object)
            }),
    ]
}

fn manifest_json() -> impl Strategy<Value = Value> {
    let head = (
        "[a-z][a-z0-9.-]{0,16}",
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(select(vec![
            json!("Data_Source"),
            json!("propagator"),
            json!(3),
            json!("unknown"),
        ])),
        proptest::option::of(0u32..5),
        proptest::collection::vec(select(vec!["command", "direct", "COMMAND", "bogus"]), 0..4),
        proptest::collection::vec(select(vec![" wasi ", "node", "", "browser"]), 0..4),
        proptest::collection::vec(capability_json(), 0..5),
    );
    let body = (
        proptest::collection::vec(method_json(), 0..3),
        proptest::collection::vec(
            (
                text(),
                text(),
                proptest::option::of(text()),
                proptest::option::of(number()),
            ),
            0..3,
        ),
        proptest::collection::vec(
            (
                id(),
                id(),
                proptest::option::of(select(vec!["WebSocket", "quic_custom", "http", "x"])),
                proptest::option::of(select(vec!["handler", "Dial", "both"])),
                proptest::option::of(number()),
                proptest::option::of(prop_oneof![
                    any::<bool>().prop_map(Value::from),
                    Just(json!("yes"))
                ]),
            ),
            0..3,
        ),
        proptest::collection::vec(type_ref_json(), 0..3),
        proptest::collection::vec((id(), proptest::option::of(text()), id()), 0..3),
    );
    (head, body).prop_map(
        |(
            (id, name, version, family, abi, surfaces, targets, capabilities),
            (methods, timers, protocols, schemas, artifacts),
        )| {
            let mut object = Map::new();
            object.insert("pluginId".into(), Value::from(id));
            put(&mut object, "name", name.map(Value::from));
            put(&mut object, "version", version.map(Value::from));
            put(&mut object, "pluginFamily", family);
            put(&mut object, "abiVersion", abi.map(Value::from));
            object.insert("invokeSurfaces".into(), json!(surfaces));
            object.insert("runtimeTargets".into(), json!(targets));
            object.insert("capabilities".into(), Value::from(capabilities));
            object.insert("methods".into(), Value::from(methods));
            let timers: Vec<Value> = timers
                .into_iter()
                .map(|(timer, method, port, interval)| {
                    let mut t = Map::new();
                    t.insert("timerId".into(), Value::from(timer));
                    t.insert("methodId".into(), Value::from(method));
                    put(&mut t, "inputPortId", port.map(Value::from));
                    put(&mut t, "defaultIntervalMs", interval);
                    Value::Object(t)
                })
                .collect();
            object.insert("timers".into(), Value::from(timers));
            let protocols: Vec<Value> = protocols
                .into_iter()
                .map(|(protocol, method, transport, role, port, auto)| {
                    let mut p = Map::new();
                    p.insert("protocolId".into(), Value::from(protocol));
                    p.insert("methodId".into(), Value::from(method));
                    put(&mut p, "transportKind", transport.map(Value::from));
                    put(&mut p, "role", role.map(Value::from));
                    put(&mut p, "defaultPort", port);
                    put(&mut p, "autoInstall", auto);
                    Value::Object(p)
                })
                .collect();
            object.insert("protocols".into(), Value::from(protocols));
            object.insert("schemasUsed".into(), Value::from(schemas));
            let artifacts: Vec<Value> = artifacts
                .into_iter()
                .map(|(artifact, kind, path)| {
                    let mut a = Map::new();
                    a.insert("artifactId".into(), Value::from(artifact));
                    put(&mut a, "kind", kind.map(Value::from));
                    a.insert("path".into(), Value::from(path));
                    Value::Object(a)
                })
                .collect();
            object.insert("buildArtifacts".into(), Value::from(artifacts));
            Value::Object(object)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// What encodes decodes to a manifest that re-encodes to the same bytes, and the decoded
    /// (typed) manifest survives another round.
    #[test]
    fn random_manifests_encode_decode_encode_byte_stable(value in manifest_json()) {
        let Ok(encoded) = manifest::encode_json(&value) else {
            // Refused input (e.g. an empty required id after trimming) is fine.
            return Ok(());
        };
        let decoded = manifest::decode(&encoded.bytes).unwrap();
        let again = manifest::encode(&decoded).unwrap();
        prop_assert_eq!(&again, &encoded.bytes);
        prop_assert_eq!(manifest::decode(&again).unwrap(), decoded);
    }
}

// ---- bundles ------------------------------------------------------------------------------

const ROLES: [&str; 7] = [
    "manifest",
    "authorization",
    "signature",
    "transport",
    "attestation",
    "auxiliary",
    "deployment",
];
const ENCODINGS: [&str; 4] = ["raw-bytes", "flatbuffer", "json-utf8", "cbor"];

fn minimal_module() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/bundle-edge/minimal-input.wasm"
    ))
    .unwrap()
}

fn vector_manifest_bytes() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/manifests/minimal.manifest.fb"
    ))
    .unwrap()
}

#[derive(Debug, Clone)]
struct EntrySpec {
    id: String,
    role: usize,
    encoding: usize,
    section: Option<String>,
    media_type: Option<String>,
    flags: Option<u32>,
    payload: Vec<u8>,
    description: Option<String>,
}

fn entry_spec() -> impl Strategy<Value = EntrySpec> {
    (
        "[a-z][a-z0-9-]{0,10}",
        0..ROLES.len(),
        0..ENCODINGS.len(),
        proptest::option::of(text()),
        proptest::option::of("[a-z]+/[a-z+.-]{1,12}"),
        proptest::option::of(any::<u32>()),
        proptest::collection::vec(any::<u8>(), 0..96),
        proptest::option::of(text()),
    )
        .prop_map(
            |(id, role, encoding, section, media_type, flags, payload, description)| EntrySpec {
                id,
                role,
                encoding,
                section,
                media_type,
                flags,
                payload,
                description,
            },
        )
}

fn entry_input(spec: &EntrySpec) -> EntryInput {
    let mut entry = EntryInput::new(
        &spec.id,
        ROLES[spec.role],
        ENCODINGS[spec.encoding],
        Payload::Bytes(spec.payload.clone()),
    );
    entry.section_name = spec.section.clone().map(Value::from);
    entry.media_type = spec.media_type.clone().map(Value::from);
    entry.flags = spec.flags.map(Value::from);
    entry.description = spec.description.clone().map(Value::from);
    entry
}

/// The create options that reproduce a parsed bundle: every entry but the manifest one (which
/// create adds from the manifest bytes), stored values passed as they were read.
fn options_from_parse(parsed: &bundle::Parsed, wasm: Vec<u8>) -> CreateOptions {
    let stored = &parsed.bundle;
    let manifest = stored
        .entries
        .iter()
        .find(|entry| entry.entry_id == "manifest")
        .map_or(ManifestInput::None, |entry| {
            ManifestInput::Bytes(entry.payload.clone())
        });
    let entries = stored
        .entries
        .iter()
        .filter(|entry| entry.entry_id != "manifest")
        .map(|entry| EntryInput {
            entry_id: Some(Value::from(entry.entry_id.clone())),
            role: entry.role.map(Value::from),
            section_name: entry.section_name.clone().map(Value::from),
            type_ref: None,
            payload_encoding: entry.payload_encoding.map(Value::from),
            media_type: entry.media_type.clone().map(Value::from),
            flags: entry.flags.map(Value::from),
            payload: Some(Payload::Bytes(entry.payload.clone())),
            description: entry.description.clone().map(Value::from),
        })
        .collect();
    CreateOptions {
        wasm,
        manifest,
        entries,
        ..CreateOptions::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// create -> parse -> create: re-creating from what parse read (over the original module,
    /// and over the bundled module itself) gives the identical module and bundle bytes.
    #[test]
    fn random_bundles_create_parse_create_identical(
        specs in proptest::collection::vec(entry_spec(), 0..5),
        with_manifest in any::<bool>(),
    ) {
        let options = CreateOptions {
            wasm: minimal_module(),
            manifest: if with_manifest {
                ManifestInput::Bytes(vector_manifest_bytes())
            } else {
                ManifestInput::None
            },
            entries: specs.iter().map(entry_input).collect(),
            ..CreateOptions::default()
        };
        let created = bundle::create(&options).unwrap();
        let parsed = bundle::parse(&created.wasm, &ParseOptions::default()).unwrap();
        prop_assert_eq!(&parsed.bundle, &created.bundle);
        bundle::verify(&parsed).unwrap();
        for wasm in [minimal_module(), created.wasm.clone()] {
            let again = bundle::create(&options_from_parse(&parsed, wasm)).unwrap();
            prop_assert_eq!(&again.bundle_bytes, &created.bundle_bytes);
            prop_assert_eq!(&again.wasm, &created.wasm);
        }
    }
}

// ---- protect -> open ----------------------------------------------------------------------

fn base_module() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/publication/inputs/base-module.wasm"
    ))
    .unwrap()
}

fn publication_manifest() -> Value {
    static MANIFEST: OnceLock<Value> = OnceLock::new();
    MANIFEST
        .get_or_init(|| {
            let text = std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../vectors/publication/inputs/manifest.json"
            ))
            .unwrap();
            serde_json::from_str(&text).unwrap()
        })
        .clone()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any valid signer key, any recipient key, a module of random size (a custom section of
    /// 0..256 KiB appended): open returns the module (or the bundled module) and reports the
    /// signature valid; the recipient key is required exactly when encrypted.
    #[test]
    fn protect_then_open_for_random_keys_and_sizes(
        signer_key in proptest::array::uniform32(any::<u8>()),
        recipient_key in proptest::array::uniform32(any::<u8>()),
        filler_len in prop_oneof![0usize..64, 0usize..(256 << 10)],
        filler_byte in any::<u8>(),
        encrypt in any::<bool>(),
        single_file_bundle in any::<bool>(),
        now_ms in 0i64..4_102_444_800_000,
    ) {
        let Ok(signer) = Signer::from_private_key(&signer_key) else {
            // Zero or beyond the curve order: not a key.
            return Ok(());
        };
        let recipient = X25519PrivateKey::from_bytes(recipient_key);
        let mut wasm = base_module();
        let filler = vec![filler_byte; filler_len];
        wasm.extend(space_data_module::wasm::sections::encode_custom_section("filler", &filler).unwrap());
        let options = ProtectOptions {
            manifest: publication_manifest(),
            wasm: &wasm,
            single_file_bundle,
            recipient_public_key: encrypt.then(|| recipient.public_key()),
            artifact_id: None,
            target: Value::Null,
            capabilities: None,
            now_ms,
        };
        let protected = protect(&options, &signer, &mut OsRandom).unwrap();
        let policy = OpenPolicy::trusting(vec![PublicKey::from(&signer)]);
        let key = encrypt.then_some(&recipient);
        let opened = publication::open(&protected.protected_artifact_bytes, &policy, key)
            .map_err(|failure| TestCaseError::fail(format!("{:?}", failure.error)))?;
        let expected = if single_file_bundle {
            protected.single_file_bundle_wasm.clone().unwrap()
        } else {
            wasm.clone()
        };
        prop_assert_eq!(opened.wasm, expected);
        prop_assert_eq!(protected.encrypted, encrypt);
        if encrypt {
            let refused = publication::open(&protected.protected_artifact_bytes, &policy, None);
            prop_assert!(refused.is_err());
        }
    }
}

// ---- invoke envelopes ---------------------------------------------------------------------

fn invoke_type_ref() -> impl Strategy<Value = Option<TypeRef>> {
    proptest::option::of(
        (
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::collection::vec(any::<u8>(), 0..33),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(text()),
            any::<u16>(),
            any::<u32>(),
            any::<u16>(),
        )
            .prop_map(
                |(name, id, hash, any_flatbuffer, aligned, root, fixed, length, alignment)| {
                    TypeRef {
                        schema_name: name,
                        file_identifier: id,
                        schema_hash: hash,
                        accepts_any_flatbuffer: any_flatbuffer,
                        wire_format: if aligned {
                            WireFormat::AlignedBinary
                        } else {
                            WireFormat::Flatbuffer
                        },
                        root_type_name: root,
                        fixed_string_length: fixed,
                        byte_length: length,
                        required_alignment: alignment,
                    }
                },
            ),
    )
}

/// Frames over one arena: each frame's range is inside the arena.
fn frames_and_arena() -> impl Strategy<Value = (Vec<Frame>, Vec<u8>)> {
    proptest::collection::vec(any::<u8>(), 0..256).prop_flat_map(|arena| {
        let len = arena.len() as u32;
        let frame = (
            invoke_type_ref(),
            proptest::option::of(text()),
            any::<u16>(),
            0..=len,
            0..=len,
            (any::<u8>(), any::<u32>(), any::<u8>()),
            (any::<u64>(), any::<u32>(), any::<u64>(), any::<bool>()),
        )
            .prop_map(
                move |(
                    type_ref,
                    port_id,
                    alignment,
                    a,
                    b,
                    (ownership, generation, mutability),
                    (trace_id, stream_id, sequence, end_of_stream),
                )| {
                    let (offset, end) = (a.min(b), a.max(b));
                    Frame {
                        type_ref,
                        port_id,
                        alignment,
                        offset,
                        size: end - offset,
                        ownership,
                        generation,
                        mutability,
                        trace_id,
                        stream_id,
                        sequence,
                        end_of_stream,
                    }
                },
            );
        (proptest::collection::vec(frame, 0..6), Just(arena))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Requests and responses with random strings (BOMs included), metadata and frames:
    /// encode -> decode gives the value back and re-encoding gives the same bytes.
    #[test]
    fn invoke_envelopes_encode_decode_encode(
        method_id in text(),
        (frames, arena) in frames_and_arena(),
        status_code in any::<i32>(),
        yielded in any::<bool>(),
        backlog_remaining in any::<u32>(),
        error_code in proptest::option::of(text()),
        error_message in proptest::option::of(text()),
    ) {
        let request = InvokeRequest {
            method_id,
            input_frames: frames.clone(),
            payload_arena: arena.clone(),
        };
        let Ok(bytes) = invoke::encode_request(&request) else {
            return Err(TestCaseError::fail("a request with in-range frames encodes"));
        };
        let decoded = invoke::decode_request(&bytes).unwrap();
        prop_assert_eq!(&decoded, &request);
        prop_assert_eq!(invoke::encode_request(&decoded).unwrap(), bytes);

        let response = InvokeResponse {
            status_code,
            yielded,
            backlog_remaining,
            output_frames: frames,
            payload_arena: arena,
            error_code,
            error_message,
        };
        let bytes = invoke::encode_response(&response).unwrap();
        let decoded = invoke::decode_response(&bytes).unwrap();
        prop_assert_eq!(&decoded, &response);
        prop_assert_eq!(invoke::encode_response(&decoded).unwrap(), bytes);
    }
}
