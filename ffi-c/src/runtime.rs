//! Opaque handles over the wasmtime runtime: `sdm_runtime` (engine + module cache) and
//! `sdm_module` (a compiled module), with direct and command invocation.
//!
//! Both handles may be shared between threads: the core `Runtime` and `LoadedModule` are
//! `Send + Sync`, and every invoke runs in its own fresh instance. A module keeps its runtime
//! alive, so the two may be freed in any order.

use std::sync::Arc;
use std::time::Duration;

use space_data_module::runtime::{
    Grants, InvokeMode, Limits, LoadedModule, Runtime, RuntimeConfig,
};

use crate::boundary::{guard, invalid_argument, sdm_status};
use crate::bytes::{input, json_bytes, require_out, sdm_bytes, write_out};
use crate::verified::{sdm_verified, verified_ref};

/// A wasmtime engine with its module cache. Create with `sdm_runtime_new`, release with
/// `sdm_runtime_free`. Thread-safe: may be used from several threads at once.
#[allow(non_camel_case_types)]
pub struct sdm_runtime {
    runtime: Arc<Runtime>,
}

/// A compiled module loaded into a runtime. Create with `sdm_module_load`, release with
/// `sdm_module_free`. Thread-safe: may be invoked from several threads at once.
#[allow(non_camel_case_types)]
pub struct sdm_module {
    pub(crate) runtime: Arc<Runtime>,
    pub(crate) module: LoadedModule,
}

/// Limits of one invocation. Start from `sdm_limits_default()` and change what you need.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy)]
pub struct sdm_limits {
    /// Fuel (about one unit per wasm instruction); 0 = unlimited. Default 10^10.
    pub fuel: u64,
    /// Wall-clock timeout in milliseconds; 0 = unlimited. Default 30000.
    pub timeout_ms: u64,
    /// Linear-memory cap per memory, bytes. Default 256 MiB.
    pub max_memory_bytes: u64,
    /// Largest request accepted, bytes. Default 64 MiB.
    pub max_request_bytes: u64,
    /// Largest response accepted from the guest, bytes. Default 64 MiB.
    pub max_response_bytes: u64,
}

impl From<&Limits> for sdm_limits {
    fn from(limits: &Limits) -> Self {
        sdm_limits {
            fuel: limits.fuel.unwrap_or(0),
            timeout_ms: limits.timeout.map_or(0, |timeout| {
                u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX)
            }),
            max_memory_bytes: limits.max_memory_bytes as u64,
            max_request_bytes: limits.max_request_bytes as u64,
            max_response_bytes: limits.max_response_bytes as u64,
        }
    }
}

fn to_usize(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

impl sdm_limits {
    pub(crate) fn to_core(self) -> Limits {
        Limits {
            fuel: (self.fuel != 0).then_some(self.fuel),
            timeout: (self.timeout_ms != 0).then(|| Duration::from_millis(self.timeout_ms)),
            max_memory_bytes: to_usize(self.max_memory_bytes),
            max_request_bytes: to_usize(self.max_request_bytes),
            max_response_bytes: to_usize(self.max_response_bytes),
            ..Limits::default()
        }
    }
}

/// The default limits.
#[unsafe(no_mangle)]
pub extern "C" fn sdm_limits_default() -> sdm_limits {
    sdm_limits::from(&Limits::default())
}

/// Creates a runtime with the default configuration.
///
/// # Safety
/// `out_runtime` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_new(out_runtime: *mut *mut sdm_runtime) -> sdm_status {
    guard(|| {
        require_out(out_runtime, "out_runtime")?;
        let runtime = Runtime::new(RuntimeConfig::default())?;
        let handle = Box::into_raw(Box::new(sdm_runtime {
            runtime: Arc::new(runtime),
        }));
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_runtime, handle) };
        Ok(())
    })
}

/// Releases a runtime. Accepts NULL. Modules loaded from it stay usable.
///
/// # Safety
/// `runtime` is NULL or a handle from `sdm_runtime_new` not yet freed and not in use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_runtime_free(runtime: *mut sdm_runtime) {
    // SAFETY: caller contract; the handle came from `Box::into_raw` in `sdm_runtime_new`.
    unsafe { crate::boundary::free_handle(runtime) }
}

