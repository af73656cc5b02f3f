//! The fail-closed loader (spec 12): nothing is returned to a runtime before every step passed.
//!
//! Steps, first failure wins: footer → collection → PNM presence → CID → signature →
//! timestamp signature → ENC algorithms and decryption → wasm validation → bundle → report.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::cid::cid_v1_raw_of_digest;
use super::encryption::{Decrypted, check_enc_algorithms, decrypt_and_hash};
use super::report::{CidReport, DigestReport, OpenReport, SignatureReport, TrailerReport};
use crate::keys::signing::{PublicKey, SIGNATURE_TYPE};
use crate::keys::x25519::X25519PrivateKey;
use crate::parallel::{beside, sha256_beside};
use crate::trailer::decode::decode_collection;
use crate::trailer::footer::split_footer;
use crate::trailer::records::EncRecord;
use crate::{Error, ErrorCode};

/// Default cap on the artifact size: 512 MiB.
pub const DEFAULT_MAX_ARTIFACT_BYTES: usize = 512 << 20;
/// Cap on the record collection: 1 MiB (real collections are under 2 KiB).
pub const MAX_COLLECTION_BYTES: usize = 1 << 20;

/// What the loader trusts and requires.
#[derive(Debug, Clone)]
pub struct OpenPolicy {
    /// Keys whose PNM signatures are accepted.
    pub trusted_signers: Vec<PublicKey>,
    /// Whether an untrailed or unsigned artifact is an error (default true).
    pub require_signature: bool,
    /// Artifacts larger than this are refused with `input-too-large`.
    pub max_artifact_bytes: usize,
}

impl Default for OpenPolicy {
    fn default() -> Self {
        OpenPolicy {
            trusted_signers: Vec::new(),
            require_signature: true,
            max_artifact_bytes: DEFAULT_MAX_ARTIFACT_BYTES,
        }
    }
}

impl OpenPolicy {
    pub fn trusting(trusted_signers: Vec<PublicKey>) -> Self {
        OpenPolicy {
            trusted_signers,
            ..OpenPolicy::default()
        }
    }
}

/// A successfully opened artifact: the plain wasm and the full report.
#[derive(Debug, Clone)]
pub struct Opened {
    pub wasm: Vec<u8>,
    pub report: OpenReport,
}

/// A refused artifact: the first failure and what was established before it.
#[derive(Debug, Clone)]
pub struct OpenFailure {
    pub error: Error,
    /// Boxed: the report is large and failures are the rare path.
    pub partial: Box<OpenReport>,
}

impl From<OpenFailure> for Error {
    fn from(failure: OpenFailure) -> Self {
        failure.error
    }
}

impl std::fmt::Display for OpenFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

/// Opens a protected (or, when the policy allows, plain) artifact. Returns the raw wasm only
/// when every step of spec 12.2 passed.
pub fn open(
    bytes: &[u8],
    policy: &OpenPolicy,
    recipient: Option<&X25519PrivateKey>,
) -> Result<Opened, OpenFailure> {
    let mut report = OpenReport::default();
    match run(bytes, policy, recipient, &mut report) {
        Ok(wasm) => Ok(Opened { wasm, report }),
        Err(error) => Err(OpenFailure {
            error,
            partial: Box::new(report),
        }),
    }
}

fn fail<T>(code: ErrorCode, detail: impl Into<String>) -> Result<T, Error> {
    Err(Error::new(code, detail))
}

