//! Issue 13, item 9: exactness against the reference found by held-back vectors.
//!
//! - The reference reads FlatBuffer strings with `TextDecoder`, which drops one leading U+FEFF
//!   (BOM): every decoder that mirrors it must do the same.
//! - Transport vectors may carry `inputs.context` (spec publication-and-protection.md section
//!   14): the conformance runner must re-encrypt with it.

use std::path::Path;

use flatbuffers::FlatBufferBuilder;
use serde_json::{Value, json};
use space_data_module::bundle::{self, CreateOptions, EntryInput, ParseOptions, Payload};
use space_data_module::conformance;
use space_data_module::invoke::{self, InvokeRequest, InvokeResponse};
use space_data_module::keys::random::ScriptedRandom;
use space_data_module::keys::x25519::X25519PrivateKey;
use space_data_module::publication::encryption::EncryptOptions;
use space_data_module::publication::transport::encrypt_bytes_for_recipient;

const BOM: &str = "\u{FEFF}";

fn minimal_wasm() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/bundle-edge/minimal-input.wasm"
    ))
    .unwrap()
}

/// The typed model keeps the stored text (so re-encoding reproduces the bytes); the reference's
/// view of a parse (`parsed.json`, the summary) and its entry lookups see the decoded text.
#[test]
fn bundle_parse_drops_a_leading_bom() {
    let mut described = EntryInput::new(
        &format!("{BOM}extra"),
        "auxiliary",
        "raw-bytes",
        Payload::Bytes(vec![1]),
    );
    described.description = Some(json!(format!("{BOM}bom")));
    described.media_type = Some(json!(format!("{BOM}{BOM}x{BOM}")));
    described.section_name = Some(json!(format!("{BOM}sds.x")));
    let options = CreateOptions {
        wasm: minimal_wasm(),
        entries: vec![described],
        ..CreateOptions::default()
    };
    let created = bundle::create(&options).unwrap();
    let parsed = bundle::parse(&created.wasm, &ParseOptions::default()).unwrap();
    let entry = &parsed.bundle.entries[0];
    assert_eq!(
        entry.description.as_deref(),
        Some(format!("{BOM}bom").as_str())
    );

    let json = bundle::report::parsed_json(&parsed);
    let rendered = &json["entries"][0];
    assert_eq!(rendered["description"], "bom");
    assert_eq!(rendered["entryId"], "extra");
    assert_eq!(rendered["sectionName"], "sds.x");
    // Only the first BOM goes, as with TextDecoder; inner and trailing ones stay.
    assert_eq!(rendered["mediaType"], format!("{BOM}x{BOM}"));
    let summary = bundle::report::summary_json(&parsed, &minimal_wasm(), &created.wasm);
    assert_eq!(summary["entryIds"][0], "extra");
    assert_eq!(summary["entries"][0]["entryId"], "extra");
    // The reference finds the entry by its decoded id.
    assert!(parsed.bundle.find_entry("extra").is_some());
}

/// A `PMAN` buffer built by hand: only the required `plugin_id` (slot 0) and `name` (slot 1).
fn manifest_with(plugin_id: &str, name: &str) -> Vec<u8> {
    let mut fbb = FlatBufferBuilder::new();
    let plugin_id = fbb.create_string(plugin_id);
    let name = fbb.create_string(name);
    let start = fbb.start_table();
    fbb.push_slot_always(4, plugin_id);
    fbb.push_slot_always(6, name);
    let root = fbb.end_table(start);
    fbb.finish(root, Some("PMAN"));
    fbb.finished_data().to_vec()
}

#[test]
fn manifest_json_drops_a_leading_bom_of_a_hand_built_buffer() {
    let bytes = manifest_with(&format!("{BOM}com.example.bom"), &format!("{BOM} named"));
    let json = space_data_module::manifest::decode_to_json(&bytes).unwrap();
    assert_eq!(json["pluginId"], "com.example.bom");
    assert_eq!(json["name"], " named");
}

