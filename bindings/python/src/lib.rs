//! `space_data_module._native`: the Python extension over the core's front-end API
//! (`space_data_module::api`). The pure-Python package `space_data_module` re-exports it and
//! defines the exception classes (`_errors.py`), which this module raises.
//!
//! Conventions: bytes in are borrowed (`bytes` objects are immutable), bytes out are one copy
//! of the core's buffer; JSON documents are accepted as Python values or JSON text; reports
//! come back as Python objects (pythonize). Every call that can take long (protect, open,
//! bundles, check, load, invoke, runtime-host store and registry) releases the GIL. Every
//! class is immutable from Python and may be shared between threads.

mod authorization;
mod convert;
mod errors;
mod format;
mod frames;
mod keys;
mod program;
mod publication;
mod runtime;
mod runtime_host;
mod session;
mod wasmsig;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(format::encode_manifest, m)?)?;
    m.add_function(wrap_pyfunction!(format::decode_manifest, m)?)?;
    m.add_function(wrap_pyfunction!(format::check, m)?)?;
    m.add_function(wrap_pyfunction!(format::create_bundle, m)?)?;
    m.add_function(wrap_pyfunction!(format::parse_bundle, m)?)?;
    m.add_function(wrap_pyfunction!(format::inspect, m)?)?;
    m.add_function(wrap_pyfunction!(format::verify_bundle, m)?)?;
    m.add_class::<keys::Signer>()?;
    m.add_class::<keys::RecipientKey>()?;
    m.add_function(wrap_pyfunction!(keys::generate_signer, m)?)?;
    m.add_function(wrap_pyfunction!(keys::generate_mnemonic, m)?)?;
    m.add_function(wrap_pyfunction!(keys::generate_recipient, m)?)?;
    m.add_class::<publication::Opened>()?;
    m.add_function(wrap_pyfunction!(publication::protect, m)?)?;
    m.add_function(wrap_pyfunction!(publication::open, m)?)?;
    m.add_function(wrap_pyfunction!(authorization::create_authorization, m)?)?;
    m.add_function(wrap_pyfunction!(authorization::verify_authorization, m)?)?;
    m.add_class::<wasmsig::WasmSigningKey>()?;
    m.add_function(wrap_pyfunction!(wasmsig::sign_wasm, m)?)?;
    m.add_function(wrap_pyfunction!(wasmsig::verify_wasm, m)?)?;
    m.add_class::<runtime::Runtime>()?;
    m.add_class::<runtime::Module>()?;
    m.add_class::<runtime::Response>()?;
    m.add_class::<session::Session>()?;
    m.add_class::<frames::OutputFrame>()?;
    m.add_class::<frames::TypeRef>()?;
    m.add_class::<program::Preopen>()?;
    m.add_class::<program::ProgramResult>()?;
    m.add_class::<runtime_host::RuntimeHost>()?;
    m.add_function(wrap_pyfunction!(runtime::_bench_encode_manifest, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::_debug_force_panic, m)?)?;
    Ok(())
}
