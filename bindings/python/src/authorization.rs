//! Deployment authorizations: create + sign, verify against trusted signers.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use space_data_module::api::authorization::{
    self, AuthorizationOptions, SignerInfo, VerifyRequest,
};
use space_data_module::api::keys::trusted_signers;

use crate::convert::{json_text, to_python};
use crate::errors::attached;
use crate::keys::Signer;

/// The non-None keyword arguments as a dict with the reference's camelCase names.
fn members<'py>(
    py: Python<'py>,
    pairs: &[(&str, Option<&Bound<'py, PyAny>>)],
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (name, value) in pairs {
        if let Some(value) = value.filter(|v| !v.is_none()) {
            dict.set_item(*name, value)?;
        }
    }
    Ok(dict)
}

/// Creates and signs a deployment authorization envelope `{protected, payload, signatureHex}`.
#[pyfunction]
#[pyo3(signature = (*, signer, artifact=None, artifact_id=None, program_id=None,
    graph_hash=None, manifest_hash=None, target=None, capabilities=None, issued_at=None,
    ttl_ms=None, nonce=None, constraints=None, key_id=None, derivation_path=None))]
#[allow(clippy::too_many_arguments)]
pub fn create_authorization<'py>(
    py: Python<'py>,
    signer: PyRef<'py, Signer>,
    artifact: Option<&Bound<'py, PyAny>>,
    artifact_id: Option<&Bound<'py, PyAny>>,
    program_id: Option<&Bound<'py, PyAny>>,
    graph_hash: Option<&Bound<'py, PyAny>>,
    manifest_hash: Option<&Bound<'py, PyAny>>,
    target: Option<&Bound<'py, PyAny>>,
    capabilities: Option<&Bound<'py, PyAny>>,
    issued_at: Option<&Bound<'py, PyAny>>,
    ttl_ms: Option<&Bound<'py, PyAny>>,
    nonce: Option<&Bound<'py, PyAny>>,
    constraints: Option<&Bound<'py, PyAny>>,
    key_id: Option<String>,
    derivation_path: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = members(
        py,
        &[
            ("artifact", artifact),
            ("artifactId", artifact_id),
            ("programId", program_id),
            ("graphHash", graph_hash),
            ("manifestHash", manifest_hash),
            ("target", target),
            ("capabilities", capabilities),
            ("issuedAt", issued_at),
            ("ttlMs", ttl_ms),
            ("nonce", nonce),
            ("constraints", constraints),
        ],
    )?;
    let text = json_text(py, options.as_any(), "authorization options")?;
    let info = (key_id.is_some() || derivation_path.is_some()).then_some(SignerInfo {
        key_id,
        derivation_path,
    });
    let envelope = attached(py, || {
        let options = AuthorizationOptions::from_json(&text)?;
        authorization::create(&options, &signer.key, info.as_ref())
    })?;
    to_python(py, &envelope)
}

/// Verifies an envelope (dict or JSON text) against the trusted signers and the expectations;
/// returns `{signerPublicKeyHex, payload}` or raises (`SecurityError`, codes 611-615).
#[pyfunction]
#[pyo3(signature = (envelope, *, trust, now=None, clock_skew_ms=None, artifact=None,
    target=None, required_capabilities=None))]
#[allow(clippy::too_many_arguments)]
pub fn verify_authorization<'py>(
    py: Python<'py>,
    envelope: &Bound<'py, PyAny>,
    trust: Vec<String>,
    now: Option<&Bound<'py, PyAny>>,
    clock_skew_ms: Option<&Bound<'py, PyAny>>,
    artifact: Option<&Bound<'py, PyAny>>,
    target: Option<&Bound<'py, PyAny>>,
    required_capabilities: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let envelope = json_text(py, envelope, "authorization envelope")?;
    let request = members(
        py,
        &[
            ("now", now),
            ("clockSkewMs", clock_skew_ms),
            ("artifact", artifact),
            ("target", target),
            ("requiredCapabilities", required_capabilities),
        ],
    )?;
    let request = json_text(py, request.as_any(), "verify options")?;
    let verified = attached(py, || {
        let trusted = trusted_signers(&trust)?;
        let request = VerifyRequest::from_json(&request)?;
        authorization::verify(&envelope, &trusted, &request)
    })?;
    to_python(py, &verified)
}
