//! Loader negatives beyond the vectors, trailer detection, keys and secrets, and the property
//! test: random truncations and bit flips give an error class or the original wasm, never a
//! panic and never other bytes.

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::Value;
use space_data_module::ErrorCode;
use space_data_module::encoding;
use space_data_module::keys::random::{OsRandom, ScriptedRandom};
use space_data_module::keys::signing::{PublicKey, Signer, generate_mnemonic};
use space_data_module::keys::x25519::X25519PrivateKey;
use space_data_module::publication::{self, OpenPolicy, ProtectOptions, protect};
use space_data_module::trailer::{
    self, append_collection, decode_collection, detect_trailer, encode_collection,
};

const MNEMONIC: &str =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

fn vectors() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/publication"
    ))
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(vectors().join(path)).unwrap()
}

fn keys() -> Value {
    serde_json::from_slice(&read("inputs/keys.json")).unwrap()
}

/// BIP-39 seeds cost 2048 PBKDF2 rounds (slow in debug builds): derive once.
fn signer() -> Signer {
    static SIGNER: OnceLock<Signer> = OnceLock::new();
    SIGNER
        .get_or_init(|| Signer::from_mnemonic(MNEMONIC).unwrap())
        .clone()
}

fn policy() -> OpenPolicy {
    OpenPolicy::trusting(vec![PublicKey::from(&signer())])
}

/// One signed and one encrypted small artifact, shared by the property test.
fn fixed_artifacts() -> &'static (Vec<u8>, Vec<u8>) {
    static ARTIFACTS: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    ARTIFACTS.get_or_init(|| (protect_small(None), protect_small(Some(&fixed_recipient()))))
}

fn fixed_recipient() -> X25519PrivateKey {
    X25519PrivateKey::from_bytes([9u8; 32])
}

fn small_module() -> Vec<u8> {
    wat::parse_str(r#"(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))"#).unwrap()
}

fn protect_small(recipient: Option<&X25519PrivateKey>) -> Vec<u8> {
    let wasm = small_module();
    let options = ProtectOptions {
        manifest: serde_json::json!({"pluginId": "com.example.small"}),
        wasm: &wasm,
        single_file_bundle: false,
        recipient_public_key: recipient.map(X25519PrivateKey::public_key),
        artifact_id: None,
        target: Value::Null,
        capabilities: None,
        now_ms: 1_767_225_600_000,
    };
    protect(&options, &signer(), &mut OsRandom)
        .unwrap()
        .into_artifact()
}

fn class(artifact: &[u8], key: Option<&X25519PrivateKey>) -> ErrorCode {
    publication::open(artifact, &policy(), key)
        .expect_err("must be refused")
        .error
        .code()
}

/// Splits a protected artifact into payload and decoded collection.
fn split(artifact: &[u8]) -> (Vec<u8>, trailer::RecordCollection) {
    let found = detect_trailer(artifact).unwrap();
    let end = artifact.len() - 8;
    (
        artifact[..found.wasm_length].to_vec(),
        decode_collection(&artifact[found.wasm_length..end]).unwrap(),
    )
}

#[test]
fn keys_derive_from_the_vector_mnemonics() {
    let keys = keys();
    for who in ["signer", "otherSigner"] {
        let signer = Signer::from_mnemonic(keys[who]["mnemonic"].as_str().unwrap()).unwrap();
        assert_eq!(
            hex::encode(*signer.private_key_bytes()),
            keys[who]["privateKeyHex"].as_str().unwrap()
        );
        assert_eq!(
            signer.public_key_hex(),
            keys[who]["publicKeyHex"].as_str().unwrap()
        );
    }
    for who in ["recipient", "wrongRecipient", "ephemeral"] {
        let key = X25519PrivateKey::from_hex(keys[who]["privateKeyHex"].as_str().unwrap()).unwrap();
        assert_eq!(
            hex::encode(key.public_key()),
            keys[who]["publicKeyHex"].as_str().unwrap()
        );
    }
}

#[test]
fn invalid_mnemonics_are_errors_and_never_echoed() {
    let bad_checksum = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon";
    for phrase in [
        bad_checksum,
        "abandon abandon",
        "zzzzqq abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
        "",
    ] {
        let err = Signer::from_mnemonic(phrase).unwrap_err();
        assert_eq!(err.code(), ErrorCode::KeyInvalid);
        assert!(
            !err.message().contains("abandon") && !err.message().contains("zzzzqq"),
            "{}",
            err.message()
        );
    }
    let fresh = generate_mnemonic(&mut OsRandom).unwrap();
    assert_eq!(fresh.split_whitespace().count(), 12);
    assert!(Signer::from_mnemonic(&fresh).is_ok());
}

#[test]
fn debug_output_shows_no_private_key() {
    let keys = keys();
    let signer = signer();
    let shown = format!("{signer:?}");
    assert!(!shown.contains(keys["signer"]["privateKeyHex"].as_str().unwrap()));
    assert!(shown.contains(&signer.public_key_hex()));
    let x =
        X25519PrivateKey::from_hex(keys["recipient"]["privateKeyHex"].as_str().unwrap()).unwrap();
    assert!(!format!("{x:?}").contains(keys["recipient"]["privateKeyHex"].as_str().unwrap()));
    let scripted = ScriptedRandom::new([vec![7u8; 32]]);
    assert!(!format!("{scripted:?}").contains("07"));
}

#[test]
fn signatures_are_deterministic_low_s_and_verify() {
    let signer = signer();
    let public = PublicKey::from(&signer);
    let cid = "bafkreifxnse3xqpdxept3udkur7vnhl5sebfhnsktffhlpqowkt4637twu";
    let signature = signer.sign_hex(cid.as_bytes()).unwrap();
    assert_eq!(
        signature,
        "24dfeda23d23cdaa5e5589a1c84346a1ff71b91f6237ac9918fd41a5793e68550e5a3d68c8f71c426b15811b28b331259e41adba80bb52276de2e9cd285c30c9"
    );
    assert!(public.verify_hex(cid.as_bytes(), &signature));
    assert!(!public.verify_hex(b"other", &signature));
    assert!(!public.verify_hex(cid.as_bytes(), &signature[..126]));
    // The high-S twin of a valid signature is refused.
    let bytes = hex::decode(&signature).unwrap();
    let n =
        hex::decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141").unwrap();
    let mut high = bytes.clone();
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(n[i]) - i16::from(bytes[32 + i]) - borrow;
        borrow = i16::from(d < 0);
        high[32 + i] = d.rem_euclid(256) as u8;
    }
    assert!(!public.verify(cid.as_bytes(), &high));
}

