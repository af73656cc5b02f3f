//! The bodies of the fuzz targets (issue 13), shared by the cargo-fuzz targets in `fuzz/` and
//! the stable property tests in `core/tests/fuzz_props.rs`: one function per target, taking
//! arbitrary bytes. Not a public API (hidden from the docs).
//!
//! Every body feeds the bytes to one parser (or a small pipeline) and must return normally:
//! errors are expected, a panic is a finding. Where a parse succeeds, the body also checks the
//! round trip that parser promises (decode -> encode -> decode gives the same value), with
//! `assert!`, so a broken invariant is a finding too.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use serde_json::Value;

use crate::host::{Host, HostLimits, HostPolicy};
use crate::keys::signing::PublicKey;
use crate::keys::x25519::X25519PrivateKey;
use crate::publication::OpenPolicy;
use crate::trailer as publication;

/// A target body.
pub type Body = fn(&[u8]);

/// Every target, by name (the `fuzz/fuzz_targets/<name>.rs` files, the seed directories).
pub const TARGETS: &[(&str, Body)] = &[
    ("manifest_decode", manifest_decode),
    ("manifest_json", manifest_json),
    ("wasm_sections", wasm_sections),
    ("bundle_parse", bundle_parse),
    ("publication_records", publication_records),
    ("publication_open", publication_open),
    ("transport_open", transport_open),
    ("invoke_envelopes", invoke_envelopes),
    ("canonical_json", canonical_json),
    ("host_policy_json", host_policy_json),
    ("host_ops", host_ops),
    ("wasm_signature", wasm_signature),
];

/// `PMAN` bytes: decode (typed, borrowed and reference JSON); the one-pass decoders give the
/// verdict and value of the two-pass path (verifier, then reader); a decoded manifest
/// re-encodes to bytes that decode to the same manifest.
pub fn manifest_decode(data: &[u8]) {
    let _ = crate::manifest::decode_to_json(data);
    let view = crate::manifest::decode_ref(data);
    let reference = crate::manifest::decode_two_pass(data);
    match (&view, &reference) {
        (Ok(view), Ok(reference)) => {
            assert_eq!(
                &view.clone().into_owned(),
                reference,
                "decode_ref vs two-pass"
            );
            let bytes = crate::manifest::encode(view).expect("a decoded view encodes");
            assert_eq!(
                crate::manifest::encode(reference).expect("a decoded manifest encodes"),
                bytes,
                "view and owned manifest encode alike"
            );
        }
        (Err(a), Err(b)) => assert_eq!(a.code(), b.code(), "decode_ref vs two-pass: {a}"),
        _ => panic!(
            "decode_ref {:?} but two-pass {:?}",
            view.as_ref().err(),
            reference.as_ref().err()
        ),
    }
    if let Ok(manifest) = crate::manifest::decode(data) {
        let _ = crate::manifest::to_decoded_json(&manifest);
        let bytes = crate::manifest::encode(&manifest).expect("a decoded manifest encodes");
        let again = crate::manifest::decode(&bytes).expect("an encoded manifest decodes");
        assert_eq!(again, manifest, "manifest decode -> encode -> decode");
    }
}

/// Manifest JSON text: normalize and encode; what encodes decodes, and re-encoding the decoded
/// manifest gives the same bytes.
pub fn manifest_json(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let _ = crate::manifest::normalize(&value);
    if let Ok(encoded) = crate::manifest::encode_json(&value) {
        let manifest = crate::manifest::decode(&encoded.bytes).expect("encoded manifest decodes");
        let again = crate::manifest::encode(&manifest).expect("decoded manifest encodes");
        assert_eq!(
            again, encoded.bytes,
            "manifest JSON encode -> decode -> encode"
        );
    }
}

