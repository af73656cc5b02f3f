//! `crypto.*` with the core's crates: SHA-2, HKDF-SHA-256, AES-GCM, X25519, the core's sealed
//! box (the publication transport envelope), secp256k1 (k256) and Ed25519 (ed25519-dalek).
//! Byte parameters are byte arrays or bytes values; secret inputs are zeroized after use.

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes128Gcm, Aes256Gcm, Nonce, Tag};
use k256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256, Sha512};
use zeroize::Zeroizing;

use crate::ErrorCode;
use crate::host::HostError;
use crate::host::params::{Params, encode_bytes};
use crate::keys::random::OsRandom;
use crate::keys::x25519::X25519PrivateKey;
use crate::publication::encryption::EncryptOptions;
use crate::publication::transport;

/// HKDF-SHA-256 can produce at most 255 blocks of 32 bytes.
const MAX_HKDF_LENGTH: u64 = 255 * 32;

fn failed(message: impl Into<String>) -> HostError {
    HostError::new(ErrorCode::HostOperationFailed, "Error", message)
}

fn array<const N: usize>(bytes: &[u8], label: &str) -> Result<Zeroizing<[u8; N]>, HostError> {
    let array: [u8; N] = bytes
        .try_into()
        .map_err(|_| HostError::invalid_params(format!("{label} must be {N} bytes.")))?;
    Ok(Zeroizing::new(array))
}

/// `value`, else `bytes` (the reference's `params.value ?? params.bytes`).
fn hash_input(params: Params) -> Result<Zeroizing<Vec<u8>>, HostError> {
    match params.get("value") {
        Some(value) => crate::host::params::bytes(Some(value), "Hash input"),
        None => params.bytes("bytes", "Hash input"),
    }
}

pub(super) fn sha256(params: Params) -> Result<Value, HostError> {
    Ok(encode_bytes(&Sha256::digest(
        hash_input(params)?.as_slice(),
    )))
}

pub(super) fn sha512(params: Params) -> Result<Value, HostError> {
    Ok(encode_bytes(&Sha512::digest(
        hash_input(params)?.as_slice(),
    )))
}

/// `{ikm, salt, info?, length}` → `length` bytes of HKDF-SHA-256 (an empty salt is the zero
/// salt of RFC 5869).
pub(super) fn hkdf(params: Params) -> Result<Value, HostError> {
    let ikm = params.bytes("ikm", "HKDF ikm")?;
    let salt = params.bytes("salt", "HKDF salt")?;
    let info = params
        .optional_bytes("info", "HKDF info")?
        .unwrap_or_default();
    let length = params.non_negative_integer("length", "HKDF length")?;
    if length > MAX_HKDF_LENGTH {
        return Err(HostError::invalid_params(format!(
            "HKDF length must be at most {MAX_HKDF_LENGTH}."
        )));
    }
    let mut out = Zeroizing::new(vec![0u8; length as usize]);
    hkdf::Hkdf::<Sha256>::new(Some(salt.as_slice()), &ikm)
        .expand(&info, &mut out)
        .map_err(|_| failed("HKDF expand failed."))?;
    Ok(encode_bytes(&out))
}

/// AES-GCM with a 16- or 32-byte key and a 12-byte IV; the tag is kept apart (16 bytes).
enum Gcm {
    Aes128(Box<Aes128Gcm>),
    Aes256(Box<Aes256Gcm>),
}

impl Gcm {
    fn new(key: &[u8]) -> Result<Gcm, HostError> {
        match key.len() {
            16 => Aes128Gcm::new_from_slice(key).map(|c| Gcm::Aes128(Box::new(c))),
            32 => Aes256Gcm::new_from_slice(key).map(|c| Gcm::Aes256(Box::new(c))),
            _ => {
                return Err(HostError::invalid_params(
                    "AES-GCM key must be 16 or 32 bytes.",
                ));
            }
        }
        .map_err(|_| HostError::invalid_params("AES-GCM key is invalid."))
    }
}

/// The cipher, the IV and the additional data of one AES-GCM call.
type GcmInputs = (Gcm, Zeroizing<[u8; 12]>, Zeroizing<Vec<u8>>);

fn gcm_inputs(params: Params) -> Result<GcmInputs, HostError> {
    let key = params.bytes("key", "AES-GCM key")?;
    let iv = array::<12>(&params.bytes("iv", "AES-GCM iv")?, "AES-GCM iv")?;
    let aad = params
        .optional_bytes("aad", "AES-GCM aad")?
        .unwrap_or_default();
    Ok((Gcm::new(&key)?, iv, aad))
}

