//! Direct mode: the host calls `plugin_alloc` / `plugin_invoke_stream` / `plugin_free`
//! (spec invoke-runtime-and-host.md 3.1-3.2). The host owns and frees the request, the
//! response and the 4-byte length slot.

use wasmtime::{Instance, Memory, Store};

use crate::runtime::guest_fn::GuestFn;

use crate::runtime::config::{Grants, Limits};
use crate::runtime::engine::LoadedModule;
use crate::runtime::memory;
use crate::runtime::store::{self, Pipes, StoreState, classify};
use crate::{Error, ErrorCode, Result};

/// Export names of the direct-mode ABI.
pub const ALLOC_EXPORT: &str = "plugin_alloc";
pub const FREE_EXPORT: &str = "plugin_free";
pub const INVOKE_EXPORT: &str = "plugin_invoke_stream";

/// Repeated direct calls into one instance of a module (the guest keeps its state between
/// calls, as the reference host does). After any failure the instance is discarded and the
/// next call starts a fresh one, so one bad request never poisons the session.
///
/// `Send` but not `Sync`: a guest instance handles one invoke at a time.
pub struct DirectSession {
    module: LoadedModule,
    limits: Limits,
    grants: Grants,
    fuel_metering: bool,
    epoch_tick: std::time::Duration,
    live: Option<Live>,
}

struct Live {
    store: Store<StoreState>,
    memory: Memory,
    alloc: GuestFn<1, 1>,
    free: GuestFn<2, 0>,
    invoke: GuestFn<3, 1>,
    _pipes: Pipes,
}

impl DirectSession {
    pub(crate) fn new(
        module: LoadedModule,
        limits: Limits,
        grants: Grants,
        fuel_metering: bool,
        epoch_tick: std::time::Duration,
    ) -> Self {
        DirectSession {
            module,
            limits,
            grants,
            fuel_metering,
            epoch_tick,
            live: None,
        }
    }

    /// The limits every call of this session runs under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Sends one encoded request and returns the encoded response bytes as the guest wrote them
    /// (not decoded: see [`crate::invoke::decode_response`]).
    ///
    /// Errors: `runtime-request-too-large`, `runtime-missing-export`, `runtime-alloc-failed`,
    /// `runtime-null-response`, `runtime-out-of-bounds`, `runtime-response-too-large`,
    /// `runtime-fuel-exhausted`, `runtime-timeout`, `runtime-memory-limit`, `runtime-trap`.
    pub fn invoke_bytes(&mut self, request: &[u8]) -> Result<Vec<u8>> {
        self.invoke_with(request, |response| Ok(response.to_vec()))
    }

