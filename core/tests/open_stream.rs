//! The loader over a stream (`publication::open_stream`, `api::publication::open_file`) against
//! the loader in memory: the same verdict, report and wasm for every publication vector,
//! tampered artifacts, and modules whose sections are too large to hold whole; and the file
//! front end's guarantees (nothing written on refusal, no temporary file left).

use std::io::Cursor;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;
use space_data_module::ErrorCode;
use space_data_module::api::keys::RecipientKey;
use space_data_module::api::publication::{self as api, OpenRequest};
use space_data_module::keys::random::OsRandom;
use space_data_module::keys::signing::{PublicKey, Signer};
use space_data_module::keys::x25519::X25519PrivateKey;
use space_data_module::publication::{self, OpenPolicy, ProtectOptions, protect};
use space_data_module::wasm::sections::{encode_section, encode_uleb128};

fn vectors() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/publication"
    ))
}

fn keys() -> Value {
    serde_json::from_slice(&std::fs::read(vectors().join("inputs/keys.json")).unwrap()).unwrap()
}

fn key_hex(who: &str) -> String {
    keys()[who]["privateKeyHex"].as_str().unwrap().to_owned()
}

/// Derived once: BIP-39 seeds are slow in debug builds.
fn signer() -> Signer {
    static SIGNER: OnceLock<Signer> = OnceLock::new();
    SIGNER
        .get_or_init(|| Signer::from_private_key(&hex::decode(key_hex("signer")).unwrap()).unwrap())
        .clone()
}

fn recipient() -> X25519PrivateKey {
    X25519PrivateKey::from_hex(&key_hex("recipient")).unwrap()
}

fn trusting() -> OpenPolicy {
    OpenPolicy::trusting(vec![PublicKey::from(&signer())])
}

/// What a loader said: the code and message of a refusal or the wasm, and the report.
#[derive(Debug, PartialEq)]
struct Verdict {
    result: Result<Vec<u8>, (ErrorCode, String)>,
    report: Value,
}

fn in_memory(bytes: &[u8], policy: &OpenPolicy, key: Option<&X25519PrivateKey>) -> Verdict {
    match publication::open(bytes, policy, key) {
        Ok(opened) => Verdict {
            result: Ok(opened.wasm),
            report: serde_json::to_value(opened.report.view()).unwrap(),
        },
        Err(failure) => Verdict {
            result: Err((failure.error.code(), failure.error.message().to_owned())),
            report: serde_json::to_value(failure.partial.view()).unwrap(),
        },
    }
}

fn streamed(bytes: &[u8], policy: &OpenPolicy, key: Option<&X25519PrivateKey>) -> Verdict {
    let mut sink = Vec::new();
    let opened = publication::open_stream(
        &mut Cursor::new(bytes),
        bytes.len() as u64,
        policy,
        key,
        &mut sink,
    );
    match opened {
        Ok(opened) => {
            assert_eq!(opened.wasm_length, sink.len() as u64);
            Verdict {
                result: Ok(sink),
                report: serde_json::to_value(opened.report.view()).unwrap(),
            }
        }
        Err(failure) => Verdict {
            result: Err((failure.error.code(), failure.error.message().to_owned())),
            report: serde_json::to_value(failure.partial.view()).unwrap(),
        },
    }
}

fn assert_alike(case: &str, bytes: &[u8], policy: &OpenPolicy, key: Option<&X25519PrivateKey>) {
    let memory = in_memory(bytes, policy, key);
    let stream = streamed(bytes, policy, key);
    assert_eq!(
        stream.result.as_ref().map(Vec::len),
        memory.result.as_ref().map(Vec::len),
        "{case}: verdict"
    );
    assert!(stream == memory, "{case}: stream and memory differ");
}

