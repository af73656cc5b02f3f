//! Loading and invoking verified modules: `Runtime`, `Module`, `Response`.
//!
//! Thread safety: every handle here may be shared between Python threads. The core runtime
//! and loaded modules are `Send + Sync`; each call runs in a fresh instance with the GIL
//! released, so threads invoking one module run in parallel. `close()` (or leaving the `with`
//! block) drops the handle's reference; calls already running finish first.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use space_data_module::api::invoke::{self, Call, Invoked};
use space_data_module::api::program::run_program;
use space_data_module::api::{
    Frame, HostPolicy, InvokeMode, InvokeResponse, Limits, LoadedModule, Runtime as CoreRuntime,
    RuntimeConfig,
};

use crate::convert::{bytes, json_text};
use crate::errors::{self, attached, detached};
use crate::frames::OutputFrame;
use crate::program::{self, ProgramResult};
use crate::publication::Opened;
use crate::session::Session;

/// A handle that `close()` empties; every use takes a reference first, so closing never
/// pulls state from under a running call.
pub struct Slot<T>(RwLock<Option<Arc<T>>>);

impl<T> Slot<T> {
    pub fn new(value: T) -> Self {
        Slot(RwLock::new(Some(Arc::new(value))))
    }

    pub fn get(&self, py: Python<'_>, what: &str) -> PyResult<Arc<T>> {
        let guard = self.0.read().unwrap_or_else(|poison| poison.into_inner());
        guard
            .clone()
            .ok_or_else(|| errors::usage(py, format!("this {what} is closed")))
    }

    pub fn close(&self) {
        let mut guard = self.0.write().unwrap_or_else(|poison| poison.into_inner());
        guard.take();
    }

    pub fn is_closed(&self) -> bool {
        self.0.read().map(|guard| guard.is_none()).unwrap_or(true)
    }
}

/// Limits from the keyword arguments (None: unlimited fuel / no timeout).
fn limits(fuel: Option<u64>, timeout_ms: Option<u64>, max_memory_mb: usize) -> Limits {
    Limits {
        fuel,
        timeout: timeout_ms.map(Duration::from_millis),
        max_memory_bytes: max_memory_mb.saturating_mul(1 << 20),
        ..Limits::default()
    }
}

struct RuntimeState {
    runtime: Arc<CoreRuntime>,
    limits: Limits,
}

/// A wasmtime engine with a compile cache and the limits every call of its modules runs
/// under. A context manager; may be shared between threads.
#[pyclass(frozen, module = "space_data_module")]
pub struct Runtime {
    state: Slot<RuntimeState>,
}

#[pymethods]
impl Runtime {
    #[new]
    #[pyo3(
        signature = (*, fuel=Some(10_000_000_000), timeout_ms=Some(30_000), max_memory_mb=256),
        text_signature = "(*, fuel=10000000000, timeout_ms=30000, max_memory_mb=256)"
    )]
    fn new(
        py: Python<'_>,
        fuel: Option<u64>,
        timeout_ms: Option<u64>,
        max_memory_mb: usize,
    ) -> PyResult<Runtime> {
        let runtime = attached(py, || CoreRuntime::new(RuntimeConfig::default()))?;
        Ok(Runtime {
            state: Slot::new(RuntimeState {
                runtime: Arc::new(runtime),
                limits: limits(fuel, timeout_ms, max_memory_mb),
            }),
        })
    }

    /// Compiles (or takes from the cache) and links a verified module.
    fn load(&self, py: Python<'_>, opened: PyRef<'_, Opened>) -> PyResult<Module> {
        let state = self.state.get(py, "Runtime")?;
        let verified = opened.module.clone();
        let runtime = Arc::clone(&state.runtime);
        let loaded = detached(py, move || runtime.load(&verified))?;
        Ok(Module {
            state: Slot::new(ModuleState {
                runtime: Arc::clone(&state.runtime),
                module: loaded,
                limits: state.limits.clone(),
            }),
        })
    }

    /// Releases the runtime (modules loaded from it keep what they need until closed).
    fn close(&self) {
        self.state.close();
    }

    #[getter]
    fn closed(&self) -> bool {
        self.state.is_closed()
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close();
        false
    }
}

struct ModuleState {
    runtime: Arc<CoreRuntime>,
    module: LoadedModule,
    limits: Limits,
}

