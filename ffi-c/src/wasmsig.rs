//! Module signatures in the WebAssembly tool-conventions format over C (docs/wasmsig.md):
//! sign, verify, and the loader requiring such a signature beside the PNM signature. Keys,
//! settings and checks are core's (`api::wasmsig`).

use space_data_module::api::wasmsig::{self, SignSettings, VerifyOptions};

use crate::boundary::{guard, invalid_argument, sdm_status};
use crate::bytes::{
    input, optional_input, require_out, sdm_bytes, to_json_bytes, utf8_input, write_out,
};
use crate::verified::{run_loader, sdm_verified};

/// `sdm_wasm_verify` flag: accept a module of which only a prefix is signed (sections appended
/// after signing); the report's `complete` is then false.
pub const SDM_WASM_VERIFY_ALLOW_PARTIAL: u32 = 1;

/// Signs `module` with every key in `secret_keys` (concatenated 65-byte Ed25519 key pairs
/// `81 ‖ seed ‖ pk`, the `keygen --kind ed25519` file format; at least one).
///
/// `existing_signature`: detached signature data to add the new signatures to (NULL with
/// length 0: none; an embedded `signature` section is extended instead). `settings_json`:
/// optional (NULL with length 0) `{"detached", "splitParts", "keyId"}`, as `sign-wasm`'s
/// `--detached`, `--split-parts` and `--key-id`.
///
/// On success `out_signed` holds the signed module, or with `"detached": true` the signature
/// data alone (the module is then left as it is, but for the delimiters `splitParts` adds:
/// sign without `splitParts` to keep it unchanged). Codes: `key-invalid`, `invalid-argument`
/// (a key that already signed, a module ending in a `REC` trailer), `wasm-signature-malformed`.
///
/// # Safety
/// Inputs valid for their lengths; `out_signed` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_wasm_sign(
    module: *const u8,
    module_len: usize,
    secret_keys: *const u8,
    secret_keys_len: usize,
    existing_signature: *const u8,
    existing_signature_len: usize,
    settings_json: *const u8,
    settings_json_len: usize,
    out_signed: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_signed, "out_signed")?;
        // SAFETY: caller contract.
        let module = unsafe { input(module, module_len, "module") }?;
        // SAFETY: caller contract; borrowed, so no copy of the secret is left behind.
        let keys = wasmsig::secret_keys_from_bytes(unsafe {
            input(secret_keys, secret_keys_len, "secret_keys")
        }?)?;
        // SAFETY: caller contract.
        let existing = unsafe {
            optional_input(
                existing_signature,
                existing_signature_len,
                "existing_signature",
            )
        }?;
        let settings = if settings_json.is_null() && settings_json_len == 0 {
            SignSettings::default()
        } else {
            // SAFETY: caller contract.
            SignSettings::from_json(unsafe {
                utf8_input(settings_json, settings_json_len, "settings_json")
            }?)?
        };
        let keys: Vec<_> = keys.iter().collect();
        let signed = wasmsig::sign(&settings.request(module, existing), &keys)?;
        let bytes = if settings.detached {
            signed.signature
        } else {
            signed.module
        };
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_signed, sdm_bytes::from_vec(bytes)) };
        Ok(())
    })
}

/// Verifies a module's tool-conventions signature (embedded, or `detached_signature`; NULL
/// with length 0: embedded) against `trusted_keys` (concatenated 32-byte Ed25519 public keys).
/// `flags`: 0 or `SDM_WASM_VERIFY_ALLOW_PARTIAL`.
///
/// On success `out_report_json` holds `{"signers", "parts", "verifiedParts", "verifiedBytes",
/// "complete"}` (docs/schemas/wasmsig-report.schema.json). Refusals: `wasm-signature-missing`,
/// `-malformed`, `-untrusted`, `-mismatch`, `-partial`.
///
/// # Safety
/// Inputs valid for their lengths; `out_report_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_wasm_verify(
    module: *const u8,
    module_len: usize,
    detached_signature: *const u8,
    detached_signature_len: usize,
    trusted_keys: *const u8,
    trusted_keys_len: usize,
    flags: u32,
    out_report_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_report_json, "out_report_json")?;
        if flags & !SDM_WASM_VERIFY_ALLOW_PARTIAL != 0 {
            return Err(invalid_argument(format!("unknown flags {flags:#x}")));
        }
        // SAFETY: caller contract.
        let module = unsafe { input(module, module_len, "module") }?;
        // SAFETY: caller contract.
        let detached = unsafe {
            optional_input(
                detached_signature,
                detached_signature_len,
                "detached_signature",
            )
        }?;
        // SAFETY: caller contract.
        let trusted = wasmsig::trusted_keys_from_bytes(unsafe {
            input(trusted_keys, trusted_keys_len, "trusted_keys")
        }?)?;
        let report = wasmsig::verify(
            module,
            detached,
            &trusted,
            VerifyOptions {
                allow_partial: flags & SDM_WASM_VERIFY_ALLOW_PARTIAL != 0,
            },
        )?;
        let json = to_json_bytes(&report)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_report_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}

/// `sdm_verify` that also requires the opened wasm to carry a complete tool-conventions
/// signature by one of `wasm_signers` (concatenated 32-byte Ed25519 public keys, at least
/// one), checked after the PNM signature and decryption. Other arguments and `flags` as
/// `sdm_verify`; a missing or untrusted signature is its `wasm-signature-*` status.
///
/// # Safety
/// Inputs valid for their lengths; `out_verified` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_verify_wasm_signed(
    artifact: *const u8,
    artifact_len: usize,
    trusted_signers: *const u8,
    trusted_signers_len: usize,
    recipient_private_key: *const u8,
    recipient_private_key_len: usize,
    wasm_signers: *const u8,
    wasm_signers_len: usize,
    flags: u32,
    out_verified: *mut *mut sdm_verified,
) -> sdm_status {
    // Read inside the loader's boundary, after the arguments before it were checked.
    let wasm_signers = || {
        // SAFETY: caller contract.
        let bytes = unsafe { input(wasm_signers, wasm_signers_len, "wasm_signers") }?;
        wasmsig::trusted_keys_from_bytes(bytes)
    };
    // SAFETY: forwarded caller contract.
    unsafe {
        run_loader(
            artifact,
            artifact_len,
            trusted_signers,
            trusted_signers_len,
            recipient_private_key,
            recipient_private_key_len,
            flags,
            wasm_signers,
            out_verified,
        )
    }
}