#[test]
fn footer_lengths_out_of_range_are_trailer_invalid() {
    let artifact = protect_small(None);
    let len = artifact.len();
    let mut zero = artifact.clone();
    zero[len - 8..len - 4].copy_from_slice(&0u32.to_le_bytes());
    assert_eq!(class(&zero, None), ErrorCode::TrailerInvalid);
    let mut huge = artifact.clone();
    huge[len - 8..len - 4].copy_from_slice(&(len as u32).to_le_bytes());
    assert_eq!(class(&huge, None), ErrorCode::TrailerInvalid);
    // Lenient detection treats both as untrailed; the loader does not.
    assert!(detect_trailer(&zero).is_none() && detect_trailer(&huge).is_none());
    assert!(detect_trailer(&artifact).is_some());
    assert_eq!(trailer::strip_trailer(&artifact), &small_module()[..]);
    assert_eq!(class(b"$REC", None), ErrorCode::TrailerMissing);
}

#[test]
fn unsigned_artifacts_follow_the_policy() {
    let wasm = small_module();
    assert_eq!(class(&wasm, None), ErrorCode::TrailerMissing);
    let lenient = OpenPolicy {
        require_signature: false,
        ..policy()
    };
    assert_eq!(publication::open(&wasm, &lenient, None).unwrap().wasm, wasm);
    assert_eq!(
        publication::open(b"not wasm", &lenient, None)
            .unwrap_err()
            .error
            .code(),
        ErrorCode::WasmInvalid
    );
    // A trailer whose PNM lacks a signature: signature-missing when required, fine otherwise.
    let pnm = trailer::PnmRecord {
        file_name: Some("x.wasm".into()),
        ..Default::default()
    };
    let unsigned =
        append_collection(&wasm, &encode_collection(None, Some(&pnm), None).unwrap()).unwrap();
    assert_eq!(class(&unsigned, None), ErrorCode::SignatureMissing);
    assert_eq!(
        publication::open(&unsigned, &lenient, None).unwrap().wasm,
        wasm
    );
}

