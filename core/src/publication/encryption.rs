//! `ENC` encrypted delivery: X25519 + HKDF-SHA-256 + AES-256-CTR (spec 8.1/8.2). The X25519 key
//! type is [`crate::keys::x25519`].

use aes::cipher::{KeyIvInit, StreamCipher};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::keys::random::RandomSource;
use crate::keys::x25519::X25519PrivateKey;
use crate::trailer::records::{
    self, EncRecord, KDF_HKDF_SHA256, KEY_EXCHANGE_X25519, SYMMETRIC_AES_256_CTR,
};
use crate::{Error, ErrorCode, Result};

/// HKDF info used by `protect` and the default of the transport helpers.
pub const DEFAULT_CONTEXT: &str = "space-data-module-sdk/package";
/// ENC root type written by `protect`.
pub const ROOT_TYPE_WASM: &str = "WASM";

type Aes256Ctr = ctr::Ctr128BE<aes::Aes256>;

/// HKDF-SHA-256(IKM = shared, salt, info = UTF-8 of context, L = 32).
pub(crate) fn derive_key(
    shared: &[u8; 32],
    salt: &[u8],
    context: &str,
) -> Result<Zeroizing<[u8; 32]>> {
    let salt = (!salt.is_empty()).then_some(salt);
    let hkdf = Hkdf::<Sha256>::new(salt, shared);
    let mut key = Zeroizing::new([0u8; 32]);
    hkdf.expand(context.as_bytes(), &mut key[..])
        .map_err(|_| Error::new(ErrorCode::Internal, "HKDF expand failed"))?;
    Ok(key)
}

/// Bytes run through the cipher and the hash together: small enough that a chunk written by
/// the cipher is still in cache when the hash reads it, large enough that the per-call cost
/// vanishes.
const CHUNK_BYTES: usize = 64 << 10;

/// AES-256-CTR of `input` (IV `nonce_start ‖ 00000000`, 128-bit big-endian counter) into a new
/// buffer, and the SHA-256 of that output: one pass over memory instead of three (copy,
/// cipher, hash).
fn aes_ctr_copy_and_hash(
    key: &[u8; 32],
    nonce_start: &[u8; 12],
    input: &[u8],
) -> (Vec<u8>, [u8; 32]) {
    ctr_copy_and_hash(&mut ctr_cipher(key, nonce_start), input)
}

fn ctr_cipher(key: &[u8; 32], nonce_start: &[u8; 12]) -> Aes256Ctr {
    let mut iv = [0u8; 16];
    iv[..12].copy_from_slice(nonce_start);
    Aes256Ctr::new(key.into(), &iv.into())
}

/// [`aes_ctr_copy_and_hash`] with a cipher already set up.
fn ctr_copy_and_hash(cipher: &mut Aes256Ctr, input: &[u8]) -> (Vec<u8>, [u8; 32]) {
    let mut hasher = Sha256::new();
    let mut output = Vec::with_capacity(input.len());
    for chunk in input.chunks(CHUNK_BYTES) {
        let start = output.len();
        output.extend_from_slice(chunk);
        // Chunks are multiples of the block size except the last, so the counter stays aligned.
        cipher.apply_keystream(&mut output[start..]);
        hasher.update(&output[start..]);
    }
    (output, hasher.finalize().into())
}

/// Options of [`encrypt_for_recipient`].
#[derive(Debug, Clone, Default)]
pub struct EncryptOptions {
    /// HKDF info; `None` → [`DEFAULT_CONTEXT`].
    pub context: Option<String>,
    /// A sender key pair to use instead of a fresh ephemeral one.
    pub sender: Option<X25519PrivateKey>,
    pub recipient_key_id: Option<Vec<u8>>,
    pub schema_hash: Option<Vec<u8>>,
    pub root_type: Option<String>,
    /// ENC `TIMESTAMP` (ms since the epoch).
    pub timestamp_ms: u64,
}

/// Ciphertext plus the ENC record that lets the recipient decrypt it.
#[derive(Debug, Clone)]
pub struct Encrypted {
    pub ciphertext: Vec<u8>,
    /// SHA-256 of `ciphertext` (computed while encrypting; the CID of a protected artifact).
    pub ciphertext_sha256: [u8; 32],
    pub enc: EncRecord,
}

/// A decrypted payload and its SHA-256 (computed while decrypting).
#[derive(Debug, Clone)]
pub struct Decrypted {
    pub plaintext: Vec<u8>,
    pub sha256: [u8; 32],
}

/// Encrypts for an X25519 recipient (spec 8.1). Random draws, in order: the ephemeral private
/// key (32 bytes, unless `options.sender` is given), then the nonce (12 bytes).
pub fn encrypt_for_recipient(
    plaintext: &[u8],
    recipient_public: &[u8; 32],
    options: &EncryptOptions,
    rng: &mut dyn RandomSource,
) -> Result<Encrypted> {
    let sender = match &options.sender {
        Some(sender) => sender.clone(),
        None => X25519PrivateKey::generate(rng)?,
    };
    let mut nonce = [0u8; 12];
    rng.fill(&mut nonce)?;
    let context = options
        .context
        .clone()
        .unwrap_or_else(|| DEFAULT_CONTEXT.to_owned());
    let shared = sender.shared_secret(recipient_public).map_err(|_| {
        Error::new(
            ErrorCode::KeyInvalid,
            "recipient X25519 public key is a low-order point",
        )
    })?;
    let key = derive_key(&shared, &[], &context)?;
    let (ciphertext, ciphertext_sha256) = aes_ctr_copy_and_hash(&key, &nonce, plaintext);
    let mut enc = EncRecord::x25519_ctr(sender.public_key(), nonce);
    enc.recipient_key_id = options.recipient_key_id.clone();
    enc.context = Some(context);
    enc.schema_hash = options.schema_hash.clone();
    enc.root_type = options.root_type.clone();
    enc.timestamp = options.timestamp_ms;
    Ok(Encrypted {
        ciphertext,
        ciphertext_sha256,
        enc,
    })
}