fn run(
    bytes: &[u8],
    policy: &OpenPolicy,
    recipient: Option<&X25519PrivateKey>,
    report: &mut OpenReport,
) -> Result<Vec<u8>, Error> {
    if bytes.len() > policy.max_artifact_bytes {
        return fail(
            ErrorCode::InputTooLarge,
            format!("artifact exceeds {} bytes", policy.max_artifact_bytes),
        );
    }
    // Step 1: footer.
    report.trailer = Some(None);
    let Some(split) = split_footer(bytes)? else {
        if policy.require_signature {
            return fail(
                ErrorCode::TrailerMissing,
                "no $REC footer and the policy requires a signed artifact",
            );
        }
        return finish_wasm(bytes.to_vec(), false, report, None);
    };
    if split.collection_length > MAX_COLLECTION_BYTES {
        return fail(
            ErrorCode::TrailerInvalid,
            format!("REC collection exceeds {MAX_COLLECTION_BYTES} bytes"),
        );
    }
    let payload = &bytes[..split.payload_length];
    let collection_bytes =
        &bytes[split.payload_length..split.payload_length + split.collection_length];

    // Step 2: collection.
    let collection = decode_collection(collection_bytes).map_err(|err| {
        Error::new(
            ErrorCode::TrailerInvalid,
            format!("REC validation failed: {}", err.message()),
        )
    })?;
    report.trailer = Some(Some(TrailerReport {
        record_collection_length: split.collection_length,
        record_collection_offset: split.payload_length,
        payload_length: split.payload_length,
        rec_version: collection.version.clone(),
        records: collection.records.clone(),
    }));

    // Step 3: PNM presence.
    let pnm = collection.pnm.clone().unwrap_or_default();
    if collection.pnm.is_some() {
        report.pnm = Some(pnm.clone());
    }
    if (pnm.cid.is_none() || pnm.signature.is_none()) && policy.require_signature {
        return fail(
            ErrorCode::SignatureMissing,
            "no PNM record with CID and SIGNATURE, and the policy requires a signature",
        );
    }

    // Step 4: CID. Its SHA-256 of the payload is also the wasm's digest when nothing is
    // encrypted: kept, so the payload is hashed once. When there is something to decrypt,
    // decryption runs beside that hash (see `hash_and_decrypt`).
    let (payload_digest, decrypted) = hash_and_decrypt(
        payload,
        pnm.cid.is_some(),
        collection.enc.as_ref(),
        recipient,
    );
    if let (Some(declared), Some(digest)) = (&pnm.cid, &payload_digest) {
        let recomputed = cid_v1_raw_of_digest(digest);
        let matches = declared.len() == recomputed.len()
            && bool::from(declared.as_bytes().ct_eq(recomputed.as_bytes()));
        report.cid = Some(CidReport {
            declared: declared.clone(),
            recomputed,
            matches,
        });
        if !matches {
            return fail(
                ErrorCode::CidMismatch,
                "PNM CID != CIDv1(raw, sha2-256(payload))",
            );
        }
    }

    // Steps 5 and 6: signatures (verified whenever present, spec 13.13).
    if let Some(signature) = &pnm.signature {
        let signature_type = pnm.signature_type.as_deref().unwrap_or("");
        if signature_type != SIGNATURE_TYPE {
            return fail(
                ErrorCode::UnsupportedAlgorithm,
                format!("unsupported PNM signature type \"{signature_type}\""),
            );
        }
        let cid = pnm.cid.as_deref().unwrap_or("");
        let timestamp_signed = pnm
            .publish_timestamp
            .as_ref()
            .zip(pnm.timestamp_signature.as_ref());
        let timestamp_verifies = |key: &PublicKey| {
            timestamp_signed.is_some_and(|(timestamp, signature)| {
                key.verify_hex(timestamp.as_bytes(), signature)
            })
        };
        // With one trusted key, the usual case, the timestamp signature is verified beside the
        // CID's: two ECDSA verifications are most of the time of opening a small module. Its
        // verdict is used only in its own step, after the CID signature's.
        let (signer, timestamp_verdict) = match policy.trusted_signers.as_slice() {
            [only] if timestamp_signed.is_some() => {
                let (timestamp_valid, cid_valid) = beside(
                    || timestamp_verifies(only),
                    || only.verify_hex(cid.as_bytes(), signature),
                );
                (cid_valid.then_some(only), Some(timestamp_valid))
            }
            keys => (
                keys.iter()
                    .find(|key| key.verify_hex(cid.as_bytes(), signature)),
                None,
            ),
        };
        let Some(signer) = signer else {
            return fail(
                ErrorCode::SignatureInvalid,
                "SIGNATURE does not verify under any trusted signer key",
            );
        };
        let timestamp_type = pnm.timestamp_signature_type.as_deref().unwrap_or("");
        if timestamp_type != SIGNATURE_TYPE {
            return fail(
                ErrorCode::UnsupportedAlgorithm,
                format!("unsupported PNM timestamp signature type \"{timestamp_type}\""),
            );
        }
        let timestamp_valid = timestamp_verdict.unwrap_or_else(|| timestamp_verifies(signer));
        report.signature = Some(SignatureReport {
            signer_public_key_hex: signer.to_hex(),
            signature_type: SIGNATURE_TYPE.to_owned(),
            cid_signature_valid: true,
            timestamp_signature_valid: timestamp_valid,
        });
        if !timestamp_valid {
            return fail(
                ErrorCode::TimestampSignatureInvalid,
                "TIMESTAMP_SIGNATURE does not verify under the signer key",
            );
        }
    }

    // Step 7: ENC.
    let Some(enc) = &collection.enc else {
        return finish_wasm(payload.to_vec(), false, report, payload_digest.as_ref());
    };
    report.enc = Some(enc.clone());
    check_enc_algorithms(enc)?;
    let Some(recipient) = recipient else {
        return fail(
            ErrorCode::DecryptionKeyRequired,
            "ENC present but no recipient key supplied",
        );
    };
    let decrypted = match decrypted {
        Some(decrypted) => decrypted?,
        None => decrypt_and_hash(payload, enc, recipient)?,
    };
    finish_wasm(decrypted.plaintext, true, report, Some(&decrypted.sha256))
}