/// A wasm module: the section walk, custom sections, exports; stripping `sds.` sections leaves
/// none and is idempotent.
pub fn wasm_sections(data: &[u8]) {
    let _ = crate::wasm::sections::parse_sections(data);
    let _ = crate::wasm::exports::exports(data);
    let _ = crate::runtime::module_hash(data);
    if let Ok(sections) = crate::wasm::sections::custom_sections(data) {
        for section in &sections {
            let _ = section.name.len();
        }
    }
    if let Ok(stripped) = crate::wasm::sections::strip_sds_sections(data) {
        let sections =
            crate::wasm::sections::custom_sections(&stripped).expect("a stripped module walks");
        assert!(
            sections.iter().all(|s| !s.name.starts_with("sds.")),
            "sds. section left after stripping"
        );
        let again = crate::wasm::sections::strip_sds_sections(&stripped).expect("strips again");
        assert_eq!(again, stripped, "stripping is idempotent");
    }
}

/// A bundled module (parse, verify, render) and raw `SMDB` bytes (decode -> encode -> decode).
pub fn bundle_parse(data: &[u8]) {
    let options = crate::bundle::ParseOptions::default();
    if let Ok(parsed) = crate::bundle::parse(data, &options) {
        let _ = crate::bundle::report::parsed_json(&parsed);
        let _ = crate::bundle::verify(&parsed);
    }
    if let Ok(bundle) = crate::bundle::decode(data) {
        let bytes = crate::bundle::encode(&bundle);
        let again = crate::bundle::decode(&bytes).expect("an encoded bundle decodes");
        assert_eq!(again, bundle, "bundle decode -> encode -> decode");
    }
}

/// `$REC` / `$ENC` / `$PNM` bytes, and trailer detection on the same bytes as a file. A decoded
/// collection re-encodes to one with the same records.
pub fn publication_records(data: &[u8]) {
    let _ = publication::decode_enc_record(data);
    let _ = publication::decode_pnm_record(data);
    let _ = publication::detect_trailer(data);
    let _ = publication::strip_trailer(data);
    if let Ok(collection) = publication::decode_collection(data)
        && let Ok(bytes) = publication::encode_collection(
            collection.enc.as_ref(),
            collection.pnm.as_ref(),
            Some(&collection.version),
        )
    {
        let again = publication::decode_collection(&bytes).expect("an encoded REC decodes");
        assert_eq!(again.enc, collection.enc, "ENC round trip");
        assert_eq!(again.pnm, collection.pnm, "PNM round trip");
        assert_eq!(again.version, collection.version, "version round trip");
    }
}

/// The signer and recipient keys of `vectors/publication/inputs/keys.json` (test-only keys), so
/// mutations of the vector artifacts reach signature checks and decryption.
struct VectorKeys {
    signer: PublicKey,
    recipient: X25519PrivateKey,
}

static VECTOR_KEYS: LazyLock<VectorKeys> = LazyLock::new(|| VectorKeys {
    signer: PublicKey::from_hex(
        "03aaeb52dd7494c361049de67cc680e83ebcbbbdbeb13637d92cd845f70308af5e",
    )
    .expect("vector signer key"),
    recipient: X25519PrivateKey::from_hex(
        "af894733c1be4139c03b1be209725b1ede63cfa0d865dd37072646dd0f477375",
    )
    .expect("vector recipient key"),
});

/// An artifact through the loader: trusting the vector signer with its recipient key, and with
/// the default (signature required, no key) policy.
pub fn publication_open(data: &[u8]) {
    let keys = &*VECTOR_KEYS;
    let trusting = OpenPolicy::trusting(vec![keys.signer.clone()]);
    let _ = crate::publication::open(data, &trusting, Some(&keys.recipient));
    let lenient = OpenPolicy {
        require_signature: false,
        ..OpenPolicy::default()
    };
    let _ = crate::publication::open(data, &lenient, None);
}

/// A transport envelope (JSON) opened with the vector recipient key.
pub fn transport_open(data: &[u8]) {
    let Ok(envelope) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let recipient = &VECTOR_KEYS.recipient;
    let _ = crate::publication::transport::decrypt_envelope(&envelope, recipient);
    let _ = crate::publication::transport::decrypt_json_envelope(&envelope, recipient);
}

