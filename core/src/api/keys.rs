//! Key material for every front end: generation, the key-file format, trusted-signer lists.
//!
//! File formats (docs/keys.md), JSON written with 2-space indentation and a final newline:
//! - signing key: `{"type":"secp256k1-signing-key","privateKeyHex":<64 hex>,
//!   "publicKeyHex":<66 hex>,"derivationPath":<path or null>}`;
//! - recipient key: `{"type":"x25519-private-key","privateKeyHex":<64 hex>,"publicKeyHex":<64 hex>}`;
//! - mnemonic file: UTF-8 text holding a BIP-39 English mnemonic (surrounding whitespace ignored).
//!
//! Secrets are held in zeroizing memory; key files are written 0600 through
//! [`crate::api::files::write_atomic`]. Every binding reads and writes the same files.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::caps;
use super::files::{FileMode, write_atomic};
use crate::keys::random::OsRandom;
use crate::keys::signing::{PublicKey, SIGNING_PATH, Signer, generate_mnemonic};
use crate::keys::x25519::X25519PrivateKey;
use crate::{Error, ErrorCode, Result};

pub const SIGNING_KEY_TYPE: &str = "secp256k1-signing-key";
pub const RECIPIENT_KEY_TYPE: &str = "x25519-private-key";

/// The on-disk shape of a key file (both kinds; `derivationPath` only for signing keys).
/// The private key is zeroized when the value is dropped.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyFile {
    #[serde(rename = "type")]
    pub kind: String,
    pub private_key_hex: String,
    pub public_key_hex: String,
    /// Signing keys only: `Some(None)` is written as `null` (a key that was not derived);
    /// recipient key files have no such member (`None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derivation_path: Option<Option<String>>,
}

impl Drop for KeyFile {
    fn drop(&mut self) {
        self.private_key_hex.zeroize();
    }
}

/// A signing key with the derivation path it came from (when known). `Debug` shows only the
/// public key.
#[derive(Debug)]
pub struct SigningKey {
    pub signer: Signer,
    pub derivation_path: Option<String>,
}

impl SigningKey {
    /// A fresh key from a fresh 12-word mnemonic; returns the mnemonic too (the only time it
    /// exists: show it to the user or drop it).
    pub fn generate() -> Result<(SigningKey, Zeroizing<String>)> {
        let phrase = generate_mnemonic(&mut OsRandom)?;
        let key = SigningKey::from_mnemonic(&phrase)?;
        Ok((key, phrase))
    }

    /// A fresh key from 32 random bytes (not derived: no mnemonic can restore it).
    pub fn random() -> Result<SigningKey> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        crate::keys::random::RandomSource::fill(&mut OsRandom, &mut bytes[..])?;
        SigningKey::from_private_key(&bytes[..])
    }

    /// A fresh BIP-39 mnemonic (12 words), for a key derived later.
    pub fn generate_mnemonic() -> Result<Zeroizing<String>> {
        generate_mnemonic(&mut OsRandom)
    }

    /// The key at m/44'/0'/0'/0/0 of a BIP-39 mnemonic.
    pub fn from_mnemonic(phrase: &str) -> Result<SigningKey> {
        Ok(SigningKey {
            signer: Signer::from_mnemonic(phrase.trim())?,
            derivation_path: Some(SIGNING_PATH.to_owned()),
        })
    }

    /// A raw 32-byte secp256k1 scalar (`key-invalid` for any other length or value).
    pub fn from_private_key(bytes: &[u8]) -> Result<SigningKey> {
        Ok(SigningKey {
            signer: Signer::from_private_key(bytes)?,
            derivation_path: None,
        })
    }

    pub fn public_key_hex(&self) -> String {
        self.signer.public_key_hex()
    }

    /// The key-file text.
    pub fn to_file_text(&self) -> Result<Zeroizing<String>> {
        let file = KeyFile {
            kind: SIGNING_KEY_TYPE.to_owned(),
            private_key_hex: hex::encode(*self.signer.private_key_bytes()),
            public_key_hex: self.signer.public_key_hex(),
            derivation_path: Some(self.derivation_path.clone()),
        };
        key_file_text(&file)
    }

    /// Parses key-file text.
    pub fn from_file_text(text: &str) -> Result<SigningKey> {
        let file = parse_key_file(text, SIGNING_KEY_TYPE)?;
        let bytes = Zeroizing::new(
            hex::decode(&file.private_key_hex)
                .map_err(|_| key_invalid("privateKeyHex is not hex"))?,
        );
        let signer = Signer::from_private_key(&bytes)?;
        check_public(&file, &signer.public_key_hex())?;
        Ok(SigningKey {
            signer,
            derivation_path: file.derivation_path.clone().flatten(),
        })
    }

    pub fn read_file(path: &Path) -> Result<SigningKey> {
        let text = read_secret_text(path)?;
        SigningKey::from_file_text(&text).map_err(|err| err.context(path.display()))
    }

    pub fn write_file(&self, path: &Path) -> Result<()> {
        write_atomic(path, self.to_file_text()?.as_bytes(), FileMode::Secret)
    }
}

