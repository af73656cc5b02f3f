//! The loader's steps that do not depend on how the artifact is held: the same functions run
//! for an artifact in memory ([`super::open`]) and one read from a file
//! ([`super::open_stream`]), so the two refuse alike and report alike.

use subtle::ConstantTimeEq;

use super::cid::cid_v1_raw_of_digest;
use super::encryption::check_enc_algorithms;
use super::open::{MAX_COLLECTION_BYTES, OpenPolicy};
use super::report::{CidReport, OpenReport, SignatureReport, TrailerReport};
use crate::keys::signing::{PublicKey, SIGNATURE_TYPE};
use crate::keys::x25519::X25519PrivateKey;
use crate::parallel::beside;
use crate::trailer::decode::decode_collection;
use crate::trailer::footer::FooterSplit;
use crate::trailer::records::{EncRecord, PnmRecord, RecordCollection};
use crate::{Error, ErrorCode, Result};

pub(super) fn fail<T>(code: ErrorCode, detail: impl Into<String>) -> Result<T> {
    Err(Error::new(code, detail))
}

/// The policy's size cap.
pub(super) fn check_size(len: u64, policy: &OpenPolicy) -> Result<()> {
    if len > policy.max_artifact_bytes as u64 {
        return fail(
            ErrorCode::InputTooLarge,
            format!("artifact exceeds {} bytes", policy.max_artifact_bytes),
        );
    }
    Ok(())
}

/// Step 1 without a footer: fine only when the policy does not require a signature.
pub(super) fn allow_untrailed(policy: &OpenPolicy) -> Result<()> {
    if policy.require_signature {
        return fail(
            ErrorCode::TrailerMissing,
            "no $REC footer and the policy requires a signed artifact",
        );
    }
    Ok(())
}

/// Step 1's last check: the collection is small enough to read.
pub(super) fn check_collection_length(split: &FooterSplit) -> Result<()> {
    if split.collection_length > MAX_COLLECTION_BYTES {
        return fail(
            ErrorCode::TrailerInvalid,
            format!("REC collection exceeds {MAX_COLLECTION_BYTES} bytes"),
        );
    }
    Ok(())
}

/// Step 2: decode the collection and report the trailer.
pub(super) fn read_collection(
    collection_bytes: &[u8],
    split: &FooterSplit,
    report: &mut OpenReport,
) -> Result<RecordCollection> {
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
    Ok(collection)
}

/// Step 3: the PNM record (empty when absent), required with CID and signature unless the
/// policy allows unsigned artifacts.
pub(super) fn require_pnm(
    collection: &RecordCollection,
    policy: &OpenPolicy,
    report: &mut OpenReport,
) -> Result<PnmRecord> {
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
    Ok(pnm)
}

/// Step 4: the declared CID against the one of `digest`, the payload's SHA-256 (computed
/// whenever a CID is declared).
pub(super) fn check_cid(
    pnm: &PnmRecord,
    digest: Option<&[u8; 32]>,
    report: &mut OpenReport,
) -> Result<()> {
    let (Some(declared), Some(digest)) = (&pnm.cid, digest) else {
        return Ok(());
    };
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
    Ok(())
}

/// What the ECDSA verifications of steps 5 and 6 found: computed before those steps (the
/// open of a small module runs them beside its validation) and used only in them, in order.
pub(super) struct SignatureVerdicts<'p> {
    /// The first trusted key the CID signature verifies under.
    signer: Option<&'p PublicKey>,
    /// The timestamp signature under `signer`, when it was verified with the CID's.
    timestamp_valid: Option<bool>,
}

/// How [`signature_verdicts`] may use the second core.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Cores {
    /// The two verifications of a single trusted key run side by side.
    Two,
    /// The caller is already using the other core.
    One,
}

