//! Manifest encode/decode, compliance check, bundle create/parse/inspect/verify.

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use space_data_module::api::format::{self, BundleOptions, CheckRequest, InspectOptions};

use crate::convert::{bytes, json_text, optional_json_text, to_python};
use crate::errors::{attached, detached};

/// The manifest (dict or JSON text) as its `PMAN` FlatBuffer, byte-identical to the reference.
#[pyfunction]
pub fn encode_manifest<'py>(
    py: Python<'py>,
    manifest: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let text = json_text(py, manifest, "manifest")?;
    let encoded = attached(py, || format::encode_manifest(&text))?;
    Ok(bytes(py, &encoded.bytes))
}

/// A `PMAN` FlatBuffer decoded (and verified) to the reference's decoded-manifest dict.
#[pyfunction]
pub fn decode_manifest<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let value = attached(py, || format::decode_manifest(data))?;
    to_python(py, &value)
}

/// The compliance report of a manifest (and of its module's exports when `wasm` is given).
#[pyfunction]
#[pyo3(signature = (manifest, wasm=None, *, standards=false, manifest_name=None, wasm_name=None))]
pub fn check<'py>(
    py: Python<'py>,
    manifest: &Bound<'py, PyAny>,
    wasm: Option<&[u8]>,
    standards: bool,
    manifest_name: Option<String>,
    wasm_name: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let text = json_text(py, manifest, "manifest")?;
    let request = CheckRequest {
        manifest_json: &text,
        wasm,
        standards,
        manifest_name,
        wasm_name,
    };
    let report = detached(py, || format::check(&request))?;
    to_python(py, &report)
}

/// `wasm` with an `sds.bundle` section holding the manifest (and the optional entries).
#[pyfunction]
#[pyo3(signature = (wasm, manifest, *, authorization=None, deployment_plan=None,
    bundle_section_name=None, strip_prefix=None, module_format=None))]
#[allow(clippy::too_many_arguments)]
pub fn create_bundle<'py>(
    py: Python<'py>,
    wasm: &[u8],
    manifest: &Bound<'py, PyAny>,
    authorization: Option<&Bound<'py, PyAny>>,
    deployment_plan: Option<&Bound<'py, PyAny>>,
    bundle_section_name: Option<String>,
    strip_prefix: Option<String>,
    module_format: Option<String>,
) -> PyResult<Bound<'py, PyBytes>> {
    let text = json_text(py, manifest, "manifest")?;
    let options = BundleOptions {
        authorization_json: optional_json_text(py, authorization, "authorization")?,
        deployment_plan_json: optional_json_text(py, deployment_plan, "deployment plan")?,
        bundle_section_name,
        strip_prefix,
        module_format,
    };
    let created = detached(py, || format::create_bundle(wasm, &text, &options))?;
    Ok(bytes(py, &created.wasm))
}

/// The parse of a module's bundle (the reference's parsed-bundle shape).
#[pyfunction]
pub fn parse_bundle<'py>(py: Python<'py>, wasm: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let parsed = detached(py, || format::parse_bundle(wasm))?;
    to_python(py, &parsed)
}

/// The parse, and with `verify` every stored hash recomputed (`verified`, `mismatches`).
#[pyfunction]
#[pyo3(signature = (wasm, *, verify=false, bundle_section_name=None))]
pub fn inspect<'py>(
    py: Python<'py>,
    wasm: &[u8],
    verify: bool,
    bundle_section_name: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = InspectOptions {
        verify,
        bundle_section_name,
    };
    let report = detached(py, || format::inspect(wasm, &options))?;
    to_python(py, &report)
}

/// The parse, or `BundleError` (`bundle-hash-mismatch`) unless every stored hash matches.
#[pyfunction]
pub fn verify_bundle<'py>(py: Python<'py>, wasm: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let parsed = detached(py, || format::verify_bundle(wasm))?;
    to_python(py, &parsed)
}
