//! Key material: signers (secp256k1) and recipient keys (X25519), in the CLI's key-file
//! format. Secrets stay in the core's zeroizing memory; Python only ever sees public keys.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use space_data_module::api::keys::{RecipientKey as CoreRecipient, SigningKey};

use crate::errors::attached;

/// A secp256k1 signing key. Immutable; may be shared between threads.
#[pyclass(frozen, module = "space_data_module")]
pub struct Signer {
    pub key: SigningKey,
}

#[pymethods]
impl Signer {
    /// The key at m/44'/0'/0'/0/0 of a BIP-39 English mnemonic.
    #[staticmethod]
    fn from_mnemonic(py: Python<'_>, mnemonic: String) -> PyResult<Signer> {
        attached(py, || SigningKey::from_mnemonic(&mnemonic)).map(|key| Signer { key })
    }

    /// A raw 32-byte secp256k1 private key (not derived).
    #[staticmethod]
    fn from_private_key(py: Python<'_>, private_key: &[u8]) -> PyResult<Signer> {
        attached(py, || SigningKey::from_private_key(private_key)).map(|key| Signer { key })
    }

    /// A signing key file (`{"type": "secp256k1-signing-key", ...}`, docs/keys.md).
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<Signer> {
        attached(py, || SigningKey::read_file(&path)).map(|key| Signer { key })
    }

    /// Writes the key file (mode 0600, atomically).
    fn to_file(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        attached(py, || self.key.write_file(&path))
    }

    /// The compressed public key, 66 hex digits: what a trust list names.
    #[getter]
    fn public_key_hex(&self) -> String {
        self.key.public_key_hex()
    }

    /// The compressed public key (33 bytes).
    #[getter]
    fn public_key<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.key.signer.public_key())
    }

    /// The BIP-32 path the key was derived at, or None for a key that was not derived.
    #[getter]
    fn derivation_path(&self) -> Option<String> {
        self.key.derivation_path.clone()
    }

    fn __repr__(&self) -> String {
        format!("Signer(public_key_hex='{}')", self.key.public_key_hex())
    }
}

/// An X25519 key that opens artifacts encrypted for its public key. Immutable; may be shared
/// between threads.
#[pyclass(frozen, module = "space_data_module")]
pub struct RecipientKey {
    pub key: CoreRecipient,
}

#[pymethods]
impl RecipientKey {
    /// A raw 32-byte X25519 private key.
    #[staticmethod]
    fn from_private_key(py: Python<'_>, private_key: &[u8]) -> PyResult<RecipientKey> {
        attached(py, || CoreRecipient::from_private_key(private_key))
            .map(|key| RecipientKey { key })
    }

    /// A recipient key file (`{"type": "x25519-private-key", ...}`, docs/keys.md).
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<RecipientKey> {
        attached(py, || CoreRecipient::read_file(&path)).map(|key| RecipientKey { key })
    }

    /// Writes the key file (mode 0600, atomically).
    fn to_file(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        attached(py, || self.key.write_file(&path))
    }

    /// The public key, 64 hex digits: what `protect(encrypt_for=...)` takes.
    #[getter]
    fn public_key_hex(&self) -> String {
        self.key.public_key_hex()
    }

    /// The public key (32 bytes).
    #[getter]
    fn public_key<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.key.public_key())
    }

    fn __repr__(&self) -> String {
        format!(
            "RecipientKey(public_key_hex='{}')",
            self.key.public_key_hex()
        )
    }
}

/// A fresh signing key from the OS random source (not derived from a mnemonic; keep it with
/// `Signer.to_file`, or derive one with `Signer.from_mnemonic(generate_mnemonic())`).
#[pyfunction]
pub fn generate_signer(py: Python<'_>) -> PyResult<Signer> {
    attached(py, SigningKey::random).map(|key| Signer { key })
}

/// A fresh 12-word BIP-39 English mnemonic.
#[pyfunction]
pub fn generate_mnemonic(py: Python<'_>) -> PyResult<String> {
    attached(py, SigningKey::generate_mnemonic).map(|phrase| phrase.to_string())
}

/// A fresh X25519 recipient key.
#[pyfunction]
pub fn generate_recipient(py: Python<'_>) -> PyResult<RecipientKey> {
    attached(py, CoreRecipient::generate).map(|key| RecipientKey { key })
}
