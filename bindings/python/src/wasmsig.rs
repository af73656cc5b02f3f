//! Module signatures in the WebAssembly tool-conventions format (docs/wasmsig.md): Ed25519
//! keys in the `wasmsign2` file format, `sign_wasm` and `verify_wasm`. The key bytes stay in
//! the core's zeroizing memory; Python sees public keys only.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use space_data_module::api::wasmsig::{self, SignSettings, VerifyOptions, WasmsigSecretKey};

use crate::convert::{bytes, to_python};
use crate::errors::{attached, detached};

/// An Ed25519 key that signs modules. Immutable; may be shared between threads.
#[pyclass(frozen, module = "space_data_module")]
pub struct WasmSigningKey {
    key: WasmsigSecretKey,
}

#[pymethods]
impl WasmSigningKey {
    /// A new random key.
    #[staticmethod]
    fn generate(py: Python<'_>) -> PyResult<WasmSigningKey> {
        attached(py, WasmsigSecretKey::generate).map(|key| WasmSigningKey { key })
    }

    /// A key pair in the `wasmsign2` serialization (65 bytes, `0x81 ‖ seed ‖ public key`).
    #[staticmethod]
    fn from_bytes(py: Python<'_>, key_pair: &[u8]) -> PyResult<WasmSigningKey> {
        attached(py, || WasmsigSecretKey::from_bytes(key_pair)).map(|key| WasmSigningKey { key })
    }

    /// A key file (`keygen --kind ed25519`, `wasmsign2 keygen`).
    #[staticmethod]
    fn from_file(py: Python<'_>, path: PathBuf) -> PyResult<WasmSigningKey> {
        attached(py, || wasmsig::read_secret_key(&path)).map(|key| WasmSigningKey { key })
    }

    /// Writes the key file (mode 0600, atomically) and its public key beside it as `PATH.pub`.
    fn to_file(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        attached(py, || wasmsig::write_key_pair(&path, &self.key))
    }

    /// The public key, 64 hex digits: what a trust list names.
    #[getter]
    fn public_key_hex(&self) -> String {
        self.key.public_key().to_hex()
    }

    /// The raw public key (32 bytes).
    #[getter]
    fn public_key<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.key.public_key().raw())
    }

    fn __repr__(&self) -> String {
        format!(
            "WasmSigningKey(public_key_hex='{}')",
            self.key.public_key().to_hex()
        )
    }
}

/// Signs `module` with every key (the signed module, or with `detached=True` the signature
/// data alone), as the CLI's `sign-wasm`.
#[pyfunction]
#[pyo3(signature = (module, keys, *, detached=false, split_parts=false, key_id=None, existing_signature=None))]
pub fn sign_wasm<'py>(
    py: Python<'py>,
    module: &[u8],
    keys: Vec<PyRef<'py, WasmSigningKey>>,
    detached: bool,
    split_parts: bool,
    key_id: Option<String>,
    existing_signature: Option<&[u8]>,
) -> PyResult<Bound<'py, PyBytes>> {
    let settings = SignSettings {
        detached,
        split_parts,
        key_id,
    };
    let keys: Vec<&WasmsigSecretKey> = keys.iter().map(|key| &key.key).collect();
    let signed = crate::errors::detached(py, || {
        wasmsig::sign(&settings.request(module, existing_signature), &keys)
    })?;
    Ok(bytes(
        py,
        if settings.detached {
            &signed.signature
        } else {
            &signed.module
        },
    ))
}

/// Verifies a module's signature (embedded, or `signature` when detached) against `trust`
/// (public keys as 64 or 66 hex digits, or public key files); the report as a dict.
#[pyfunction]
#[pyo3(signature = (module, *, trust, signature=None, allow_partial=false))]
pub fn verify_wasm<'py>(
    py: Python<'py>,
    module: &[u8],
    trust: Vec<String>,
    signature: Option<&[u8]>,
    allow_partial: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let trusted = attached(py, || wasmsig::trusted_keys(&trust))?;
    let report = detached(py, || {
        wasmsig::verify(module, signature, &trusted, VerifyOptions { allow_partial })
    })?;
    to_python(py, &report)
}
