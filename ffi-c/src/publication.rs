//! Publication: protect (sign, optionally encrypt), open (verify, decrypt, strip), and the two
//! public-key derivations a C caller needs to build trust lists and recipients.

use space_data_module::Error;
use space_data_module::api::keys::{self, RecipientKey, SigningKey};
use space_data_module::api::publication::{self as api, OpenRequest, ProtectRequest};
use space_data_module::keys::signing::PublicKey;

use crate::boundary::{guard, sdm_status};
use crate::bytes::{
    input, key_input, optional_key_input, require_out, require_out_buffer, sdm_bytes,
    to_json_bytes, utf8_input, write_out, write_out_buffer,
};

/// Length of a compressed secp256k1 public key (a trusted signer).
pub const SDM_SIGNING_PUBLIC_KEY_LEN: usize = 33;
/// Length of a secp256k1 private scalar, an X25519 private key and an X25519 public key.
pub const SDM_KEY_LEN: usize = 32;

/// A trust list: concatenated 33-byte compressed secp256k1 public keys (core's trust-list
/// parser: at most 4096; a length that is not a multiple of 33, or a key that is not a curve
/// point, is `key-invalid`).
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

/// The optional X25519 recipient private key of an encrypted artifact (NULL, 0: none).
///
/// # Safety
/// `ptr` is NULL or valid for reads of `len` bytes.
pub(crate) unsafe fn recipient_key(
    ptr: *const u8,
    len: usize,
) -> Result<Option<RecipientKey>, Error> {
    // SAFETY: caller contract; borrowed, so no unzeroized copy is left here.
    let key = unsafe { optional_key_input::<SDM_KEY_LEN>(ptr, len, "recipient_private_key") }?;
    key.map(|key| RecipientKey::from_private_key(key))
        .transpose()
}

/// Protects a module: signs it with the secp256k1 private key `signing_private_key`
/// (`SDM_KEY_LEN` = 32 bytes), optionally wraps it into a single-file bundle first
/// (`single_file_bundle` non-zero), optionally encrypts it for `recipient_public_key`
/// (32-byte X25519 key, or NULL with length 0 for a signed-only artifact), and appends the
/// `REC` trailer. The clock is the system clock. A key of another length is `key-invalid`.
///
/// On success `out_artifact` holds the protected artifact and `out_result_json` the result
/// (docs/c-abi.md, "sdm_protect"; it holds no secret). `out_result_json` may be NULL: the
/// result, whose payload holds the module in base64, is then not built.
///
/// # Safety
/// Inputs valid for their lengths; out-params NULL or writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn sdm_protect(
    manifest_json: *const u8,
    manifest_json_len: usize,
    wasm: *const u8,
    wasm_len: usize,
    signing_private_key: *const u8,
    signing_private_key_len: usize,
    recipient_public_key: *const u8,
    recipient_public_key_len: usize,
    single_file_bundle: bool,
    out_artifact: *mut sdm_bytes,
    out_result_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_artifact, "out_artifact")?;
        // SAFETY: caller contract.
        let text = unsafe { utf8_input(manifest_json, manifest_json_len, "manifest_json") }?;
        // SAFETY: caller contract.
        let wasm = unsafe { input(wasm, wasm_len, "wasm") }?;
        // SAFETY: caller contract; borrowed, so no copy of the secret is left behind.
        let private = unsafe {
            key_input::<SDM_KEY_LEN>(
                signing_private_key,
                signing_private_key_len,
                "signing_private_key",
            )
        }?;
        let signer = SigningKey::from_private_key(private)?;
        // SAFETY: caller contract.
        let encrypt_for = unsafe {
            optional_key_input::<SDM_KEY_LEN>(
                recipient_public_key,
                recipient_public_key_len,
                "recipient_public_key",
            )
        }?
        .copied();
        let protected = api::protect(
            &ProtectRequest {
                wasm,
                manifest_json: text,
                single_file_bundle,
                encrypt_for,
            },
            &signer,
        )?;
        let result = if out_result_json.is_null() {
            None
        } else {
            Some(to_json_bytes(&protected.result())?)
        };
        // SAFETY: `out_artifact` checked non-NULL above, `out_result_json` here.
        unsafe {
            write_out(out_artifact, sdm_bytes::from_vec(protected.into_artifact()));
            if let Some(result) = result {
                write_out(out_result_json, sdm_bytes::from_vec(result));
            }
        }
        Ok(())
    })
}