fn policies() -> Vec<(&'static str, OpenPolicy)> {
    let other = Signer::from_private_key(&hex::decode(key_hex("otherSigner")).unwrap()).unwrap();
    vec![
        ("trusting the signer", trusting()),
        (
            "trusting another signer",
            OpenPolicy::trusting(vec![PublicKey::from(&other)]),
        ),
        (
            "trusting both",
            OpenPolicy::trusting(vec![PublicKey::from(&other), PublicKey::from(&signer())]),
        ),
        (
            "unsigned allowed",
            OpenPolicy {
                require_signature: false,
                ..OpenPolicy::default()
            },
        ),
        (
            "size cap below the artifact",
            OpenPolicy {
                max_artifact_bytes: 100,
                ..trusting()
            },
        ),
    ]
}

#[test]
fn every_publication_vector_opens_alike_from_a_stream() {
    let wrong = X25519PrivateKey::from_hex(&key_hex("wrongRecipient")).unwrap();
    let mut cases = 0;
    for entry in std::fs::read_dir(vectors().join("cases")).unwrap() {
        let dir = entry.unwrap().path();
        let bytes = std::fs::read(dir.join("artifact.wasm")).unwrap();
        for (name, policy) in policies() {
            for key in [None, Some(&recipient()), Some(&wrong)] {
                let case = format!("{} / {name} / key {}", dir.display(), key.is_some());
                assert_alike(&case, &bytes, &policy, key);
                cases += 1;
            }
        }
    }
    assert_eq!(
        cases,
        12 * 5 * 3,
        "every vector case under every policy and key"
    );
}

/// A valid module with a code section, a data section of `data_bytes` in three segments
/// (two active, one passive), and a custom section of `custom_bytes`.
fn module_with_large_sections(data_bytes: usize, custom_bytes: usize) -> Vec<u8> {
    module_declaring(data_bytes, custom_bytes, 0)
}

/// [`module_with_large_sections`] whose last data segment declares `extra` bytes more than it
/// has.
fn module_declaring(data_bytes: usize, custom_bytes: usize, extra: u32) -> Vec<u8> {
    let mut wasm = wat::parse_str(
        r#"(module
             (memory (export "memory") 1)
             (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))"#,
    )
    .unwrap();
    let third = data_bytes / 3;
    let segment = |head: &[u8], len: usize, fill: u8, extra: u32| {
        let mut out = head.to_vec();
        out.extend(uleb(len as u32 + extra));
        out.extend(std::iter::repeat_n(fill, len));
        out
    };
    let mut data = Vec::new();
    data.extend(uleb(3));
    data.extend(segment(&[0x00, 0x41, 0x00, 0x0b], third, 0xaa, 0));
    data.extend(segment(&[0x02, 0x00, 0x41, 0x10, 0x0b], third, 0xbb, 0));
    data.extend(segment(&[0x01], data_bytes - 2 * third, 0xcc, extra));
    wasm.extend(encode_section(11, &data));
    let mut custom = Vec::new();
    custom.extend(uleb(5));
    custom.extend_from_slice(b"debug");
    custom.extend((0..custom_bytes).map(|i| (i % 251) as u8));
    wasm.extend(encode_section(0, &custom));
    wasm
}

/// The LEB128 bytes of `value`.
fn uleb(value: u32) -> Vec<u8> {
    encode_uleb128(u64::from(value)).unwrap()
}

fn protect_module(wasm: &[u8], bundle: bool, encrypt: bool) -> Vec<u8> {
    let options = ProtectOptions {
        manifest: serde_json::json!({"pluginId": "com.example.stream"}),
        wasm,
        single_file_bundle: bundle,
        recipient_public_key: encrypt.then(|| recipient().public_key()),
        artifact_id: None,
        target: Value::Null,
        capabilities: None,
        now_ms: 1_767_225_600_000,
    };
    protect(&options, &signer(), &mut OsRandom)
        .unwrap()
        .into_artifact()
}