    /// Sends one encoded request and hands the guest's response bytes, in place in guest
    /// memory, to `read` (before they are freed), so a caller that decodes them does not copy
    /// them first. An `Err` from `read` discards the instance, as any failure of the call does.
    /// Errors: those of [`DirectSession::invoke_bytes`] and of `read`.
    pub fn invoke_with<T>(
        &mut self,
        request: &[u8],
        read: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<T> {
        self.limits.check_request(request.len())?;
        let result = self.call(request, read);
        if result.is_err() {
            // The guest may be mid-way through anything: never reuse it.
            self.live = None;
        }
        result
    }

    fn call<T>(&mut self, request: &[u8], read: impl FnOnce(&[u8]) -> Result<T>) -> Result<T> {
        let live = match &mut self.live {
            Some(live) => {
                store::arm(
                    &mut live.store,
                    &self.limits,
                    self.fuel_metering,
                    self.epoch_tick,
                )?;
                live
            }
            None => self.live.insert(instantiate(
                &self.module,
                &self.limits,
                &self.grants,
                self.fuel_metering,
                self.epoch_tick,
            )?),
        };
        live.round_trip(request, self.limits.max_response_bytes, read)
    }
}

/// One call in a fresh instance, dropped when the call returns (the one-shot contract of
/// `Runtime::invoke_bytes`); `read` sees the response in place, as for
/// [`DirectSession::invoke_with`]. Nothing of the module, limits or grants is cloned: on
/// several threads every clone is a write to a cache line they all share.
pub(crate) fn call_once<T>(
    module: &LoadedModule,
    request: &[u8],
    limits: &Limits,
    grants: &Grants,
    fuel_metering: bool,
    epoch_tick: std::time::Duration,
    read: impl FnOnce(&[u8]) -> Result<T>,
) -> Result<T> {
    limits.check_request(request.len())?;
    instantiate(module, limits, grants, fuel_metering, epoch_tick)?.round_trip(
        request,
        limits.max_response_bytes,
        read,
    )
}

impl Live {
    fn round_trip<T>(
        &mut self,
        request: &[u8],
        max_response: usize,
        read: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<T> {
        let len = i32::try_from(request.len())
            .map_err(|_| Error::new(ErrorCode::RuntimeRequestTooLarge, "request exceeds 2 GiB"))?;
        let request_ptr = self.alloc(len, "request buffer")?;
        memory::write(
            &mut self.store,
            &self.memory,
            request_ptr,
            request,
            "request buffer from plugin_alloc",
        )?;
        let len_slot = self.alloc(4, "response length slot")?;
        // The guest writes 0 first; start from 0 too so a guest that never writes reads as 0.
        memory::write(
            &mut self.store,
            &self.memory,
            len_slot,
            &[0; 4],
            "response length slot from plugin_alloc",
        )?;
        let [response_ptr] = self
            .invoke
            .call(&mut self.store, [request_ptr as i32, len, len_slot as i32])
            .map_err(|err| classify(&err, "plugin_invoke_stream", false))?;
        let response_ptr = response_ptr as u32;
        if response_ptr == 0 {
            return Err(Error::new(
                ErrorCode::RuntimeNullResponse,
                "plugin_invoke_stream returned null response pointer",
            ));
        }
        let response_len =
            memory::read_u32(&self.store, &self.memory, len_slot, "response length slot")? as usize;
        if response_len > max_response {
            return Err(Error::new(
                ErrorCode::RuntimeResponseTooLarge,
                format!("response of {response_len} bytes exceeds the {max_response}-byte limit"),
            ));
        }
        // Read before any further guest call: memory may grow and the block may be reused.
        let response = read(memory::view(
            &self.store,
            &self.memory,
            response_ptr,
            response_len,
            "response from plugin_invoke_stream",
        )?)?;
        self.release(request_ptr, len)?;
        self.release(response_ptr, response_len as i32)?;
        self.release(len_slot, 4)?;
        Ok(response)
    }

    fn alloc(&mut self, size: i32, what: &str) -> Result<u32> {
        let [ptr] = self
            .alloc
            .call(&mut self.store, [size])
            .map_err(|err| classify(&err, "plugin_alloc", false))?;
        let ptr = ptr as u32;
        if ptr == 0 {
            return Err(Error::new(
                ErrorCode::RuntimeAllocFailed,
                format!("plugin_alloc({size}) for the {what} returned 0"),
            ));
        }
        Ok(ptr)
    }

    fn release(&mut self, ptr: u32, size: i32) -> Result<()> {
        self.free
            .call(&mut self.store, [ptr as i32, size])
            .map(|[]| ())
            .map_err(|err| classify(&err, "plugin_free", false))
    }
}

fn instantiate(
    module: &LoadedModule,
    limits: &Limits,
    grants: &Grants,
    fuel_metering: bool,
    epoch_tick: std::time::Duration,
) -> Result<Live> {
    for name in [INVOKE_EXPORT, ALLOC_EXPORT, FREE_EXPORT, "memory"] {
        if !module.exports(name) {
            return Err(Error::new(
                ErrorCode::RuntimeMissingExport,
                format!("module does not export `{name}` (direct mode)"),
            ));
        }
    }
    let (wasi, pipes) = store::wasi_context(grants, Vec::new(), limits)?;
    let mut store = store::new_store(module, wasi, grants, limits, fuel_metering, epoch_tick)?;
    let instance = start_reactor(module, &mut store)?;
    let memory = instance.get_memory(&mut store, "memory").ok_or_else(|| {
        Error::new(
            ErrorCode::RuntimeMissingExport,
            "export `memory` is not a memory",
        )
    })?;
    let exports = &module.exports;
    let alloc = GuestFn::get(exports, &instance, &mut store, ALLOC_EXPORT)?;
    let free = GuestFn::get(exports, &instance, &mut store, FREE_EXPORT)?;
    let invoke = GuestFn::get(exports, &instance, &mut store, INVOKE_EXPORT)?;
    Ok(Live {
        store,
        memory,
        alloc,
        free,
        invoke,
        _pipes: pipes,
    })
}

/// Instantiates and, for WASI reactors, runs `_initialize` once (the reference host does not,
/// which is harmless for its modules; the spec recommends it).
pub(crate) fn start_reactor(
    module: &LoadedModule,
    store: &mut Store<StoreState>,
) -> Result<Instance> {
    let instance = module.instantiate(store)?;
    if module.exports("_initialize") {
        let init: GuestFn<0, 0> =
            GuestFn::get(&module.exports, &instance, &mut *store, "_initialize")?;
        init.call(&mut *store, [])
            .map_err(|err| classify(&err, "_initialize", false))?;
    }
    Ok(instance)
}
