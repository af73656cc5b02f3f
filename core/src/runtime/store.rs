//! Per-call store state, the resource limiter and the mapping of wasmtime failures to codes.

use std::sync::Arc;

use wasmtime::{ResourceLimiter, Store, Trap};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

use crate::runtime::config::{Grants, Limits};
use crate::runtime::host_imports::HostState;
use crate::{Error, ErrorCode};

/// The data of one store: the guest's WASI context, its memory cap and the state of its host
/// imports (for `sdn_host`: one last envelope per store, so per guest instance).
pub(crate) struct StoreState {
    pub(crate) wasi: WasiP1Ctx,
    limiter: GuestLimiter,
    // Read only by the host layer's imports.
    #[cfg_attr(not(feature = "host"), allow(dead_code))]
    host: Option<HostState>,
    /// When the invocation's wall-clock limit ends. Host calls cannot be interrupted by the
    /// epoch, so the host imports read it and stop there themselves.
    #[cfg_attr(not(feature = "host"), allow(dead_code))]
    pub(crate) deadline: Option<std::time::Instant>,
    /// Wakes the calls waiting for a pool slot when this store (and its instance) is dropped.
    _slot: Option<super::pool::SlotRelease>,
}

impl StoreState {
    /// The host imports' state of this store: the one the grants' binding made, else the one
    /// `default` makes on first use (the imports' behaviour when nothing is bound).
    #[cfg_attr(not(feature = "host"), allow(dead_code))]
    pub(crate) fn host_state(
        &mut self,
        default: impl FnOnce() -> HostState,
    ) -> &mut (dyn std::any::Any + Send) {
        self.host.get_or_insert_with(default).as_mut()
    }
}

/// Captured standard streams of one store.
pub(crate) struct Pipes {
    pub(crate) stdout: MemoryOutputPipe,
    pub(crate) stderr: MemoryOutputPipe,
}

/// Refuses memory and table growth beyond the caps by trapping with [`LimitExceeded`], so a
/// memory bomb stops at the cap with a stable code instead of running on with `-1` results.
struct GuestLimiter {
    max_memory_bytes: usize,
    max_table_elements: usize,
}

/// The error a refused growth traps with.
#[derive(Debug)]
pub(crate) struct LimitExceeded(String);

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LimitExceeded {}

impl ResourceLimiter for GuestLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.max_memory_bytes {
            return Err(wasmtime::Error::new(LimitExceeded(format!(
                "guest memory of {desired} bytes exceeds the cap of {} bytes",
                self.max_memory_bytes
            ))));
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.max_table_elements {
            return Err(wasmtime::Error::new(LimitExceeded(format!(
                "guest table of {desired} elements exceeds the cap of {}",
                self.max_table_elements
            ))));
        }
        Ok(true)
    }
}

/// Builds the WASI context: stdin as given, stdout/stderr captured up to their caps, and only
/// the granted arguments, environment and directories. `argv[0]` is always `module`.
pub(crate) fn wasi_context(
    grants: &Grants,
    stdin: Vec<u8>,
    limits: &Limits,
) -> Result<(WasiP1Ctx, Pipes), Error> {
    // One byte more than allowed, so a response that hits the cap is told apart from one that
    // exactly fits (a guest may ignore short writes, so truncation alone is not visible).
    let stdout = MemoryOutputPipe::new(limits.max_response_bytes.saturating_add(1));
    let stderr = MemoryOutputPipe::new(limits.max_stderr_bytes);
    let mut builder = WasiCtxBuilder::new();
    builder
        .stdin(wasmtime_wasi::p2::pipe::MemoryInputPipe::new(stdin))
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .arg("module");
    for arg in &grants.args {
        builder.arg(arg);
    }
    for (key, value) in &grants.env {
        builder.env(key, value);
    }
    for preopen in &grants.preopens {
        let perms = if preopen.read_only {
            FsPerms::ReadOnly
        } else {
            FsPerms::ReadWrite
        };
        builder
            .preopened_dir(&preopen.host_path, &preopen.guest_path, perms)
            .map_err(|err| {
                Error::new(
                    ErrorCode::Io,
                    format!("cannot preopen {}: {err}", preopen.host_path.display()),
                )
            })?;
    }
    Ok((builder.build_p1(), Pipes { stdout, stderr }))
}