#[test]
fn invoke_envelope_json_drops_a_leading_bom() {
    let request = InvokeRequest {
        method_id: format!("{BOM}echo"),
        ..InvokeRequest::default()
    };
    let decoded = invoke::decode_request(&invoke::encode_request(&request).unwrap()).unwrap();
    assert_eq!(decoded, request, "the typed model keeps the stored text");
    assert_eq!(invoke::json::request_to_json(&decoded)["methodId"], "echo");
    let response = InvokeResponse {
        error_code: Some(format!("{BOM}code")),
        error_message: Some(format!("{BOM}{BOM}message")),
        ..InvokeResponse::default()
    };
    let decoded = invoke::decode_response(&invoke::encode_response(&response).unwrap()).unwrap();
    let json = invoke::json::response_to_json(&decoded);
    assert_eq!(json["errorCode"], "code");
    assert_eq!(json["errorMessage"], format!("{BOM}message"));
}

fn vectors() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/publication"
    ))
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn write_json(path: &Path, value: &Value) {
    std::fs::write(path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
}

/// A publication layout holding one transport case: the public `ctr-rec-envelope` case
/// re-encrypted (same keys, nonce, clock and plaintext) under `context`, with
/// `inputs.context` set as the held-back vectors do. The public vector itself is only read.
fn transport_case_with_context(dir: &Path, context: &str) {
    let source = vectors().join("transport/ctr-rec-envelope");
    let case = dir.join("transport/ctx-envelope");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::create_dir_all(dir.join("cases")).unwrap();
    let mut expected = read_json(&source.join("expected.json"));
    let inputs = &expected["inputs"];
    let recipient =
        X25519PrivateKey::from_hex(inputs["recipientPrivateKeyHex"].as_str().unwrap()).unwrap();
    let sender =
        X25519PrivateKey::from_hex(inputs["senderPrivateKeyHex"].as_str().unwrap()).unwrap();
    let nonce = hex::decode(inputs["randomBytesInCallOrder"][0]["hex"].as_str().unwrap()).unwrap();
    let plaintext = std::fs::read(source.join("plaintext.canonical.json")).unwrap();
    let options = EncryptOptions {
        context: Some(context.to_owned()),
        sender: Some(sender),
        timestamp_ms: inputs["dateNowMs"].as_u64().unwrap(),
        ..EncryptOptions::default()
    };
    let envelope = encrypt_bytes_for_recipient(
        &plaintext,
        &recipient.public_key(),
        &options,
        &mut ScriptedRandom::new(vec![nonce]),
    )
    .unwrap();
    assert_eq!(envelope["context"], context);
    expected["case"] = json!("ctx-envelope");
    expected["inputs"]["context"] = json!(context);
    write_json(&case.join("envelope.json"), &envelope);
    write_json(&case.join("expected.json"), &expected);
    std::fs::write(case.join("plaintext.canonical.json"), plaintext).unwrap();
    write_json(
        &dir.join("index.json"),
        &json!({"cases": [{"id": "ctx-envelope", "kind": "transport", "outcome": "ok",
                           "errorClass": null, "dir": "transport/ctx-envelope"}]}),
    );
}

#[test]
fn transport_cases_are_re_encrypted_with_their_context() {
    let dir = tempfile::tempdir().unwrap();
    transport_case_with_context(dir.path(), "space-data-module/held-back-context");
    let outcomes = conformance::publication::run(dir.path()).unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].failure, None, "{:?}", outcomes[0]);
}

#[test]
fn public_transport_cases_still_pass_without_a_context() {
    let outcomes = conformance::publication::run(vectors()).unwrap();
    let transport: Vec<_> = outcomes
        .iter()
        .filter(|outcome| outcome.case.contains("envelope") || outcome.case.contains("gcm"))
        .collect();
    assert!(transport.len() >= 4, "{outcomes:?}");
    for outcome in transport {
        assert_eq!(outcome.failure, None, "{outcome:?}");
    }
}
