//! Publication: protect (sign, optionally encrypt), open (verify, decrypt, strip), and the two
//! public-key derivations a C caller needs to build trust lists and recipients.

use space_data_module::Error;
use space_data_module::api::keys::{self, RecipientKey, SigningKey};
use space_data_module::api::publication::{self as api, OpenRequest, ProtectRequest};
use space_data_module::keys::signing::PublicKey;

use crate::boundary::{guard, sdm_status};
use crate::bytes::{
    fixed_input, input, require_out, sdm_bytes, to_json_bytes, utf8_input, write_out,
};

/// Length of a compressed secp256k1 public key (a trusted signer).
pub const SDM_SIGNING_PUBLIC_KEY_LEN: usize = 33;
/// Length of a secp256k1 private scalar, an X25519 private key and an X25519 public key.
pub const SDM_KEY_LEN: usize = 32;

/// The optional X25519 recipient private key of an encrypted artifact (NULL: none).
///
/// # Safety
/// `ptr` is NULL or valid for reads of 32 bytes.
unsafe fn recipient_key(ptr: *const u8) -> Result<Option<RecipientKey>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: caller contract (32 bytes); borrowed, so no unzeroized copy is left here.
    let key = unsafe { input(ptr, SDM_KEY_LEN, "recipient_private_key") }?;
    RecipientKey::from_private_key(key).map(Some)
}

/// A trust list: concatenated 33-byte compressed secp256k1 public keys.
///
/// # Safety
/// `ptr` is NULL or valid for reads of `len` bytes.
pub(crate) unsafe fn parse_trusted_signers(
    ptr: *const u8,
    len: usize,
) -> Result<Vec<PublicKey>, Error> {
    // SAFETY: caller contract.
    keys::trusted_signers_from_bytes(unsafe { input(ptr, len, "trusted_signers") }?)
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
        // SAFETY: caller contract (32 bytes); borrowed, so no copy of the secret is left here.
        let private = unsafe { input(signing_private_key, SDM_KEY_LEN, "signing_private_key") }?;
        let signer = SigningKey::from_private_key(private)?;
        let encrypt_for = if recipient_public_key.is_null() {
            None
        } else {
            // SAFETY: caller contract (32 bytes).
            Some(unsafe {
                fixed_input::<SDM_KEY_LEN>(recipient_public_key, "recipient_public_key")
            }?)
        };
        let protected = api::protect(
            &ProtectRequest {
                wasm,
                manifest_json: text,
                single_file_bundle,
                encrypt_for,
            },
            &signer,
        )?;
        let result = to_json_bytes(&protected.result)?;
        // SAFETY: both checked non-NULL above.
        unsafe {
            write_out(out_artifact, sdm_bytes::from_vec(protected.artifact));
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
/// failed (e.g. `signature-invalid`, `decryption-failed`).
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
        let opened = api::open(
            artifact,
            &OpenRequest {
                trusted_signers: trusted,
                decrypt_with: recipient.as_ref(),
                allow_unsigned: false,
            },
        )?;
        let report = to_json_bytes(&opened.outcome.report)?;
        let module = opened.into_result()?;
        // SAFETY: both checked non-NULL above.
        unsafe {
            write_out(out_wasm, sdm_bytes::from_vec(module.wasm().to_vec()));
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
/// holds the open outcome (docs/schemas/open-outcome.schema.json): `{"outcome": "ok",
/// "status": 0, "report", "authentication"}` or `{"outcome": "error", "status": N, "code",
/// "detail", "report": {partial}, "authentication"}` (N the status `sdm_open` would return), and `out_wasm` (may be NULL: report only) holds the plain module when opened and
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
        let opened = api::open(
            artifact,
            &OpenRequest {
                trusted_signers: trusted,
                decrypt_with: recipient.as_ref(),
                allow_unsigned: false,
            },
        )?;
        let outcome = to_json_bytes(&opened.outcome)?;
        let wasm = opened.module.map(|m| m.wasm().to_vec()).unwrap_or_default();
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
        let public: [u8; SDM_SIGNING_PUBLIC_KEY_LEN] =
            SigningKey::from_private_key(&private)?.signer.public_key();
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
        let public = RecipientKey::from_private_key(&private)?.public_key();
        // SAFETY: checked non-NULL; the caller provides 32 writable bytes.
        unsafe { std::ptr::copy_nonoverlapping(public.as_ptr(), out_public_key, public.len()) };
        Ok(())
    })
}