/// Compiles a verified module (fail closed: only `sdm_verify` creates one). The module keeps
/// the capability ceiling of its verified manifest. `verified` may be freed afterwards.
///
/// # Safety
/// `runtime` and `verified` NULL or live handles; `out_module` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_module_load(
    runtime: *const sdm_runtime,
    verified: *const sdm_verified,
    out_module: *mut *mut sdm_module,
) -> sdm_status {
    guard(|| {
        require_out(out_module, "out_module")?;
        // SAFETY: caller contract.
        let runtime =
            unsafe { runtime.as_ref() }.ok_or_else(|| invalid_argument("runtime is NULL"))?;
        // SAFETY: caller contract.
        let verified = unsafe { verified_ref(verified) }?;
        let module = runtime.runtime.load(verified)?;
        let handle = Box::into_raw(Box::new(sdm_module {
            runtime: Arc::clone(&runtime.runtime),
            module,
        }));
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_module, handle) };
        Ok(())
    })
}

/// Releases a module. Accepts NULL.
///
/// # Safety
/// `module` is NULL or a handle from `sdm_module_load` not yet freed and not in use.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_module_free(module: *mut sdm_module) {
    // SAFETY: caller contract; the handle came from `Box::into_raw` in `sdm_module_load`.
    unsafe { crate::boundary::free_handle(module) }
}

/// # Safety
/// As the public invoke functions.
unsafe fn invoke(
    module: *const sdm_module,
    request: *const u8,
    request_len: usize,
    limits: *const sdm_limits,
    mode: InvokeMode,
    out_response: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_response, "out_response")?;
        // SAFETY: caller contract.
        let handle =
            unsafe { module.as_ref() }.ok_or_else(|| invalid_argument("module is NULL"))?;
        // SAFETY: caller contract.
        let request = unsafe { input(request, request_len, "request") }?;
        // SAFETY: caller contract: NULL or a readable `sdm_limits`.
        let limits =
            unsafe { limits.as_ref() }.map_or_else(Limits::default, |limits| limits.to_core());
        let response = handle.runtime.invoke_bytes(
            &handle.module,
            request,
            mode,
            &Grants::default(),
            &limits,
        )?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_response, sdm_bytes::from_vec(response)) };
        Ok(())
    })
}

/// Direct mode (`plugin_alloc` / `plugin_invoke_stream` / `plugin_free`): one encoded
/// `PluginInvokeRequest` in, the guest's encoded `PluginInvokeResponse` out, in a fresh
/// instance. `limits` NULL = defaults. The guest gets no arguments, environment or files.
///
/// # Safety
/// `module` NULL or live; `request` valid for `request_len` bytes; `limits` NULL or readable;
/// `out_response` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_module_invoke_direct(
    module: *const sdm_module,
    request: *const u8,
    request_len: usize,
    limits: *const sdm_limits,
    out_response: *mut sdm_bytes,
) -> sdm_status {
    // SAFETY: forwarded contract.
    unsafe {
        invoke(
            module,
            request,
            request_len,
            limits,
            InvokeMode::Direct,
            out_response,
        )
    }
}

/// Command mode (`_start`, request on WASI stdin, response from stdout), otherwise as
/// `sdm_module_invoke_direct`.
///
/// # Safety
/// As `sdm_module_invoke_direct`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_module_invoke_command(
    module: *const sdm_module,
    request: *const u8,
    request_len: usize,
    limits: *const sdm_limits,
    out_response: *mut sdm_bytes,
) -> sdm_status {
    // SAFETY: forwarded contract.
    unsafe {
        invoke(
            module,
            request,
            request_len,
            limits,
            InvokeMode::Command,
            out_response,
        )
    }
}

/// The manifest core read from the module when it was verified (its `sds.bundle` manifest
/// entry, else the statically embedded manifest), as decoded-manifest JSON; `null` when the
/// module carries none. The guest is never run to read it.
///
/// # Safety
/// `module` NULL or live; `out_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_module_manifest_json(
    module: *const sdm_module,
    out_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_json, "out_json")?;
        // SAFETY: caller contract.
        let handle =
            unsafe { module.as_ref() }.ok_or_else(|| invalid_argument("module is NULL"))?;
        let manifest = handle
            .module
            .manifest()
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        let json = json_bytes(&manifest)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}
