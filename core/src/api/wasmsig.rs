//! Module signatures in the WebAssembly tool-conventions format (`wasmsign2` interoperable):
//! sign, verify, and the Ed25519 key files (`81 ‖ seed ‖ pk` secret, `01 ‖ pk` public, the
//! files `wasmsign2 -k/-K` reads).

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{caps, files};
pub use crate::keys::ed25519::{WasmsigPublicKey, WasmsigSecretKey};
use crate::keys::random::OsRandom;
use crate::wasmsig::{self, SignOptions};
pub use crate::wasmsig::{Signed, VerifyOptions};
use crate::{Error, ErrorCode, Result};

/// What to sign and how.
#[derive(Debug, Clone, Default)]
pub struct SignRequest<'a> {
    pub module: &'a [u8],
    /// Detached signature data to add to (instead of the module's embedded section).
    pub existing_signature: Option<&'a [u8]>,
    /// A key identifier stored with each new signature.
    pub key_id: Option<Vec<u8>>,
    /// Return the signature data alone; the module keeps no `signature` section.
    pub detached: bool,
    /// Split the module into parts first (core sections, then each run of `sds.*` sections),
    /// so it verifies without its bundle and can be extended and signed again.
    pub split_parts: bool,
}

/// Signs a module with every key (at least one). Errors: `invalid-argument` (no key, a key
/// that already signed, a `REC` trailer), `wasm-signature-malformed` (existing signatures),
/// the section walker's codes; the module is at most [`caps::MODULE_BYTES`].
pub fn sign(request: &SignRequest<'_>, keys: &[&WasmsigSecretKey]) -> Result<Signed> {
    caps::check_len("module", request.module.len(), caps::MODULE_BYTES)?;
    let options = SignOptions {
        key_id: request.key_id.clone(),
        detached: request.detached,
        split_parts: request.split_parts,
    };
    wasmsig::sign(
        request.module,
        keys,
        request.existing_signature,
        &options,
        &mut OsRandom,
    )
}

/// How to sign, as the bindings pass it (JSON `{"detached", "splitParts", "keyId"}`, every
/// member optional): the settings of [`SignRequest`] without the module.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignSettings {
    #[serde(default)]
    pub detached: bool,
    #[serde(default)]
    pub split_parts: bool,
    /// Stored with each new signature as its key identifier (UTF-8 bytes), as `sign-wasm --key-id`.
    pub key_id: Option<String>,
}

impl SignSettings {
    /// Strict JSON (unknown members are `invalid-argument`), at most 1 MiB.
    pub fn from_json(text: &str) -> Result<SignSettings> {
        super::authorization::strict_json(text, "wasm signing settings")
    }

    /// The request for `module` (and a detached signature to add to).
    pub fn request<'a>(
        &self,
        module: &'a [u8],
        existing_signature: Option<&'a [u8]>,
    ) -> SignRequest<'a> {
        SignRequest {
            module,
            existing_signature,
            key_id: self.key_id.as_ref().map(|id| id.as_bytes().to_vec()),
            detached: self.detached,
            split_parts: self.split_parts,
        }
    }
}

/// Secret keys given as concatenated 65-byte key pairs (`81 ‖ seed ‖ pk`, the key file
/// format), at least one and at most [`caps::TRUSTED_SIGNERS`]; errors never echo key bytes.
pub fn secret_keys_from_bytes(bytes: &[u8]) -> Result<Vec<WasmsigSecretKey>> {
    const PAIR: usize = 65;
    if bytes.is_empty() || !bytes.len().is_multiple_of(PAIR) {
        return Err(Error::new(
            ErrorCode::KeyInvalid,
            format!(
                "secret keys are concatenated {PAIR}-byte Ed25519 key pairs ({} bytes given)",
                bytes.len()
            ),
        ));
    }
    check_key_count("secret keys", bytes.len() / PAIR)?;
    bytes
        .chunks_exact(PAIR)
        .map(WasmsigSecretKey::from_bytes)
        .collect()
}

/// A trust list given as concatenated 32-byte raw Ed25519 public keys, at most
/// [`caps::TRUSTED_SIGNERS`].
pub fn trusted_keys_from_bytes(bytes: &[u8]) -> Result<Vec<WasmsigPublicKey>> {
    const RAW: usize = 32;
    if !bytes.len().is_multiple_of(RAW) {
        return Err(Error::new(
            ErrorCode::KeyInvalid,
            format!(
                "trusted keys are concatenated {RAW}-byte Ed25519 public keys ({} bytes given)",
                bytes.len()
            ),
        ));
    }
    check_key_count("trusted keys", bytes.len() / RAW)?;
    bytes
        .chunks_exact(RAW)
        .map(WasmsigPublicKey::from_bytes)
        .collect()
}