/// The `(port, payload)` frames of `inputs`, borrowing the bytes: a dict of str to bytes (one
/// frame per port, in insertion order), or a sequence of `(port, payload)` pairs (any order,
/// ports may repeat). The borrowed slices stay valid while `owners` lives: `bytes` objects are
/// immutable.
pub fn frames<'py>(
    py: Python<'py>,
    inputs: Option<&Bound<'py, PyAny>>,
    owners: &mut Vec<Bound<'py, PyBytes>>,
) -> PyResult<Vec<String>> {
    let Some(inputs) = inputs.filter(|inputs| !inputs.is_none()) else {
        return Ok(Vec::new());
    };
    let mut ports = Vec::new();
    let mut push = |port: Bound<'py, PyAny>, payload: Bound<'py, PyAny>| -> PyResult<()> {
        let port = port
            .cast::<PyString>()
            .map_err(|_| errors::usage(py, "inputs: every port name must be a str"))?
            .to_cow()?
            .into_owned();
        let payload = payload
            .cast_into::<PyBytes>()
            .map_err(|_| errors::usage(py, format!("inputs[{port:?}] must be bytes")))?;
        ports.push(port);
        owners.push(payload);
        Ok(())
    };
    if let Ok(dict) = inputs.cast::<PyDict>() {
        for (port, payload) in dict.iter() {
            push(port, payload)?;
        }
        return Ok(ports);
    }
    let shape = || {
        errors::usage(
            py,
            "inputs must be a dict of str to bytes or a sequence of (port, payload) pairs",
        )
    };
    if inputs.is_instance_of::<PyString>() || inputs.is_instance_of::<PyBytes>() {
        return Err(shape());
    }
    for item in inputs.try_iter().map_err(|_| shape())? {
        let item = item?;
        let pair = item.cast::<PyTuple>().map_err(|_| shape())?;
        if pair.len() != 2 {
            return Err(shape());
        }
        push(pair.get_item(0)?, pair.get_item(1)?)?;
    }
    Ok(ports)
}

/// `"direct"` (also for None: `&str` defaults cannot be extracted under abi3-py39),
/// `"command"`, or `"auto"` (direct when exported, else command).
fn mode(py: Python<'_>, name: Option<&str>) -> PyResult<Option<InvokeMode>> {
    match name {
        None | Some("direct") => Ok(Some(InvokeMode::Direct)),
        Some("command") => Ok(Some(InvokeMode::Command)),
        Some("auto") => Ok(None),
        Some(other) => Err(errors::usage(
            py,
            format!("mode {other:?} is not \"direct\", \"command\" or \"auto\""),
        )),
    }
}

