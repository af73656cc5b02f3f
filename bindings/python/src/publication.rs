//! protect (sign, optionally bundle and encrypt) and open (the fail-closed loader).

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyString};
use space_data_module::api::VerifiedModule;
use space_data_module::api::keys::{
    recipient_public_key, recipient_public_key_hex, trusted_signers,
};
use space_data_module::api::publication::{self, OpenRequest, ProtectRequest};
use space_data_module::api::wasmsig;

use crate::convert::{bytes, json_text, to_python};
use crate::errors::{self, attached, detached};
use crate::keys::{RecipientKey, Signer};

/// A module that passed the loader: its plain wasm and the loader's report. Immutable; may be
/// shared between threads, loaded by several runtimes, installed in several hosts.
#[pyclass(frozen, module = "space_data_module")]
pub struct Opened {
    pub module: VerifiedModule,
    report: Py<PyAny>,
    /// The plain wasm as `bytes`, made on first access.
    wasm: PyOnceLock<Py<PyBytes>>,
}

#[pymethods]
impl Opened {
    /// The plain WebAssembly (trailer stripped, decrypted).
    #[getter]
    fn wasm<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        self.wasm
            .get_or_init(py, || bytes(py, self.module.wasm()).unbind())
            .bind(py)
            .clone()
    }

    /// The loader's outcome: `outcome`, `status`, `report` (trailer, PNM, CID, signature, ENC),
    /// `authentication` (what the signature covers).
    #[getter]
    fn report<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        self.report.bind(py).clone()
    }

    /// The verified manifest the core read itself (bundle entry or embedded), or None.
    #[getter]
    fn manifest<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.module.manifest())
    }

    /// The capabilities that manifest declares: the ceiling of any host policy.
    #[getter]
    fn declared_capabilities(&self) -> Vec<String> {
        self.module.declared_capabilities().to_vec()
    }

    fn __repr__(&self) -> String {
        format!("Opened(wasm=<{} bytes>)", self.module.wasm().len())
    }
}

/// A recipient public key given as 64 hex digits or 32 bytes.
fn recipient(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<[u8; 32]> {
    if let Ok(text) = value.cast::<PyString>() {
        let text = text.to_cow()?;
        return attached(py, || recipient_public_key_hex(&text));
    }
    if let Ok(raw) = value.cast::<PyBytes>() {
        return attached(py, || recipient_public_key(raw.as_bytes()));
    }
    Err(errors::usage(
        py,
        "encrypt_for must be a hex string or 32 bytes",
    ))
}

/// Signs `wasm` (optionally bundling the manifest and a signed authorization into it first,
/// and encrypting for a recipient) and returns the protected artifact.
#[pyfunction]
#[pyo3(signature = (wasm, manifest, *, signer, encrypt_for=None, single_file_bundle=false))]
pub fn protect<'py>(
    py: Python<'py>,
    wasm: &[u8],
    manifest: &Bound<'py, PyAny>,
    signer: PyRef<'py, Signer>,
    encrypt_for: Option<&Bound<'py, PyAny>>,
    single_file_bundle: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let text = json_text(py, manifest, "manifest")?;
    let encrypt_for = match encrypt_for {
        Some(value) if !value.is_none() => Some(recipient(py, value)?),
        _ => None,
    };
    let request = ProtectRequest {
        wasm,
        manifest_json: &text,
        single_file_bundle,
        encrypt_for,
    };
    let key = &signer.key;
    let protected = detached(py, || publication::protect(&request, key))?;
    Ok(bytes(py, protected.artifact()))
}

/// Runs the fail-closed loader. A refusal raises the error of its code (e.g. `SecurityError`
/// with code `signature-invalid`) carrying the loader's partial report as `.report`.
#[pyfunction]
#[pyo3(signature = (artifact, *, trust, decrypt_with=None, allow_unsigned=false, wasm_signers=Vec::new()))]
pub fn open<'py>(
    py: Python<'py>,
    artifact: &[u8],
    trust: Vec<String>,
    decrypt_with: Option<PyRef<'py, RecipientKey>>,
    allow_unsigned: bool,
    wasm_signers: Vec<String>,
) -> PyResult<Opened> {
    let trusted = attached(py, || trusted_signers(&trust))?;
    let wasm_signers = attached(py, || wasmsig::trusted_keys(&wasm_signers))?;
    let decrypt = decrypt_with.as_ref().map(|key| &key.key);
    let opened = detached(py, || {
        publication::open(
            artifact,
            &OpenRequest {
                trusted_signers: trusted,
                decrypt_with: decrypt,
                allow_unsigned,
                wasm_signers,
            },
        )
    })?;
    let report = to_python(py, &opened.outcome)?;
    match opened.module {
        Some(module) => Ok(Opened {
            module,
            report: report.unbind(),
            wasm: PyOnceLock::new(),
        }),
        None => {
            let err = publication::Opened {
                outcome: opened.outcome,
                module: None,
            }
            .into_result()
            .err()
            .unwrap_or_else(|| {
                space_data_module::api::Error::new(
                    space_data_module::api::ErrorCode::Internal,
                    "the loader refused without a code",
                )
            });
            Err(errors::to_py_with_report(py, &err, report))
        }
    }
}