#[test]
fn sections_too_large_to_hold_whole_open_alike_signed_encrypted_and_bundled() {
    // 20 MiB of data segments and 12 MiB of custom data: both above the 8 MiB the validator
    // is given whole, spread over several 1 MiB read chunks.
    let wasm = module_with_large_sections(20 << 20, 12 << 20);
    assert!(space_data_module::wasm::validate::validate(&wasm).is_ok());
    for (bundle, encrypt) in [(false, false), (false, true), (true, false), (true, true)] {
        let artifact = protect_module(&wasm, bundle, encrypt);
        let case = format!("bundle {bundle} encrypt {encrypt}");
        let memory = in_memory(&artifact, &trusting(), Some(&recipient()));
        assert!(memory.result.is_ok(), "{case}: {:?}", memory.result.err());
        assert_alike(&case, &artifact, &trusting(), Some(&recipient()));
        if bundle {
            assert!(
                memory.report["bundle"].is_object(),
                "{case}: bundle reported"
            );
        }
    }
}

#[test]
fn a_large_data_section_that_lies_about_its_segments_is_refused() {
    let good = module_with_large_sections(9 << 20, 0);
    let data_at = find_data_section(&good);
    let longer = module_declaring(9 << 20, 0, 1);
    let mut cut = good.clone();
    cut.truncate(data_at + (4 << 20));
    for (case, bytes) in [
        ("segment past its section", longer),
        ("module cut inside its data section", cut),
    ] {
        let memory = in_memory(&bytes, &unsigned(), None);
        let stream = streamed(&bytes, &unsigned(), None);
        let code = |verdict: &Verdict| verdict.result.as_ref().err().map(|e| e.0);
        assert_eq!(
            code(&memory),
            Some(ErrorCode::WasmInvalid),
            "{case} in memory"
        );
        assert_eq!(
            code(&stream),
            Some(ErrorCode::WasmInvalid),
            "{case} streamed"
        );
    }
}

/// Offset of the data section's payload.
fn find_data_section(wasm: &[u8]) -> usize {
    let sections = space_data_module::wasm::sections::parse_sections(wasm).unwrap();
    sections.iter().find(|s| s.id == 11).unwrap().payload.start
}

fn unsigned() -> OpenPolicy {
    OpenPolicy {
        require_signature: false,
        ..OpenPolicy::default()
    }
}

