//! Deployment authorizations (spec 11): create + sign an envelope, and verify one against
//! trusted signers with a clock, a skew window and expectations. Mirrors the CLI verbs
//! `authorize` and `verify-authorization`; the option types and checks are core's
//! (`api::authorization`).

use space_data_module::api::authorization::{
    self, AuthorizationOptions, SignerInfo, VerifyRequest,
};
use space_data_module::api::keys::SigningKey;

use crate::boundary::{guard, sdm_status};
use crate::bytes::{
    input, json_bytes, key_input, optional_input, require_out, sdm_bytes, to_json_bytes,
    utf8_input, write_out,
};
use crate::publication::{SDM_KEY_LEN, parse_trusted_signers};

/// Creates a deployment authorization and signs it (spec 11.2 and 11.4), as the CLI's
/// `authorize`.
///
/// `options_json`: the reference's `createDeploymentAuthorization` options (`artifact`,
/// `artifactId`, `programId`, `graphHash`, `manifestHash`, `target`, `capabilities`,
/// `issuedAt`, `ttlMs`, `nonce`, `constraints`); `issuedAt` defaults to the system clock,
/// `ttlMs` to 300000, `nonce` to 16 random bytes. `signing_private_key`: 32-byte secp256k1
/// scalar (another length, or a scalar not in [1, n-1], is `key-invalid`). `signer_json`: optional (NULL with length 0) `{"derivationPath", "keyId"}` copied
/// into the unsigned `protected` header.
///
/// On success `out_envelope_json` holds the envelope
/// `{"protected": {...}, "payload": {...}, "signatureHex"}` (docs/c-abi.md).
///
/// # Safety
/// Inputs valid for their lengths; `out_envelope_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_authorization_create(
    options_json: *const u8,
    options_json_len: usize,
    signing_private_key: *const u8,
    signing_private_key_len: usize,
    signer_json: *const u8,
    signer_json_len: usize,
    out_envelope_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_envelope_json, "out_envelope_json")?;
        // SAFETY: caller contract.
        let options = unsafe { utf8_input(options_json, options_json_len, "options_json") }?;
        let options = AuthorizationOptions::from_json(options)?;
        // SAFETY: caller contract; borrowed, so no copy of the secret is left behind.
        let private = unsafe {
            key_input::<SDM_KEY_LEN>(
                signing_private_key,
                signing_private_key_len,
                "signing_private_key",
            )
        }?;
        // SAFETY: caller contract.
        let signer_info =
            match unsafe { optional_input(signer_json, signer_json_len, "signer_json") }? {
                Some(bytes) => Some(SignerInfo::from_json(utf8(bytes, "signer_json")?)?),
                None => None,
            };
        let key = SigningKey::from_private_key(private)?;
        // Without signer JSON the header names no path: a raw key was not derived.
        let signer_info = signer_info.unwrap_or_default();
        let envelope = authorization::create(&options, &key, Some(&signer_info))?;
        let json = json_bytes(&envelope)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_envelope_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}

/// Verifies a deployment authorization envelope (spec 11.7), as the CLI's
/// `verify-authorization`: first failure wins (shape 611, algorithm 604, untrusted signer 612,
/// expired / not yet valid 613, signature 614, expectations 615).
///
/// `trusted_signers`: concatenated 33-byte compressed secp256k1 public keys (as `sdm_open`).
/// `options_json`: optional (NULL with length 0) `{"now", "clockSkewMs", "artifact",
/// "target", "requiredCapabilities"}`: `now` in ms since the epoch (default: the system
/// clock), `clockSkewMs` (default 0), and the expectations of the reference's
/// `assertDeploymentAuthorization` (`artifact` with `artifactId` / `programId` / `graphHash` /
/// `manifestHash`; `target` string or `{id, audience}`; `requiredCapabilities` array).
///
/// On success `out_result_json` holds `{"signerPublicKeyHex", "payload"}`.
///
/// # Safety
/// Inputs valid for their lengths; `out_result_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_authorization_verify(
    envelope_json: *const u8,
    envelope_json_len: usize,
    trusted_signers: *const u8,
    trusted_signers_len: usize,
    options_json: *const u8,
    options_json_len: usize,
    out_result_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_result_json, "out_result_json")?;
        // SAFETY: caller contract.
        let envelope = unsafe { input(envelope_json, envelope_json_len, "envelope_json") }?;
        // SAFETY: caller contract.
        let trusted = unsafe { parse_trusted_signers(trusted_signers, trusted_signers_len) }?;
        // SAFETY: caller contract.
        let request =
            match unsafe { optional_input(options_json, options_json_len, "options_json") }? {
                Some(bytes) => VerifyRequest::from_json(utf8(bytes, "options_json")?)?,
                None => VerifyRequest::default(),
            };
        let verified = authorization::verify(utf8(envelope, "envelope_json")?, &trusted, &request)?;
        let json = to_json_bytes(&verified)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_result_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}

fn utf8<'a>(bytes: &'a [u8], what: &str) -> space_data_module::Result<&'a str> {
    std::str::from_utf8(bytes)
        .map_err(|_| crate::boundary::invalid_argument(format!("{what} is not UTF-8")))
}
