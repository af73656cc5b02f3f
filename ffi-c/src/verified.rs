//! Fail-closed loading over C: `sdm_verified` is what `sdm_module_load` and the runtime host's
//! module install take, and only `sdm_verify` (the loader) creates one.

use space_data_module::api::keys::{self, RecipientKey};
use space_data_module::api::publication::{self, OpenRequest};
use space_data_module::api::wasmsig::WasmsigPublicKey;
use space_data_module::publication::VerifiedModule;

use crate::boundary::{guard, invalid_argument, sdm_status};
use crate::bytes::{input, optional_input, require_out, sdm_bytes, write_out};

/// `sdm_verify` flag: accept an artifact without trailer or signature (plain wasm). A trailer
/// that is present must still verify.
pub const SDM_VERIFY_ALLOW_UNSIGNED: u32 = 1;

/// A module that passed the fail-closed loader: plain wasm and the capability ceiling its
/// verified manifest declares. Create with `sdm_verify`, release with `sdm_verified_free`.
/// Immutable: may be shared between threads.
#[allow(non_camel_case_types)]
pub struct sdm_verified {
    pub(crate) module: VerifiedModule,
}

/// # Safety
/// `verified` is NULL or a live handle.
pub(crate) unsafe fn verified_ref<'a>(
    verified: *const sdm_verified,
) -> space_data_module::Result<&'a VerifiedModule> {
    // SAFETY: caller contract.
    unsafe { verified.as_ref() }
        .map(|handle| &handle.module)
        .ok_or_else(|| invalid_argument("verified is NULL"))
}

/// The trust list and recipient key of a loader call, as the API takes them.
///
/// # Safety
/// Inputs NULL (with length 0) or valid for their lengths.
pub(crate) unsafe fn loader_inputs(
    trusted_signers: *const u8,
    trusted_signers_len: usize,
    recipient_private_key: *const u8,
    recipient_private_key_len: usize,
) -> space_data_module::Result<(
    Vec<space_data_module::keys::signing::PublicKey>,
    Option<RecipientKey>,
)> {
    // SAFETY: caller contract.
    let trusted =
        match unsafe { optional_input(trusted_signers, trusted_signers_len, "trusted_signers") }? {
            Some(bytes) => keys::trusted_signers_from_bytes(bytes)?,
            None => Vec::new(),
        };
    // SAFETY: caller contract; the key is borrowed, never copied here.
    let recipient = unsafe {
        optional_input(
            recipient_private_key,
            recipient_private_key_len,
            "recipient_private_key",
        )
    }?
    .map(RecipientKey::from_private_key)
    .transpose()?;
    Ok((trusted, recipient))
}

/// Runs the fail-closed loader (spec 12) and, when every step passed, writes the verified
/// module to `out_verified`. `trusted_signers`: concatenated 33-byte compressed secp256k1 keys
/// (NULL with 0: none); `recipient_private_key`: the 32-byte X25519 key of an encrypted
/// artifact (NULL with 0: none); `flags`: 0 or `SDM_VERIFY_ALLOW_UNSIGNED`. A refusal is its
/// error status (e.g. `signature-invalid`); `sdm_open_report` gives the partial report.
///
/// # Safety
/// Inputs valid for their lengths; `out_verified` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_verify(
    artifact: *const u8,
    artifact_len: usize,
    trusted_signers: *const u8,
    trusted_signers_len: usize,
    recipient_private_key: *const u8,
    recipient_private_key_len: usize,
    flags: u32,
    out_verified: *mut *mut sdm_verified,
) -> sdm_status {
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
            || Ok(Vec::new()),
            out_verified,
        )
    }
}

/// The body of `sdm_verify` and `sdm_verify_wasm_signed`: arguments checked in order (out-param,
/// flags, artifact, keys, then `wasm_signers`), the loader run, the handle written on success.
///
/// # Safety
/// As `sdm_verify`.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn run_loader(
    artifact: *const u8,
    artifact_len: usize,
    trusted_signers: *const u8,
    trusted_signers_len: usize,
    recipient_private_key: *const u8,
    recipient_private_key_len: usize,
    flags: u32,
    wasm_signers: impl FnOnce() -> space_data_module::Result<Vec<WasmsigPublicKey>>,
    out_verified: *mut *mut sdm_verified,
) -> sdm_status {
    guard(|| {
        require_out(out_verified, "out_verified")?;
        if flags & !SDM_VERIFY_ALLOW_UNSIGNED != 0 {
            return Err(invalid_argument(format!("unknown flags {flags:#x}")));
        }
        // SAFETY: caller contract.
        let artifact = unsafe { input(artifact, artifact_len, "artifact") }?;
        // SAFETY: caller contract.
        let (trusted, recipient) = unsafe {
            loader_inputs(
                trusted_signers,
                trusted_signers_len,
                recipient_private_key,
                recipient_private_key_len,
            )
        }?;
        let module = publication::open(
            artifact,
            &OpenRequest {
                trusted_signers: trusted,
                decrypt_with: recipient.as_ref(),
                allow_unsigned: flags & SDM_VERIFY_ALLOW_UNSIGNED != 0,
                wasm_signers: wasm_signers()?,
            },
        )?
        .into_result()?;
        let handle = Box::into_raw(Box::new(sdm_verified { module }));
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_verified, handle) };
        Ok(())
    })
}

/// A copy of the verified module's plain wasm.
///
/// # Safety
/// `verified` NULL or live; `out_wasm` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_verified_wasm(
    verified: *const sdm_verified,
    out_wasm: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_wasm, "out_wasm")?;
        // SAFETY: caller contract.
        let module = unsafe { verified_ref(verified) }?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_wasm, sdm_bytes::from_vec(module.wasm().to_vec())) };
        Ok(())
    })
}

/// Releases a verified module. Accepts NULL.
///
/// # Safety
/// `verified` is NULL or a handle from `sdm_verify` not yet freed and not in use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_verified_free(verified: *mut sdm_verified) {
    // SAFETY: caller contract; the handle came from `Box::into_raw` in `sdm_verify`.
    unsafe { crate::boundary::free_handle(verified) }
}