fn host_policy(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<HostPolicy>> {
    match value {
        Some(value) if !value.is_none() => {
            let text = json_text(py, value, "host policy")?;
            attached(py, || HostPolicy::from_json_str(&text)).map(Some)
        }
        _ => Ok(None),
    }
}

/// A loaded module. A context manager; may be shared between threads (each call runs in its
/// own instance with the GIL released).
#[pyclass(frozen, module = "space_data_module")]
pub struct Module {
    state: Slot<ModuleState>,
}

#[pymethods]
impl Module {
    /// Calls `method` with `inputs` (port name to payload, or `(port, payload)` pairs). A guest answering with a non-zero
    /// status or an error code is a `Response` with those fields set; host-side failures
    /// (limits, traps, malformed envelopes) raise `ExecutionError`.
    #[pyo3(
        signature = (method, inputs=None, *, mode=None, host_policy=None),
        text_signature = "($self, method, inputs=None, *, mode='direct', host_policy=None)"
    )]
    fn invoke<'py>(
        &self,
        py: Python<'py>,
        method: String,
        inputs: Option<&Bound<'py, PyAny>>,
        mode: Option<String>,
        host_policy: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Response> {
        let state = self.state.get(py, "Module")?;
        let mut owners = Vec::new();
        let ports = frames(py, inputs, &mut owners)?;
        let call = Call {
            method: &method,
            inputs: ports
                .into_iter()
                .zip(owners.iter().map(|payload| payload.as_bytes()))
                .collect(),
            mode: self::mode(py, mode.as_deref())?,
            limits: state.limits.clone(),
            grants: Default::default(),
            host_policy: self::host_policy(py, host_policy)?,
        };
        let invoked = detached(py, || invoke::invoke(&state.runtime, &state.module, &call))?;
        Response::from_invoked(py, invoked)
    }

    /// Runs the module's `_start` once as a WASI program: `stdin` in; `args` (`argv[1:]`),
    /// `env` and `preopens` granted; `host_policy` behind the guest's `sdn_host` imports. The
    /// exit code, stdout and stderr come back as a `ProgramResult` (a non-zero exit is a
    /// result). No `_start` raises `ExecutionError` (`runtime-missing-export`); limits and
    /// traps raise as for `invoke`.
    #[pyo3(
        signature = (stdin=None, *, args=None, env=None, preopens=None, host_policy=None),
        text_signature = "($self, stdin=b'', *, args=(), env=None, preopens=(), host_policy=None)"
    )]
    fn run<'py>(
        &self,
        py: Python<'py>,
        stdin: Option<&Bound<'py, PyAny>>,
        args: Option<&Bound<'py, PyAny>>,
        env: Option<&Bound<'py, PyAny>>,
        preopens: Option<&Bound<'py, PyAny>>,
        host_policy: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<ProgramResult> {
        let state = self.state.get(py, "Module")?;
        let stdin = match stdin {
            Some(value) if !value.is_none() => value
                .cast::<PyBytes>()
                .map_err(|_| errors::usage(py, "stdin must be bytes"))?
                .as_bytes()
                .to_vec(),
            _ => Vec::new(),
        };
        let empty = pyo3::types::PyTuple::empty(py);
        let program = program::program(
            py,
            args.filter(|a| !a.is_none()).unwrap_or(empty.as_any()),
            env,
            preopens.filter(|p| !p.is_none()).unwrap_or(empty.as_any()),
        )?;
        let policy = self::host_policy(py, host_policy)?;
        let output = detached(py, || {
            run_program(
                &state.runtime,
                &state.module,
                &program,
                stdin,
                &state.limits,
                policy.as_ref(),
            )
        })?;
        Ok(ProgramResult::new(py, &output))
    }

    /// Opens a `Session`: repeated direct-mode calls into one instance of this module, which
    /// keeps its state between calls (a call then costs the round trip, not an
    /// instantiation). `host_policy` applies to every call of the session. A module without
    /// the direct-mode exports raises `ExecutionError` (`runtime-missing-export`).
    #[pyo3(signature = (*, host_policy=None), text_signature = "($self, *, host_policy=None)")]
    fn session(&self, py: Python<'_>, host_policy: Option<&Bound<'_, PyAny>>) -> PyResult<Session> {
        let state = self.state.get(py, "Module")?;
        let policy = self::host_policy(py, host_policy)?;
        let session = attached(py, || {
            invoke::session(
                &state.runtime,
                &state.module,
                state.limits.clone(),
                Default::default(),
                policy.as_ref(),
            )
        })?;
        Ok(Session::new(session))
    }

    /// The modes this module supports (`"direct"`, `"command"`), direct first.
    #[getter]
    fn modes(&self, py: Python<'_>) -> PyResult<Vec<&'static str>> {
        let state = self.state.get(py, "Module")?;
        Ok(state
            .runtime
            .modes(&state.module)
            .into_iter()
            .map(InvokeMode::as_str)
            .collect())
    }

    /// The canonical module hash (SHA-256 without `sds.*` sections), 64 hex digits.
    #[getter]
    fn hash_hex(&self, py: Python<'_>) -> PyResult<String> {
        let state = self.state.get(py, "Module")?;
        Ok(state
            .module
            .hash()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }

    /// BENCHMARK SUPPORT: the same call `iterations` times from Rust (GIL released), in
    /// nanoseconds per call, so a benchmark can subtract the core's own time.
    #[pyo3(
        signature = (method, inputs, iterations, *, mode=None),
        text_signature = "($self, method, inputs, iterations, *, mode='direct')"
    )]
    fn _bench_invoke<'py>(
        &self,
        py: Python<'py>,
        method: String,
        inputs: &Bound<'py, PyAny>,
        iterations: u32,
        mode: Option<String>,
    ) -> PyResult<f64> {
        let state = self.state.get(py, "Module")?;
        let mut owners = Vec::new();
        let ports = frames(py, Some(inputs), &mut owners)?;
        let call = Call {
            method: &method,
            inputs: ports
                .into_iter()
                .zip(owners.iter().map(|payload| payload.as_bytes()))
                .collect(),
            mode: self::mode(py, mode.as_deref())?,
            limits: state.limits.clone(),
            ..Call::default()
        };
        let iterations = iterations.max(1);
        detached(py, || {
            let start = Instant::now();
            for _ in 0..iterations {
                std::hint::black_box(invoke::invoke(&state.runtime, &state.module, &call)?);
            }
            Ok(start.elapsed().as_nanos() as f64 / f64::from(iterations))
        })
    }

    fn close(&self) {
        self.state.close();
    }

    #[getter]
    fn closed(&self) -> bool {
        self.state.is_closed()
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close();
        false
    }
}