pub(super) fn aes_gcm_encrypt(params: Params) -> Result<Value, HostError> {
    let (cipher, iv, aad) = gcm_inputs(params)?;
    let mut buffer = params.bytes("plaintext", "AES-GCM plaintext")?.to_vec();
    let nonce = Nonce::from_slice(iv.as_slice());
    let tag = match cipher {
        Gcm::Aes128(c) => c.encrypt_in_place_detached(nonce, &aad, &mut buffer),
        Gcm::Aes256(c) => c.encrypt_in_place_detached(nonce, &aad, &mut buffer),
    }
    .map_err(|_| failed("AES-GCM encryption failed."))?;
    let mut result = Map::new();
    result.insert("ciphertext".into(), encode_bytes(&buffer));
    result.insert("tag".into(), encode_bytes(tag.as_slice()));
    Ok(Value::Object(result))
}

pub(super) fn aes_gcm_decrypt(params: Params) -> Result<Value, HostError> {
    let (cipher, iv, aad) = gcm_inputs(params)?;
    let tag = params.bytes("tag", "AES-GCM tag")?;
    if tag.len() != 16 {
        return Err(HostError::invalid_params("AES-GCM tag must be 16 bytes."));
    }
    let tag = Tag::from_slice(&tag);
    let mut buffer = Zeroizing::new(params.bytes("ciphertext", "AES-GCM ciphertext")?.to_vec());
    let nonce = Nonce::from_slice(iv.as_slice());
    match cipher {
        Gcm::Aes128(c) => c.decrypt_in_place_detached(nonce, &aad, &mut buffer, tag),
        Gcm::Aes256(c) => c.decrypt_in_place_detached(nonce, &aad, &mut buffer, tag),
    }
    .map_err(|_| failed("AES-GCM authentication failed."))?;
    Ok(encode_bytes(&buffer))
}

fn x25519_private(params: Params, key: &str) -> Result<X25519PrivateKey, HostError> {
    let bytes = params.bytes(key, "X25519 private key")?;
    X25519PrivateKey::from_slice(&bytes)
        .map_err(|_| HostError::invalid_params("X25519 private key must be 32 bytes."))
}

fn keypair_json(private: &X25519PrivateKey) -> Value {
    let mut result = Map::new();
    result.insert("publicKey".into(), encode_bytes(&private.public_key()));
    result.insert(
        "privateKey".into(),
        encode_bytes(private.to_bytes().as_slice()),
    );
    Value::Object(result)
}

pub(super) fn x25519_generate_keypair() -> Result<Value, HostError> {
    let private = X25519PrivateKey::generate(&mut OsRandom)
        .map_err(|err| failed(format!("Key generation failed: {}.", err.message())))?;
    Ok(keypair_json(&private))
}

pub(super) fn x25519_public_key(params: Params) -> Result<Value, HostError> {
    Ok(encode_bytes(
        &x25519_private(params, "privateKey")?.public_key(),
    ))
}

/// The raw X25519 output; an all-zero secret (low-order public key) is refused.
pub(super) fn x25519_shared_secret(params: Params) -> Result<Value, HostError> {
    let private = x25519_private(params, "privateKey")?;
    let public = array::<32>(
        &params.bytes("publicKey", "X25519 public key")?,
        "X25519 public key",
    )?;
    let secret = x25519_dalek::StaticSecret::from(*private.to_bytes());
    let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(*public));
    if !shared.was_contributory() {
        return Err(failed(
            "X25519 shared secret is all zero (low-order public key).",
        ));
    }
    Ok(encode_bytes(shared.as_bytes()))
}

/// The public key as bytes, or as 64 hex digits (the reference's `normalizePublicKey`).
fn x25519_public_param(params: Params, key: &str) -> Result<[u8; 32], HostError> {
    match params.get(key) {
        Some(Value::String(text)) => crate::keys::x25519::x25519_public_from_hex(text)
            .map_err(|_| HostError::invalid_params("Recipient public key must be 32 bytes.")),
        other => Ok(*array::<32>(
            &crate::host::params::bytes(other, "Recipient public key")?,
            "Recipient public key",
        )?),
    }
}

/// `{plaintext, recipientPublicKey, context?, senderKeyPair?}` → the version-2 transport
/// envelope (X25519, HKDF-SHA-256, AES-256-CTR, REC/ENC trailer).
pub(super) fn sealed_box_encrypt(params: Params) -> Result<Value, HostError> {
    let plaintext = params.bytes("plaintext", "Plaintext")?;
    let recipient = x25519_public_param(params, "recipientPublicKey")?;
    let sender = match params.get("senderKeyPair") {
        None => None,
        Some(pair) => Some(x25519_private(Params::new(pair), "privateKey")?),
    };
    let options = EncryptOptions {
        context: params.get("context").map(crate::js::to_js_string),
        sender,
        timestamp_ms: u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0),
        ..EncryptOptions::default()
    };
    transport::encrypt_bytes_for_recipient(&plaintext, &recipient, &options, &mut OsRandom)
        .map_err(|err| failed(format!("Sealing failed: {}", err.message())))
}

