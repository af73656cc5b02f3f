//! Round trips protect → open (signed-only, signed+encrypted, single-file bundle) on the vector
//! module and on a 16 MiB module, with wrong-key / untrusted-signer / tampered negatives.

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;
use sha2::{Digest, Sha256};
use space_data_module::ErrorCode;
use space_data_module::keys::random::OsRandom;
use space_data_module::keys::signing::{PublicKey, Signer};
use space_data_module::keys::x25519::X25519PrivateKey;
use space_data_module::publication::{self, OpenPolicy, ProtectOptions, Protected, protect};

const MNEMONIC: &str =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const OTHER_MNEMONIC: &str =
    "letter advice cage absurd amount doctor acoustic avoid letter advice cage above";

fn vectors() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/publication"
    ))
}

fn base_module() -> Vec<u8> {
    std::fs::read(vectors().join("inputs/base-module.wasm")).unwrap()
}

fn manifest() -> Value {
    let text = std::fs::read_to_string(vectors().join("inputs/manifest.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The base module plus a 16 MiB custom section: a valid 16 MiB module.
fn big_module() -> Vec<u8> {
    let mut wasm = base_module();
    let filler: Vec<u8> = (0..16u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let section =
        space_data_module::wasm::sections::encode_custom_section("filler", &filler).unwrap();
    wasm.extend_from_slice(&section);
    wasm
}

fn protect_with<'a>(
    wasm: &'a [u8],
    recipient: Option<&X25519PrivateKey>,
    bundle: bool,
) -> Protected<'a> {
    let options = ProtectOptions {
        manifest: manifest(),
        wasm,
        single_file_bundle: bundle,
        recipient_public_key: recipient.map(X25519PrivateKey::public_key),
        artifact_id: None,
        target: Value::Null,
        capabilities: None,
        now_ms: 1_767_225_600_000,
    };
    protect(&options, &signer(), &mut OsRandom).unwrap()
}

/// BIP-39 seeds cost 2048 PBKDF2 rounds (slow in debug builds): derive once.
fn signer() -> Signer {
    static SIGNER: OnceLock<Signer> = OnceLock::new();
    SIGNER
        .get_or_init(|| Signer::from_mnemonic(MNEMONIC).unwrap())
        .clone()
}

fn trusted() -> OpenPolicy {
    OpenPolicy::trusting(vec![PublicKey::from(&signer())])
}

fn open_class(artifact: &[u8], policy: &OpenPolicy, key: Option<&X25519PrivateKey>) -> ErrorCode {
    publication::open(artifact, policy, key)
        .expect_err("must be refused")
        .error
        .code()
}

/// `negatives`: also run the negatives that need extra full passes (skipped for 16 MiB in
/// debug builds, where each pass over the module costs seconds).
fn round_trip(wasm: Vec<u8>, negatives: bool) {
    let recipient = X25519PrivateKey::generate(&mut OsRandom).unwrap();
    let wrong = X25519PrivateKey::generate(&mut OsRandom).unwrap();

    // Signed only.
    let signed = protect_with(&wasm, None, false);
    let opened = publication::open(&signed.protected_artifact_bytes, &trusted(), None).unwrap();
    assert_eq!(opened.wasm, wasm);
    // The loader hashes the payload once (for the CID) and reports that digest for the wasm.
    let wasm_sha256 = hex::encode(Sha256::digest(&wasm));
    let digest = opened.report.wasm.as_ref().unwrap();
    assert_eq!(
        (digest.sha256.as_str(), digest.length),
        (wasm_sha256.as_str(), wasm.len())
    );
    assert!(opened.report.decrypted.is_none());
    assert!(
        opened
            .report
            .signature
            .as_ref()
            .unwrap()
            .timestamp_signature_valid
    );

    // Signed + encrypted.
    let encrypted = protect_with(&wasm, Some(&recipient), false);
    assert_ne!(&encrypted.protected_artifact_bytes[..wasm.len()], &wasm[..]);
    let opened = publication::open(
        &encrypted.protected_artifact_bytes,
        &trusted(),
        Some(&recipient),
    )
    .unwrap();
    assert_eq!(opened.wasm, wasm);
    for digest in [&opened.report.wasm, &opened.report.decrypted] {
        let digest = digest.as_ref().unwrap();
        assert_eq!(
            (digest.sha256.as_str(), digest.length),
            (wasm_sha256.as_str(), wasm.len())
        );
    }
    assert_eq!(
        open_class(
            &encrypted.protected_artifact_bytes,
            &trusted(),
            Some(&wrong)
        ),
        ErrorCode::DecryptedPayloadInvalid
    );
    if !negatives {
        return;
    }
    assert_eq!(
        open_class(&encrypted.protected_artifact_bytes, &trusted(), None),
        ErrorCode::DecryptionKeyRequired
    );

    // Untrusted signer.
    let other = OpenPolicy::trusting(vec![PublicKey::from(
        &Signer::from_mnemonic(OTHER_MNEMONIC).unwrap(),
    )]);
    assert_eq!(
        open_class(&signed.protected_artifact_bytes, &other, None),
        ErrorCode::SignatureInvalid
    );
    assert_eq!(
        open_class(
            &signed.protected_artifact_bytes,
            &OpenPolicy::default(),
            None
        ),
        ErrorCode::SignatureInvalid
    );

    // Tampered payload (signed and encrypted).
    for artifact in [
        &signed.protected_artifact_bytes,
        &encrypted.protected_artifact_bytes,
    ] {
        let mut tampered = artifact.clone();
        tampered[wasm.len() / 2] ^= 0x01;
        assert_eq!(
            open_class(&tampered, &trusted(), Some(&recipient)),
            ErrorCode::CidMismatch
        );
    }
}

#[test]
fn round_trips_on_the_vector_module() {
    round_trip(base_module(), true);
}

#[test]
fn round_trips_on_a_16_mib_module() {
    let wasm = big_module();
    assert!(wasm.len() > 16 << 20);
    round_trip(wasm, false);
}

#[test]
fn single_file_bundle_round_trip() {
    let recipient = X25519PrivateKey::generate(&mut OsRandom).unwrap();
    for key in [None, Some(&recipient)] {
        let base = base_module();
        let protected = protect_with(&base, key, true);
        let bundled = protected.single_file_bundle_wasm.clone().unwrap();
        let opened =
            publication::open(&protected.protected_artifact_bytes, &trusted(), key).unwrap();
        assert_eq!(opened.wasm, bundled);
        let bundle = opened
            .report
            .bundle
            .clone()
            .flatten()
            .expect("bundle reported");
        assert_eq!(bundle.entry_ids, ["manifest", "authorization"]);
        assert_eq!(
            bundle.authorization_signer_public_key_hex.as_deref(),
            Some(protected.signing_public_key_hex.as_str())
        );
        assert_eq!(
            bundle.canonical_module_hash_hex,
            bundle.bundle_canonical_module_hash_hex
        );
    }
}