/// What verified, as every front end prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WasmsigReport {
    /// The trusted keys whose signatures cover the verified parts (64 hex digits each).
    pub signers: Vec<String>,
    pub parts: usize,
    pub verified_parts: usize,
    pub verified_bytes: usize,
    /// Every part is covered (false only with partial verification allowed).
    pub complete: bool,
}

/// Verifies a module's tool-conventions signature (embedded, or `detached`) against `trusted`
/// keys; see [`crate::wasmsig::verify()`] for the codes.
pub fn verify(
    module: &[u8],
    detached: Option<&[u8]>,
    trusted: &[WasmsigPublicKey],
    options: VerifyOptions,
) -> Result<WasmsigReport> {
    caps::check_len("module", module.len(), caps::MODULE_BYTES)?;
    let verified = wasmsig::verify(module, detached, trusted, options)?;
    Ok(WasmsigReport {
        signers: verified
            .signers
            .iter()
            .map(WasmsigPublicKey::to_hex)
            .collect(),
        parts: verified.parts,
        verified_parts: verified.verified_parts,
        verified_bytes: verified.verified_bytes,
        complete: verified.complete,
    })
}

/// Reads an Ed25519 secret key file (65 bytes, `81 ‖ seed ‖ pk`); errors never echo its bytes.
pub fn read_secret_key(path: &Path) -> Result<WasmsigSecretKey> {
    let bytes = zeroize::Zeroizing::new(caps::read_file_capped(path, caps::KEY_FILE_BYTES)?);
    WasmsigSecretKey::from_bytes(&bytes).map_err(|err| err.context(path.display()))
}

/// Writes `key` (0600, atomically) and its public key beside it as `PATH.pub` (33 bytes).
pub fn write_key_pair(path: &Path, key: &WasmsigSecretKey) -> Result<()> {
    files::write_atomic(path, &key.to_bytes(), files::FileMode::Secret)?;
    let mut public = path.as_os_str().to_owned();
    public.push(".pub");
    files::write_atomic(
        Path::new(&public),
        &key.public_key().to_bytes(),
        files::FileMode::Public,
    )
}

/// One trusted Ed25519 key given as text: 64 or 66 hex digits, or the path of a public key
/// file (33 or 32 bytes, or hex text).
pub fn trusted_key(value: &str) -> Result<WasmsigPublicKey> {
    if let Ok(key) = WasmsigPublicKey::from_hex(value) {
        return Ok(key);
    }
    let path = Path::new(value);
    if !path.is_file() {
        return Err(Error::new(
            ErrorCode::KeyInvalid,
            format!(
                "trusted key {value}: not an Ed25519 public key (64 or 66 hex digits) nor a file"
            ),
        ));
    }
    let bytes = caps::read_file_capped(path, caps::KEY_FILE_BYTES)?;
    WasmsigPublicKey::from_bytes(&bytes)
        .or_else(|_| {
            std::str::from_utf8(&bytes)
                .map_err(|_| Error::new(ErrorCode::KeyInvalid, "not a public key file"))
                .and_then(WasmsigPublicKey::from_hex)
        })
        .map_err(|err| err.context(path.display()))
}

/// A trust list given as text values (see [`trusted_key`]), at most [`caps::TRUSTED_SIGNERS`].
pub fn trusted_keys<S: AsRef<str>>(values: &[S]) -> Result<Vec<WasmsigPublicKey>> {
    check_key_count("trusted keys", values.len())?;
    values.iter().map(|v| trusted_key(v.as_ref())).collect()
}

fn check_key_count(what: &str, count: usize) -> Result<()> {
    if count > caps::TRUSTED_SIGNERS {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!(
                "{count} {what} is above the cap of {}",
                caps::TRUSTED_SIGNERS
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_files_round_trip_and_trust_lists_take_hex_or_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("signer.key");
        let key = WasmsigSecretKey::from_seed(&[3; 32]);
        write_key_pair(&path, &key).unwrap();
        assert_eq!(
            read_secret_key(&path).unwrap().public_key(),
            key.public_key()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let public = dir.path().join("signer.key.pub");
        let trusted =
            trusted_keys(&[public.display().to_string(), key.public_key().to_hex()]).unwrap();
        assert_eq!(trusted, [key.public_key(), key.public_key()]);
        let error = trusted_key("nope").unwrap_err();
        assert_eq!(error.code(), ErrorCode::KeyInvalid);
        std::fs::write(dir.path().join("bad.key"), [0x81u8; 10]).unwrap();
        let error = read_secret_key(&dir.path().join("bad.key")).unwrap_err();
        assert_eq!(error.code(), ErrorCode::KeyInvalid);
        assert!(!error.to_string().contains("818181"), "{error}");
    }
}