pub(super) fn sealed_box_decrypt(params: Params) -> Result<Value, HostError> {
    let envelope = params
        .get("envelope")
        .ok_or_else(|| HostError::invalid_params("Envelope is required."))?;
    let recipient = x25519_private(params, "recipientPrivateKey")?;
    let plaintext = Zeroizing::new(
        transport::decrypt_envelope(envelope, &recipient)
            .map_err(|err| failed(format!("Opening failed: {}", err.message())))?,
    );
    Ok(encode_bytes(&plaintext))
}

fn secp256k1_signing_key(params: Params) -> Result<k256::ecdsa::SigningKey, HostError> {
    let bytes = params.bytes("privateKey", "secp256k1 private key")?;
    k256::ecdsa::SigningKey::from_slice(&bytes).map_err(|_| {
        HostError::invalid_params("secp256k1 private key must be 32 bytes in [1, n-1].")
    })
}

/// The 33-byte compressed public key.
pub(super) fn secp256k1_public_key(params: Params) -> Result<Value, HostError> {
    let key = secp256k1_signing_key(params)?;
    Ok(encode_bytes(
        key.verifying_key().to_encoded_point(true).as_bytes(),
    ))
}

/// Like the reference's wallet library, the digest is hashed once more: ECDSA signs
/// `SHA-256(digest)` (RFC 6979, low-S), result `r ‖ s` (64 bytes).
pub(super) fn secp256k1_sign_digest(params: Params) -> Result<Value, HostError> {
    let digest = params.bytes("digest", "Digest")?;
    let key = secp256k1_signing_key(params)?;
    let signature: k256::ecdsa::Signature = key
        .sign_prehash(&Sha256::digest(digest.as_slice()))
        .map_err(|_| failed("ECDSA signing failed."))?;
    let signature = signature.normalize_s().unwrap_or(signature);
    Ok(encode_bytes(&signature.to_bytes()))
}

/// Verifies a 64-byte `r ‖ s` over `SHA-256(digest)`; anything malformed is `false`.
pub(super) fn secp256k1_verify_digest(params: Params) -> Result<Value, HostError> {
    let digest = params.bytes("digest", "Digest")?;
    let signature = params.bytes("signature", "Signature")?;
    let public = params.bytes("publicKey", "secp256k1 public key")?;
    let verified = (|| {
        let key = k256::ecdsa::VerifyingKey::from_sec1_bytes(&public).ok()?;
        let signature = k256::ecdsa::Signature::from_slice(&signature).ok()?;
        let signature = signature.normalize_s().unwrap_or(signature);
        key.verify_prehash(&Sha256::digest(digest.as_slice()), &signature)
            .ok()
    })()
    .is_some();
    Ok(Value::from(verified))
}

fn ed25519_key(params: Params) -> Result<ed25519_dalek::SigningKey, HostError> {
    let seed = array::<32>(&params.bytes("seed", "Ed25519 seed")?, "Ed25519 seed")?;
    Ok(ed25519_dalek::SigningKey::from_bytes(&seed))
}

pub(super) fn ed25519_public_key(params: Params) -> Result<Value, HostError> {
    Ok(encode_bytes(
        ed25519_key(params)?.verifying_key().as_bytes(),
    ))
}

pub(super) fn ed25519_sign(params: Params) -> Result<Value, HostError> {
    use ed25519_dalek::Signer;
    let message = params.bytes("message", "Message")?;
    let key = ed25519_key(params)?;
    Ok(encode_bytes(&key.sign(&message).to_bytes()))
}

/// Strict RFC 8032 verification; anything malformed is `false`.
pub(super) fn ed25519_verify(params: Params) -> Result<Value, HostError> {
    let message = params.bytes("message", "Message")?;
    let signature = params.bytes("signature", "Signature")?;
    let public = params.bytes("publicKey", "Ed25519 public key")?;
    let verified = (|| {
        let public: [u8; 32] = public.as_slice().try_into().ok()?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&public).ok()?;
        let signature = ed25519_dalek::Signature::from_slice(&signature).ok()?;
        key.verify_strict(&message, &signature).ok()
    })()
    .is_some();
    Ok(Value::from(verified))
}
