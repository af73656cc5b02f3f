//! Deployment authorizations (spec 11): create + sign an envelope, and verify one against
//! trusted signers with a clock, a skew window and expectations. Mirrors the CLI verbs
//! `authorize` and `verify-authorization`.

use serde_json::{Map, Value, json};
use space_data_module::ErrorCode;
use space_data_module::auth::{
    Expectations, SignerHeader, VerifyOptions, create_authorization, sign_authorization,
    verify_authorization,
};
use space_data_module::keys::random::OsRandom;
use space_data_module::keys::signing::Signer;
use space_data_module::{Error, Result};

use crate::boundary::{guard, invalid_argument, sdm_status};
use crate::bytes::{input, json_bytes, optional_input, require_out, sdm_bytes, write_out};
use crate::publication::{SDM_KEY_LEN, now_ms, parse_trusted_signers};

/// Members accepted in the signer JSON of `sdm_authorization_create`.
const SIGNER_MEMBERS: [&str; 2] = ["derivationPath", "keyId"];
/// Members accepted in the options JSON of `sdm_authorization_verify`.
const VERIFY_MEMBERS: [&str; 5] = [
    "now",
    "clockSkewMs",
    "artifact",
    "target",
    "requiredCapabilities",
];

/// Parses optional JSON text (NULL with length 0: absent) that must be an object whose keys
/// are all in `allowed`: a typo such as `nowMs` is an error, never silently ignored.
fn optional_object(
    text: Option<&[u8]>,
    what: &str,
    allowed: &[&str],
) -> Result<Map<String, Value>> {
    let Some(text) = text else {
        return Ok(Map::new());
    };
    let value = space_data_module::js::parse_json_bytes(text)?;
    let Value::Object(map) = value else {
        return Err(Error::new(
            ErrorCode::InvalidJson,
            format!("{what} must be a JSON object"),
        ));
    };
    if let Some(unknown) = map.keys().find(|key| !allowed.contains(&key.as_str())) {
        return Err(invalid_argument(format!(
            "{what}: unknown member \"{unknown}\" (accepted: {})",
            allowed.join(", ")
        )));
    }
    Ok(map)
}

/// An optional string-or-null member.
fn optional_string(map: &Map<String, Value>, key: &str, what: &str) -> Result<Option<String>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(invalid_argument(format!(
            "{what}.{key} must be a string or null"
        ))),
    }
}

/// An optional finite number member (milliseconds).
fn optional_ms(map: &Map<String, Value>, key: &str) -> Result<Option<f64>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_f64()
            .filter(|ms| ms.is_finite())
            .map(Some)
            .ok_or_else(|| invalid_argument(format!("options.{key} must be a number (ms)"))),
    }
}

/// Creates a deployment authorization and signs it (spec 11.2 and 11.4), as the CLI's
/// `authorize`.
///
/// `options_json`: the reference's `createDeploymentAuthorization` options (`artifact`,
/// `artifactId`, `programId`, `graphHash`, `manifestHash`, `target`, `capabilities`,
/// `issuedAt`, `ttlMs`, `nonce`, `constraints`); `issuedAt` defaults to the system clock,
/// `ttlMs` to 300000, `nonce` to 16 random bytes. `signing_private_key`: 32-byte secp256k1
/// scalar. `signer_json`: optional (NULL with length 0) `{"derivationPath", "keyId"}` copied
/// into the unsigned `protected` header.
///
/// On success `out_envelope_json` holds the envelope
/// `{"protected": {...}, "payload": {...}, "signatureHex"}` (docs/c-abi.md).
///
/// # Safety
/// Inputs valid for their lengths (key: 32 bytes); `out_envelope_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_authorization_create(
    options_json: *const u8,
    options_json_len: usize,
    signing_private_key: *const u8,
    signer_json: *const u8,
    signer_json_len: usize,
    out_envelope_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_envelope_json, "out_envelope_json")?;
        // SAFETY: caller contract.
        let options = unsafe { input(options_json, options_json_len, "options_json") }?;
        // SAFETY: caller contract (32 bytes); borrowed, so no copy of the secret is left behind.
        let private = unsafe { input(signing_private_key, SDM_KEY_LEN, "signing_private_key") }?;
        // SAFETY: caller contract.
        let signer_text = unsafe { optional_input(signer_json, signer_json_len, "signer_json") }?;
        let signer_members = optional_object(signer_text, "signer_json", &SIGNER_MEMBERS)?;
        let header = SignerHeader {
            derivation_path: optional_string(&signer_members, "derivationPath", "signer_json")?,
            key_id: optional_string(&signer_members, "keyId", "signer_json")?,
        };
        let options = space_data_module::js::parse_json_bytes(options)?;
        if !options.is_object() {
            return Err(Error::new(
                ErrorCode::InvalidJson,
                "options_json must be a JSON object",
            ));
        }
        let signer = Signer::from_private_key(private)?;
        let payload = create_authorization(&options, now_ms()? as f64, &mut OsRandom)?;
        let envelope = sign_authorization(&payload, &signer, &header)?;
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
        let options_text =
            unsafe { optional_input(options_json, options_json_len, "options_json") }?;
        let options = optional_object(options_text, "options_json", &VERIFY_MEMBERS)?;
        let member = |key: &str| options.get(key).cloned().unwrap_or(Value::Null);
        let expectations = Expectations {
            artifact: member("artifact"),
            target: member("target"),
            required_capabilities: member("requiredCapabilities"),
        };
        let clock = VerifyOptions {
            now_ms: match optional_ms(&options, "now")? {
                Some(now) => now,
                None => now_ms()? as f64,
            },
            clock_skew_ms: optional_ms(&options, "clockSkewMs")?.unwrap_or(0.0),
        };
        let envelope = space_data_module::js::parse_json_bytes(envelope)?;
        let verified = verify_authorization(&envelope, &trusted, clock, &expectations)?;
        let result = json!({
            "signerPublicKeyHex": verified.signer.to_hex(),
            "payload": verified.payload,
        });
        let json = json_bytes(&result)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_result_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}
