//! Configuration: engine-wide settings, per-call limits and what a guest is granted.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::runtime::host_imports::HostBinding;
use crate::{Error, ErrorCode, Result};

/// Engine-wide settings, fixed when the [`crate::runtime::Runtime`] is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeConfig {
    /// Compiled modules kept in the cache (default 32); the oldest entry is dropped first.
    pub module_cache_capacity: usize,
    /// Instrument guests for fuel (default on). [`Limits::fuel`] is only enforced when on.
    pub fuel_metering: bool,
    /// Period of the epoch ticker that enforces [`Limits::timeout`] (default 5 ms); timeouts are
    /// enforced to within about one tick.
    pub epoch_tick: Duration,
    /// Instances that may be live at once (default 128), allocated from a pool reserved when
    /// the runtime is made (`runtime::pool`); one more is refused with
    /// `runtime-instantiate-failed`. 0 allocates each instance on demand (slower, and calls on
    /// several threads contend on the process's memory map). When the reservation fails (the
    /// address space is limited), the runtime allocates on demand.
    pub instance_pool_slots: u32,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            module_cache_capacity: 32,
            fuel_metering: true,
            epoch_tick: Duration::from_millis(5),
            instance_pool_slots: 128,
        }
    }
}

/// Limits applied to every guest call. Every limit gives its own stable error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Fuel (roughly: wasm instructions) per call; `None` is unlimited
    /// (`runtime-fuel-exhausted`). Default 10^10.
    pub fuel: Option<u64>,
    /// Wall-clock time per call; `None` is unlimited (`runtime-timeout`). Default 30 s.
    pub timeout: Option<Duration>,
    /// Linear-memory cap per memory, in bytes, checked at instantiation and on every
    /// `memory.grow` (`runtime-memory-limit`). Default 256 MiB.
    pub max_memory_bytes: usize,
    /// Table-size cap per table, in elements. Default 1,000,000.
    pub max_table_elements: usize,
    /// Largest request accepted (`runtime-request-too-large`). Default 64 MiB.
    pub max_request_bytes: usize,
    /// Largest response accepted from the guest, direct or on stdout
    /// (`runtime-response-too-large`). Default 64 MiB.
    pub max_response_bytes: usize,
    /// Bytes of guest stderr kept in command mode (more is an error for the guest). Default 1 MiB.
    pub max_stderr_bytes: usize,
}

impl Limits {
    /// Errors with `runtime-request-too-large` when a request (direct mode) or stdin (command
    /// mode) of `len` bytes exceeds [`Limits::max_request_bytes`].
    pub fn check_request(&self, len: usize) -> Result<()> {
        if len > self.max_request_bytes {
            return Err(Error::new(
                ErrorCode::RuntimeRequestTooLarge,
                format!(
                    "request of {len} bytes exceeds the {}-byte limit",
                    self.max_request_bytes
                ),
            ));
        }
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: Some(10_000_000_000),
            timeout: Some(Duration::from_secs(30)),
            max_memory_bytes: 256 << 20,
            max_table_elements: 1_000_000,
            max_request_bytes: 64 << 20,
            max_response_bytes: 64 << 20,
            max_stderr_bytes: 1 << 20,
        }
    }
}

/// One host directory made visible to the guest (WASI preopen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preopen {
    pub host_path: PathBuf,
    pub guest_path: String,
    pub read_only: bool,
}

/// What the caller grants a guest through WASI and `sdn_host`. The default grants nothing: no
/// arguments beyond the program name, no environment, no directories, no host capability.
#[derive(Debug, Clone, Default)]
pub struct Grants {
    /// Arguments after the program name (`argv[1..]`).
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub preopens: Vec<Preopen>,
    /// The host behind the guest's `sdn_host` imports (an `Arc<host::Host>` coerces; see
    /// [`Grants::with_host`]). `None`: a host with the empty policy (every capability operation
    /// is denied; `host.*` still answers).
    pub host: Option<Arc<dyn HostBinding>>,
}

impl Grants {
    /// These grants with `host` behind the guest's host imports, e.g.
    /// `Grants::default().with_host(Arc::new(host))` for a `host::Host`.
    pub fn with_host(mut self, host: Arc<dyn HostBinding>) -> Self {
        self.host = Some(host);
        self
    }
}

/// Equal when the WASI grants are equal and both name the same host instance (or none).
impl PartialEq for Grants {
    fn eq(&self, other: &Self) -> bool {
        self.args == other.args
            && self.env == other.env
            && self.preopens == other.preopens
            && match (&self.host, &other.host) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

impl Eq for Grants {}