/// The verifications of steps 5 and 6, or `None` when there is nothing to verify (no
/// signature, or a type step 5 refuses before verifying). Reports nothing.
pub(super) fn signature_verdicts<'p>(
    pnm: &PnmRecord,
    policy: &'p OpenPolicy,
    cores: Cores,
) -> Option<SignatureVerdicts<'p>> {
    let signature = pnm.signature.as_ref()?;
    if pnm.signature_type.as_deref() != Some(SIGNATURE_TYPE) {
        return None;
    }
    let cid = pnm.cid.as_deref().unwrap_or("");
    // With one trusted key, the usual case, the timestamp signature is verified with the
    // CID's (beside it when the other core is free): two ECDSA verifications are most of the
    // time of opening a small module. Its verdict is used only in its own step, after the
    // CID signature's.
    Some(match policy.trusted_signers.as_slice() {
        [only] if pnm.publish_timestamp.is_some() && pnm.timestamp_signature.is_some() => {
            let (timestamp_valid, cid_valid) = match cores {
                Cores::Two => beside(
                    || timestamp_verifies(pnm, only),
                    || only.verify_hex(cid.as_bytes(), signature),
                ),
                Cores::One => (
                    timestamp_verifies(pnm, only),
                    only.verify_hex(cid.as_bytes(), signature),
                ),
            };
            SignatureVerdicts {
                signer: cid_valid.then_some(only),
                timestamp_valid: Some(timestamp_valid),
            }
        }
        keys => SignatureVerdicts {
            signer: keys
                .iter()
                .find(|key| key.verify_hex(cid.as_bytes(), signature)),
            timestamp_valid: None,
        },
    })
}

/// True when the PNM has a publish timestamp and its signature verifies under `key`.
fn timestamp_verifies(pnm: &PnmRecord, key: &PublicKey) -> bool {
    pnm.publish_timestamp
        .as_ref()
        .zip(pnm.timestamp_signature.as_ref())
        .is_some_and(|(timestamp, signature)| key.verify_hex(timestamp.as_bytes(), signature))
}

/// Steps 5 and 6: the signatures, verified whenever present (spec 13.13). `verdicts` are
/// those [`signature_verdicts`] computed for this `pnm` and `policy` earlier, if it ran.
pub(super) fn check_signatures<'p>(
    pnm: &PnmRecord,
    policy: &'p OpenPolicy,
    verdicts: Option<SignatureVerdicts<'p>>,
    report: &mut OpenReport,
) -> Result<()> {
    if pnm.signature.is_none() {
        return Ok(());
    }
    let signature_type = pnm.signature_type.as_deref().unwrap_or("");
    if signature_type != SIGNATURE_TYPE {
        return fail(
            ErrorCode::UnsupportedAlgorithm,
            format!("unsupported PNM signature type \"{signature_type}\""),
        );
    }
    let verdicts = verdicts.or_else(|| signature_verdicts(pnm, policy, Cores::Two));
    let Some(SignatureVerdicts {
        signer: Some(signer),
        timestamp_valid,
    }) = verdicts
    else {
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
    let timestamp_valid = timestamp_valid.unwrap_or_else(|| timestamp_verifies(pnm, signer));
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
    Ok(())
}

/// Step 7 before decryption: the record is reported, its algorithms supported, and a key
/// supplied.
pub(super) fn require_recipient<'k>(
    enc: &EncRecord,
    recipient: Option<&'k X25519PrivateKey>,
    report: &mut OpenReport,
) -> Result<&'k X25519PrivateKey> {
    report.enc = Some(enc.clone());
    check_enc_algorithms(enc)?;
    match recipient {
        Some(recipient) => Ok(recipient),
        None => fail(
            ErrorCode::DecryptionKeyRequired,
            "ENC present but no recipient key supplied",
        ),
    }
}

/// Step 8's refusal: the wasm (or the decrypted bytes) failed validation. A refusal that is
/// about the size of a section streamed from a file keeps its own code.
pub(super) fn validation_failure(decrypted: bool, reason: Error) -> Error {
    if reason.code() != ErrorCode::WasmInvalid {
        return reason;
    }
    if decrypted {
        Error::new(
            ErrorCode::DecryptedPayloadInvalid,
            "decrypted bytes are not a valid wasm module",
        )
    } else {
        Error::new(
            ErrorCode::WasmInvalid,
            format!("payload is not a valid wasm module: {}", reason.message()),
        )
    }
}