#[test]
fn enc_algorithm_version_and_low_order_keys_are_refused() {
    let recipient = X25519PrivateKey::generate(&mut OsRandom).unwrap();
    let artifact = protect_small(Some(&recipient));
    let (payload, collection) = split(&artifact);
    let rebuild = |mutate: &dyn Fn(&mut trailer::EncRecord)| {
        let mut enc = collection.enc.clone().unwrap();
        mutate(&mut enc);
        let rec = encode_collection(Some(&enc), collection.pnm.as_ref(), None).unwrap();
        append_collection(&payload, &rec).unwrap()
    };
    assert_eq!(
        class(&rebuild(&|e| e.version = 2), Some(&recipient)),
        ErrorCode::UnsupportedAlgorithm
    );
    assert_eq!(
        class(&rebuild(&|e| e.symmetric = 1), Some(&recipient)),
        ErrorCode::UnsupportedAlgorithm
    );
    assert_eq!(
        class(&rebuild(&|e| e.key_derivation = 3), Some(&recipient)),
        ErrorCode::UnsupportedAlgorithm
    );
    assert_eq!(
        class(
            &rebuild(&|e| {
                e.key_exchange = 1;
                e.ephemeral_public_key = vec![2; 33]
            }),
            Some(&recipient)
        ),
        ErrorCode::UnsupportedAlgorithm
    );
    assert_eq!(
        class(
            &rebuild(&|e| e.ephemeral_public_key = vec![0; 32]),
            Some(&recipient)
        ),
        ErrorCode::DecryptionFailed
    );
    assert_eq!(
        class(&rebuild(&|e| e.nonce_start[0] ^= 1), Some(&recipient)),
        ErrorCode::DecryptedPayloadInvalid
    );
    assert_eq!(
        class(&rebuild(&|e| e.nonce_start = vec![0; 11]), Some(&recipient)),
        ErrorCode::TrailerInvalid
    );
    assert!(publication::open(&rebuild(&|_| {}), &policy(), Some(&recipient)).is_ok());
}

#[test]
fn bad_signature_types_are_unsupported() {
    let artifact = protect_small(None);
    let (payload, collection) = split(&artifact);
    let mut pnm = collection.pnm.clone().unwrap();
    pnm.signature_type = Some("ed25519".into());
    let rec = encode_collection(None, Some(&pnm), None).unwrap();
    assert_eq!(
        class(&append_collection(&payload, &rec).unwrap(), None),
        ErrorCode::UnsupportedAlgorithm
    );
    let mut pnm = collection.pnm.clone().unwrap();
    pnm.timestamp_signature = pnm.signature.clone();
    let rec = encode_collection(None, Some(&pnm), None).unwrap();
    assert_eq!(
        class(&append_collection(&payload, &rec).unwrap(), None),
        ErrorCode::TimestampSignatureInvalid
    );
}

#[test]
fn the_reference_test_corruptions_are_rejected() {
    // Bogus trailing bytes that merely contain $REC; a corrupted NONCE_START length word.
    let wasm = small_module();
    let mut bogus = wasm.clone();
    bogus.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 0, 0, 0]);
    bogus.extend_from_slice(b"$REC");
    assert_eq!(class(&bogus, None), ErrorCode::TrailerInvalid);
    let recipient = X25519PrivateKey::generate(&mut OsRandom).unwrap();
    let artifact = protect_small(Some(&recipient));
    let found = detect_trailer(&artifact).unwrap();
    let rec = &artifact[found.wasm_length..artifact.len() - 8];
    let nonce = found.collection.enc.unwrap().nonce_start;
    let at = rec.windows(12).position(|w| w == nonce.as_slice()).unwrap();
    let mut corrupted = artifact.clone();
    corrupted[found.wasm_length + at - 4] = 13;
    assert_eq!(
        class(&corrupted, Some(&recipient)),
        ErrorCode::TrailerInvalid
    );
    assert!(detect_trailer(&corrupted).is_none());
}

