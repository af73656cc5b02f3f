//! Publication: protect (sign, optionally encrypt), open (verify, decrypt, strip), and the two
//! public-key derivations a C caller needs to build trust lists and recipients.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;
use space_data_module::keys::random::OsRandom;
use space_data_module::keys::signing::{PublicKey, Signer};
use space_data_module::keys::x25519::X25519PrivateKey;
use space_data_module::publication::{self, OpenPolicy, ProtectOptions};
use space_data_module::{Error, ErrorCode};

use crate::boundary::{guard, invalid_argument, sdm_status};
use crate::bytes::{fixed_input, input, json_bytes, require_out, sdm_bytes, utf8_input, write_out};

/// Length of a compressed secp256k1 public key (a trusted signer).
pub const SDM_SIGNING_PUBLIC_KEY_LEN: usize = 33;
/// Length of a secp256k1 private scalar, an X25519 private key and an X25519 public key.
pub const SDM_KEY_LEN: usize = 32;

/// Most trusted signers accepted by `sdm_open`: 4096 (a trust list, not a key store).
const MAX_TRUSTED_SIGNERS: usize = 4096;

/// The system clock in ms since the Unix epoch.
pub(crate) fn now_ms() -> Result<i64, Error> {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|err| Error::new(ErrorCode::Internal, format!("system clock: {err}")))?
        .as_millis();
    Ok(i64::try_from(millis).unwrap_or(i64::MAX))
}

/// A trust list: concatenated 33-byte compressed secp256k1 public keys, at most
/// `MAX_TRUSTED_SIGNERS` of them.
///
/// # Safety
/// `ptr` is NULL or valid for reads of `len` bytes.
pub(crate) unsafe fn parse_trusted_signers(
    ptr: *const u8,
    len: usize,
) -> Result<Vec<PublicKey>, Error> {
    // SAFETY: caller contract.
    let keys = unsafe { input(ptr, len, "trusted_signers") }?;
    if keys.len() % SDM_SIGNING_PUBLIC_KEY_LEN != 0 {
        return Err(invalid_argument(format!(
            "trusted_signers_len {} is not a multiple of {SDM_SIGNING_PUBLIC_KEY_LEN}",
            keys.len()
        )));
    }
    if keys.len() / SDM_SIGNING_PUBLIC_KEY_LEN > MAX_TRUSTED_SIGNERS {
        return Err(invalid_argument(format!(
            "more than {MAX_TRUSTED_SIGNERS} trusted signers"
        )));
    }
    keys.chunks_exact(SDM_SIGNING_PUBLIC_KEY_LEN)
        .map(PublicKey::from_sec1)
        .collect()
}

/// The optional X25519 recipient private key of an encrypted artifact (NULL: none).
///
/// # Safety
/// `ptr` is NULL or valid for reads of 32 bytes.
unsafe fn recipient_key(ptr: *const u8) -> Result<Option<X25519PrivateKey>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: caller contract (32 bytes); borrowed, so no unzeroized copy is left here.
    let key = unsafe { input(ptr, SDM_KEY_LEN, "recipient_private_key") }?;
    X25519PrivateKey::from_slice(key).map(Some)
}