/// The payload's SHA-256 (when a CID needs it) and, when there is an ENC record and a key,
/// the decryption, the two on two cores. Decrypting before the signature is checked is safe:
/// the plaintext stays here until every earlier step passed, and a failure of the decryption
/// itself is reported only in its own step (the caller's `?` after steps 4 to 6).
fn hash_and_decrypt(
    payload: &[u8],
    needs_digest: bool,
    enc: Option<&EncRecord>,
    recipient: Option<&X25519PrivateKey>,
) -> (Option<[u8; 32]>, Option<Result<Decrypted, Error>>) {
    match (needs_digest, enc.zip(recipient)) {
        (true, Some((enc, recipient))) => {
            let (digest, decrypted) =
                sha256_beside(payload, || decrypt_and_hash(payload, enc, recipient));
            (Some(digest), Some(decrypted))
        }
        (true, None) => (Some(Sha256::digest(payload).into()), None),
        (false, _) => (None, None),
    }
}

/// Steps 8 to 10: validate the wasm, report the bundle, hand the bytes back.
/// `known_digest`: the wasm's SHA-256 when already computed.
fn finish_wasm(
    wasm: Vec<u8>,
    decrypted: bool,
    report: &mut OpenReport,
    known_digest: Option<&[u8; 32]>,
) -> Result<Vec<u8>, Error> {
    // The decrypted bytes are the wasm: one hash pass serves both digests. The decrypted
    // digest is reported even when the bytes then fail validation.
    let digest = DigestReport::of_known(&wasm, known_digest);
    if decrypted {
        report.decrypted = Some(digest.clone());
    }
    if let Err(reason) = validate_wasm(&wasm) {
        return if decrypted {
            fail(
                ErrorCode::DecryptedPayloadInvalid,
                "decrypted bytes are not a valid wasm module",
            )
        } else {
            fail(
                ErrorCode::WasmInvalid,
                format!("payload is not a valid wasm module: {reason}"),
            )
        };
    }
    report.wasm = Some(digest);
    report.bundle = Some(super::open_bundle::bundle_report(&wasm)?);
    Ok(wasm)
}

const WASM_HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/// Header check plus full WebAssembly validation.
fn validate_wasm(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() < 8 || bytes[..8] != WASM_HEADER {
        return Err("missing the wasm version-1 header".to_owned());
    }
    crate::wasm::validate::validate(bytes).map_err(|err| err.to_string())
}