fn check_mutation(
    artifact: &[u8],
    original: &[u8],
    key: Option<&X25519PrivateKey>,
) -> Result<(), TestCaseError> {
    match publication::open(artifact, &policy(), key) {
        Ok(opened) => prop_assert_eq!(opened.wasm, original.to_vec()),
        Err(failure) => prop_assert!(failure.error.code().number() >= 200),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn truncations_and_bit_flips_never_yield_other_bytes(cut in 0usize..2000, flip in any::<usize>(), bit in 0u8..8, encrypted in any::<bool>()) {
        let recipient = fixed_recipient();
        let key = encrypted.then_some(&recipient);
        let (signed, sealed) = fixed_artifacts();
        let artifact = if encrypted { sealed } else { signed };
        let original = small_module();
        let cut = cut.min(artifact.len());
        check_mutation(&artifact[..artifact.len() - cut], &original, key)?;
        let mut flipped = artifact.to_vec();
        let at = flip % flipped.len();
        flipped[at] ^= 1 << bit;
        check_mutation(&flipped, &original, key)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    /// Arbitrary bytes never panic any decoder, the detector or the loader.
    #[test]
    fn arbitrary_bytes_never_panic_the_decoders(mut bytes in proptest::collection::vec(any::<u8>(), 0..600), identifier in 0usize..4, footer in any::<bool>()) {
        let ident: [&[u8; 4]; 4] = [b"$REC", b"$ENC", b"$PNM", b"XXXX"];
        if bytes.len() >= 8 {
            bytes[4..8].copy_from_slice(ident[identifier]);
        }
        let _ = decode_collection(&bytes);
        let _ = trailer::decode_enc_record(&bytes);
        let _ = trailer::decode_pnm_record(&bytes);
        let mut trailed = small_module();
        trailed.extend_from_slice(&bytes);
        if footer {
            trailed.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            trailed.extend_from_slice(b"$REC");
        }
        let _ = detect_trailer(&trailed);
        if let Err(failure) = publication::open(&trailed, &policy(), Some(&fixed_recipient())) {
            prop_assert!(failure.error.code().number() >= 200);
        }
        let envelope = serde_json::json!({
            "version": 2,
            "scheme": "x25519-hkdf-aes-256-ctr-rec",
            "protectedBlobBase64": encoding::base64_encode(&trailed),
        });
        let _ = publication::transport::decrypt_envelope(&envelope, &fixed_recipient());
    }
}

#[test]
fn plaintext_blobs_in_version_2_envelopes_are_refused() {
    let recipient = fixed_recipient();
    let plain = serde_json::json!({
        "version": 2,
        "scheme": "x25519-hkdf-aes-256-ctr-rec",
        "protectedBlobBase64": encoding::base64_encode(br#"{"evil":true}"#),
    });
    let err = publication::transport::decrypt_envelope(&plain, &recipient).unwrap_err();
    assert_eq!(err.code(), ErrorCode::EnvelopeInvalid);
    // A signed-only artifact (trailer without ENC) is not an encrypted blob either.
    let signed = serde_json::json!({
        "version": 2,
        "scheme": "x25519-hkdf-aes-256-ctr-rec",
        "protectedBlobBase64": encoding::base64_encode(&fixed_artifacts().0),
    });
    assert_eq!(
        publication::transport::decrypt_envelope(&signed, &recipient)
            .unwrap_err()
            .code(),
        ErrorCode::EnvelopeInvalid
    );
    let unknown = serde_json::json!({"version": 3, "scheme": "x25519-hkdf-aes-256-ctr-rec"});
    assert_eq!(
        publication::transport::decrypt_envelope(&unknown, &recipient)
            .unwrap_err()
            .code(),
        ErrorCode::EnvelopeInvalid
    );
}

#[test]
fn version_2_envelopes_round_trip() {
    let recipient = fixed_recipient();
    let payload = serde_json::json!({"b": [1, 2], "a": "x"});
    let envelope = publication::transport::encrypt_json_for_recipient(
        &payload,
        &recipient.public_key(),
        &Default::default(),
        &mut OsRandom,
    )
    .unwrap();
    assert_eq!(envelope["scheme"], "x25519-hkdf-aes-256-ctr-rec");
    assert_eq!(
        publication::transport::decrypt_json_envelope(&envelope, &recipient).unwrap(),
        payload
    );
    let wrong = X25519PrivateKey::from_bytes([1; 32]);
    assert!(publication::transport::decrypt_json_envelope(&envelope, &wrong).is_err());
}