/// Protects a module: signs it with the secp256k1 private key `signing_private_key`
/// (32 bytes), optionally wraps it into a single-file bundle first (`single_file_bundle`
/// non-zero), optionally encrypts it for `recipient_public_key` (32-byte X25519 key, or NULL
/// for a signed-only artifact), and appends the `REC` trailer. The clock is the system clock.
///
/// On success `out_artifact` holds the protected artifact and `out_result_json` the result
/// (docs/c-abi.md, "sdm_protect"; it holds no secret).
///
/// # Safety
/// Inputs valid for their lengths (keys: 32 bytes); out-params NULL or writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn sdm_protect(
    manifest_json: *const u8,
    manifest_json_len: usize,
    wasm: *const u8,
    wasm_len: usize,
    signing_private_key: *const u8,
    recipient_public_key: *const u8,
    single_file_bundle: bool,
    out_artifact: *mut sdm_bytes,
    out_result_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_artifact, "out_artifact")?;
        require_out(out_result_json, "out_result_json")?;
        // SAFETY: caller contract.
        let text = unsafe { utf8_input(manifest_json, manifest_json_len, "manifest_json") }?;
        // SAFETY: caller contract.
        let wasm = unsafe { input(wasm, wasm_len, "wasm") }?;
        // SAFETY: caller contract (32 bytes).
        let private =
            unsafe { fixed_input::<SDM_KEY_LEN>(signing_private_key, "signing_private_key") }?;
        let signer = Signer::from_private_key(&private)?;
        let recipient = if recipient_public_key.is_null() {
            None
        } else {
            // SAFETY: caller contract (32 bytes).
            Some(unsafe {
                fixed_input::<SDM_KEY_LEN>(recipient_public_key, "recipient_public_key")
            }?)
        };
        let options = ProtectOptions {
            manifest: space_data_module::js::parse_json(text)?,
            wasm: wasm.to_vec(),
            single_file_bundle,
            recipient_public_key: recipient,
            artifact_id: None,
            target: serde_json::Value::Null,
            capabilities: None,
            now_ms: now_ms()?,
        };
        let protected = publication::protect(&options, &signer, &mut OsRandom)?;
        let result = json_bytes(&protected.to_json())?;
        // SAFETY: both checked non-NULL above.
        unsafe {
            write_out(
                out_artifact,
                sdm_bytes::from_vec(protected.protected_artifact_bytes),
            );
            write_out(out_result_json, sdm_bytes::from_vec(result));
        }
        Ok(())
    })
}

/// Opens a protected artifact, failing closed (spec 12): the signature must verify against
/// one of the trusted signers, and an encrypted artifact needs `recipient_private_key`
/// (32-byte X25519 key; NULL when not encrypted). `trusted_signers` is a concatenation of
/// 33-byte compressed secp256k1 public keys (`trusted_signers_len` a non-zero multiple of 33).
///
/// On success `out_wasm` holds the plain module and `out_report_json` the open report
/// (docs/c-abi.md, "sdm_open"). On failure nothing is written; the status says which step
/// failed (e.g. `signature-untrusted`, `decrypt-failed`).
///
/// # Safety
/// Inputs valid for their lengths; out-params NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_open(
    artifact: *const u8,
    artifact_len: usize,
    trusted_signers: *const u8,
    trusted_signers_len: usize,
    recipient_private_key: *const u8,
    out_wasm: *mut sdm_bytes,
    out_report_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_wasm, "out_wasm")?;
        require_out(out_report_json, "out_report_json")?;
        // SAFETY: caller contract.
        let artifact = unsafe { input(artifact, artifact_len, "artifact") }?;
        // SAFETY: caller contract.
        let trusted = unsafe { parse_trusted_signers(trusted_signers, trusted_signers_len) }?;
        // SAFETY: caller contract (32 bytes or NULL).
        let recipient = unsafe { recipient_key(recipient_private_key) }?;
        let opened =
            publication::open(artifact, &OpenPolicy::trusting(trusted), recipient.as_ref())
                .map_err(Error::from)?;
        let report = json_bytes(&opened.report.to_json())?;
        // SAFETY: both checked non-NULL above.
        unsafe {
            write_out(out_wasm, sdm_bytes::from_vec(opened.wasm));
            write_out(out_report_json, sdm_bytes::from_vec(report));
        }
        Ok(())
    })
}