/// Opens a protected artifact, failing closed (spec 12): the signature must verify against
/// one of the trusted signers, and an encrypted artifact needs `recipient_private_key`
/// (32-byte X25519 key; NULL with length 0 when not encrypted). `trusted_signers` is a
/// concatenation of 33-byte compressed secp256k1 public keys (`trusted_signers_len` a
/// non-zero multiple of 33). A key of the wrong length or a malformed key is `key-invalid`.
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
    recipient_private_key_len: usize,
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
        // SAFETY: caller contract.
        let recipient = unsafe { recipient_key(recipient_private_key, recipient_private_key_len) }?;
        let opened = api::open(
            artifact,
            &OpenRequest {
                trusted_signers: trusted,
                decrypt_with: recipient.as_ref(),
                allow_unsigned: false,
                wasm_signers: Vec::new(),
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
    recipient_private_key_len: usize,
    out_wasm: *mut sdm_bytes,
    out_outcome_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_outcome_json, "out_outcome_json")?;
        // SAFETY: caller contract.
        let artifact = unsafe { input(artifact, artifact_len, "artifact") }?;
        // SAFETY: caller contract.
        let trusted = unsafe { parse_trusted_signers(trusted_signers, trusted_signers_len) }?;
        // SAFETY: caller contract.
        let recipient = unsafe { recipient_key(recipient_private_key, recipient_private_key_len) }?;
        let opened = api::open(
            artifact,
            &OpenRequest {
                trusted_signers: trusted,
                decrypt_with: recipient.as_ref(),
                allow_unsigned: false,
                wasm_signers: Vec::new(),
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

/// The 33-byte (`SDM_SIGNING_PUBLIC_KEY_LEN`) compressed secp256k1 public key of a 32-byte
/// signing private key (for `sdm_open` trust lists), written to the first 33 bytes of
/// `out_public_key`. A capacity below 33 is `invalid-argument`; a private key of another
/// length than 32, or not in [1, n-1], is `key-invalid`.
///
/// # Safety
/// `private_key` valid for `private_key_len` bytes; `out_public_key` NULL or writable for
/// `out_public_key_capacity` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_signing_public_key(
    private_key: *const u8,
    private_key_len: usize,
    out_public_key: *mut u8,
    out_public_key_capacity: usize,
) -> sdm_status {
    guard(|| {
        require_out_buffer(
            out_public_key,
            out_public_key_capacity,
            SDM_SIGNING_PUBLIC_KEY_LEN,
            "out_public_key",
        )?;
        // SAFETY: caller contract.
        let private =
            unsafe { key_input::<SDM_KEY_LEN>(private_key, private_key_len, "private_key") }?;
        let public: [u8; SDM_SIGNING_PUBLIC_KEY_LEN] =
            SigningKey::from_private_key(private)?.signer.public_key();
        // SAFETY: checked for 33 bytes above.
        unsafe { write_out_buffer(out_public_key, &public) };
        Ok(())
    })
}

/// The 32-byte (`SDM_KEY_LEN`) X25519 public key of a 32-byte X25519 private key (the
/// recipient key given to `sdm_protect`), written to the first 32 bytes of `out_public_key`.
/// A capacity below 32 is `invalid-argument`; a private key of another length is
/// `key-invalid`.
///
/// # Safety
/// `private_key` valid for `private_key_len` bytes; `out_public_key` NULL or writable for
/// `out_public_key_capacity` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_x25519_public_key(
    private_key: *const u8,
    private_key_len: usize,
    out_public_key: *mut u8,
    out_public_key_capacity: usize,
) -> sdm_status {
    guard(|| {
        require_out_buffer(
            out_public_key,
            out_public_key_capacity,
            SDM_KEY_LEN,
            "out_public_key",
        )?;
        // SAFETY: caller contract.
        let private =
            unsafe { key_input::<SDM_KEY_LEN>(private_key, private_key_len, "private_key") }?;
        let public = RecipientKey::from_private_key(private)?.public_key();
        // SAFETY: checked for 32 bytes above.
        unsafe { write_out_buffer(out_public_key, &public) };
        Ok(())
    })
}