/// An X25519 recipient key (what an encrypted artifact is opened with). `Debug` shows only
/// the public key.
#[derive(Debug)]
pub struct RecipientKey {
    pub key: X25519PrivateKey,
}

impl RecipientKey {
    pub fn generate() -> Result<RecipientKey> {
        Ok(RecipientKey {
            key: X25519PrivateKey::generate(&mut OsRandom)?,
        })
    }

    pub fn from_private_key(bytes: &[u8]) -> Result<RecipientKey> {
        Ok(RecipientKey {
            key: X25519PrivateKey::from_slice(bytes)?,
        })
    }

    pub fn public_key(&self) -> [u8; 32] {
        self.key.public_key()
    }

    pub fn public_key_hex(&self) -> String {
        hex::encode(self.key.public_key())
    }

    pub fn to_file_text(&self) -> Result<Zeroizing<String>> {
        let file = KeyFile {
            kind: RECIPIENT_KEY_TYPE.to_owned(),
            private_key_hex: hex::encode(*self.key.to_bytes()),
            public_key_hex: self.public_key_hex(),
            derivation_path: None,
        };
        key_file_text(&file)
    }

    pub fn from_file_text(text: &str) -> Result<RecipientKey> {
        let file = parse_key_file(text, RECIPIENT_KEY_TYPE)?;
        let key = X25519PrivateKey::from_hex(&file.private_key_hex)?;
        check_public(&file, &hex::encode(key.public_key()))?;
        Ok(RecipientKey { key })
    }

    pub fn read_file(path: &Path) -> Result<RecipientKey> {
        let text = read_secret_text(path)?;
        RecipientKey::from_file_text(&text).map_err(|err| err.context(path.display()))
    }

    pub fn write_file(&self, path: &Path) -> Result<()> {
        write_atomic(path, self.to_file_text()?.as_bytes(), FileMode::Secret)
    }
}

fn key_invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::KeyInvalid, message)
}

fn key_file_text(file: &KeyFile) -> Result<Zeroizing<String>> {
    // Room for the whole file up front: a growing buffer would leave copies of the key behind.
    let mut buf = Zeroizing::new(Vec::with_capacity(1024));
    serde_json::to_writer_pretty(&mut *buf, file)
        .map_err(|err| Error::new(ErrorCode::Internal, err.to_string()))?;
    buf.push(b'\n');
    let text = String::from_utf8(std::mem::take(&mut *buf))
        .map_err(|err| Error::new(ErrorCode::Internal, err.to_string()))?;
    Ok(Zeroizing::new(text))
}

fn parse_key_file(text: &str, expected: &str) -> Result<KeyFile> {
    caps::check_len("key file", text.len(), caps::KEY_FILE_BYTES)?;
    let file: KeyFile = serde_json::from_str(text)
        .map_err(|err| key_invalid(format!("not a key file: {}", redact(&err))))?;
    if file.kind != expected {
        return Err(key_invalid(format!(
            "a {} file, not a {expected} file",
            file.kind
        )));
    }
    Ok(file)
}

