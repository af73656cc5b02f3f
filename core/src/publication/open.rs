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
    let (payload_digest, early) = match (pnm.cid.is_some(), &collection.enc, recipient) {
        (true, None, _) => {
            let prepared = prepare_plain(payload);
            (Some(prepared.sha256), Some(Ok(prepared)))
        }
        (true, Some(enc), Some(key)) => {
            let (digest, prepared) =
                sha256_beside(payload, || prepare_decrypted(payload, enc, key));
            (Some(digest), Some(prepared))
        }
        (true, Some(_), None) => (Some(Sha256::digest(payload).into()), None),
        (false, _, _) => (None, None),
    };
    steps::check_cid(&pnm, payload_digest.as_ref(), report)?;

    // Steps 5 and 6: signatures.
    steps::check_signatures(&pnm, policy, report)?;

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

/// A plain payload: copied and validated on this core while the other hashes it.
fn prepare_plain(payload: &[u8]) -> Prepared {
    let (sha256, (wasm, valid)) = sha256_beside(payload, || {
        let wasm = payload.to_vec();
        let valid = validate_wasm(&wasm);
        (wasm, valid)
    });
    Prepared {
        wasm,
        sha256,
        valid,
    }
}

/// An encrypted payload: decrypted and hashed in one pass, then validated.
fn prepare_decrypted(
    payload: &[u8],
    enc: &EncRecord,
    recipient: &X25519PrivateKey,
) -> Result<Prepared, Error> {
    let Decrypted { plaintext, sha256 } = decrypt_and_hash(payload, enc, recipient)?;
    let valid = validate_wasm(&plaintext);
    Ok(Prepared {
        wasm: plaintext,
        sha256,
        valid,
    })
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

/// Header check plus full WebAssembly validation.
fn validate_wasm(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() < 8 || bytes[..8] != WASM_HEADER {
        return Err("missing the wasm version-1 header".to_owned());
    }
    crate::wasm::validate::validate(bytes).map_err(|err| err.to_string())
}
