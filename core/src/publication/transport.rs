//! Transport envelopes (spec 10): version 2 `x25519-hkdf-aes-256-ctr-rec` (create and open) and
//! version 1 `x25519-hkdf-aes-256-gcm` (open only).
//!
//! Unlike the reference, opening dispatches on `scheme` and `version` and never returns bytes it
//! did not decrypt (spec 10.4, "decryption bypass"): a version-2 blob without an ENC record is
//! `envelope-invalid`. Base64 must be standard and padded (no leniency kept).

use serde_json::{Map, Value};

use super::encryption::{EncryptOptions, decrypt_with_enc, encrypt_for_recipient, gcm_decrypt};
use crate::encoding::{base64_decode, base64_encode};
use crate::keys::random::RandomSource;
use crate::keys::x25519::X25519PrivateKey;
use crate::trailer::decode::{decode_collection, decode_enc_record};
use crate::trailer::encode::{encode_collection, encode_enc_record, encode_pnm_record};
use crate::trailer::footer::{append_collection, split_footer};
use crate::trailer::records::{EncRecord, PnmRecord};
use crate::{Error, ErrorCode, Result};

/// Scheme of version-2 envelopes.
pub const SCHEME_CTR_REC: &str = "x25519-hkdf-aes-256-ctr-rec";
/// Scheme of legacy version-1 envelopes.
pub const SCHEME_GCM_LEGACY: &str = "x25519-hkdf-aes-256-gcm";

/// The reference's `createEncryptedEnvelopePayload` for a protected blob whose parts are known:
/// the version-2 envelope, keys in the reference's order.
pub fn envelope_for_blob(
    protected_blob: &[u8],
    record_collection: &[u8],
    payload: &[u8],
    enc: Option<&EncRecord>,
    pnm: Option<&PnmRecord>,
) -> Value {
    let mut envelope = Map::new();
    envelope.insert("version".into(), Value::from(2));
    envelope.insert("scheme".into(), Value::from(SCHEME_CTR_REC));
    let context = enc.and_then(|e| e.context.clone()).unwrap_or_default();
    envelope.insert("context".into(), Value::from(context));
    envelope.insert(
        "protectedBlobBase64".into(),
        Value::from(base64_encode(protected_blob)),
    );
    envelope.insert(
        "recordCollectionBase64".into(),
        Value::from(base64_encode(record_collection)),
    );
    envelope.insert(
        "ciphertextBase64".into(),
        Value::from(base64_encode(payload)),
    );
    if let Some(enc) = enc {
        envelope.insert(
            "senderPublicKeyBase64".into(),
            Value::from(base64_encode(&enc.ephemeral_public_key)),
        );
        envelope.insert(
            "nonceStartBase64".into(),
            Value::from(base64_encode(&enc.nonce_start)),
        );
        if let Some(id) = enc.recipient_key_id.as_ref().filter(|id| !id.is_empty()) {
            envelope.insert(
                "recipientKeyIdBase64".into(),
                Value::from(base64_encode(id)),
            );
        }
        envelope.insert(
            "encRecordBase64".into(),
            Value::from(base64_encode(&encode_enc_record(enc))),
        );
    }
    if let Some(pnm) = pnm {
        envelope.insert(
            "pnmRecordBase64".into(),
            Value::from(base64_encode(&encode_pnm_record(pnm))),
        );
    }
    Value::Object(envelope)
}

/// The reference's `encryptBytesForRecipient`: encrypts, wraps `ciphertext ‖ REC{ENC} ‖ footer`
/// and returns the version-2 envelope.
pub fn encrypt_bytes_for_recipient(
    plaintext: &[u8],
    recipient_public: &[u8; 32],
    options: &EncryptOptions,
    rng: &mut dyn RandomSource,
) -> Result<Value> {
    let encrypted = encrypt_for_recipient(plaintext, recipient_public, options, rng)?;
    let collection = encode_collection(Some(&encrypted.enc), None, None)?;
    let blob = append_collection(&encrypted.ciphertext, &collection)?;
    Ok(envelope_for_blob(
        &blob,
        &collection,
        &encrypted.ciphertext,
        Some(&encrypted.enc),
        None,
    ))
}

fn field<'a>(envelope: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    envelope.get(key).and_then(Value::as_str)
}

fn required_base64(envelope: &Map<String, Value>, key: &str) -> Result<Vec<u8>> {
    let text = field(envelope, key)
        .ok_or_else(|| Error::new(ErrorCode::EnvelopeInvalid, format!("envelope lacks {key}")))?;
    base64_decode(text).map_err(|_| {
        Error::new(
            ErrorCode::EnvelopeInvalid,
            format!("envelope {key} is not standard base64"),
        )
    })
}