/// Fails with `unsupported-algorithm` unless the record is version 1 X25519/AES_256_CTR/HKDF_SHA256.
pub fn check_enc_algorithms(enc: &EncRecord) -> Result<()> {
    let unsupported = |what: String| Err(Error::new(ErrorCode::UnsupportedAlgorithm, what));
    if enc.version != 1 {
        return unsupported(format!("ENC version {} is not supported", enc.version));
    }
    if enc.key_exchange != KEY_EXCHANGE_X25519 {
        return unsupported(format!(
            "ENC key exchange {} is not supported",
            records::key_exchange_name(enc.key_exchange)
        ));
    }
    if enc.symmetric != SYMMETRIC_AES_256_CTR {
        return unsupported(format!(
            "ENC symmetric algorithm {} is not supported",
            records::symmetric_name(enc.symmetric)
        ));
    }
    if enc.key_derivation != KDF_HKDF_SHA256 {
        return unsupported(format!(
            "ENC key derivation {} is not supported",
            records::kdf_name(enc.key_derivation)
        ));
    }
    Ok(())
}

/// Decrypts `payload` with the ENC record (spec 8.2) after checking its algorithms.
/// CTR has no tag: a wrong key yields garbage, which only the caller's validation can detect.
pub fn decrypt_with_enc(
    payload: &[u8],
    enc: &EncRecord,
    recipient: &X25519PrivateKey,
) -> Result<Vec<u8>> {
    decrypt_and_hash(payload, enc, recipient).map(|decrypted| decrypted.plaintext)
}

/// [`decrypt_with_enc`], also hashing the plaintext in the same pass.
pub fn decrypt_and_hash(
    payload: &[u8],
    enc: &EncRecord,
    recipient: &X25519PrivateKey,
) -> Result<Decrypted> {
    let mut cipher = PayloadCipher::new(enc, recipient)?;
    let (plaintext, sha256) = ctr_copy_and_hash(&mut cipher.cipher, payload);
    Ok(Decrypted { plaintext, sha256 })
}

/// The AES-256-CTR keystream an ENC record and the recipient's key give (spec 8.2), from the
/// first byte of the payload on: decrypts a payload that arrives in chunks.
pub struct PayloadCipher {
    cipher: Aes256Ctr,
}

impl PayloadCipher {
    /// Checks the record's algorithms and derives the key.
    pub fn new(enc: &EncRecord, recipient: &X25519PrivateKey) -> Result<Self> {
        check_enc_algorithms(enc)?;
        let ephemeral: [u8; 32] = enc
            .ephemeral_public_key
            .as_slice()
            .try_into()
            .map_err(|_| {
                Error::new(
                    ErrorCode::TrailerInvalid,
                    "X25519 ephemeral public key must be 32 bytes",
                )
            })?;
        let nonce: [u8; 12] =
            enc.nonce_start.as_slice().try_into().map_err(|_| {
                Error::new(ErrorCode::TrailerInvalid, "nonce start must be 12 bytes")
            })?;
        let shared = recipient.shared_secret(&ephemeral)?;
        let key = derive_key(&shared, &[], enc.context.as_deref().unwrap_or(""))?;
        Ok(PayloadCipher {
            cipher: ctr_cipher(&key, &nonce),
        })
    }

    /// Decrypts the next bytes of the payload in place (chunks of any length, in order).
    pub fn apply(&mut self, chunk: &mut [u8]) {
        self.cipher.apply_keystream(chunk);
    }
}

/// AES-256-GCM decryption of a legacy version-1 envelope body (`ciphertext ‖ tag`, no AAD).
pub(crate) fn gcm_decrypt(
    recipient: &X25519PrivateKey,
    sender_public: &[u8; 32],
    salt: &[u8],
    context: &str,
    iv: &[u8; 12],
    packed: &[u8],
) -> Result<Vec<u8>> {
    use aes_gcm::aead::{Aead, KeyInit};
    if packed.len() < 16 {
        return Err(Error::new(
            ErrorCode::EnvelopeInvalid,
            "Encrypted envelope payload is truncated.",
        ));
    }
    let shared = recipient.shared_secret(sender_public)?;
    let key = derive_key(&shared, salt, context)?;
    let cipher = aes_gcm::Aes256Gcm::new((&*key).into());
    cipher
        .decrypt(iv.into(), packed)
        .map_err(|_| Error::new(ErrorCode::DecryptionFailed, "AES-GCM authentication failed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_cipher_and_hash_equal_one_pass_over_the_whole_buffer() {
        let key = [7u8; 32];
        let nonce = [9u8; 12];
        for len in [0, 1, 15, CHUNK_BYTES - 1, CHUNK_BYTES, 2 * CHUNK_BYTES + 5] {
            let input: Vec<u8> = (0..len).map(|i| (i % 253) as u8).collect();
            let mut expected = input.clone();
            let mut iv = [0u8; 16];
            iv[..12].copy_from_slice(&nonce);
            Aes256Ctr::new((&key).into(), &iv.into()).apply_keystream(&mut expected);
            let (output, digest) = aes_ctr_copy_and_hash(&key, &nonce, &input);
            assert_eq!(output, expected, "len {len}");
            assert_eq!(
                digest,
                <[u8; 32]>::from(Sha256::digest(&expected)),
                "len {len}"
            );
        }
    }
}
