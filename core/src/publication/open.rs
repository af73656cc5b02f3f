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
        return finish_wasm(prepare_plain(bytes), false, report);
    };
    steps::check_collection_length(&split)?;
    let payload = &bytes[..split.payload_length];
    let collection_bytes =
        &bytes[split.payload_length..split.payload_length + split.collection_length];

    // Steps 2 and 3: collection, PNM presence.
    let collection = steps::read_collection(collection_bytes, &split, report)?;
    let pnm = steps::require_pnm(&collection, policy, report)?;

    // Step 4: CID. While one core hashes the payload, the other prepares what steps 7 and 8
    // need: the wasm copied (or decrypted and hashed) and validated. Nothing of it leaves here
    // before every earlier step passed, and its failures are reported in their own steps.
    // Not encrypted, the payload's digest is also the wasm's: it is hashed once.
    // The signatures are verified meanwhile too, by the thread that validates the later
    // function bodies: a thread of their own would cost another start and join, as much as
    // a verification takes on a virtual machine. Their verdicts wait for steps 5 and 6.
    let mut verdicts = None;
    let signature_verdicts = || steps::signature_verdicts(&pnm, policy, steps::Cores::One);
    let cost = match pnm.signature {
        Some(_) => SIGNATURE_CHECKS_AS_CODE_BYTES,
        None => 0,
    };
    let (payload_digest, early) = match (pnm.cid.is_some(), &collection.enc, recipient) {
        (true, None, _) => {
            let (prepared, found) = prepare_plain_beside(payload, signature_verdicts, cost);
            verdicts = found;
            (Some(prepared.sha256), Some(Ok(prepared)))
        }
        (true, Some(enc), Some(key)) => {
            let (digest, (prepared, found)) = sha256_beside(payload, || {
                prepare_decrypted_beside(payload, enc, key, signature_verdicts, cost)
            });
            verdicts = found.flatten();
            (Some(digest), Some(prepared))
        }
        (true, Some(_), None) => (Some(Sha256::digest(payload).into()), None),
        (false, _, _) => (None, None),
    };
    steps::check_cid(&pnm, payload_digest.as_ref(), report)?;

    // Steps 5 and 6: signatures.
    steps::check_signatures(&pnm, policy, verdicts, report)?;

    // Step 7: ENC.
    let Some(enc) = &collection.enc else {
        let prepared = match early {
            Some(prepared) => prepared?,
            None => prepare_plain(payload),
        };
        return finish_wasm(prepared, false, report);
    };
    let recipient = steps::require_recipient(enc, recipient, report)?;
    let prepared = match early {
        Some(prepared) => prepared?,
        None => prepare_decrypted(payload, enc, recipient)?,
    };
    finish_wasm(prepared, true, report)
}

/// The wasm the loader hands back when every step passes, with its digest and validation
/// verdict, prepared before the steps that decide whether it is handed back.
struct Prepared {
    wasm: Vec<u8>,
    sha256: [u8; 32],
    valid: Result<(), String>,
}

/// Two ECDSA verifications (k256) take about as long as validating this many bytes of
/// function bodies: about 170 us against 520 us for the 75 KiB of code of the 81 KB
/// publication vector, on one core.
const SIGNATURE_CHECKS_AS_CODE_BYTES: usize = 24 << 10;

/// A plain payload: copied and validated on this core while the other hashes it.
fn prepare_plain(payload: &[u8]) -> Prepared {
    prepare_plain_beside(payload, || (), 0).0
}

/// [`prepare_plain`] with `other` run by the thread that validates the later function bodies
/// (see [`validate_wasm_beside`]).
fn prepare_plain_beside<T: Send>(
    payload: &[u8],
    other: impl FnOnce() -> T + Send,
    other_cost: usize,
) -> (Prepared, T) {
    let (sha256, (wasm, (valid, result))) = sha256_beside(payload, || {
        let wasm = payload.to_vec();
        let checked = validate_wasm_beside(&wasm, other, other_cost);
        (wasm, checked)
    });
    (
        Prepared {
            wasm,
            sha256,
            valid,
        },
        result,
    )
}

/// An encrypted payload: decrypted and hashed in one pass, then validated.
fn prepare_decrypted(
    payload: &[u8],
    enc: &EncRecord,
    recipient: &X25519PrivateKey,
) -> Result<Prepared, Error> {
    prepare_decrypted_beside(payload, enc, recipient, || (), 0).0
}

/// [`prepare_decrypted`] with `other` run beside the validation as in
/// [`prepare_plain_beside`]; not run (`None`) when decryption fails.
fn prepare_decrypted_beside<T: Send>(
    payload: &[u8],
    enc: &EncRecord,
    recipient: &X25519PrivateKey,
    other: impl FnOnce() -> T + Send,
    other_cost: usize,
) -> (Result<Prepared, Error>, Option<T>) {
    let Decrypted { plaintext, sha256 } = match decrypt_and_hash(payload, enc, recipient) {
        Ok(decrypted) => decrypted,
        Err(err) => return (Err(err), None),
    };
    let (valid, result) = validate_wasm_beside(&plaintext, other, other_cost);
    let prepared = Prepared {
        wasm: plaintext,
        sha256,
        valid,
    };
    (Ok(prepared), Some(result))
}

/// Steps 8 to 10: the validation verdict, the bundle, the bytes handed back.
fn finish_wasm(
    prepared: Prepared,
    decrypted: bool,
    report: &mut OpenReport,
) -> Result<Vec<u8>, Error> {
    // The decrypted bytes are the wasm: one hash pass serves both digests. The decrypted
    // digest is reported even when the bytes then fail validation.
    let digest = DigestReport {
        sha256: hex::encode(prepared.sha256),
        length: prepared.wasm.len(),
    };
    if decrypted {
        report.decrypted = Some(digest.clone());
    }
    if let Err(reason) = prepared.valid {
        return Err(steps::validation_failure(
            decrypted,
            Error::new(ErrorCode::WasmInvalid, reason),
        ));
    }
    report.wasm = Some(digest);
    report.bundle = Some(super::open_bundle::bundle_report(&prepared.wasm)?);
    Ok(prepared.wasm)
}

/// Header check plus full WebAssembly validation, with `other` on the second thread, which
/// then validates its share of the function bodies
/// ([`crate::wasm::validate::validate_beside`], `other_cost` as there); `other` runs whatever
/// the verdict.
fn validate_wasm_beside<T: Send>(
    bytes: &[u8],
    other: impl FnOnce() -> T + Send,
    other_cost: usize,
) -> (Result<(), String>, T) {
    if !has_wasm_header(bytes) {
        return (Err(NO_WASM_HEADER.to_owned()), other());
    }
    let (valid, result) = crate::wasm::validate::validate_beside(bytes, other, other_cost);
    (valid.map_err(|err| err.to_string()), result)
}

const NO_WASM_HEADER: &str = "missing the wasm version-1 header";

fn has_wasm_header(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && bytes[..8] == WASM_HEADER
}