// serde_json messages may quote the offending input (a private key): keep only the position.
fn redact(err: &serde_json::Error) -> String {
    format!(
        "{:?} error at line {} column {}",
        err.classify(),
        err.line(),
        err.column()
    )
}

fn check_public(file: &KeyFile, derived: &str) -> Result<()> {
    if !file.public_key_hex.eq_ignore_ascii_case(derived) {
        return Err(key_invalid(
            "publicKeyHex does not belong to privateKeyHex (edited or corrupted key file)",
        ));
    }
    Ok(())
}

/// Reads a secret text file (key file, mnemonic file) into zeroizing memory.
pub fn read_secret_text(path: &Path) -> Result<Zeroizing<String>> {
    let bytes = Zeroizing::new(caps::read_file_capped(path, caps::KEY_FILE_BYTES)?);
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| key_invalid(format!("{} is not UTF-8 text", path.display())))?;
    Ok(Zeroizing::new(text.to_owned()))
}

/// One trusted signer given as text: a hex public key (66 or 130 hex digits), or the path of a
/// file holding one (plain hex, or a key file's `publicKeyHex`).
pub fn trusted_signer(value: &str) -> Result<PublicKey> {
    if let Ok(key) = PublicKey::from_hex(value.trim()) {
        return Ok(key);
    }
    let path = Path::new(value);
    if !path.is_file() {
        return Err(key_invalid(format!(
            "trusted signer {value}: not a secp256k1 public key (66 or 130 hex digits) nor a file"
        )));
    }
    let text = read_secret_text(path)?;
    let hex_text = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(value) => value
            .get("publicKeyHex")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
            .unwrap_or_default(),
        Err(_) => text.trim().to_owned(),
    };
    PublicKey::from_hex(&hex_text).map_err(|err| err.context(path.display()))
}

/// A trust list given as text values (see [`trusted_signer`]).
pub fn trusted_signers<S: AsRef<str>>(values: &[S]) -> Result<Vec<PublicKey>> {
    check_signer_count(values.len())?;
    values.iter().map(|v| trusted_signer(v.as_ref())).collect()
}

/// A trust list of hex public keys only (66 or 130 hex digits each): never read as file paths.
/// For front ends whose input comes from a remote party (the lab's HTTP API), where a value
/// must never name a file on the server.
pub fn trusted_signers_hex<S: AsRef<str>>(values: &[S]) -> Result<Vec<PublicKey>> {
    check_signer_count(values.len())?;
    values
        .iter()
        .map(|value| {
            let value = value.as_ref();
            PublicKey::from_hex(value.trim()).map_err(|_| {
                key_invalid(format!(
                    "trusted signer {:?}: not a secp256k1 public key (66 or 130 hex digits)",
                    value.chars().take(140).collect::<String>()
                ))
            })
        })
        .collect()
}

/// A trust list given as concatenated 33-byte compressed secp256k1 public keys (the C ABI's
/// form). A length that is not a multiple of 33 is `key-invalid`.
pub fn trusted_signers_from_bytes(bytes: &[u8]) -> Result<Vec<PublicKey>> {
    const COMPRESSED: usize = 33;
    if !bytes.len().is_multiple_of(COMPRESSED) {
        return Err(key_invalid(format!(
            "trusted signers: {} bytes is not a multiple of {COMPRESSED}",
            bytes.len()
        )));
    }
    check_signer_count(bytes.len() / COMPRESSED)?;
    bytes
        .chunks_exact(COMPRESSED)
        .map(PublicKey::from_sec1)
        .collect()
}

fn check_signer_count(count: usize) -> Result<()> {
    if count > caps::TRUSTED_SIGNERS {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!(
                "{count} trusted signers is above the cap of {}",
                caps::TRUSTED_SIGNERS
            ),
        ));
    }
    Ok(())
}

