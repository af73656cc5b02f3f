//! The fail-closed loader (spec 12): nothing is returned to a runtime before every step passed.
//!
//! Steps, first failure wins: footer → collection → PNM presence → CID → signature →
//! timestamp signature → ENC algorithms and decryption → wasm validation → bundle → report.

use sha2::{Digest, Sha256};

use super::encryption::{Decrypted, decrypt_and_hash};
use super::open_steps as steps;
use super::report::{DigestReport, OpenReport};
use crate::keys::signing::PublicKey;
use crate::keys::x25519::X25519PrivateKey;
use crate::parallel::sha256_beside;
use crate::trailer::footer::split_footer;
use crate::trailer::records::EncRecord;
use crate::wasm::stream::WASM_HEADER;
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

fn run(
    bytes: &[u8],
    policy: &OpenPolicy,
    recipient: Option<&X25519PrivateKey>,
    report: &mut OpenReport,
) -> Result<Vec<u8>, Error> {
    steps::check_size(bytes.len() as u64, policy)?;
    // Step 1: footer.
    report.trailer = Some(None);
    let Some(split) = split_footer(bytes)? else {
        steps::allow_untrailed(policy)?;
        return finish_wasm(bytes.to_vec(), false, report, None);
    };
    steps::check_collection_length(&split)?;
    let payload = &bytes[..split.payload_length];
    let collection_bytes =
        &bytes[split.payload_length..split.payload_length + split.collection_length];

    // Steps 2 and 3: collection, PNM presence.
    let collection = steps::read_collection(collection_bytes, &split, report)?;
    let pnm = steps::require_pnm(&collection, policy, report)?;

    // Step 4: CID. Its SHA-256 of the payload is also the wasm's digest when nothing is
    // encrypted: kept, so the payload is hashed once. When there is something to decrypt,
    // decryption runs beside that hash (see `hash_and_decrypt`).
    let (payload_digest, decrypted) = hash_and_decrypt(
        payload,
        pnm.cid.is_some(),
        collection.enc.as_ref(),
        recipient,
    );
    steps::check_cid(&pnm, payload_digest.as_ref(), report)?;

    // Steps 5 and 6: signatures.
    steps::check_signatures(&pnm, policy, report)?;

    // Step 7: ENC.
    let Some(enc) = &collection.enc else {
        return finish_wasm(payload.to_vec(), false, report, payload_digest.as_ref());
    };
    let recipient = steps::require_recipient(enc, recipient, report)?;
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
        return Err(steps::validation_failure(
            decrypted,
            Error::new(ErrorCode::WasmInvalid, reason),
        ));
    }
    report.wasm = Some(digest);
    report.bundle = Some(super::open_bundle::bundle_report(&wasm)?);
    Ok(wasm)
}

/// Header check plus full WebAssembly validation.
fn validate_wasm(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() < 8 || bytes[..8] != WASM_HEADER {
        return Err("missing the wasm version-1 header".to_owned());
    }
    crate::wasm::validate::validate(bytes).map_err(|err| err.to_string())
}
