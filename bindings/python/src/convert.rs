//! Python values in and out: JSON documents given as `dict`/`list`/... or as JSON text,
//! serde reports out as Python objects (pythonize: built directly, no JSON text between).

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyString};
use serde::Serialize;

use crate::errors;

/// `functools.partial(json.dumps, ensure_ascii=False, allow_nan=False, separators=(",", ":"))`.
static DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn dumps(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    DUMPS
        .get_or_try_init(py, || {
            let json = py.import("json")?;
            let kwargs = pyo3::types::PyDict::new(py);
            kwargs.set_item("ensure_ascii", false)?;
            // NaN and Infinity are not JSON: refuse them rather than write invalid text.
            kwargs.set_item("allow_nan", false)?;
            kwargs.set_item("separators", (",", ":"))?;
            let partial = py
                .import("functools")?
                .getattr("partial")?
                .call((json.getattr("dumps")?,), Some(&kwargs))?;
            Ok::<_, PyErr>(partial.unbind())
        })
        .map(|f| f.bind(py))
}

/// A JSON document: `str` is JSON text as given; anything else is written with `json.dumps`
/// (the core then parses it with the reference's JavaScript number rules).
pub fn json_text(py: Python<'_>, value: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_cow()?.into_owned());
    }
    value_text(py, value, what)
}

/// A JSON value (a row payload, metadata): always written with `json.dumps`, so a `str` is a
/// JSON string, never parsed as text.
pub fn value_text(py: Python<'_>, value: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    match dumps(py)?.call1((value,)) {
        Ok(text) => text.extract::<String>(),
        Err(err) => Err(errors::invalid_json(
            py,
            format!("{what} cannot be written as JSON: {}", err.value(py)),
        )),
    }
}

/// [`json_text`] for an optional document (`None` stays `None`).
pub fn optional_json_text(
    py: Python<'_>,
    value: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<Option<String>> {
    match value {
        Some(value) if !value.is_none() => json_text(py, value, what).map(Some),
        _ => Ok(None),
    }
}

/// A serde value as Python objects (dict, list, str, int, float, bool, None).
pub fn to_python<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(pythonize::pythonize(py, value)?)
}

/// Bytes out: one copy from the core's buffer into the new `bytes` object.
pub fn bytes<'py>(py: Python<'py>, data: &[u8]) -> Bound<'py, PyBytes> {
    PyBytes::new(py, data)
}