/// A store with the limits of one call applied (fuel, epoch deadline, memory and table caps)
/// and the state the granted host binding makes for the host imports (none: the imports' default).
pub(crate) fn new_store(
    module: &super::LoadedModule,
    wasi: WasiP1Ctx,
    grants: &Grants,
    limits: &Limits,
    fuel_metering: bool,
    epoch_tick: std::time::Duration,
) -> Result<Store<StoreState>, Error> {
    let (max_memory_bytes, max_table_elements) =
        super::pool::effective_caps(limits, module.pool_slots > 0);
    let limiter = GuestLimiter {
        max_memory_bytes,
        max_table_elements,
    };
    let host = grants
        .host
        .as_ref()
        .map(|binding| Arc::clone(binding).store_state());
    let mut store = Store::new(
        module.pre.module().engine(),
        StoreState {
            wasi,
            limiter,
            host,
            deadline: None,
            _slot: module.gate.as_ref().map(super::pool::SlotRelease::new),
        },
    );
    store.limiter(|state| &mut state.limiter);
    arm(&mut store, limits, fuel_metering, epoch_tick)?;
    Ok(store)
}

/// Resets fuel, the epoch deadline and the host calls' deadline for the next call on `store`.
pub(crate) fn arm(
    store: &mut Store<StoreState>,
    limits: &Limits,
    fuel_metering: bool,
    epoch_tick: std::time::Duration,
) -> Result<(), Error> {
    if fuel_metering {
        store
            .set_fuel(limits.fuel.unwrap_or(u64::MAX))
            .map_err(|err| Error::new(ErrorCode::Internal, format!("cannot set fuel: {err}")))?;
    }
    // wasmtime adds the delta to the current epoch unchecked: u64::MAX would overflow (a panic
    // with debug assertions, an immediate deadline without). Half the range is still "never":
    // 2^63 ticks of 5 ms are a billion years.
    const NEVER: u64 = u64::MAX / 2;
    let ticks = match limits.timeout {
        None => NEVER,
        Some(timeout) => {
            let tick = epoch_tick.as_nanos().max(1);
            // One extra tick: the deadline counts whole ticks from the current (partial) one.
            u64::try_from(timeout.as_nanos().div_ceil(tick))
                .unwrap_or(NEVER)
                .saturating_add(1)
                .min(NEVER)
        }
    };
    store.set_epoch_deadline(ticks);
    // Host calls cannot be interrupted by the epoch: they learn the deadline themselves.
    let deadline = limits
        .timeout
        .and_then(|timeout| std::time::Instant::now().checked_add(timeout));
    store.data_mut().deadline = deadline;
    Ok(())
}

/// Maps a wasmtime failure during a guest call to a stable code. `stdout_full` tells whether the
/// captured stdout reached its cap (the guest's write then failed).
pub(crate) fn classify(err: &wasmtime::Error, what: &str, stdout_full: bool) -> Error {
    if let Some(limit) = err.downcast_ref::<LimitExceeded>() {
        return Error::new(ErrorCode::RuntimeMemoryLimit, format!("{what}: {limit}"));
    }
    if let Some(trap) = err.downcast_ref::<Trap>() {
        return match trap {
            Trap::OutOfFuel => Error::new(
                ErrorCode::RuntimeFuelExhausted,
                format!("{what}: the guest ran out of fuel"),
            ),
            Trap::Interrupt => Error::new(
                ErrorCode::RuntimeTimeout,
                format!("{what}: the guest exceeded its time limit"),
            ),
            other => Error::new(
                ErrorCode::RuntimeTrap,
                format!("{what}: guest trap: {other}"),
            ),
        };
    }
    if stdout_full || err.to_string().contains("beyond capacity") {
        return Error::new(
            ErrorCode::RuntimeResponseTooLarge,
            format!(
                "{what}: guest output exceeds its limit (stdout: max_response_bytes, stderr: max_stderr_bytes)"
            ),
        );
    }
    if let Some(exit) = err.downcast_ref::<I32Exit>() {
        return Error::new(
            ErrorCode::RuntimeTrap,
            format!("{what}: the guest exited with code {}", exit.0),
        );
    }
    Error::new(ErrorCode::RuntimeTrap, format!("{what}: {err}"))
}
