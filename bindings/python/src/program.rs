//! Running a module's `_start` as a WASI program (`Module.run`, core
//! `api::program::run_program`): the Python arguments as a core `Program`, and the result
//! (`ProgramResult`: exit code, stdout, stderr). A non-zero exit is a result, not an error.

use std::collections::BTreeMap;
use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyMapping, PyString, PyTuple};
use space_data_module::api::program::{Program, ProgramOutput, ProgramPreopen};

use crate::convert::bytes;
use crate::errors;

/// A host directory the program sees at `guest_path` (read-only unless said otherwise).
#[pyclass(frozen, eq, module = "space_data_module")]
#[derive(Clone, PartialEq, Eq)]
pub struct Preopen {
    host_path: PathBuf,
    #[pyo3(get)]
    guest_path: String,
    #[pyo3(get)]
    read_only: bool,
}

#[pymethods]
impl Preopen {
    #[new]
    #[pyo3(signature = (host_path, guest_path, *, read_only=true))]
    fn new(host_path: PathBuf, guest_path: String, read_only: bool) -> Preopen {
        Preopen {
            host_path,
            guest_path,
            read_only,
        }
    }

    /// The host directory, as given.
    #[getter]
    fn host_path(&self) -> String {
        self.host_path.to_string_lossy().into_owned()
    }

    fn __repr__(&self) -> String {
        format!(
            "Preopen({:?}, {:?}, read_only={})",
            self.host_path.to_string_lossy(),
            self.guest_path,
            if self.read_only { "True" } else { "False" }
        )
    }
}

/// What a program run produced: the WASI exit code (0 when `_start` returned normally) and
/// everything it wrote to stdout and stderr.
#[pyclass(frozen, module = "space_data_module")]
pub struct ProgramResult {
    #[pyo3(get)]
    exit_code: i32,
    #[pyo3(get)]
    stdout: Py<PyBytes>,
    #[pyo3(get)]
    stderr: Py<PyBytes>,
}

impl ProgramResult {
    pub fn new(py: Python<'_>, output: &ProgramOutput) -> ProgramResult {
        ProgramResult {
            exit_code: output.exit_code,
            stdout: bytes(py, &output.stdout).unbind(),
            stderr: bytes(py, &output.stderr).unbind(),
        }
    }
}

#[pymethods]
impl ProgramResult {
    /// True when the exit code is 0.
    #[getter]
    fn ok(&self) -> bool {
        self.exit_code == 0
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "ProgramResult(exit_code={}, stdout=<{} bytes>, stderr=<{} bytes>)",
            self.exit_code,
            self.stdout.bind(py).as_bytes().len(),
            self.stderr.bind(py).as_bytes().len()
        )
    }
}

/// `args` (a sequence of str, not a str itself), `env` (a mapping of str to str or None),
/// `preopens` (`Preopen` objects or `(host_path, guest_path[, read_only])` tuples) as a core
/// `Program`. A value of the wrong shape is `UsageError`; what WASI cannot carry (a NUL, an `=`
/// in a name) is refused by the core when the program runs.
pub fn program(
    py: Python<'_>,
    args: &Bound<'_, PyAny>,
    env: Option<&Bound<'_, PyAny>>,
    preopens: &Bound<'_, PyAny>,
) -> PyResult<Program> {
    if args.is_instance_of::<PyString>() {
        return Err(errors::usage(
            py,
            "args must be a sequence of str, not a str",
        ));
    }
    let args: Vec<String> = args
        .extract()
        .map_err(|_| errors::usage(py, "args must be a sequence of str"))?;
    let env = match env {
        Some(env) if !env.is_none() => {
            let mapping = env
                .cast::<PyMapping>()
                .map_err(|_| errors::usage(py, "env must be a mapping of str to str"))?;
            let mut out = BTreeMap::new();
            for item in mapping.items()?.iter() {
                let (key, value): (String, String) = item
                    .extract()
                    .map_err(|_| errors::usage(py, "env must be a mapping of str to str"))?;
                out.insert(key, value);
            }
            out
        }
        _ => BTreeMap::new(),
    };
    if preopens.is_instance_of::<PyString>() {
        return Err(errors::usage(py, "preopens must be a sequence, not a str"));
    }
    let mut list = Vec::new();
    for item in preopens
        .try_iter()
        .map_err(|_| errors::usage(py, "preopens must be a sequence"))?
    {
        list.push(preopen(py, &item?)?);
    }
    Ok(Program {
        args,
        env,
        preopens: list,
    })
}

fn preopen(py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<ProgramPreopen> {
    if let Ok(preopen) = item.cast::<Preopen>() {
        let preopen = preopen.get();
        return Ok(ProgramPreopen {
            host_path: preopen.host_path.clone(),
            guest_path: preopen.guest_path.clone(),
            read_only: preopen.read_only,
        });
    }
    let shape = || {
        errors::usage(
            py,
            "each preopen must be a Preopen or a (host_path, guest_path[, read_only]) tuple",
        )
    };
    let tuple = item.cast::<PyTuple>().map_err(|_| shape())?;
    let (host_path, guest_path, read_only) = match tuple.len() {
        2 => {
            let (host, guest): (PathBuf, String) = tuple.extract().map_err(|_| shape())?;
            (host, guest, true)
        }
        3 => tuple.extract().map_err(|_| shape())?,
        _ => return Err(shape()),
    };
    Ok(ProgramPreopen {
        host_path,
        guest_path,
        read_only,
    })
}