/// `PINQ` / `PINS` bytes: decode, render; a decoded envelope re-encodes to bytes that decode to
/// the same envelope.
pub fn invoke_envelopes(data: &[u8]) {
    if let Ok(request) = crate::invoke::decode_request(data) {
        let _ = crate::invoke::json::request_to_json(&request);
        let bytes = crate::invoke::encode_request(&request).expect("a decoded request encodes");
        let again = crate::invoke::decode_request(&bytes).expect("an encoded request decodes");
        assert_eq!(again, request, "request decode -> encode -> decode");
    }
    if let Ok(response) = crate::invoke::decode_response(data) {
        let _ = crate::invoke::json::response_to_json(&response);
        let bytes = crate::invoke::encode_response(&response).expect("a decoded response encodes");
        let again = crate::invoke::decode_response(&bytes).expect("an encoded response decodes");
        assert_eq!(again, response, "response decode -> encode -> decode");
    }
}

/// JSON text to canonical JSON; canonicalizing the canonical form changes nothing.
pub fn canonical_json(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if let Ok(canonical) = crate::canonical_json::canonical_bytes(&value) {
        let reparsed: Value = serde_json::from_slice(&canonical).expect("canonical JSON is JSON");
        let again = crate::canonical_json::canonical_bytes(&reparsed)
            .expect("canonical JSON canonicalizes");
        assert_eq!(again, canonical, "canonical JSON is a fixed point");
    }
}

/// A host policy document; a policy that parses builds a host that lists its operations.
pub fn host_policy_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(policy) = HostPolicy::from_json_str(text) {
        let host = Host::new(policy);
        let _ = host.list_operations();
        let _ = host.granted_capabilities();
    }
}

/// Operations a fuzzed host call is steered to (the first input byte picks one; names outside
/// the tables, and network or exec operations that are never granted here, are included).
const HOST_OPERATIONS: &[&str] = &[
    "host.runtimeTarget",
    "host.listCapabilities",
    "host.listSupportedCapabilities",
    "host.listOperations",
    "host.hasCapability",
    "clock.now",
    "clock.monotonicNow",
    "clock.nowIso",
    "random.bytes",
    "timers.delay",
    "schedule.parse",
    "schedule.matches",
    "schedule.next",
    "filesystem.resolvePath",
    "filesystem.readFile",
    "filesystem.writeFile",
    "filesystem.appendFile",
    "filesystem.deleteFile",
    "filesystem.mkdir",
    "filesystem.readdir",
    "filesystem.stat",
    "filesystem.rename",
    "exec.execFile",
    "context.get",
    "context.set",
    "context.delete",
    "context.listKeys",
    "context.listScopes",
    "crypto.sha256",
    "crypto.sha512",
    "crypto.hkdf",
    "crypto.aesGcmEncrypt",
    "crypto.aesGcmDecrypt",
    "crypto.x25519.generateKeypair",
    "crypto.x25519.publicKey",
    "crypto.x25519.sharedSecret",
    "crypto.sealedBox.encryptForRecipient",
    "crypto.sealedBox.decryptFromEnvelope",
    "crypto.secp256k1.publicKeyFromPrivate",
    "crypto.secp256k1.signDigest",
    "crypto.secp256k1.verifyDigest",
    "crypto.ed25519.publicKeyFromSeed",
    "crypto.ed25519.sign",
    "crypto.ed25519.verify",
    "http.request",
    "tcp.request",
    "no.such.operation",
];

/// The capabilities the "safe" fuzz host grants: everything local that neither runs a program
/// nor touches the network.
const SAFE_CAPABILITIES: &[&str] = &[
    "clock",
    "random",
    "timers",
    "schedule_cron",
    "filesystem",
    "context_read",
    "context_write",
    "crypto_hash",
    "crypto_sign",
    "crypto_verify",
    "crypto_encrypt",
    "crypto_decrypt",
    "crypto_key_agreement",
    "crypto_kdf",
];

