//! Key material: `SigningKey` (secp256k1, signs artifacts and authorizations) and
//! `RecipientKey` (X25519, opens encrypted artifacts), with the CLI's key-file format
//! (docs/keys.md). Both are immutable objects: share them across threads freely. Private keys
//! never cross the FFI except as key-file text the caller asks for.

use std::path::Path;
use std::sync::Arc;

use space_data_module::api::keys as core;

use crate::error::{Result, guard};

/// A secp256k1 signing key (with the BIP-32 path it was derived at, when known).
#[derive(Debug, uniffi::Object)]
pub struct SigningKey {
    pub(crate) inner: core::SigningKey,
}

/// A fresh signing key and the 12-word mnemonic that restores it (the only time the
/// mnemonic exists: show it or drop it).
#[derive(uniffi::Record)]
pub struct GeneratedSigningKey {
    pub key: Arc<SigningKey>,
    pub mnemonic: String,
}

/// A fresh key from a fresh mnemonic (m/44'/0'/0'/0/0).
#[uniffi::export]
pub fn generate_signing_key() -> Result<GeneratedSigningKey> {
    guard(|| {
        let (key, phrase) = core::SigningKey::generate()?;
        Ok(GeneratedSigningKey {
            key: Arc::new(SigningKey { inner: key }),
            mnemonic: phrase.to_string(),
        })
    })
}

/// A fresh BIP-39 mnemonic (12 English words).
#[uniffi::export]
pub fn generate_mnemonic() -> Result<String> {
    guard(|| Ok(core::SigningKey::generate_mnemonic()?.to_string()))
}

fn signing(inner: core::SigningKey) -> Arc<SigningKey> {
    Arc::new(SigningKey { inner })
}

#[uniffi::export]
impl SigningKey {
    /// A fresh random key (not derived: no mnemonic restores it).
    #[uniffi::constructor]
    pub fn random() -> Result<Arc<SigningKey>> {
        guard(|| Ok(signing(core::SigningKey::random()?)))
    }

    /// The key at m/44'/0'/0'/0/0 of a BIP-39 mnemonic (`KEY_INVALID` otherwise).
    #[uniffi::constructor]
    pub fn from_mnemonic(phrase: String) -> Result<Arc<SigningKey>> {
        guard(|| Ok(signing(core::SigningKey::from_mnemonic(&phrase)?)))
    }

    /// A raw 32-byte secp256k1 scalar (`KEY_INVALID` for any other length or value).
    #[uniffi::constructor]
    pub fn from_private_key(bytes: Vec<u8>) -> Result<Arc<SigningKey>> {
        guard(|| Ok(signing(core::SigningKey::from_private_key(&bytes)?)))
    }

    /// Parses signing-key file text.
    #[uniffi::constructor]
    pub fn from_file_text(text: String) -> Result<Arc<SigningKey>> {
        guard(|| Ok(signing(core::SigningKey::from_file_text(&text)?)))
    }

    /// Reads a signing-key file.
    #[uniffi::constructor]
    pub fn read_file(path: String) -> Result<Arc<SigningKey>> {
        guard(|| Ok(signing(core::SigningKey::read_file(Path::new(&path))?)))
    }

    /// The compressed public key, 66 hex digits.
    pub fn public_key_hex(&self) -> String {
        self.inner.public_key_hex()
    }

    /// The BIP-32 path of a derived key, else none.
    pub fn derivation_path(&self) -> Option<String> {
        self.inner.derivation_path.clone()
    }

    /// The key-file text (holds the private key).
    pub fn to_file_text(&self) -> Result<String> {
        guard(|| Ok(self.inner.to_file_text()?.to_string()))
    }

    /// Writes the key file atomically, mode 0600.
    pub fn write_file(&self, path: String) -> Result<()> {
        guard(|| Ok(self.inner.write_file(Path::new(&path))?))
    }
}

/// An X25519 recipient key (what an encrypted artifact is opened with).
#[derive(Debug, uniffi::Object)]
pub struct RecipientKey {
    pub(crate) inner: core::RecipientKey,
}

fn recipient(inner: core::RecipientKey) -> Arc<RecipientKey> {
    Arc::new(RecipientKey { inner })
}

#[uniffi::export]
impl RecipientKey {
    /// A fresh random key.
    #[uniffi::constructor]
    pub fn generate() -> Result<Arc<RecipientKey>> {
        guard(|| Ok(recipient(core::RecipientKey::generate()?)))
    }

    /// A raw 32-byte X25519 private key.
    #[uniffi::constructor]
    pub fn from_private_key(bytes: Vec<u8>) -> Result<Arc<RecipientKey>> {
        guard(|| Ok(recipient(core::RecipientKey::from_private_key(&bytes)?)))
    }

    /// Parses recipient-key file text.
    #[uniffi::constructor]
    pub fn from_file_text(text: String) -> Result<Arc<RecipientKey>> {
        guard(|| Ok(recipient(core::RecipientKey::from_file_text(&text)?)))
    }

    /// Reads a recipient-key file.
    #[uniffi::constructor]
    pub fn read_file(path: String) -> Result<Arc<RecipientKey>> {
        guard(|| Ok(recipient(core::RecipientKey::read_file(Path::new(&path))?)))
    }

    /// The 32-byte public key (what `protect` encrypts for).
    pub fn public_key(&self) -> Vec<u8> {
        self.inner.public_key().to_vec()
    }

    pub fn public_key_hex(&self) -> String {
        self.inner.public_key_hex()
    }

    /// The key-file text (holds the private key).
    pub fn to_file_text(&self) -> Result<String> {
        guard(|| Ok(self.inner.to_file_text()?.to_string()))
    }

    /// Writes the key file atomically, mode 0600.
    pub fn write_file(&self, path: String) -> Result<()> {
        guard(|| Ok(self.inner.write_file(Path::new(&path))?))
    }
}

/// An X25519 recipient public key from 64 hex digits, as the 32 bytes `protect` takes.
#[uniffi::export]
pub fn recipient_public_key_from_hex(text: String) -> Result<Vec<u8>> {
    guard(|| Ok(core::recipient_public_key_hex(&text)?.to_vec()))
}

/// Parses a trust list: each value a hex secp256k1 public key (66 or 130 digits) or the path
/// of a file holding one (plain hex, or a key file's `publicKeyHex`).
pub(crate) fn trust_list(values: &[String]) -> Result<Vec<space_data_module::api::PublicKey>> {
    Ok(core::trusted_signers(values)?)
}