/// Opens a protected artifact as `sdm_open` does, but reports the loader's verdict instead of
/// failing with it, so that a refusal comes with the partial report (what was established
/// before the failing step; the CLI's `open --json`).
///
/// Status 0 means the loader ran to a verdict, "opened" or "refused"; then `out_outcome_json`
/// holds `{"outcome": "ok", "status": 0, "report": {...}}` or `{"outcome": "error",
/// "status": N, "errorClass", "detail", "report": {partial}}` (N the status `sdm_open` would
/// return), and `out_wasm` (may be NULL: report only) holds the plain module when opened and
/// `{NULL, 0}` when refused. A non-zero status is an argument error (NULL, bad lengths, a
/// malformed trusted key or recipient key): nothing is written. The policy is the same
/// fail-closed one as `sdm_open`; the report never holds a secret.
///
/// # Safety
/// Inputs valid for their lengths; `out_wasm` NULL or writable; `out_outcome_json` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_open_report(
    artifact: *const u8,
    artifact_len: usize,
    trusted_signers: *const u8,
    trusted_signers_len: usize,
    recipient_private_key: *const u8,
    out_wasm: *mut sdm_bytes,
    out_outcome_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_outcome_json, "out_outcome_json")?;
        // SAFETY: caller contract.
        let artifact = unsafe { input(artifact, artifact_len, "artifact") }?;
        // SAFETY: caller contract.
        let trusted = unsafe { parse_trusted_signers(trusted_signers, trusted_signers_len) }?;
        // SAFETY: caller contract (32 bytes or NULL).
        let recipient = unsafe { recipient_key(recipient_private_key) }?;
        let (wasm, outcome) =
            match publication::open(artifact, &OpenPolicy::trusting(trusted), recipient.as_ref()) {
                Ok(opened) => (
                    opened.wasm,
                    json!({"outcome": "ok", "status": 0, "report": opened.report.to_json()}),
                ),
                Err(failure) => (
                    Vec::new(),
                    json!({
                        "outcome": "error",
                        "status": failure.error.code().number(),
                        "errorClass": failure.error.code().as_str(),
                        "detail": failure.error.message(),
                        "report": failure.partial.to_json(),
                    }),
                ),
            };
        let outcome = json_bytes(&outcome)?;
        // SAFETY: `out_outcome_json` checked non-NULL above; `out_wasm` checked here.
        unsafe {
            if !out_wasm.is_null() {
                write_out(out_wasm, sdm_bytes::from_vec(wasm));
            }
            write_out(out_outcome_json, sdm_bytes::from_vec(outcome));
        }
        Ok(())
    })
}

/// The 33-byte compressed secp256k1 public key of a 32-byte signing private key (for
/// `sdm_open` trust lists). `out_public_key` must have room for 33 bytes.
///
/// # Safety
/// `private_key` valid for 32 bytes; `out_public_key` NULL or writable for 33 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_signing_public_key(
    private_key: *const u8,
    out_public_key: *mut u8,
) -> sdm_status {
    guard(|| {
        require_out(out_public_key, "out_public_key")?;
        // SAFETY: caller contract (32 bytes).
        let private = unsafe { fixed_input::<SDM_KEY_LEN>(private_key, "private_key") }?;
        let public = Signer::from_private_key(&private)?.public_key();
        // SAFETY: checked non-NULL; the caller provides 33 writable bytes.
        unsafe { std::ptr::copy_nonoverlapping(public.as_ptr(), out_public_key, public.len()) };
        Ok(())
    })
}

/// The 32-byte X25519 public key of a 32-byte X25519 private key (the recipient key given to
/// `sdm_protect`). `out_public_key` must have room for 32 bytes.
///
/// # Safety
/// `private_key` valid for 32 bytes; `out_public_key` NULL or writable for 32 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_x25519_public_key(
    private_key: *const u8,
    out_public_key: *mut u8,
) -> sdm_status {
    guard(|| {
        require_out(out_public_key, "out_public_key")?;
        // SAFETY: caller contract (32 bytes).
        let private = unsafe { fixed_input::<SDM_KEY_LEN>(private_key, "private_key") }?;
        let public = X25519PrivateKey::from_bytes(private).public_key();
        // SAFETY: checked non-NULL; the caller provides 32 writable bytes.
        unsafe { std::ptr::copy_nonoverlapping(public.as_ptr(), out_public_key, public.len()) };
        Ok(())
    })
}