#[test]
fn another_section_above_the_inline_limit_is_refused_as_too_large() {
    // A passive element segment of 9 Mi function indices: a valid module whose element
    // section the stream validator would have to hold whole.
    let mut wasm = wat::parse_str(r#"(module (func))"#).unwrap();
    let count = 9 << 20;
    let mut elements = Vec::new();
    elements.extend(uleb(1));
    elements.push(0x01); // passive, elemkind funcref, vec(funcidx)
    elements.push(0x00);
    elements.extend(uleb(count));
    elements.extend(std::iter::repeat_n(0u8, count as usize));
    // The element section (9) goes before the code section (10).
    let code_at = space_data_module::wasm::sections::parse_sections(&wasm)
        .unwrap()
        .iter()
        .find(|s| s.id == 10)
        .unwrap()
        .start;
    let tail = wasm.split_off(code_at);
    wasm.extend(encode_section(9, &elements));
    wasm.extend(tail);
    assert!(space_data_module::wasm::validate::validate(&wasm).is_ok());
    let stream = streamed(&wasm, &unsigned(), None);
    let (code, message) = stream.result.unwrap_err();
    assert_eq!(code, ErrorCode::InputTooLarge, "{message}");
    assert!(message.contains("section 9"), "{message}");
}

#[test]
fn tampered_large_artifacts_are_refused_alike() {
    let wasm = module_with_large_sections(10 << 20, 0);
    let signed = protect_module(&wasm, false, true);
    let middle = signed.len() / 2;
    let mut flipped = signed.clone();
    flipped[middle] ^= 0x01;
    let truncated = signed[..signed.len() - 3].to_vec();
    let mut cut_payload = signed[..middle].to_vec();
    cut_payload.extend_from_slice(&signed[middle + 1..]);
    for (case, bytes) in [
        ("bit flipped in the ciphertext", flipped),
        ("footer cut", truncated),
        ("a payload byte removed", cut_payload),
    ] {
        assert_alike(case, &bytes, &trusting(), Some(&recipient()));
        assert!(
            in_memory(&bytes, &trusting(), Some(&recipient()))
                .result
                .is_err()
        );
    }
}

#[test]
fn open_file_writes_the_wasm_only_when_every_step_passed() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(vectors().join("cases/signed-encrypted/artifact.wasm")).unwrap();
    let expected = std::fs::read(vectors().join("cases/signed-encrypted/decrypted.wasm")).unwrap();
    let input = dir.path().join("in.wasm");
    let output = dir.path().join("out.wasm");
    let key = RecipientKey::from_private_key(&hex::decode(key_hex("recipient")).unwrap()).unwrap();
    let request = OpenRequest {
        trusted_signers: vec![PublicKey::from(&signer())],
        decrypt_with: Some(&key),
        ..OpenRequest::default()
    };

    std::fs::write(&input, &good).unwrap();
    let opened = api::open_file(&input, &output, &request).unwrap();
    assert_eq!(opened.outcome.outcome, "ok", "{:?}", opened.outcome.detail);
    assert_eq!(opened.wasm_length, expected.len() as u64);
    assert_eq!(std::fs::read(&output).unwrap(), expected);
    let in_memory = api::open(&good, &request).unwrap();
    assert_eq!(
        serde_json::to_value(&opened.outcome).unwrap(),
        serde_json::to_value(&in_memory.outcome).unwrap(),
        "the outcome of open_file is the one of open"
    );

    // Refused: an existing output is left as it was, and no temporary file remains.
    std::fs::write(&output, b"previous").unwrap();
    let mut tampered = good.clone();
    tampered[20] ^= 0x01;
    std::fs::write(&input, &tampered).unwrap();
    let refused = api::open_file(&input, &output, &request).unwrap();
    assert_eq!(refused.outcome.code.as_deref(), Some("cid-mismatch"));
    assert_eq!(refused.wasm_length, 0);
    assert_eq!(std::fs::read(&output).unwrap(), b"previous");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["in.wasm", "out.wasm"]);
    assert_eq!(
        refused.into_result().unwrap_err().code(),
        ErrorCode::CidMismatch
    );
}

#[cfg(target_os = "linux")]
#[test]
fn open_file_reads_what_is_not_a_regular_file_whole_under_the_module_cap() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.wasm");
    let endless = api::open_file(Path::new("/dev/zero"), &out, &OpenRequest::default());
    assert_eq!(endless.unwrap_err().code(), ErrorCode::InputTooLarge);
    let directory = api::open_file(dir.path(), &out, &OpenRequest::default());
    assert_eq!(directory.unwrap_err().code(), ErrorCode::Io);
    let missing = api::open_file(
        &dir.path().join("absent.wasm"),
        &out,
        &OpenRequest::default(),
    );
    assert_eq!(missing.unwrap_err().code(), ErrorCode::Io);
    // A pipe is read whole and opened in memory, with the same outcome.
    let artifact = std::fs::read(vectors().join("cases/signed-only/artifact.wasm")).unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let writer = {
        let (fifo, artifact) = (fifo.clone(), artifact.clone());
        std::thread::spawn(move || std::fs::write(fifo, artifact).unwrap())
    };
    let request = OpenRequest {
        trusted_signers: vec![PublicKey::from(&signer())],
        ..OpenRequest::default()
    };
    let opened = api::open_file(&fifo, &out, &request).unwrap();
    writer.join().unwrap();
    assert_eq!(opened.outcome.outcome, "ok", "{:?}", opened.outcome.detail);
    let in_memory = api::open(&artifact, &request).unwrap();
    assert_eq!(
        std::fs::read(&out).unwrap(),
        in_memory.module.unwrap().wasm()
    );
}