fn invalid(detail: impl Into<String>) -> Error {
    Error::new(ErrorCode::EnvelopeInvalid, detail)
}

/// Opens a transport envelope (spec 10.4, strict dispatch).
///
/// Errors: `envelope-invalid` (unknown scheme/version, bad shape, a version-2 blob without a
/// valid trailer or without an ENC record), `unsupported-algorithm`, `decryption-failed`
/// (GCM tag mismatch, all-zero X25519 secret).
pub fn decrypt_envelope(envelope: &Value, recipient: &X25519PrivateKey) -> Result<Vec<u8>> {
    let envelope = envelope
        .as_object()
        .ok_or_else(|| invalid("envelope is not a JSON object"))?;
    let version = envelope.get("version").and_then(Value::as_f64);
    let scheme = field(envelope, "scheme");
    if scheme == Some(SCHEME_CTR_REC) && version == Some(2.0) {
        open_ctr_rec(envelope, recipient)
    } else if scheme == Some(SCHEME_GCM_LEGACY) && version == Some(1.0) {
        open_gcm_legacy(envelope, recipient)
    } else {
        Err(invalid("unknown envelope scheme or version"))
    }
}

fn open_ctr_rec(envelope: &Map<String, Value>, recipient: &X25519PrivateKey) -> Result<Vec<u8>> {
    if envelope.contains_key("protectedBlobBase64") {
        let blob = required_base64(envelope, "protectedBlobBase64")?;
        let split = split_footer(&blob)
            .map_err(|err| invalid(format!("protected blob trailer: {}", err.message())))?
            .ok_or_else(|| invalid("protected blob has no $REC trailer"))?;
        let collection = decode_collection(
            &blob[split.payload_length..split.payload_length + split.collection_length],
        )
        .map_err(|err| invalid(format!("protected blob trailer: {}", err.message())))?;
        let enc = collection
            .enc
            .ok_or_else(|| invalid("protected blob has no ENC record"))?;
        return decrypt_with_enc(&blob[..split.payload_length], &enc, recipient);
    }
    let ciphertext = required_base64(envelope, "ciphertextBase64")?;
    let enc_bytes = required_base64(envelope, "encRecordBase64")?;
    let mut enc = decode_enc_record(&enc_bytes).map_err(|err| invalid(err.message().to_owned()))?;
    if enc.context.is_none() {
        enc.context = field(envelope, "context").map(str::to_owned);
    }
    decrypt_with_enc(&ciphertext, &enc, recipient)
}

fn open_gcm_legacy(envelope: &Map<String, Value>, recipient: &X25519PrivateKey) -> Result<Vec<u8>> {
    let sender: [u8; 32] = required_base64(envelope, "senderPublicKeyBase64")?
        .try_into()
        .map_err(|_| invalid("senderPublicKeyBase64 must hold 32 bytes"))?;
    let salt = required_base64(envelope, "saltBase64")?;
    let iv: [u8; 12] = required_base64(envelope, "ivBase64")?
        .try_into()
        .map_err(|_| invalid("ivBase64 must hold 12 bytes"))?;
    let packed = required_base64(envelope, "ciphertextBase64")?;
    let context = field(envelope, "context").unwrap_or("");
    gcm_decrypt(recipient, &sender, &salt, context, &iv, &packed)
}

/// [`decrypt_envelope`] then JSON parsing; bytes that are not UTF-8 JSON are
/// `decrypted-payload-invalid` (the usual symptom of a wrong key under CTR).
pub fn decrypt_json_envelope(envelope: &Value, recipient: &X25519PrivateKey) -> Result<Value> {
    let bytes = decrypt_envelope(envelope, recipient)?;
    crate::js::parse_json_bytes(&bytes).map_err(|_| {
        Error::new(
            ErrorCode::DecryptedPayloadInvalid,
            "decrypted bytes are not JSON",
        )
    })
}

/// The reference's `encryptJsonForRecipient`: the plaintext is the canonical JSON of `payload`.
pub fn encrypt_json_for_recipient(
    payload: &Value,
    recipient_public: &[u8; 32],
    options: &EncryptOptions,
    rng: &mut dyn RandomSource,
) -> Result<Value> {
    let plaintext = crate::canonical_json::canonical_bytes(payload)?;
    encrypt_bytes_for_recipient(&plaintext, recipient_public, options, rng)
}
