//! Errors crossing into Python: every failure becomes an instance of the exception classes
//! defined in `space_data_module/_errors.py` (Python classes, so they carry `.code` and
//! `.number` under abi3), chosen by the code's class. Panics never unwind into Python: they
//! come back as code `panic` (class internal).

use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use space_data_module::api::{Error, ErrorClass, ErrorCode, Result};

/// `_errors._from_native(error_class, code, number, message, report)`.
static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn class_name(class: ErrorClass) -> &'static str {
    match class {
        ErrorClass::Io => "io",
        ErrorClass::Input => "input",
        ErrorClass::Wasm => "wasm",
        ErrorClass::Bundle => "bundle",
        ErrorClass::Security => "security",
        ErrorClass::Runtime => "runtime",
        ErrorClass::Internal => "internal",
    }
}

fn build(
    py: Python<'_>,
    class: &str,
    code: ErrorCode,
    message: &str,
    report: Option<Bound<'_, PyAny>>,
) -> PyErr {
    let made = FACTORY
        .import(py, "space_data_module._errors", "_from_native")
        .and_then(|factory| factory.call1((class, code.as_str(), code.number(), message, report)));
    match made {
        Ok(exception) => PyErr::from_value(exception),
        // The package itself is broken (e.g. `_native` imported alone): say so, keep the text.
        Err(err) => err,
    }
}

/// A core error as the exception of its class.
pub fn to_py(py: Python<'_>, err: &Error) -> PyErr {
    build(
        py,
        class_name(err.code().class()),
        err.code(),
        err.message(),
        None,
    )
}

/// A loader refusal, with the loader's partial report attached as `.report`.
pub fn to_py_with_report(py: Python<'_>, err: &Error, report: Bound<'_, PyAny>) -> PyErr {
    build(
        py,
        class_name(err.code().class()),
        err.code(),
        err.message(),
        Some(report),
    )
}

/// A mistake in how the binding was called (closed handle, unknown mode, wrong argument
/// shape): `UsageError`, code `invalid-argument`, the code the core uses for the same mistake.
pub fn usage(py: Python<'_>, message: impl AsRef<str>) -> PyErr {
    build(
        py,
        "usage",
        ErrorCode::InvalidArgument,
        message.as_ref(),
        None,
    )
}

/// An input that cannot be written as JSON (`invalid-json`, class input).
pub fn invalid_json(py: Python<'_>, message: impl AsRef<str>) -> PyErr {
    build(py, "input", ErrorCode::InvalidJson, message.as_ref(), None)
}

fn panic_error(payload: Box<dyn std::any::Any + Send>) -> Error {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    Error::new(
        ErrorCode::Panic,
        format!("panic inside the library: {text}"),
    )
}

/// Runs `f` with the GIL released (other Python threads run meanwhile); a panic becomes the
/// `panic` code. For every call that can take long: it costs about 0.1 us.
pub fn detached<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> Result<T> + Send,
{
    py.detach(|| catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| Err(panic_error(p))))
        .map_err(|err| to_py(py, &err))
}

/// Runs a short `f` holding the GIL; a panic becomes the `panic` code.
pub fn attached<T>(py: Python<'_>, f: impl FnOnce() -> Result<T>) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|p| Err(panic_error(p)))
        .map_err(|err| to_py(py, &err))
}
