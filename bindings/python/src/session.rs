//! `Session`: repeated direct-mode calls into one instance of a module (the guest keeps its
//! state between calls; a call costs the round trip, not an instantiation).
//!
//! Thread safety: a `Session` may be shared between Python threads, but its calls run one at a
//! time (a guest instance handles one invoke at a time): a second thread waits, with the GIL
//! released, until the first call ends. Threads that want parallel calls open one session each.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use pyo3::prelude::*;
use space_data_module::api::InvokeMode;
use space_data_module::api::invoke::{self, Invoked};

use crate::errors::{self, detached};
use crate::runtime::{Response, frames};

/// Locks the session; a poisoned lock only means a panic was already reported for a call,
/// and the core discards the instance after any failure.
fn lock(session: &Mutex<Option<invoke::Session>>) -> MutexGuard<'_, Option<invoke::Session>> {
    session.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// Repeated direct-mode calls into one instance of a module (`Module.session()`). The guest's
/// memory and globals survive between calls; after a host-side failure (trap, limit) the
/// instance is discarded and the next call starts a fresh one. A context manager; calls from
/// several threads run one at a time.
#[pyclass(frozen, module = "space_data_module")]
pub struct Session {
    inner: Arc<Mutex<Option<invoke::Session>>>,
}

impl Session {
    pub fn new(session: invoke::Session) -> Session {
        Session {
            inner: Arc::new(Mutex::new(Some(session))),
        }
    }

    fn call(
        &self,
        py: Python<'_>,
        method: &str,
        inputs: Option<&Bound<'_, PyAny>>,
        iterations: u32,
    ) -> PyResult<(Invoked, f64)> {
        let mut owners = Vec::new();
        let ports = frames(py, inputs, &mut owners)?;
        let inputs: Vec<(String, &[u8])> = ports
            .into_iter()
            .zip(owners.iter().map(|payload| payload.as_bytes()))
            .collect();
        let inner = Arc::clone(&self.inner);
        let ran = detached(py, move || {
            let mut guard = lock(&inner);
            let Some(session) = guard.as_mut() else {
                return Ok(None);
            };
            let start = Instant::now();
            let mut invoked = session.invoke(method, &inputs)?;
            for _ in 1..iterations {
                invoked = std::hint::black_box(session.invoke(method, &inputs)?);
            }
            let per_call = start.elapsed().as_nanos() as f64 / f64::from(iterations.max(1));
            Ok(Some((invoked, per_call)))
        })?;
        // A closed handle is the caller's mistake (`UsageError`), as for `Module`.
        ran.ok_or_else(|| errors::usage(py, "this Session is closed"))
    }
}

#[pymethods]
impl Session {
    /// Calls `method` with `inputs` (port name to payload, or `(port, payload)` pairs) in the
    /// session's instance. Guest failures are in the `Response`; host-side failures raise
    /// `ExecutionError`, as for `Module.invoke`.
    #[pyo3(
        signature = (method, inputs=None),
        text_signature = "($self, method, inputs=None)"
    )]
    fn invoke<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        inputs: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Response> {
        let (invoked, _) = self.call(py, method, inputs, 1)?;
        Response::new(py, invoked.response, Some(InvokeMode::Direct.as_str()))
    }

    /// BENCHMARK SUPPORT: the same call `iterations` times from Rust in this session (GIL
    /// released), in nanoseconds per call.
    fn _bench_invoke<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        inputs: &Bound<'py, PyAny>,
        iterations: u32,
    ) -> PyResult<f64> {
        if iterations == 0 {
            return Err(errors::usage(py, "iterations must be at least 1"));
        }
        self.call(py, method, Some(inputs), iterations)
            .map(|(_, ns)| ns)
    }

    /// Drops the instance (waiting for a running call to end) and frees its pool slot.
    fn close(&self, py: Python<'_>) {
        let inner = Arc::clone(&self.inner);
        py.detach(move || lock(&inner).take());
    }

    #[getter]
    fn closed(&self, py: Python<'_>) -> bool {
        let inner = Arc::clone(&self.inner);
        py.detach(move || lock(&inner).is_none())
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close(py);
        false
    }
}
