//! Key material on disk and on the command line, shared by the publication verbs.
//!
//! File formats (documented in `docs/keys.md`):
//! - mnemonic file: UTF-8 text holding a BIP-39 English mnemonic (surrounding whitespace ignored);
//! - signing key file: JSON `{"type":"secp256k1-signing-key","privateKeyHex":<64 hex>,
//!   "publicKeyHex":<66 hex>,"derivationPath":<path or null>}`;
//! - recipient key file: JSON `{"type":"x25519-private-key","privateKeyHex":<64 hex>,
//!   "publicKeyHex":<64 hex>}`.
//!
//! Secret files are written with mode 0600 through a temporary file and a rename.

use std::io::Write;
use std::path::Path;

use serde_json::Value;
use space_data_module::keys::signing::{PublicKey, Signer};
use space_data_module::keys::x25519::X25519PrivateKey;
use space_data_module::{Error, ErrorCode};
use zeroize::Zeroizing;

pub const SIGNING_KEY_TYPE: &str = "secp256k1-signing-key";
pub const RECIPIENT_KEY_TYPE: &str = "x25519-private-key";

/// Environment variable read for the mnemonic when no `--mnemonic-file` is given.
pub const MNEMONIC_ENV: &str = "SPACE_DATA_MODULE_MNEMONIC";

fn io_error(path: &Path, err: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Io, format!("{}: {err}", path.display()))
}

/// Reads a secret text file into zeroizing memory.
pub fn read_secret_text(path: &Path) -> Result<Zeroizing<String>, Error> {
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|err| io_error(path, err))?);
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        Error::new(
            ErrorCode::KeyInvalid,
            format!("{} is not UTF-8 text", path.display()),
        )
    })?;
    Ok(Zeroizing::new(text.to_owned()))
}

/// The signer from `--mnemonic-file`, else from the environment variable; `None` when neither.
pub fn signer_from_mnemonic_source(mnemonic_file: Option<&Path>) -> Result<Option<Signer>, Error> {
    if let Some(path) = mnemonic_file {
        let phrase = read_secret_text(path)?;
        return Signer::from_mnemonic(&phrase)
            .map(Some)
            .map_err(|err| err.context(path.display()));
    }
    match std::env::var(MNEMONIC_ENV) {
        Ok(phrase) => {
            let phrase = Zeroizing::new(phrase);
            Signer::from_mnemonic(&phrase)
                .map(Some)
                .map_err(|err| err.context(MNEMONIC_ENV))
        }
        Err(_) => Ok(None),
    }
}

fn read_key_json(path: &Path, expected_type: &str) -> Result<(Zeroizing<String>, Value), Error> {
    let text = read_secret_text(path)?;
    let value: Value = serde_json::from_str(&text).map_err(|_| {
        Error::new(
            ErrorCode::KeyInvalid,
            format!("{} is not a JSON key file", path.display()),
        )
    })?;
    if value.get("type").and_then(Value::as_str) != Some(expected_type) {
        return Err(Error::new(
            ErrorCode::KeyInvalid,
            format!("{} is not a {expected_type} file", path.display()),
        ));
    }
    let private = value
        .get("privateKeyHex")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            Error::new(
                ErrorCode::KeyInvalid,
                format!("{} lacks privateKeyHex", path.display()),
            )
        })?;
    Ok((Zeroizing::new(private.to_owned()), value))
}

/// Reads a signing key file.
pub fn read_signing_key(path: &Path) -> Result<(Signer, Option<String>), Error> {
    let (private, value) = read_key_json(path, SIGNING_KEY_TYPE)?;
    let bytes = Zeroizing::new(hex::decode(private.as_str()).map_err(|_| {
        Error::new(
            ErrorCode::KeyInvalid,
            format!("{}: privateKeyHex is not hex", path.display()),
        )
    })?);
    let signer = Signer::from_private_key(&bytes).map_err(|err| err.context(path.display()))?;
    let path_text = value
        .get("derivationPath")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok((signer, path_text))
}

/// Reads a recipient (X25519) key file.
pub fn read_recipient_key(path: &Path) -> Result<X25519PrivateKey, Error> {
    let (private, _) = read_key_json(path, RECIPIENT_KEY_TYPE)?;
    X25519PrivateKey::from_hex(&private).map_err(|err| err.context(path.display()))
}

/// A `--trust` value: a hex public key, or a file holding one (plain hex or a key file JSON with
/// `publicKeyHex`).
pub fn trusted_key(value: &str) -> Result<PublicKey, Error> {
    if let Ok(key) = PublicKey::from_hex(value) {
        return Ok(key);
    }
    let path = Path::new(value);
    if !path.is_file() {
        return Err(Error::new(
            ErrorCode::KeyInvalid,
            format!(
                "--trust {value}: not a secp256k1 public key (66 or 130 hex digits) nor a file"
            ),
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|err| io_error(path, err))?;
    let hex_text = match serde_json::from_str::<Value>(&text) {
        Ok(value) => value
            .get("publicKeyHex")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_default(),
        Err(_) => text.trim().to_owned(),
    };
    PublicKey::from_hex(&hex_text).map_err(|err| err.context(path.display()))
}

/// Writes secret bytes atomically with mode 0600 (temporary file in the same directory,
/// permissions set before any byte is written, fsync, rename). No partial file is ever left.
pub fn write_secret_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|err| io_error(path, err))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|err| io_error(path, err))?;
    }
    tmp.write_all(bytes).map_err(|err| io_error(path, err))?;
    tmp.as_file()
        .sync_all()
        .map_err(|err| io_error(path, err))?;
    tmp.persist(path).map_err(|err| io_error(path, err.error))?;
    Ok(())
}

/// The JSON text of a signing key file (built by hand so no unzeroized copy of the key remains).
pub fn signing_key_file(signer: &Signer, derivation_path: Option<&str>) -> Zeroizing<String> {
    let private = Zeroizing::new(hex::encode(*signer.private_key_bytes()));
    let path = derivation_path.map_or("null".to_owned(), |p| Value::from(p).to_string());
    Zeroizing::new(format!(
        "{{\n  \"type\": \"{SIGNING_KEY_TYPE}\",\n  \"privateKeyHex\": \"{}\",\n  \"publicKeyHex\": \"{}\",\n  \"derivationPath\": {path}\n}}\n",
        private.as_str(),
        signer.public_key_hex(),
    ))
}

/// The JSON text of a recipient key file.
pub fn recipient_key_file(key: &X25519PrivateKey) -> Zeroizing<String> {
    let private = Zeroizing::new(hex::encode(*key.to_bytes()));
    Zeroizing::new(format!(
        "{{\n  \"type\": \"{RECIPIENT_KEY_TYPE}\",\n  \"privateKeyHex\": \"{}\",\n  \"publicKeyHex\": \"{}\"\n}}\n",
        private.as_str(),
        hex::encode(key.public_key()),
    ))
}