thread_local! {
    /// The safe host's filesystem root: one temporary directory per thread, emptied after
    /// every filesystem operation so runs do not accumulate files.
    static FS_ROOT: RefCell<Option<tempfile::TempDir>> = const { RefCell::new(None) };
}

fn fs_root() -> PathBuf {
    FS_ROOT.with(|root| {
        root.borrow_mut()
            .get_or_insert_with(|| tempfile::tempdir().expect("a temporary fuzz root"))
            .path()
            .to_path_buf()
    })
}

fn empty_dir(root: &Path) {
    let _ = std::fs::remove_dir_all(root);
    let _ = std::fs::create_dir_all(root);
}

/// A host call with fuzzed operation and parameters, under the empty policy and under a policy
/// granting only the safe capabilities in a temporary root (fresh hosts: no state carries over).
///
/// Input: byte 0 picks the operation from [`HOST_OPERATIONS`] (0xFF: the operation name is the
/// text up to the first newline instead); the rest is the JSON parameter text (not JSON: `null`).
pub fn host_ops(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (operation, params) = if selector == 0xFF {
        let split = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let name = String::from_utf8_lossy(&rest[..split]).into_owned();
        (name, rest.get(split + 1..).unwrap_or_default())
    } else {
        let name = HOST_OPERATIONS[usize::from(selector) % HOST_OPERATIONS.len()];
        (name.to_owned(), rest)
    };
    let params: Value = serde_json::from_slice(params).unwrap_or(Value::Null);

    let empty = Host::new(HostPolicy::default());
    let _ = empty.invoke(&operation, &params);

    let root = fs_root();
    let limits = HostLimits {
        // No real sleeping: any positive delay is over the cap.
        max_timeout: Duration::ZERO,
        default_timeout: Duration::ZERO,
        ..HostLimits::default()
    };
    let safe = Host::new(
        HostPolicy::new()
            .grant_all(SAFE_CAPABILITIES.iter().copied())
            .filesystem_root(&root)
            .limits(limits),
    );
    let _ = safe.invoke(&operation, &params);
    if operation.trim().starts_with("filesystem.") {
        empty_dir(&root);
    }
}

/// The Ed25519 key that signed `core/tests/data/wasmsig/*.wasm` (the seeds of `wasm_signature`).
const WASMSIG_SIGNER: &str = "2152f8d19b791d24453242e15f2eab6cb7cffa7b6a5ed30097960e069881db12";

/// A module with a tool-conventions signature (or signature data alone): verification against
/// the seeds' signer, complete and partial; the signature data parser on the bytes as they are;
/// parsed data re-serializes to bytes that parse to the same value.
pub fn wasm_signature(data: &[u8]) {
    use crate::wasmsig::{self, SignatureData, VerifyOptions, WasmsigPublicKey};
    let key = WasmsigPublicKey::from_hex(WASMSIG_SIGNER).expect("the seeds' signer");
    for allow_partial in [false, true] {
        let _ = wasmsig::verify(
            data,
            None,
            std::slice::from_ref(&key),
            VerifyOptions { allow_partial },
        );
    }
    if let Ok(parsed) = SignatureData::parse(data) {
        let bytes = parsed.to_bytes().expect("parsed signature data serializes");
        assert_eq!(SignatureData::parse(&bytes).expect("re-parses"), parsed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_accepts_empty_and_junk_input() {
        for (name, body) in TARGETS {
            for input in [&b""[..], b"\0", b"{}", b"\xff\xff\xff\xff", b"[[[[[[[["] {
                body(input);
            }
            assert!(!name.is_empty());
        }
    }

    #[test]
    fn host_ops_writes_inside_the_temporary_root_only() {
        let mut input = vec![0xFF];
        input.extend_from_slice(b"filesystem.writeFile\n{\"path\":\"a/b.txt\",\"value\":\"x\"}");
        host_ops(&input);
        // Emptied afterwards.
        assert_eq!(std::fs::read_dir(fs_root()).unwrap().count(), 0);
    }
}