/// A guest's response. `outputs` maps each output port to its payload (the last frame wins
/// when a port repeats); `frames` keeps every `(port, payload)` in order.
#[pyclass(frozen, module = "space_data_module")]
pub struct Response {
    #[pyo3(get)]
    status_code: i32,
    #[pyo3(get)]
    error_code: Option<String>,
    #[pyo3(get)]
    error_message: Option<String>,
    #[pyo3(get)]
    outputs: Py<PyDict>,
    /// Every frame's payload; the list is made when asked for (most callers read `outputs`
    /// only).
    frame_list: Vec<Py<PyBytes>>,
    /// Every frame's metadata, parallel to `frame_list` (objects made when asked for).
    frame_meta: Vec<Frame>,
    #[pyo3(get)]
    yielded: bool,
    #[pyo3(get)]
    backlog_remaining: u32,
    /// `"direct"` or `"command"`; None when the runtime host chose.
    #[pyo3(get)]
    mode: Option<&'static str>,
}

impl Response {
    fn from_invoked(py: Python<'_>, invoked: Invoked) -> PyResult<Response> {
        Response::new(py, invoked.response, Some(invoked.mode.as_str()))
    }

    /// Takes the response by value: its port names and type references move into the
    /// `Response` instead of being copied (only the payloads are copied, into `bytes`).
    pub fn new(
        py: Python<'_>,
        response: InvokeResponse,
        mode: Option<&'static str>,
    ) -> PyResult<Response> {
        let InvokeResponse {
            status_code,
            yielded,
            backlog_remaining,
            output_frames,
            payload_arena,
            error_code,
            error_message,
        } = response;
        let outputs = PyDict::new(py);
        let mut frame_list = Vec::with_capacity(output_frames.len());
        for frame in &output_frames {
            // The decoder checked every range against the arena.
            let payload = frame
                .range(payload_arena.len())
                .map_or(&[][..], |range| &payload_arena[range]);
            let payload = bytes(py, payload);
            if let Some(port) = frame.port_id.as_deref() {
                outputs.set_item(port, &payload)?;
            }
            frame_list.push(payload.unbind());
        }
        Ok(Response {
            status_code,
            error_code,
            error_message,
            outputs: outputs.unbind(),
            frame_list,
            frame_meta: output_frames,
            yielded,
            backlog_remaining,
            mode,
        })
    }
}

#[pymethods]
impl Response {
    /// Every output frame as `(port, payload)`, in order (a new list on each access).
    #[getter]
    fn frames<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(
            py,
            self.frame_meta
                .iter()
                .zip(&self.frame_list)
                .map(|(meta, payload)| (meta.port_id.as_deref(), payload.bind(py))),
        )
    }

    /// Every output frame with its metadata (port, type reference, aligned-binary envelope
    /// fields) and payload, in order (a new list on each access).
    #[getter]
    fn output_frames<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let frames = self
            .frame_meta
            .iter()
            .zip(&self.frame_list)
            .map(|(meta, payload)| {
                Bound::new(py, OutputFrame::new(meta.clone(), payload.clone_ref(py)))
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, frames)
    }

    /// True when the guest answered with a non-zero status or an error code.
    #[getter]
    fn failed(&self) -> bool {
        self.status_code != 0 || self.error_code.as_deref().is_some_and(|c| !c.is_empty())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "Response(status_code={}, error_code={:?}, outputs=<{} ports>)",
            self.status_code,
            self.error_code,
            self.outputs.bind(py).len()
        )
    }
}

/// BENCHMARK SUPPORT: `encode_manifest` of the same text `iterations` times in Rust (GIL
/// released), nanoseconds per call.
#[pyfunction]
pub fn _bench_encode_manifest(py: Python<'_>, manifest: String, iterations: u32) -> PyResult<f64> {
    let iterations = iterations.max(1);
    detached(py, || {
        let start = Instant::now();
        for _ in 0..iterations {
            std::hint::black_box(space_data_module::api::format::encode_manifest(&manifest)?);
        }
        Ok(start.elapsed().as_nanos() as f64 / f64::from(iterations))
    })
}

/// TEST SUPPORT: panics inside the core; must come back as `InternalError` code `panic`.
#[pyfunction]
pub fn _debug_force_panic(py: Python<'_>) -> PyResult<()> {
    attached(py, space_data_module::api::debug_force_panic)
}