/// An X25519 recipient public key given as 64 hex digits.
pub fn recipient_public_key_hex(text: &str) -> Result<[u8; 32]> {
    crate::keys::x25519::x25519_public_from_hex(text.trim())
}

/// An X25519 recipient public key given as 32 raw bytes.
pub fn recipient_public_key(bytes: &[u8]) -> Result<[u8; 32]> {
    <[u8; 32]>::try_from(bytes).map_err(|_| {
        key_invalid(format!(
            "recipient public key: {} bytes, expected 32",
            bytes.len()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_files_round_trip_and_keep_their_shape() {
        let (signing, phrase) = SigningKey::generate().unwrap();
        assert_eq!(phrase.split_whitespace().count(), 12);
        let text = signing.to_file_text().unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["type"], SIGNING_KEY_TYPE);
        assert_eq!(value["derivationPath"], SIGNING_PATH);
        let back = SigningKey::from_file_text(&text).unwrap();
        assert_eq!(back.public_key_hex(), signing.public_key_hex());

        let recipient = RecipientKey::generate().unwrap();
        let text = recipient.to_file_text().unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(value.get("derivationPath").is_none());
        let back = RecipientKey::from_file_text(&text).unwrap();
        assert_eq!(back.public_key(), recipient.public_key());
        // A signing key file is not a recipient key file.
        let err = RecipientKey::from_file_text(&signing.to_file_text().unwrap()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::KeyInvalid);
    }

    #[test]
    fn an_edited_public_key_is_refused_and_errors_never_echo_the_secret() {
        let recipient = RecipientKey::generate().unwrap();
        let text = recipient.to_file_text().unwrap();
        let other = RecipientKey::generate().unwrap().public_key_hex();
        let edited = text.replace(&recipient.public_key_hex(), &other);
        assert_eq!(
            RecipientKey::from_file_text(&edited).unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
        let secret = hex::encode(*recipient.key.to_bytes());
        let broken = text.replace("\"type\"", "\"tipe\"");
        let err = RecipientKey::from_file_text(&broken).unwrap_err();
        assert!(!err.message().contains(&secret), "{}", err.message());
    }

    #[test]
    fn trust_lists_accept_hex_files_and_raw_bytes() {
        let (signing, _) = SigningKey::generate().unwrap();
        let hex_key = signing.public_key_hex();
        assert_eq!(trusted_signer(&hex_key).unwrap().to_hex(), hex_key);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("signer.json");
        signing.write_file(&path).unwrap();
        assert_eq!(
            trusted_signer(path.to_str().unwrap()).unwrap().to_hex(),
            hex_key
        );
        assert_eq!(
            trusted_signer("nope").unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
        let raw = signing.signer.public_key();
        assert_eq!(
            trusted_signers_from_bytes(&[raw, raw].concat())
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            trusted_signers_from_bytes(&raw[..32]).unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
        let too_many = vec![raw; caps::TRUSTED_SIGNERS + 1].concat();
        assert_eq!(
            trusted_signers_from_bytes(&too_many).unwrap_err().code(),
            ErrorCode::InputTooLarge
        );
    }

    #[test]
    fn hex_trust_lists_never_read_a_file() {
        let (signing, _) = SigningKey::generate().unwrap();
        let hex_key = signing.public_key_hex();
        let listed = trusted_signers_hex(&[format!(" {hex_key}\n")]).unwrap();
        assert_eq!(listed[0].to_hex(), hex_key);
        // A path to a real key file is refused: the value is not hex.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("signer.json");
        signing.write_file(&path).unwrap();
        let err = trusted_signers_hex(&[path.to_str().unwrap()]).unwrap_err();
        assert_eq!(err.code(), ErrorCode::KeyInvalid);
        let too_many = vec![hex_key; caps::TRUSTED_SIGNERS + 1];
        assert_eq!(
            trusted_signers_hex(&too_many).unwrap_err().code(),
            ErrorCode::InputTooLarge
        );
    }
}
